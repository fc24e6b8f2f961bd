"""``secscreen audit``: list, show, verify, export the audit trail."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO, cast

import click

from ..audit import StoredRecord, UnknownRecord, decisions_for
from ..audit.export import ENCODINGS, FORMATS, first_difference, write_csv, write_jsonl
from ..errors import ConfigError
from . import common

_filters = [
    click.option("--verdict", type=click.Choice(["pass", "review", "block"]), help="只看该结论的审查记录。"),
    click.option("--actor", help="操作人。"),
    click.option("--channel", type=click.Choice(["cli", "api", "web"]), help="渠道。"),
    click.option("--file-name", help="文件名（包含该文字即可）。"),
    click.option("--sha256", help="文件的 SHA-256。"),
    click.option("--since", help="起始时间（含；UTC，ISO 8601，如 2026-01-01 或 2026-01-01T08:00）。"),
    click.option("--until", help="截止时间（不含；UTC，ISO 8601）。"),
    click.option("--kind", type=click.Choice(["screening", "decision"]), help="记录类型：审查或审核决定。"),
]


def filter_options(command: Any) -> Any:
    for option in reversed(_filters):
        command = option(command)
    return command


@click.group()
def audit() -> None:
    """审计记录：列表、查看、校验哈希链、导出。"""


@audit.command("verify")
@common.audit_option
@click.option("--expect", "anchor", metavar="HASH",
              help="此前留存的末条记录哈希：链中必须仍有该记录，否则视为末尾记录被删除。")
@click.option("--against", "earlier", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
              help="此前用 audit export --format jsonl 导出的文件：其中每条记录必须仍以相同位置和哈希存在。")
def verify(audit_db: str | None, anchor: str | None, earlier: str | None) -> None:
    """校验哈希链；发现篡改、删除、插入或调换顺序时指出第一条问题记录，退出码 1。"""
    store = common.store(audit_db)
    report = store.verify()
    if not report.ok:
        where = f"第 {report.first_bad_seq} 条记录" if report.first_bad_seq is not None else "链头"
        ident = f"（编号 {report.first_bad_id}）" if report.first_bad_id else ""
        click.echo(f"审计链已被破坏：{where}{ident}：{report.reason}。此前 {report.checked} 条完好。")
        sys.exit(1)
    if anchor and not store.has_hash(anchor.strip().lower()):
        click.echo(f"审计链自身完整（共 {report.checked} 条），但找不到留存的哈希 {anchor} 对应的记录："
                   "该记录及其后的记录可能已被整体删除或改写。")
        sys.exit(1)
    if earlier:
        with Path(earlier).open(encoding="utf-8") as lines:
            difference = first_difference(lines, store.at)
        if difference:
            click.echo(f"审计链自身完整（共 {report.checked} 条），但与导出文件 {earlier} 不符：{difference}。")
            sys.exit(1)
    click.echo(f"审计链完整：共 {report.checked} 条记录。")
    if report.checked == 0:
        click.echo(f"注意：审计库 {store.path} 中没有任何记录，请确认审计库路径是否正确（--audit-db）。")
        return
    click.echo(f"末条记录哈希：{report.head_hash}（请另行留存，日后可用 --expect 核对末尾记录未被删除）")


@audit.command("list")
@common.audit_option
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="最多列出条数。")
def list_records(audit_db: str | None, limit: int, **filters: str | None) -> None:
    """列出审计记录（最新在前）。"""
    for record in common.store(audit_db).records(newest_first=True, limit=limit, **filters):
        click.echo(_line(record))


def _line(record: StoredRecord) -> str:
    body = record.body
    if record.kind == "screening":
        return (f"{record.id}  {record.created_at}  {body.get('verdict', ''):<6}  {body.get('actor', '')}  "
                f"{body.get('channel', '')}  {body.get('file_name', '')}  发现 {len(body.get('findings', []))}")
    return (f"{record.id}  {record.created_at}  {record.kind}  {body.get('decision', '')}  {body.get('by', '')}"
            f"（{body.get('role', '')}）  → {body.get('screening_id', '')}")


@audit.command("show")
@click.argument("record_id")
@common.audit_option
def show(record_id: str, audit_db: str | None) -> None:
    """显示一条审计记录的全部内容（JSON，含命中原文）；审查记录另列针对它的审核决定（decisions）。"""
    store = common.store(audit_db)
    record = store.get(record_id)
    if record is None:
        raise UnknownRecord(f"没有编号为 {record_id} 的审计记录")
    shown: dict[str, Any] = {"seq": record.seq, "hash": record.hash, "prev_hash": record.prev_hash, **record.body}
    if record.kind == "screening":
        shown["decisions"] = [{"seq": d.seq, **d.body} for d in decisions_for(store, record.id)]
    click.echo(json.dumps(shown, ensure_ascii=False, indent=2))


@audit.command("export")
@common.audit_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="jsonl：每行一条完整记录；csv：表格（UTF-8 带 BOM，可直接用电子表格打开）。")
@click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, help="写入文件（默认标准输出）。")
@click.option("--include-matched", is_flag=True,
              help="包含“禁止发布”发现的命中原文（默认隐去；该原文本身敏感，仅在确有需要时导出）。")
@filter_options
def export(audit_db: str | None, fmt: str, output: str | None, include_matched: bool, **filters: str | None) -> None:
    """导出审计记录供检查（按链顺序）。"""
    store = common.store(audit_db)
    records = store.iter_records(**filters)  # streamed: constant memory for any size of trail
    with _opened(output, ENCODINGS[fmt]) as out:
        if fmt == "jsonl":
            count = write_jsonl(records, out, include_matched=include_matched)
        else:
            count = write_csv(records, out, include_matched=include_matched,
                              decisions_of=lambda screening_id: decisions_for(store, screening_id))
    if output:
        note = "，含命中原文" if include_matched else "（已隐去“禁止发布”发现的命中原文）"
        click.echo(f"已导出 {count} 条记录到 {output}{note}。", err=True)


@contextmanager
def _opened(output: str | None, encoding: str) -> Iterator[TextIO]:
    if output:
        try:
            with Path(output).open("w", encoding=encoding, newline="") as handle:
                yield handle
        except OSError as error:
            raise ConfigError(f"无法写入导出文件 {output}：{error.strerror}") from error
        return
    stream = cast(BinaryIO, sys.stdout.buffer)
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="", write_through=True)
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()
