"""SQLite audit store (the embedded default): WAL mode, one transaction per append.

Appends take SQLite's write lock first (``BEGIN IMMEDIATE``), read the chain's head and insert the
next record in the same transaction, so concurrent processes never fork the chain.
"""

from __future__ import annotations

import datetime as _dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import AuditError
from .base import GENESIS, SCHEMA_VERSION, StoredRecord, VerifyReport, canonical, chain_hash, new_id

_SCHEMA = """
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
"""


class SqliteAuditStore:
    name = "sqlite"

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except (sqlite3.Error, OSError) as error:
            raise AuditError(f"无法打开审计库 {path}：{error}") from error

    def close(self) -> None:
        self._db.close()

    def append(self, kind: str, body: dict[str, Any]) -> StoredRecord:
        record_id = new_id()
        created_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds")
        body = {**body, "schema_version": SCHEMA_VERSION, "id": record_id, "kind": kind, "time": created_at}
        text = canonical(body)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                digest = chain_hash(prev, seq, record_id, kind, text)
                self._db.execute(
                    "INSERT INTO records (seq, id, kind, created_at, body, prev_hash, hash) VALUES (?,?,?,?,?,?,?)",
                    (seq, record_id, kind, created_at, text, prev, digest),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise AuditError(f"审计记录写入失败：{error}") from error
        return StoredRecord(seq, record_id, kind, created_at, body, prev, digest)

    def _row(self, row: tuple[Any, ...]) -> StoredRecord:
        seq, record_id, kind, created_at, body, prev, digest = row
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = {"_unparseable": body}
        return StoredRecord(seq, record_id, kind, created_at, parsed, prev, digest)

    def get(self, record_id: str) -> StoredRecord | None:
        row = self._db.execute("SELECT * FROM records WHERE id = ?", (record_id,)).fetchone()
        return self._row(row) if row else None

    def records(self, **filters: Any) -> list[StoredRecord]:
        clauses, params = [], []
        for key in ("verdict", "actor", "sha256", "channel"):
            if filters.get(key):
                clauses.append(f"json_extract(body, '$.{key}') = ?")
                params.append(filters[key])
        if filters.get("kind"):
            clauses.append("kind = ?")
            params.append(filters["kind"])
        if filters.get("file_name"):
            clauses.append("json_extract(body, '$.file_name') LIKE ?")
            params.append(f"%{filters['file_name']}%")
        if filters.get("since"):
            clauses.append("created_at >= ?")
            params.append(filters["since"])
        if filters.get("until"):
            clauses.append("created_at < ?")
            params.append(filters["until"])
        if filters.get("screening_id"):
            clauses.append("json_extract(body, '$.screening_id') = ?")
            params.append(filters["screening_id"])
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        order = "DESC" if filters.get("newest_first") else "ASC"
        limit = f" LIMIT {int(filters['limit'])}" if filters.get("limit") else ""
        rows = self._db.execute(f"SELECT * FROM records{where} ORDER BY seq {order}{limit}", params).fetchall()
        return [self._row(r) for r in rows]

    def verify(self) -> VerifyReport:
        prev, expected_seq, checked = GENESIS, 1, 0
        for row in self._db.execute("SELECT seq, id, kind, body, prev_hash, hash FROM records ORDER BY seq"):
            seq, record_id, kind, body, prev_hash, digest = row
            reason = ""
            if seq != expected_seq:
                reason = f"序号不连续：应为 {expected_seq}，实为 {seq}（记录被删除或插入）"
            elif prev_hash != prev:
                reason = "前一记录哈希不符（记录被删除、插入或调换顺序）"
            elif chain_hash(prev_hash, seq, record_id, kind, body) != digest:
                reason = "记录内容与其哈希不符（记录被篡改）"
            else:
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = {}
                if parsed.get("id") != record_id or parsed.get("kind") != kind:
                    reason = "记录编号或类型与内容不符"
            if reason:
                return VerifyReport(False, checked, seq, record_id, reason)
            prev, expected_seq, checked = digest, expected_seq + 1, checked + 1
        return VerifyReport(True, checked)
