"""Tampering with the database file directly (triggers removed first) is caught and the record named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from secscreen.audit import SqliteAuditStore, StoredRecord, screening_body
from secscreen.audit.base import chain_hash
from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

from .conftest import run_cli, scan_json

DOCS = ("通知\n机密★10年\n", "关于开展植树活动的通知\n", "联系电话：010-12345678\n", "会议纪要\n", "年度报告\n")


@pytest.fixture
def chain(store: SqliteAuditStore, compiled: CompiledRuleSet) -> list[StoredRecord]:
    records = []
    for i, text in enumerate(DOCS):
        result = analyse(text.encode(), f"文件{i}.txt", compiled)
        records.append(store.append("screening", screening_body(result, actor="张三", channel="cli",
                                                                file_name=f"文件{i}.txt")))
    assert store.verify().ok
    return records


def tamper(store: SqliteAuditStore, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Open the file as an attacker would: drop the append-only triggers, then run ``statements``."""
    with sqlite3.connect(store.path) as db:
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            db.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            db.execute(sql, params)


def verify_cli(store: SqliteAuditStore) -> tuple[int, str]:
    result = run_cli("audit", "verify", "--audit-db", str(store.path))
    return result.exit_code, result.output


def assert_names(store: SqliteAuditStore, seq: int, record_id: str | None) -> str:
    report = store.verify()
    assert not report.ok
    assert report.first_bad_seq == seq
    assert report.first_bad_id == record_id
    code, output = verify_cli(store)
    assert code == 1
    assert f"第 {seq} 条" in output
    if record_id:
        assert record_id in output
    return report.reason


def test_untouched_chain_verifies_and_prints_its_head(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    code, output = verify_cli(store)
    assert code == 0
    assert "共 5 条" in output
    assert chain[-1].hash in output


def test_triggers_refuse_update_delete_and_out_of_chain_insert(store: SqliteAuditStore,
                                                               chain: list[StoredRecord]) -> None:
    with sqlite3.connect(store.path) as db:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("UPDATE records SET body = '{}' WHERE seq = 2")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            db.execute("DELETE FROM records WHERE seq = 5")
        with pytest.raises(sqlite3.DatabaseError, match="chain head"):
            db.execute("INSERT INTO records VALUES (6, 'x', 'screening', 't', '{}', 'bad', 'bad')")
        with pytest.raises(sqlite3.DatabaseError, match="forward"):
            db.execute("UPDATE head SET seq = 4")
    assert store.verify().ok


def test_edited_body_is_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store, ("UPDATE records SET body = replace(body, '\"block\"', '\"pass\"') WHERE seq = 1", ()))
    assert "篡改" in assert_names(store, 1, chain[0].id)


def test_edited_time_column_is_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store, ("UPDATE records SET created_at = '2020-01-01T00:00:00.000+00:00' WHERE seq = 3", ()))
    assert "时间" in assert_names(store, 3, chain[2].id)


def test_edit_with_recomputed_hash_breaks_the_next_link(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    row = sqlite3.connect(store.path).execute("SELECT prev_hash, body FROM records WHERE seq = 2").fetchone()
    body = row[1].replace("张三", "李四")
    tamper(store, ("UPDATE records SET body = ?, hash = ? WHERE seq = 2",
                   (body, chain_hash(row[0], 2, chain[1].id, "screening", body))))
    assert "前一记录" in assert_names(store, 3, chain[2].id)


def test_deleted_middle_record_is_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store, ("DELETE FROM records WHERE seq = 3", ()))
    assert "删除" in assert_names(store, 4, chain[3].id)


def test_deleted_last_records_are_detected_by_the_head(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store, ("DELETE FROM records WHERE seq = 5", ()))
    assert "末尾记录被删除" in assert_names(store, 5, chain[4].id)
    tamper(store, ("DELETE FROM records WHERE seq = 4", ()))
    assert "第 4–5 条" in assert_names(store, 4, None)


def test_appending_after_a_truncation_leaves_the_gap_visible(store: SqliteAuditStore,
                                                             chain: list[StoredRecord]) -> None:
    tamper(store, ("DELETE FROM records WHERE seq = 5", ()))
    added = store.append("screening", {"verdict": "pass"})
    assert added.seq == 6
    assert_names(store, 6, added.id)


