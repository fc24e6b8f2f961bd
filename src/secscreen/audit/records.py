"""The bodies of audit records: what a screening and a review decision keep (see docs/audit.md)."""

from __future__ import annotations

from typing import Any

from ..models import ScanResult
from .base import StoredRecord

CONTEXT_RADIUS = 12


def screening_body(result: ScanResult, *, actor: str, channel: str, file_name: str,
                   meta: dict[str, str] | None = None) -> dict[str, Any]:
    """The audit record of a screening: digests, rule ids, offsets and short context, no full text."""
    findings = []
    for finding in result.findings:
        findings.append({
            "rule_id": finding.rule_id,
            "category": finding.category,
            "action": finding.action.value,
            "matched": finding.matched,
            "location": finding.location.model_dump(mode="json", exclude_none=True),
            "context": _short(finding.snippet),
        })
    return {
        "actor": actor,
        "channel": channel,
        "file_name": file_name,
        "sha256": result.sha256,
        "size": result.size,
        "media_type": result.media_type,
        "ruleset": result.ruleset.model_dump(mode="json"),
        "verdict": result.verdict.value,
        "findings": findings,
        "issues": [i.model_dump(mode="json", exclude_none=True) for i in result.issues],
        "duration_ms": round(result.duration_ms, 1),
        "meta": {k: v for k, v in (meta or {}).items() if k in ("title", "source", "url", "requester", "channel")},
    }


DECISIONS = ("approve", "reject", "override")


def decision_body(screening: StoredRecord, *, decision: str, by: str, role: str, reason: str,
                  channel: str) -> dict[str, Any]:
    """The audit record of a reviewer's decision on a screening (appended; nothing is updated)."""
    return {
        "screening_id": screening.id,
        "screening_sha256": screening.body.get("sha256"),
        "screening_verdict": screening.body.get("verdict"),
        "decision": decision,
        "by": by,
        "role": role,
        "reason": reason,
        "channel": channel,
    }


def _short(snippet: str) -> str:
    if len(snippet) <= 2 * CONTEXT_RADIUS + 12:
        return snippet
    start = snippet.find("【")
    end = snippet.find("】")
    if start == -1 or end == -1:
        return snippet[: 2 * CONTEXT_RADIUS]
    return snippet[max(0, start - CONTEXT_RADIUS) : end + 1 + CONTEXT_RADIUS]


#: what replaces the matched text of a ``block`` finding for someone not allowed to see it
WITHHELD = "［已隐去］"


def redacted(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without the matched text of its ``block`` findings (in ``matched`` and in ``context``).

    Which text a ``block`` finding matched (a classification marking, an identity number …) is itself
    sensitive: roles that may not see it get this view; see docs/audit.md.
    """
    findings = body.get("findings")
    if not isinstance(findings, list):
        return body
    return {**body, "findings": [_withhold(f) if f.get("action") == "block" else f for f in findings]}


def _withhold(finding: dict[str, Any]) -> dict[str, Any]:
    context = str(finding.get("context", ""))
    start, end = context.find("【"), context.find("】")
    context = context[: start + 1] + WITHHELD + context[end:] if start != -1 and end > start else WITHHELD
    return {**finding, "matched": WITHHELD, "context": context}
