"""The audit store seam: append-only, hash-chained records of screenings and review decisions."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

#: version of the record body format (``schema_version`` in every body); see docs/audit.md
SCHEMA_VERSION = 1
GENESIS = "0" * 64


def new_id() -> str:
    """A time-sortable record id: milliseconds since the epoch, then randomness."""
    return f"{int(time.time() * 1000):012x}{secrets.token_hex(6)}"


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain_hash(prev_hash: str, seq: int, record_id: str, kind: str, body: str) -> str:
    payload = "\n".join((prev_hash, str(seq), record_id, kind, body))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class StoredRecord:
    seq: int
    id: str
    kind: str
    created_at: str
    body: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass
class VerifyReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    first_bad_id: str | None = None
    reason: str = ""
    #: hash of the last record when the chain verifies: write it down elsewhere to anchor the trail
    head_hash: str = ""


class AuditStore(Protocol):
    def append(self, kind: str, body: dict[str, Any]) -> StoredRecord: ...

    def get(self, record_id: str) -> StoredRecord | None: ...

    def records(self, **filters: Any) -> list[StoredRecord]: ...

    def iter_records(self, **filters: Any) -> Iterator[StoredRecord]: ...

    def at(self, seq: int) -> StoredRecord | None: ...

    def has_hash(self, digest: str) -> bool: ...

    def undecided(self, *, verdict: str = "review", before: int | None = None,
                  limit: int = 50) -> list[StoredRecord]: ...

    def count_undecided(self, *, verdict: str = "review") -> int: ...

    def healthy(self) -> bool: ...

    def verify(self) -> VerifyReport: ...
