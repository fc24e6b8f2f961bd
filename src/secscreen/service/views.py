"""Read-only views the API and the web page share: the rule set and the audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..audit import AuditStore, VerifyReport
from ..rules import CompiledRuleSet


class RuleView(BaseModel):
    id: str
    title: str
    category: str
    kind: str
    action: str
    status: str
    rationale: str
    keywords: list[str]
    pack: str


class RulesView(BaseModel):
    version: str
    sha256: str
    rules: list[RuleView]
    disabled: dict[str, str]


class AuditRecordView(BaseModel):
    seq: int
    id: str
    kind: str
    time: str
    hash: str
    body: dict[str, Any]


class VerifyView(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    first_bad_id: str | None = None
    reason: str = ""


def rules_view(compiled: CompiledRuleSet) -> RulesView:
    ruleset = compiled.ruleset
    rules = []
    for loaded in ruleset.rules:
        rule = loaded.rule
        rules.append(RuleView(id=rule.id, title=rule.title, category=rule.category, kind=rule.kind.value,
                              action=rule.action.value, status=rule.status.value, rationale=rule.rationale,
                              keywords=list(rule.keywords), pack=loaded.pack))
    return RulesView(version=ruleset.version, sha256=ruleset.sha256, rules=rules, disabled=dict(ruleset.disabled))


def audit_views(store: AuditStore, *, kind: str | None = None, verdict: str | None = None,
                limit: int = 50) -> list[AuditRecordView]:
    records = store.records(kind=kind, verdict=verdict, newest_first=True, limit=limit)
    return [AuditRecordView(seq=r.seq, id=r.id, kind=r.kind, time=r.created_at, hash=r.hash, body=r.body)
            for r in records]


def verify_view(report: VerifyReport) -> VerifyView:
    return VerifyView(ok=report.ok, checked=report.checked, first_bad_seq=report.first_bad_seq,
                      first_bad_id=report.first_bad_id, reason=report.reason)
