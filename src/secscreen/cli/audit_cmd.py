"""``secscreen audit``: list, show, verify, export the audit trail."""

from __future__ import annotations

import json
import sys

import click

from ..errors import ConfigError
from . import common


@click.group()
def audit() -> None:
    """审计记录：列表、查看、校验哈希链、导出。"""


@audit.command("verify")
@common.audit_option
def verify(audit_db: str | None) -> None:
    """校验哈希链；发现篡改、删除、插入或调换顺序时指出第一条问题记录，退出码 1。"""
    report = common.store(audit_db).verify()
    if report.ok:
        click.echo(f"审计链完整：共 {report.checked} 条记录。")
        return
    click.echo(f"审计链已被破坏：第 {report.first_bad_seq} 条记录（编号 {report.first_bad_id}）：{report.reason}。"
               f"此前 {report.checked} 条完好。")
    sys.exit(1)


@audit.command("list")
@common.audit_option
@click.option("--verdict", type=click.Choice(["pass", "review", "block"]))
@click.option("--actor")
@click.option("--file-name")
@click.option("--sha256")
@click.option("--since", help="起始时间（ISO 8601，如 2026-01-01）")
@click.option("--until", help="截止时间（不含）")
@click.option("--limit", type=int, default=50, show_default=True)
def list_records(audit_db: str | None, limit: int, **filters: str | None) -> None:
    """列出审计记录（最新在前）。"""
    records = common.store(audit_db).records(newest_first=True, limit=limit, **filters)
    for record in records:
        body = record.body
        if record.kind == "screening":
            click.echo(f"{record.id}  {record.created_at}  {body.get('verdict', ''):<6}  {body.get('actor', '')}  "
                       f"{body.get('channel', '')}  {body.get('file_name', '')}  发现 {len(body.get('findings', []))}")
        else:
            click.echo(f"{record.id}  {record.created_at}  {record.kind}  {body.get('decision', '')}  {body.get('by', '')}  "
                       f"→ {body.get('screening_id', '')}")


@audit.command("show")
@click.argument("record_id")
@common.audit_option
def show(record_id: str, audit_db: str | None) -> None:
    """显示一条审计记录的全部内容（JSON）。"""
    record = common.store(audit_db).get(record_id)
    if record is None:
        raise ConfigError(f"没有编号为 {record_id} 的审计记录")
    click.echo(json.dumps({"seq": record.seq, "hash": record.hash, "prev_hash": record.prev_hash, **record.body},
                          ensure_ascii=False, indent=2))
