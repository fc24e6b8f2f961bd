"""SQLite audit store (the embedded default): WAL mode, one transaction per append, append-only triggers.

Appends take SQLite's write lock first (``BEGIN IMMEDIATE``, waiting up to ``timeout`` seconds for
other writers), read the chain's head, insert the next record and move the head in the same
transaction, so concurrent processes never fork the chain and a crash leaves it whole. Triggers
refuse UPDATE and DELETE of records and any head move other than one step forward.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from ..errors import AuditError
from .base import GENESIS, SCHEMA_VERSION, StoredRecord, VerifyReport, canonical, chain_hash, new_id
from .chain import Head, verify_rows

#: layout of the database file (``PRAGMA user_version``); 0 = before the head and triggers existed,
#: 2 = head and triggers, 3 = indexes on the record fields that queues and filters ask for
STORE_FORMAT = 3

_TABLES = """
CREATE TABLE IF NOT EXISTS records (
    seq        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    body       TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS head (
    one  INTEGER PRIMARY KEY CHECK (one = 1),
    seq  INTEGER NOT NULL,
    id   TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS records_created_at ON records (created_at);
"""

_TRIGGERS = """
CREATE TRIGGER IF NOT EXISTS records_no_update BEFORE UPDATE ON records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;
CREATE TRIGGER IF NOT EXISTS records_follow_head BEFORE INSERT ON records
WHEN NEW.seq <> (SELECT seq FROM head) + 1 OR NEW.prev_hash <> (SELECT hash FROM head)
BEGIN SELECT RAISE(ABORT, 'audit records must extend the chain head'); END;
CREATE TRIGGER IF NOT EXISTS head_forward_only BEFORE UPDATE ON head WHEN NEW.seq <> OLD.seq + 1
BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;
CREATE TRIGGER IF NOT EXISTS head_no_delete BEFORE DELETE ON head
BEGIN SELECT RAISE(ABORT, 'the audit chain head cannot be deleted'); END;
"""

#: who screened (screenings) or who decided (decisions): one expression, so one index answers both
ACTOR = "COALESCE(json_extract(body, '$.actor'), json_extract(body, '$.by'))"
#: indexes only: records are never rewritten, so verification and hashes are unaffected (format 3);
#: each ends in ``seq`` so that a newest-first page walks the index and stops at its LIMIT
_INDEXES = f"""
CREATE INDEX IF NOT EXISTS records_kind_seq ON records (kind, seq);
CREATE INDEX IF NOT EXISTS records_verdict_seq ON records (json_extract(body, '$.verdict'), seq);
CREATE INDEX IF NOT EXISTS records_screening_id ON records (json_extract(body, '$.screening_id'), kind);
CREATE INDEX IF NOT EXISTS records_actor_seq ON records ({ACTOR}, seq);
CREATE INDEX IF NOT EXISTS records_sha256 ON records (json_extract(body, '$.sha256'));
CREATE INDEX IF NOT EXISTS records_hash ON records (hash);
"""

_COLUMNS = "seq, id, kind, created_at, body, prev_hash, hash"
#: screenings of a verdict without a decision; ``+s.id`` (no affinity) lets the decision lookup use its index
UNDECIDED = ("FROM records s WHERE json_extract(s.body, '$.verdict') = ? AND s.kind = 'screening'{page} "
             "AND NOT EXISTS (SELECT 1 FROM records d WHERE json_extract(d.body, '$.screening_id') = +s.id "
             "AND d.kind = 'decision')")
#: rows read per query when iterating the whole trail (constant memory, the lock is not held between chunks)
CHUNK = 1000


class SqliteAuditStore:
    name = "sqlite"

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = path
        self._timeout = timeout
        self._lock = threading.RLock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
            self._db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
            if self._db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            if self._db.execute("PRAGMA user_version").fetchone()[0] < STORE_FORMAT:
                self._migrate()
        except (sqlite3.Error, OSError) as error:
            raise AuditError(f"无法打开审计库 {path}：{_why(error)}") from error

    def _migrate(self) -> None:
        """Create the layout, or bring a format-0 file up to date (head taken from its last record)."""
        with self._transaction():
            for statement in _statements(_TABLES, ";"):
                self._db.execute(statement)
            if self._db.execute("SELECT COUNT(*) FROM head").fetchone()[0] == 0:
                last = self._db.execute("SELECT seq, id, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                self._db.execute("INSERT INTO head VALUES (1, ?, ?, ?)", last or (0, "", GENESIS))
            for statement in _statements(_TRIGGERS, "END;"):
                self._db.execute(statement)
            for statement in _statements(_INDEXES, ";"):
                self._db.execute(statement)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self._db.execute(f"PRAGMA user_version = {STORE_FORMAT}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> SqliteAuditStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def append(self, kind: str, body: dict[str, Any]) -> StoredRecord:
        record_id = new_id()
        try:
            with self._transaction():
                head = self._head()
                if head is None:
                    raise AuditError("审计链头登记缺失，审计库可能被篡改；请运行 secscreen audit verify 并联系保密管理员")
                created_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds")
                full = {**body, "schema_version": SCHEMA_VERSION, "id": record_id, "kind": kind, "time": created_at}
                text = canonical(full)
                seq = head.seq + 1
                digest = chain_hash(head.hash, seq, record_id, kind, text)
                self._db.execute(f"INSERT INTO records ({_COLUMNS}) VALUES (?,?,?,?,?,?,?)",
                                 (seq, record_id, kind, created_at, text, head.hash, digest))
                self._db.execute("UPDATE head SET seq = ?, id = ?, hash = ? WHERE one = 1", (seq, record_id, digest))
        except sqlite3.Error as error:
            raise AuditError(f"审计记录写入失败，未给出审查结论（{self.path}）：{_why(error)}") from error
        return StoredRecord(seq, record_id, kind, created_at, full, head.hash, digest)

    def get(self, record_id: str) -> StoredRecord | None:
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM records WHERE id = ?", (record_id,)).fetchone()
        return _record(row) if row else None

    def records(self, **filters: Any) -> list[StoredRecord]:
        """Records matching ``filters`` (verdict, actor, sha256, channel, kind, file_name, since, until,
        screening_id, before / after (seq, exclusive), newest_first, limit), in chain order unless
        ``newest_first``. A page: ``newest_first=True, limit=n``, then ``before=`` the last seq shown."""
        where, params = _where(filters)
        order = "DESC" if filters.get("newest_first") else "ASC"
        limit = f" LIMIT {int(filters['limit'])}" if filters.get("limit") else ""
        query = f"SELECT {_COLUMNS} FROM records{where} ORDER BY seq {order}{limit}"
        if limit:  # pick the page's seqs first (from an index where one fits), then read just those rows
            query = (f"SELECT {_COLUMNS} FROM records WHERE seq IN (SELECT seq FROM records{where} "
                     f"ORDER BY seq {order}{limit}) ORDER BY seq {order}")
        with self._lock:
            rows = self._db.execute(query, params).fetchall()
        return [_record(r) for r in rows]

    def iter_records(self, **filters: Any) -> Iterator[StoredRecord]:
        """Like ``records`` in chain order, read ``CHUNK`` rows at a time: constant memory for any trail.
        Records appended while iterating are not included."""
        filters = {k: v for k, v in filters.items() if k not in ("newest_first", "limit", "after", "before")}
        with self._lock:
            last = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM records").fetchone()[0]
        after = 0
        while True:
            chunk = self.records(**filters, after=after, before=last + 1, limit=CHUNK)
            yield from chunk
            if len(chunk) < CHUNK:
                return
            after = chunk[-1].seq

    def at(self, seq: int) -> StoredRecord | None:
        """The record at position ``seq`` of the chain."""
        with self._lock:
            row = self._db.execute(f"SELECT {_COLUMNS} FROM records WHERE seq = ?", (seq,)).fetchone()
        return _record(row) if row else None

    def has_hash(self, digest: str) -> bool:
        with self._lock:
            return self._db.execute("SELECT 1 FROM records WHERE hash = ?", (digest,)).fetchone() is not None

    def undecided(self, *, verdict: str = "review", before: int | None = None, limit: int = 50) -> list[StoredRecord]:
        """Screenings with ``verdict`` and no decision recorded on them, newest first; a page of ``limit``
        (``before``: continue below this seq). Answered from the indexes, not by reading every record."""
        page = " AND s.seq < ?" if before else ""
        params: list[Any] = [verdict, *([before] if before else []), int(limit)]
        with self._lock:
            rows = self._db.execute(f"SELECT {_prefixed('s')} {UNDECIDED.format(page=page)} ORDER BY s.seq DESC LIMIT ?",
                                    params).fetchall()
        return [_record(r) for r in rows]

    def count_undecided(self, *, verdict: str = "review", at_most: int = 1000) -> int:
        """How many screenings ``undecided`` would list, counted up to ``at_most`` + 1 (bounded work)."""
        with self._lock:
            return int(self._db.execute(f"SELECT COUNT(*) FROM (SELECT 1 {UNDECIDED.format(page='')} LIMIT ?)",
                                        (verdict, at_most + 1)).fetchone()[0])

    def healthy(self) -> bool:
        """The database answers and its chain head is registered (no detail: see ``verify``)."""
        try:
            with self._lock:
                return self._head() is not None
        except sqlite3.Error:
            return False

    def verify(self) -> VerifyReport:
        """Walk the whole chain in one read snapshot, streaming rows (constant memory). It reads through a
        connection of its own, so appends (WAL: readers and the writer do not block each other) and other
        queries go on meanwhile, also from other threads of this process."""
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=self._timeout,
                                 isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise AuditError(f"无法读取审计库 {self.path}：{_why(error)}") from error
        try:
            db.execute("BEGIN")  # one read snapshot: concurrent appends cannot confuse the check
            row = db.execute("SELECT seq, id, hash FROM head WHERE one = 1").fetchone()
            rows = db.execute(f"SELECT {_COLUMNS} FROM records ORDER BY seq")
            return verify_rows(rows, Head(*row) if row else None)
        except sqlite3.Error as error:
            raise AuditError(f"无法读取审计库 {self.path}：{_why(error)}") from error
        finally:
            db.close()

    def _head(self) -> Head | None:
        row = self._db.execute("SELECT seq, id, hash FROM head WHERE one = 1").fetchone()
        return Head(*row) if row else None

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self._lock)


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error (also a crash mid-way leaves nothing)."""

    def __init__(self, db: sqlite3.Connection, lock: threading.RLock) -> None:
        self._db, self._lock = db, lock

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")  # waits up to the connection's timeout for other writers
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self._db.execute("COMMIT")
            elif self._db.in_transaction:
                self._db.execute("ROLLBACK")
        finally:
            self._lock.release()


def _create_private(path: Path) -> None:
    """A new audit file is readable by its owner only (it holds the matched text of block findings);
    SQLite gives its -wal and -shm files the same permissions."""
    if path.exists() or str(path) == ":memory:":
        return
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _statements(script: str, terminator: str) -> list[str]:
    return [part.strip() + terminator for part in script.split(terminator) if part.strip()]


def _where(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if filters.get("actor"):  # who screened, or who decided
        clauses.append(f"{ACTOR} = ?")
        params.append(filters["actor"])
    for key in ("verdict", "sha256", "channel", "screening_id"):
        if filters.get(key):
            clauses.append(f"json_extract(body, '$.{key}') = ?")
            params.append(filters[key])
    if filters.get("kind"):
        clauses.append("kind = ?")
        params.append(filters["kind"])
    if filters.get("file_name"):
        clauses.append("json_extract(body, '$.file_name') LIKE ? ESCAPE '\\'")
        params.append("%" + _escape_like(filters["file_name"]) + "%")
    if filters.get("since"):
        clauses.append("created_at >= ?")
        params.append(filters["since"])
    if filters.get("until"):
        clauses.append("created_at < ?")
        params.append(filters["until"])
    for key, op in (("before", "<"), ("after", ">")):
        if filters.get(key) is not None:
            clauses.append(f"seq {op} ?")
            params.append(int(filters[key]))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{column.strip()}" for column in _COLUMNS.split(","))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _record(row: tuple[Any, ...]) -> StoredRecord:
    seq, record_id, kind, created_at, body, prev, digest = row
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = {"_unparseable": body}
    return StoredRecord(seq, record_id, kind, created_at, parsed, prev, digest)


_OS_REASONS = {
    errno.EEXIST: "路径中有同名文件，无法建立目录", errno.ENOTDIR: "路径中有同名文件，无法建立目录",
    errno.EACCES: "没有写权限", errno.EPERM: "没有写权限", errno.EROFS: "所在文件系统只读", errno.ENOSPC: "磁盘空间已满",
}


def _why(error: BaseException) -> str:
    """The reason for an audit failure, in words a user can act on."""
    if isinstance(error, OSError):
        reason = _OS_REASONS.get(error.errno or 0, error.strerror or str(error))
        return f"{reason}（{error.filename}）" if error.filename else reason
    text = str(error)
    if "locked" in text or "busy" in text:
        return "审计库被其他进程长时间占用（已等待超时，可用环境变量 SECSCREEN_AUDIT_TIMEOUT 调整等待秒数）"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return f"审计库不可写（{text}）"
    if "disk is full" in text:
        return "磁盘空间已满"
    if "not a database" in text or "malformed" in text:
        return f"文件不是有效的审计库或已损坏（{text}）"
    return text
