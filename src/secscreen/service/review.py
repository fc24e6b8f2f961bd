"""Reviewers' decisions on screenings: who may decide what. Recording is ``audit.record_decision``.

- ``pass`` needs no decision; a screening takes one decision (a later change is a new screening).
- ``review``: a reviewer or officer may ``approve`` or ``reject``, with a reason.
- ``block``: may be ``reject``-ed (confirmed); it can be let through only by an officer's ``override``
  with a reason, never by ``approve``.
"""

from __future__ import annotations

from ..audit import decisions_for, record_decision
from ..errors import ForbiddenError
from .auth import OVERRIDE_BLOCK
from .errors import BadRequest, Conflict, NotFound
from .screening import DecisionView, decision_view
from .state import ServiceState
from .tokens import TokenInfo

DECISION_LABELS = {"approve": "批准发布", "reject": "不予发布", "override": "改判放行"}


def decide(service: ServiceState, screening_id: str, *, decision: str, reason: str, caller: TokenInfo,
           channel: str) -> DecisionView:
    record = service.store.get(screening_id)
    if record is None or record.kind != "screening":
        raise NotFound(f"没有编号为 {screening_id} 的审查记录")
    verdict = record.body.get("verdict")
    if decision not in DECISION_LABELS:
        raise BadRequest(f"审核决定应为 approve、reject 或 override，而不是 {decision!r}")
    if verdict == "pass":
        raise Conflict("该文件审查结论为通过，无需审核决定")
    if decisions_for(service.store, screening_id):
        raise Conflict("该审查已有决定，不能重复决定；如有变化请重新提交文件审查")
    if not reason.strip():
        raise BadRequest("必须写明理由")
    if verdict == "block":
        if decision == "approve":
            raise Conflict("禁止发布的结果不能直接批准；确需放行的，须由保密员以 override 改判并写明理由")
        if decision == "override" and caller.role not in OVERRIDE_BLOCK:
            raise ForbiddenError("只有保密员（officer）可以改判禁止发布的结果")
    elif decision == "override":
        raise BadRequest("override 仅用于改判禁止发布（block）的结果；需审核的结果请用 approve 或 reject")
    stored = record_decision(service.store, screening_id, decision=decision, by=caller.name, role=caller.role.value,
                             reason=reason, channel=channel)
    return decision_view(stored)
