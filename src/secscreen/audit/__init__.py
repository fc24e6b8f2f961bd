"""Audit stage: every verdict is appended to a tamper-evident, hash-chained trail before it is given.

See docs/audit.md for the record model, verification and who may see what.
"""

from __future__ import annotations

from pathlib import Path

from .base import SCHEMA_VERSION, AuditStore, StoredRecord, VerifyReport
from .decisions import CHANNELS, DecisionRejected, UnknownRecord, decisions_for, record_decision
from .records import CONTEXT_RADIUS, DECISIONS, decision_body, screening_body
from .sqlite import SqliteAuditStore

#: audit store implementations by name (registry)
STORES: tuple[type[SqliteAuditStore], ...] = (SqliteAuditStore,)


def open_store(path: Path) -> SqliteAuditStore:
    return SqliteAuditStore(path)


__all__ = ["CHANNELS", "CONTEXT_RADIUS", "DECISIONS", "SCHEMA_VERSION", "STORES", "AuditStore", "DecisionRejected",
           "SqliteAuditStore", "StoredRecord", "UnknownRecord", "VerifyReport", "decision_body", "decisions_for",
           "open_store", "record_decision", "screening_body"]
