"""Screen -> audit -> answer, and the views of recorded screenings both the API and the web page render.

Fail closed: a worker that crashes or runs out of time gives ``review`` with an ``internal-error`` or
``timeout`` issue, recorded like any other screening. If the audit record cannot be written,
``AuditError`` propagates and no verdict is given (HTTP 503).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from pydantic import BaseModel, Field

from ..audit import WITHHELD, StoredRecord, decisions_for, redacted, screening_body
from ..extract import issues
from ..models import IssueOut, RulesetInfo, ScanResult, Verdict
from . import receipts
from .errors import Saturated
from .receipts import Receipt
from .state import ServiceState
from .tokens import TokenInfo
from .worker import WorkerTimeout

log = logging.getLogger("secscreen.service")

REDACTED = WITHHELD


class ScreenResponse(ScanResult):
    """The scan result (same fields as ``secscreen scan --format json``) plus a signed receipt."""

    receipt: Receipt


class DecisionView(BaseModel):
    id: str
    time: str
    decision: str
    by: str
    role: str
    reason: str
    channel: str


class ScreeningView(BaseModel):
    """A recorded screening as the audit trail holds it (short context, not the document's text)."""

    id: str
    time: str
    actor: str = ""
    channel: str = ""
    file_name: str = ""
    sha256: str = ""
    size: int = 0
    media_type: str = ""
    verdict: Verdict
    findings: list[dict[str, Any]] = Field(default_factory=list)
    issues: list[dict[str, Any]] = Field(default_factory=list)
    ruleset: dict[str, Any] = Field(default_factory=dict)
    meta: dict[str, str] = Field(default_factory=dict)
    decisions: list[DecisionView] = Field(default_factory=list)
    status: str = Field(description="none (pass), pending, approved, rejected or overridden")
    receipt: Receipt


async def screen(service: ServiceState, data: bytes, name: str, *, meta: dict[str, str], media_type: str | None,
                 caller: TokenInfo, channel: str) -> ScreenResponse:
    try:
        result = await service.pool.analyse(data, name, meta, service.config.limits, media_type)
    except WorkerTimeout:
        result = failed(service, data, name, issues.TIMEOUT, f"超过 {service.config.document_seconds:.0f} 秒")
    except Saturated:
        raise
    except Exception:
        log.exception("screening worker failed on a %d-byte document", len(data))
        result = failed(service, data, name, issues.INTERNAL_ERROR, "")
    body = screening_body(result, actor=caller.name, channel=channel, file_name=name, meta=meta)
    body["role"] = caller.role.value
    # off the event loop: an append waits for the disk (fsync) and, briefly, for other writers
    record = await asyncio.to_thread(service.store.append, "screening", body)
    result.audit_id = record.id
    receipt = receipts.issue(service.key, sha256=result.sha256, verdict=result.verdict.value,
                             ruleset=result.ruleset.version, audit_id=record.id)
    return ScreenResponse(**result.model_dump(), receipt=receipt)


def failed(service: ServiceState, data: bytes, name: str, code: str, detail: str) -> ScanResult:
    """A review result for a document the workers could not analyse."""
    compiled = service.compiled
    issue = issues.issue(code, detail)
    return ScanResult(path=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                      media_type="application/octet-stream", verdict=Verdict.REVIEW,
                      issues=[IssueOut(**issue.model_dump())],
                      ruleset=RulesetInfo(version=compiled.version, sha256=compiled.sha256, rules=len(compiled.rules)))


def redact_result(response: ScreenResponse, caller: TokenInfo, see_matched: tuple[Any, ...]) -> ScreenResponse:
    """Hide the matched text of block findings from roles that may not see it (the CMS)."""
    if caller.role in see_matched:
        return response
    findings = [f.model_copy(update={"matched": REDACTED, "snippet": mask(f.snippet)}) if f.action.value == "block" else f
                for f in response.findings]
    return response.model_copy(update={"findings": findings})


def mask(snippet: str) -> str:
    start, end = snippet.find("【"), snippet.find("】")
    if start == -1 or end == -1:
        return REDACTED
    return snippet[: start + 1] + REDACTED + snippet[end:]


def decision_view(record: StoredRecord) -> DecisionView:
    body = record.body
    return DecisionView(id=record.id, time=record.created_at, decision=body.get("decision", ""), by=body.get("by", ""),
                        role=body.get("role", ""), reason=body.get("reason", ""), channel=body.get("channel", ""))


def status(verdict: str, decisions: list[DecisionView]) -> str:
    if decisions:
        return {"approve": "approved", "reject": "rejected", "override": "overridden"}.get(decisions[-1].decision, "pending")
    return "none" if verdict == "pass" else "pending"


def screening_view(service: ServiceState, record: StoredRecord, caller: TokenInfo,
                   see_matched: tuple[Any, ...]) -> ScreeningView:
    body = record.body if caller.role in see_matched else redacted(record.body)
    decisions = [decision_view(r) for r in decisions_for(service.store, record.id)]
    findings = [_finding_view(service, f) for f in body.get("findings", [])]
    ruleset = body.get("ruleset", {})
    receipt = receipts.issue(service.key, sha256=body.get("sha256", ""), verdict=body.get("verdict", ""),
                             ruleset=ruleset.get("version", ""), audit_id=record.id)
    return ScreeningView(
        id=record.id, time=record.created_at, actor=body.get("actor", ""), channel=body.get("channel", ""),
        file_name=body.get("file_name", ""), sha256=body.get("sha256", ""), size=body.get("size", 0),
        media_type=body.get("media_type", ""), verdict=body.get("verdict", "review"), findings=findings,
        issues=body.get("issues", []), ruleset=ruleset, meta=body.get("meta", {}), decisions=decisions,
        status=status(body.get("verdict", ""), decisions), receipt=receipt)


def _finding_view(service: ServiceState, finding: dict[str, Any]) -> dict[str, Any]:
    """A recorded finding with its rule's title and rationale (from the rule set now loaded)."""
    rule = service.compiled.rules.get(finding.get("rule_id", ""))
    return {**finding, "title": rule.title if rule else "", "rationale": rule.rationale if rule else ""}


#: review items shown per page of the queue
QUEUE_PAGE = 50


def pending_reviews(service: ServiceState, *, before: int | None = None, limit: int = QUEUE_PAGE) -> list[StoredRecord]:
    """A page of screenings with verdict review and no decision yet, newest first (``before``: below this seq)."""
    return service.store.undecided(verdict="review", before=before, limit=limit)