def test_record_inserted_in_the_middle_is_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    body = '{"id":"forged","kind":"screening","time":"t","verdict":"pass"}'
    forged = chain_hash(chain[1].hash, 3, "forged", "screening", body)
    tamper(store,
           ("UPDATE records SET seq = seq + 100 WHERE seq >= 3", ()),
           ("UPDATE records SET seq = seq - 99 WHERE seq >= 100", ()),
           ("INSERT INTO records VALUES (3, 'forged', 'screening', 't', ?, ?, ?)", (body, chain[1].hash, forged)))
    assert "插入" in assert_names(store, 4, chain[2].id)


def test_record_appended_behind_the_store_is_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    body = '{"id":"forged","kind":"screening","time":"t","verdict":"pass"}'
    forged = chain_hash(chain[4].hash, 6, "forged", "screening", body)
    tamper(store, ("INSERT INTO records VALUES (6, 'forged', 'screening', 't', ?, ?, ?)", (body, chain[4].hash, forged)))
    assert "插入" in assert_names(store, 6, "forged")


def test_reordered_records_are_named(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store,
           ("UPDATE records SET seq = 100 WHERE seq = 2", ()),
           ("UPDATE records SET seq = 2 WHERE seq = 3", ()),
           ("UPDATE records SET seq = 3 WHERE seq = 100", ()))
    assert "顺序" in assert_names(store, 2, chain[2].id)


def test_deleted_head_is_reported_and_blocks_new_records(store: SqliteAuditStore, chain: list[StoredRecord]) -> None:
    tamper(store, ("DELETE FROM head", ()))
    report = store.verify()
    assert not report.ok
    assert "链头" in report.reason
    from secscreen.errors import AuditError

    with pytest.raises(AuditError):
        store.append("screening", {"verdict": "pass"})


@pytest.mark.usefixtures("home")
def test_scans_through_the_cli_build_a_verifying_chain(tmp_path: Path, home: Path) -> None:
    doc = tmp_path / "n.txt"
    doc.write_text("标题\n机密★10年\n", encoding="utf-8")
    ids = [scan_json(doc)[1][0]["audit_id"] for _ in range(3)]
    with sqlite3.connect(home / "audit.sqlite3") as db:
        assert [r[0] for r in db.execute("SELECT id FROM records ORDER BY seq")] == ids
    assert run_cli("audit", "verify").exit_code == 0


def test_a_store_written_before_the_head_existed_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE records (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, "
                   "created_at TEXT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)")
        body = '{"id":"a","kind":"screening","time":"t"}'
        db.execute("INSERT INTO records VALUES (1, 'a', 'screening', 't', ?, ?, ?)",
                   (body, "0" * 64, chain_hash("0" * 64, 1, "a", "screening", body)))
    with SqliteAuditStore(path) as store:
        assert store.append("screening", {"verdict": "pass"}).seq == 2
        assert store.verify().ok


def test_anchor_and_earlier_export_reveal_a_rewritten_tail(store: SqliteAuditStore, chain: list[StoredRecord],
                                                           tmp_path: Path) -> None:
    """Truncation with the head moved back passes the file's own checks; the anchor and an export catch it."""
    export = tmp_path / "earlier.jsonl"
    assert run_cli("audit", "export", "--audit-db", str(store.path), "--output", str(export)).exit_code == 0
    anchor = chain[-1].hash
    store.append("screening", {"verdict": "pass"})
    assert run_cli("audit", "verify", "--audit-db", str(store.path), "--against", str(export)).exit_code == 0
    tamper(store, ("DELETE FROM records WHERE seq >= 5", ()),
           ("UPDATE head SET seq = 4, id = ?, hash = ?", (chain[3].id, chain[3].hash)))
    assert store.verify().ok
    db = str(store.path)
    expected = run_cli("audit", "verify", "--audit-db", db, "--expect", anchor)
    assert expected.exit_code == 1 and anchor in expected.output
    against = run_cli("audit", "verify", "--audit-db", db, "--against", str(export))
    assert against.exit_code == 1 and "第 5 条" in against.output and chain[4].id in against.output
    assert run_cli("audit", "verify", "--audit-db", db, "--expect", chain[3].hash).exit_code == 0
