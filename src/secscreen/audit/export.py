"""Export the audit trail for an inspection: JSON Lines (every record, as stored) or CSV (a spreadsheet).

Both formats withhold the matched text of ``block`` findings unless asked to include it. CSV is written
as UTF-8 with a byte-order mark so that spreadsheet programs open Chinese text correctly; cells that
a spreadsheet would take for a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from .base import StoredRecord
from .records import redacted

FORMATS = ("jsonl", "csv")
#: text encoding of each export format (``utf-8-sig`` writes the byte-order mark)
ENCODINGS = {"jsonl": "utf-8", "csv": "utf-8-sig"}

CSV_COLUMNS = (
    "seq", "id", "kind", "time", "actor", "channel", "file_name", "sha256", "size", "media_type", "ruleset",
    "verdict", "findings_count", "findings", "issues", "duration_ms", "decisions",
    "screening_id", "decision", "by", "role", "reason", "schema_version", "prev_hash", "hash",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def exported(record: StoredRecord, include_matched: bool) -> dict[str, Any]:
    """A record as exported: its stored body (redacted unless ``include_matched``) with seq and hashes."""
    body = record.body if include_matched else redacted(record.body)
    return {"seq": record.seq, **body, "prev_hash": record.prev_hash, "hash": record.hash}


def write_jsonl(records: Iterable[StoredRecord], out: TextIO, *, include_matched: bool) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(exported(record, include_matched), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def write_csv(records: Iterable[StoredRecord], out: TextIO, *, include_matched: bool,
              decisions_of: Callable[[str], list[StoredRecord]] | None = None) -> int:
    """One row per record (``kind`` says which); a screening row summarises the decisions taken on it
    (asked of ``decisions_of`` per screening, so ``records`` can be streamed; without it, from the
    decision records among ``records``, which are then read into memory)."""
    if decisions_of is None:
        records = list(records)
        decided = _decisions_by_screening(records)
        decisions_of = lambda screening_id: decided.get(screening_id, [])  # noqa: E731
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    count = 0
    for record in records:
        decisions = decisions_of(record.id) if record.kind == "screening" else []
        row = _row(exported(record, include_matched), [d.body for d in decisions])
        writer.writerow([_cell(row.get(column)) for column in CSV_COLUMNS])
        count += 1
    return count


def _row(body: dict[str, Any], decisions: list[dict[str, Any]]) -> dict[str, Any]:
    row = dict(body)
    findings = body.get("findings") or []
    row["findings_count"] = len(findings) if body.get("kind") == "screening" else None
    row["findings"] = "；".join(_finding(f) for f in findings)
    row["issues"] = "；".join(str(i.get("code", "")) for i in body.get("issues") or [])
    row["ruleset"] = (body.get("ruleset") or {}).get("version")
    row["decisions"] = "；".join(f"{d.get('time', '')} {d.get('decision', '')} {d.get('by', '')}（{d.get('role', '')}）"
                                f"：{d.get('reason', '')}" for d in decisions)
    return row


def _finding(finding: dict[str, Any]) -> str:
    location = finding.get("location") or {}
    where = location.get("part", "")
    for key, label in (("page", "页"), ("line", "行")):
        if location.get(key) is not None:
            where += f" 第{location[key]}{label}"
    return f"{finding.get('rule_id', '')}[{finding.get('action', '')}] {where}：{finding.get('context', '')}"


def _decisions_by_screening(records: list[StoredRecord]) -> dict[str, list[StoredRecord]]:
    decided: dict[str, list[StoredRecord]] = {}
    for record in records:
        if record.kind == "decision":
            decided.setdefault(str(record.body.get("screening_id")), []).append(record)
    return decided


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def first_difference(export_lines: Iterable[str], at: Callable[[int], StoredRecord | None]) -> str | None:
    """Compare an earlier JSON Lines export with the live trail (``at(seq)``: the live record at ``seq``):
    every exported record must still be there, at the same position with the same hash. Return what
    differs first, or None. One line and one record at a time: constant memory for any trail."""
    compared = 0
    for number, line in enumerate(export_lines, start=1):
        if not line.strip():
            continue
        compared += 1
        try:
            entry = json.loads(line)
            seq, record_id, digest = int(entry["seq"]), str(entry["id"]), str(entry["hash"])
        except (ValueError, KeyError, TypeError):
            return f"导出文件第 {number} 行不是有效的审计导出记录"
        live = at(seq)
        if live is None:
            return f"导出时存在的第 {seq} 条记录（编号 {record_id}）已不在审计库中（被删除）"
        if (live.id, live.hash) != (record_id, digest):
            return f"第 {seq} 条记录（编号 {record_id}）与导出时不同（被改写、插入或调换顺序）"
    return None if compared else "导出文件中没有任何审计记录"
