"""Chain verification, independent of the store: walk rows in ``seq`` order, then check the head.

A row is ``(seq, id, kind, created_at, body, prev_hash, hash)`` with ``body`` the stored canonical JSON.
The head is what the store recorded, in the same transaction as the last append, about the last record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .base import GENESIS, VerifyReport, chain_hash

Row = tuple[int, str, str, str, str, str, str]


@dataclass(frozen=True)
class Head:
    seq: int
    id: str
    hash: str


def verify_rows(rows: Iterable[Row], head: Head | None) -> VerifyReport:
    """Check every link, then that the chain ends where the head says; name the first bad record."""
    prev, expected, checked = GENESIS, 1, 0
    for row in rows:
        reason = _row_problem(row, prev, expected)
        if not reason and head is not None and row[0] > head.seq:
            reason = f"链头登记只到第 {head.seq} 条，此记录未经正常写入（记录被插入）"
        if reason:
            return VerifyReport(False, checked, row[0], row[1], reason)
        prev, expected, checked = row[6], expected + 1, checked + 1
    last_seq = expected - 1
    return _head_problem(head, last_seq, prev, checked) or VerifyReport(True, checked, head_hash=prev)


def _row_problem(row: Row, prev: str, expected: int) -> str:
    seq, record_id, kind, created_at, body, prev_hash, digest = row
    if seq != expected:
        what = "此前有记录被删除" if seq > expected else "有记录被插入"
        return f"序号不连续：应为 {expected}，实为 {seq}（{what}）"
    if prev_hash != prev:
        return "所记前一记录哈希与前一记录不符（记录被删除、插入或调换顺序）"
    if chain_hash(prev_hash, seq, record_id, kind, body) != digest:
        return "记录内容与其哈希不符（记录被篡改）"
    parsed = _parse(body)
    if parsed.get("id") != record_id or parsed.get("kind") != kind:
        return "记录编号或类型与内容不符（记录被篡改）"
    if parsed.get("time") != created_at:
        return "记录时间与内容不符（时间被篡改）"
    return ""


def _head_problem(head: Head | None, last_seq: int, last_hash: str, checked: int) -> VerifyReport | None:
    if head is None:
        return VerifyReport(False, checked, None, None, "链头登记缺失（无法确认末尾记录未被删除）")
    if head.seq > last_seq:
        missing = f"第 {last_seq + 1} 条" if head.seq == last_seq + 1 else f"第 {last_seq + 1}–{head.seq} 条"
        return VerifyReport(False, checked, last_seq + 1, head.id if head.seq == last_seq + 1 else None,
                            f"{missing}记录缺失（末尾记录被删除；链头登记到第 {head.seq} 条）")
    if head.hash != last_hash:
        return VerifyReport(False, checked, last_seq, head.id, "末条记录的哈希与链头登记不符（末尾记录被替换）")
    return None


def _parse(body: str) -> dict[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}
