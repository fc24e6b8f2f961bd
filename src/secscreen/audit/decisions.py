"""Review decisions: validated, then appended as records that reference a screening (never updated)."""

from __future__ import annotations

from ..errors import ConfigError
from .base import AuditStore, StoredRecord
from .records import DECISIONS, decision_body

#: channels a decision (or a screening) can come through
CHANNELS = ("cli", "api", "web")
#: decisions that let a ``block`` document through; they need a reason
OVERRIDING = ("approve", "override")


class UnknownRecord(ConfigError):
    """The referenced audit record does not exist (exit 2, HTTP 404)."""

    http_status = 404
    code = "audit-record-not-found"


class DecisionRejected(ConfigError):
    """A decision that may not be recorded as given: bad value, missing reason or reviewer (exit 2, HTTP 400)."""

    http_status = 400
    code = "decision-invalid"


def record_decision(store: AuditStore, screening_id: str, *, decision: str, by: str, role: str, reason: str,
                    channel: str) -> StoredRecord:
    """Validate a reviewer's decision on a screening and append it to the audit trail.

    Raises ``UnknownRecord`` if ``screening_id`` names no screening record, ``DecisionRejected`` if the
    decision is not one of ``DECISIONS``, the reviewer or role is empty, or a ``block`` would be let
    through (approve / override) without a reason. ``AuditError`` propagates if the record cannot be written.
    """
    screening = store.get(screening_id)
    if screening is None or screening.kind != "screening":
        raise UnknownRecord(f"没有编号为 {screening_id} 的审查记录")
    _check(screening, decision=decision, by=by, role=role, reason=reason, channel=channel)
    body = decision_body(screening, decision=decision, by=by.strip(), role=role.strip(), reason=reason.strip(),
                         channel=channel)
    return store.append("decision", body)


def decisions_for(store: AuditStore, screening_id: str) -> list[StoredRecord]:
    """The decisions recorded on one screening, oldest first."""
    return store.records(kind="decision", screening_id=screening_id)


def _check(screening: StoredRecord, *, decision: str, by: str, role: str, reason: str, channel: str) -> None:
    if decision not in DECISIONS:
        raise DecisionRejected(f"审核决定应为 {' / '.join(DECISIONS)} 之一，而不是 {decision!r}")
    if not by.strip():
        raise DecisionRejected("必须写明作出决定的人（--by）")
    if not role.strip():
        raise DecisionRejected("必须写明决定人的角色")
    if channel not in CHANNELS:
        raise DecisionRejected(f"渠道应为 {' / '.join(CHANNELS)} 之一，而不是 {channel!r}")
    if decision == "override" and not reason.strip():
        raise DecisionRejected("推翻审查结论（override）必须写明理由（--reason）")
    if screening.body.get("verdict") == "block" and decision in OVERRIDING and not reason.strip():
        raise DecisionRejected("该文件的审查结论为“禁止发布”（block），放行必须写明理由（--reason）")
