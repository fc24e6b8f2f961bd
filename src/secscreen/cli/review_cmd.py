"""``secscreen review approve|reject|override ID``: record a person's decision on a screening."""

from __future__ import annotations

import click

from ..audit import record_decision
from . import common

#: the role recorded for each decision taken from the command line
ROLES = {"approve": "reviewer", "reject": "reviewer", "override": "officer"}
LABELS = {"approve": "同意发布", "reject": "不予发布", "override": "推翻审查结论"}


@click.group()
def review() -> None:
    """人工审核：对一条审查记录作出决定（同意、驳回、推翻），决定作为新记录追加到审计链。"""


def _decision_command(decision: str, help_text: str) -> click.Command:
    @click.command(decision, help=help_text)
    @click.argument("screening_id")
    @click.option("--reason", default="", help="理由（对“禁止发布”的文件放行或推翻结论时必填）。")
    @click.option("--by", "by", required=True, help="作出决定的人（姓名，记入审计）。")
    @common.audit_option
    def command(screening_id: str, reason: str, by: str, audit_db: str | None) -> None:
        store = common.store(audit_db)
        record = record_decision(store, screening_id, decision=decision, by=by, role=ROLES[decision], reason=reason,
                                 channel="cli")
        body = record.body
        click.echo(f"已记录审核决定：{LABELS[decision]}（{decision}），决定人 {body['by']}（{body['role']}），"
                   f"审查记录 {screening_id}（原结论 {body.get('screening_verdict')}），决定编号 {record.id}。")

    return command


review.add_command(_decision_command("approve", "同意发布该文件（原结论为“禁止发布”时须写明理由）。"))
review.add_command(_decision_command("reject", "不予发布该文件。"))
review.add_command(_decision_command("override", "以保密管理员（officer）身份推翻审查结论，必须写明理由。"))
