"""Read-only views the API and the web page share: the rule set and the audit trail."""

from __future__ import annotations

import datetime as _dt
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

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


#: largest page of audit records one request may ask for
MAX_PAGE = 1000


class AuditQuery(BaseModel):
    """Filters and a page of the audit trail, newest first; ``before``: continue below this seq."""

    kind: Literal["screening", "decision"] | None = None
    verdict: Literal["pass", "review", "block"] | None = None
    actor: str | None = Field(default=None, max_length=200, description="who screened or who decided")
    file_name: str | None = Field(default=None, max_length=500, description="part of the file name")
    since: str | None = Field(default=None, description="from this time (inclusive; UTC, ISO 8601 date or time)")
    until: str | None = Field(default=None, description="up to this time (exclusive; a bare date includes that day)")
    before: int | None = Field(default=None, ge=1, description="seq of the last record of the previous page")
    limit: int = Field(default=50, ge=1, le=MAX_PAGE)

    @field_validator("since", "until", mode="after")
    @classmethod
    def _iso(cls, value: str | None) -> str | None:
        if not value:
            return None
        try:
            _dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"时间应为 ISO 8601 格式（如 2026-01-01 或 2026-01-01T08:00），而不是 {value!r}") from None
        return value

    def filters(self) -> dict[str, Any]:
        """Store filters; a bare ``until`` date covers that whole day."""
        until = self.until
        if until and len(until) == 10:
            until = (_dt.date.fromisoformat(until) + _dt.timedelta(days=1)).isoformat()
        return {"kind": self.kind, "verdict": self.verdict, "actor": (self.actor or "").strip() or None,
                "file_name": (self.file_name or "").strip() or None, "since": self.since, "until": until,
                "before": self.before}


def audit_views(store: AuditStore, query: AuditQuery | None = None) -> list[AuditRecordView]:
    query = query or AuditQuery()
    records = store.records(**query.filters(), newest_first=True, limit=query.limit)
    return [AuditRecordView(seq=r.seq, id=r.id, kind=r.kind, time=r.created_at, hash=r.hash, body=r.body)
            for r in records]


def verify_view(report: VerifyReport) -> VerifyView:
    return VerifyView(ok=report.ok, checked=report.checked, first_bad_seq=report.first_bad_seq,
                      first_bad_id=report.first_bad_id, reason=report.reason)
