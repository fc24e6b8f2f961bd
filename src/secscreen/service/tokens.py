"""Bearer tokens and roles. A token is shown once when created; only its sha256 is stored.

Store: SQLite ``$SECSCREEN_HOME/tokens.sqlite3``, table ``tokens`` (id, name, role, hash, created_at,
revoked_at). Revoking keeps the row so that audit records naming the token stay meaningful.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import secrets
import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..errors import ConfigError

PREFIX = "sst_"


class Role(str, Enum):
    CMS = "cms"            # screens documents before publication
    REVIEWER = "reviewer"  # decides on review items, sees matched text
    OFFICER = "officer"    # security officer: rules, overrides of block, everything a reviewer does
    AUDITOR = "auditor"    # reads the audit trail


ROLE_LABELS = {Role.CMS: "内容管理系统", Role.REVIEWER: "审核员", Role.OFFICER: "保密员", Role.AUDITOR: "审计员"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    role: Role
    created_at: str
    revoked_at: str | None = None


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # owner-only from the start, not after a window at the umask's mode
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30.0)
        self._db.executescript(_SCHEMA)
        path.chmod(0o600)

    def close(self) -> None:
        self._db.close()

    def create(self, name: str, role: Role) -> tuple[TokenInfo, str]:
        """A new token; returns its record and the secret, which is not kept."""
        if not name.strip():
            raise ConfigError("令牌名称不能为空")
        secret = PREFIX + secrets.token_urlsafe(32)
        info = TokenInfo(id=secrets.token_hex(4), name=name.strip(), role=role, created_at=_now())
        self._db.execute("INSERT INTO tokens VALUES (?,?,?,?,?,NULL)",
                         (info.id, info.name, role.value, digest(secret), info.created_at))
        return info, secret

    def lookup(self, secret: str) -> TokenInfo | None:
        """The live token with this secret, or None (unknown or revoked)."""
        row = self._db.execute("SELECT id, name, role, created_at, revoked_at FROM tokens WHERE hash = ?",
                               (digest(secret),)).fetchone()
        info = _info(row) if row else None
        return info if info and info.revoked_at is None else None

    def get(self, token_id: str) -> TokenInfo | None:
        row = self._db.execute("SELECT id, name, role, created_at, revoked_at FROM tokens WHERE id = ?",
                               (token_id,)).fetchone()
        return _info(row) if row else None

    def all(self) -> list[TokenInfo]:
        rows = self._db.execute("SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY created_at")
        return [_info(r) for r in rows]

    def revoke(self, id_or_name: str) -> list[TokenInfo]:
        """Revoke the live token with this id, or every live token with this name."""
        matches = [t for t in self.all() if t.revoked_at is None and id_or_name in (t.id, t.name)]
        for token in matches:
            self._db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", (_now(), token.id))
        return matches


def _info(row: tuple[str, str, str, str, str | None]) -> TokenInfo:
    return TokenInfo(id=row[0], name=row[1], role=Role(row[2]), created_at=row[3], revoked_at=row[4])


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
