"""Bearer tokens, roles and web sessions. A token is shown once when created; only its sha256 is stored.

Store: SQLite ``$SECSCREEN_HOME/tokens.sqlite3``, format versioned with ``PRAGMA user_version`` and
migrated on open. Table ``tokens`` (id, name, role, hash, created_at, revoked_at, expires_at,
last_used_at; times ISO 8601 UTC) and table ``sessions`` (id, token_id, created_at, last_seen_at,
revoked_at; epoch seconds). Revoking keeps the row so that audit records naming the token stay meaningful.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from ..errors import ConfigError

PREFIX = "sst_"
#: current store format (``PRAGMA user_version``); 0 is the first format (tokens without expiry)
VERSION = 1
#: last use is written at most this often per token (seconds), not on every request
LAST_USED_EVERY = 60

Clock = Callable[[], float]


class Role(str, Enum):
    CMS = "cms"            # screens documents before publication
    REVIEWER = "reviewer"  # decides on review items, sees matched text
    OFFICER = "officer"    # security officer: rules, overrides of block, everything a reviewer does
    AUDITOR = "auditor"    # reads the audit trail


ROLE_LABELS = {Role.CMS: "内容管理系统", Role.REVIEWER: "审核员", Role.OFFICER: "保密员", Role.AUDITOR: "审计员"}
#: default lifetime (days) of a new token; None = no expiry. Personal tokens expire so that a person who
#: left keeps no access; a CMS token lives in a machine's configuration and rotates by revoke + create.
DEFAULT_EXPIRY_DAYS: dict[Role, int | None] = {Role.CMS: None, Role.REVIEWER: 90, Role.OFFICER: 90,
                                               Role.AUDITOR: 90}

_V0 = """
CREATE TABLE IF NOT EXISTS tokens (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""
_V1 = """
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
ALTER TABLE tokens ADD COLUMN last_used_at TEXT;
CREATE TABLE IF NOT EXISTS sessions (
    id           TEXT PRIMARY KEY,
    token_id     TEXT NOT NULL REFERENCES tokens(id),
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at   INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_token ON sessions(token_id);
"""
#: migrations by the version they produce; each runs in one transaction with the version bump
_MIGRATIONS = {1: _V1}
_COLUMNS = "id, name, role, created_at, revoked_at, expires_at, last_used_at"


@dataclass(frozen=True)
class TokenInfo:
    id: str
    name: str
    role: Role
    created_at: str
    revoked_at: str | None = None
    expires_at: str | None = None
    last_used_at: str | None = None

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and _dt.datetime.fromisoformat(self.expires_at).timestamp() <= now

    def live(self, now: float) -> bool:
        return self.revoked_at is None and not self.expired(now)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class TokenStore:
    def __init__(self, path: Path, clock: Clock = time.time) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():  # owner-only from the start, not after a window at the umask's mode
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        self._clock = clock
        self._db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30.0)
        self._migrate()
        path.chmod(0o600)

    def _migrate(self) -> None:
        """Bring the file to ``VERSION``; under a write lock, so two processes opening it migrate once."""
        self._db.executescript(_V0)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            version = self.version
            if version > VERSION:
                raise ConfigError(f"令牌库格式版本 {version} 高于本程序支持的 {VERSION}，请升级 secscreen")
            for target in range(version + 1, VERSION + 1):
                for statement in filter(str.strip, _MIGRATIONS[target].split(";")):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise

    @property
    def version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def now(self) -> float:
        return self._clock()

    def close(self) -> None:
        self._db.close()

    def create(self, name: str, role: Role, expires_days: int | None = None) -> tuple[TokenInfo, str]:
        """A new token (expiring after ``expires_days``, None = never); returns its record and the secret."""
        if not name.strip():
            raise ConfigError("令牌名称不能为空")
        if expires_days is not None and expires_days < 1:
            raise ConfigError("令牌有效期至少 1 天")
        secret = PREFIX + secrets.token_urlsafe(32)
        now = self._clock()
        expires = _iso(now + expires_days * 86400) if expires_days is not None else None
        info = TokenInfo(id=secrets.token_hex(4), name=name.strip(), role=role, created_at=_iso(now),
                         expires_at=expires)
        self._db.execute("INSERT INTO tokens (id, name, role, hash, created_at, expires_at) VALUES (?,?,?,?,?,?)",
                         (info.id, info.name, role.value, digest(secret), info.created_at, expires))
        return info, secret

    def find(self, secret: str) -> TokenInfo | None:
        """The token with this secret whatever its state (revoked, expired), or None if unknown."""
        row = self._db.execute(f"SELECT {_COLUMNS} FROM tokens WHERE hash = ?", (digest(secret),)).fetchone()
        return _info(row) if row else None

    def lookup(self, secret: str) -> TokenInfo | None:
        """The live token with this secret, or None (unknown, revoked or expired)."""
        info = self.find(secret)
        return info if info and info.live(self._clock()) else None

    def get(self, token_id: str) -> TokenInfo | None:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM tokens WHERE id = ?", (token_id,)).fetchone()
        return _info(row) if row else None

    def all(self) -> list[TokenInfo]:
        return [_info(r) for r in self._db.execute(f"SELECT {_COLUMNS} FROM tokens ORDER BY created_at")]

    def touch(self, token: TokenInfo) -> None:
        """Record that ``token`` was used now (at most once a minute per token)."""
        now = self._clock()
        last = _dt.datetime.fromisoformat(token.last_used_at).timestamp() if token.last_used_at else None
        if last is None or now - last >= LAST_USED_EVERY:
            self._db.execute("UPDATE tokens SET last_used_at = ? WHERE id = ?", (_iso(now), token.id))

    def revoke(self, id_or_name: str) -> list[TokenInfo]:
        """Revoke the live token with this id, or every live token with this name (and their sessions)."""
        matches = [t for t in self.all() if t.revoked_at is None and id_or_name in (t.id, t.name)]
        for token in matches:
            self._db.execute("UPDATE tokens SET revoked_at = ? WHERE id = ?", (_iso(self._clock()), token.id))
            self._db.execute("UPDATE sessions SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL",
                             (int(self._clock()), token.id))
        return matches

    # web sessions -------------------------------------------------------------------------------------

    def open_session(self, token: TokenInfo, lifetime: int) -> str:
        """A new web session for ``token``; returns its id (goes into the signed cookie). Sessions older
        than ``lifetime`` seconds cannot be used any more and are deleted here."""
        session_id, now = secrets.token_hex(16), int(self._clock())
        self._db.execute("DELETE FROM sessions WHERE created_at < ?", (now - lifetime,))
        self._db.execute("INSERT INTO sessions (id, token_id, created_at, last_seen_at) VALUES (?,?,?,?)",
                         (session_id, token.id, now, now))
        return session_id

    def session_token(self, session_id: str, idle_seconds: int) -> TokenInfo | None:
        """The live token of a session not revoked nor idle past ``idle_seconds``; marks the session seen."""
        row = self._db.execute("SELECT token_id, last_seen_at, revoked_at FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
        now = int(self._clock())
        if row is None or row[2] is not None:
            return None
        if now - int(row[1]) > idle_seconds:
            self._db.execute("UPDATE sessions SET revoked_at = ? WHERE id = ?", (now, session_id))
            return None
        token = self.get(str(row[0]))
        if token is None or not token.live(now):
            return None
        self._db.execute("UPDATE sessions SET last_seen_at = ? WHERE id = ?", (now, session_id))
        return token

    def close_session(self, session_id: str) -> None:
        self._db.execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                         (int(self._clock()), session_id))


def _info(row: tuple[str, ...]) -> TokenInfo:
    return TokenInfo(id=row[0], name=row[1], role=Role(row[2]), created_at=row[3], revoked_at=row[4],
                     expires_at=row[5], last_used_at=row[6])


def _iso(epoch: float) -> str:
    return _dt.datetime.fromtimestamp(int(epoch), _dt.UTC).isoformat(timespec="seconds")
