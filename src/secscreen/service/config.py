"""Service configuration, passed explicitly to ``create_app``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..extract.base import Limits
from ..settings import Settings


@dataclass(frozen=True)
class ServiceConfig:
    settings: Settings = field(default_factory=Settings)
    rule_dirs: tuple[str, ...] = ()
    audit_path: Path | None = None
    #: worker processes for extraction and matching; 0 runs them in a thread (tests, tiny sites)
    workers: int = 2
    #: screenings allowed to wait for a worker beyond those running; more get 503
    queue: int = 8
    #: largest request body accepted (bytes); larger gets 413
    max_request_bytes: int = 64 * 1024 * 1024
    #: time budget for one document; past it (plus a grace period) the answer is review with ``timeout``
    document_seconds: float = 30.0
    #: lifetime of a web session (seconds)
    session_seconds: int = 8 * 3600
    #: a web session unused this long (seconds) ends; the next page asks to log in again
    session_idle_seconds: int = 30 * 60
    #: the time (epoch seconds) for token expiry and sessions; tests inject a controllable clock
    clock: Callable[[], float] = time.time
    #: also extract each document in its own killable child process (``extract.isolate``); without it a
    #: document past the budget is stopped by restarting the worker pool (slower to recover, faster per file)
    isolate_extraction: bool = True
    #: set the Secure flag on cookies (when served over HTTPS)
    secure_cookies: bool = False

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def audit_db(self) -> Path:
        return self.audit_path or self.settings.audit_path

    @property
    def tokens_db(self) -> Path:
        return self.home / "tokens.sqlite3"

    @property
    def key_path(self) -> Path:
        return self.home / "service.key"

    def owned_files(self) -> list[Path]:
        """Files the service creates and keeps private: its secret, the token store, the audit store (each
        with SQLite's side files)."""
        stores = [self.tokens_db, self.audit_db]
        return [self.key_path] + [Path(f"{db}{suffix}") for db in stores for suffix in ("", "-wal", "-shm", "-journal")]

    @property
    def limits(self) -> Limits:
        base = self.settings.limits
        limits = replace(base, max_bytes=min(base.max_bytes, self.max_request_bytes), max_seconds=self.document_seconds)
        if hasattr(limits, "isolate"):
            limits = replace(limits, isolate=self.isolate_extraction)
        return limits

    @property
    def hard_timeout(self) -> float:
        """When a worker has not answered by now, the document is given up on (review, ``timeout``)."""
        return self.document_seconds + 5.0
