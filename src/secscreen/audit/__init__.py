"""Audit stage: every verdict is appended to a tamper-evident, hash-chained trail before it is given.

See docs/audit.md for the record model, verification and who may see what.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError
from .base import SCHEMA_VERSION, AuditStore, StoredRecord, VerifyReport
from .decisions import CHANNELS, DecisionRejected, UnknownRecord, decisions_for, record_decision
from .records import CONTEXT_RADIUS, DECISIONS, WITHHELD, decision_body, redacted, screening_body
from .sqlite import SqliteAuditStore

#: audit store implementations by name (registry)
STORES: tuple[type[SqliteAuditStore], ...] = (SqliteAuditStore,)


#: seconds an append waits for other writers before giving up (no verdict is then given)
ENV_TIMEOUT = "SECSCREEN_AUDIT_TIMEOUT"
DEFAULT_TIMEOUT = 30.0


def open_store(path: Path, timeout: float | None = None) -> SqliteAuditStore:
    """The audit store at ``path``; ``timeout`` defaults to ``$SECSCREEN_AUDIT_TIMEOUT`` or 30 s."""
    if timeout is None:
        timeout = _env_timeout()
    return SqliteAuditStore(path, timeout=timeout)


def _env_timeout() -> float:
    raw = os.environ.get(ENV_TIMEOUT, "")
    try:
        value = float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        raise ConfigError(f"环境变量 {ENV_TIMEOUT} 应为秒数，而不是 {raw!r}") from None
    return value if value >= 0 else DEFAULT_TIMEOUT


__all__ = [
    "CHANNELS",
    "CONTEXT_RADIUS",
    "DECISIONS",
    "SCHEMA_VERSION",
    "STORES",
    "WITHHELD",
    "AuditStore",
    "DecisionRejected",
    "SqliteAuditStore",
    "StoredRecord",
    "UnknownRecord",
    "VerifyReport",
    "decision_body",
    "decisions_for",
    "open_store",
    "record_decision",
    "redacted",
    "screening_body",
]
