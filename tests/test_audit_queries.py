"""Queries a long-lived trail needs: indexed review queue and filters, pages, streaming, format migration."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from secscreen.audit import SqliteAuditStore, record_decision
from secscreen.audit import sqlite as audit_sqlite
from secscreen.audit.export import first_difference, write_csv


def screening(store: SqliteAuditStore, verdict: str, name: str = "a.docx", actor: str = "cms") -> str:
    body: dict[str, Any] = {"actor": actor, "channel": "api", "file_name": name, "sha256": "0" * 64,
                            "verdict": verdict, "findings": [], "issues": []}
    return store.append("screening", body).id


def decide(store: SqliteAuditStore, screening_id: str, decision: str = "approve") -> None:
    record_decision(store, screening_id, decision=decision, by="张三", role="reviewer", reason="已核实",
                    channel="web")


def test_the_queue_holds_review_screenings_without_a_decision_newest_first(store: SqliteAuditStore) -> None:
    ids = [screening(store, verdict) for verdict in ("review", "pass", "review", "block", "review", "review")]
    decide(store, ids[2])
    decide(store, ids[3], "reject")
    pending = [r.id for r in store.undecided()]
    assert pending == [ids[5], ids[4], ids[0]]
    assert store.count_undecided() == 3
    assert [r.id for r in store.undecided(verdict="block")] == []


def test_the_queue_pages_below_the_last_seq_shown(store: SqliteAuditStore) -> None:
    ids = [screening(store, "review") for _ in range(7)]
    first = store.undecided(limit=3)
    second = store.undecided(limit=3, before=first[-1].seq)
    third = store.undecided(limit=3, before=second[-1].seq)
    assert [r.id for r in first + second + third] == ids[::-1]


def test_filters_and_pages_of_the_trail(store: SqliteAuditStore) -> None:
    for i in range(6):
        screening(store, "block" if i % 2 else "pass", name=f"通知{i}.docx", actor=f"cms{i % 3}")
    blocks = store.records(verdict="block", newest_first=True, limit=2)
    assert [r.body["file_name"] for r in blocks] == ["通知5.docx", "通知3.docx"]
    rest = store.records(verdict="block", newest_first=True, limit=2, before=blocks[-1].seq)
    assert [r.body["file_name"] for r in rest] == ["通知1.docx"]
    assert [r.body["file_name"] for r in store.records(actor="cms1")] == ["通知1.docx", "通知4.docx"]
    assert [r.body["file_name"] for r in store.records(file_name="知4")] == ["通知4.docx"]
    assert store.records(until="2000-01-01") == [] and len(store.records(since="2000-01-01")) == 6


def test_queue_and_filters_are_answered_from_indexes(store: SqliteAuditStore) -> None:
    screening(store, "review")
    db = sqlite3.connect(store.path)
    queue = db.execute("EXPLAIN QUERY PLAN SELECT s.seq " + audit_sqlite.UNDECIDED.format(page=" AND s.seq < ?")
                       + " ORDER BY s.seq DESC LIMIT 50", ("review", 10)).fetchall()
    plan = " ".join(row[3] for row in queue)
    assert "records_verdict" in plan and "records_screening_id" in plan and "SCAN" not in plan
    lookup = db.execute("EXPLAIN QUERY PLAN SELECT seq FROM records WHERE json_extract(body, '$.screening_id') = ? "
                        "AND kind = ?", ("x", "decision")).fetchall()
    db.close()
    assert "records_screening_id" in lookup[0][3]


def test_iterating_the_trail_reads_it_in_chunks_in_chain_order(store: SqliteAuditStore,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audit_sqlite, "CHUNK", 3)
    ids = [screening(store, "review" if i % 3 else "pass") for i in range(10)]
    assert [r.id for r in store.iter_records()] == ids
    assert [r.id for r in store.iter_records(verdict="review")] == [i for n, i in enumerate(ids) if n % 3]
    assert list(SqliteAuditStore(store.path.parent / "empty.sqlite3").iter_records()) == []


def test_csv_export_streams_with_decisions_asked_per_screening(store: SqliteAuditStore) -> None:
    import io

    first, second = screening(store, "review", name="一.docx"), screening(store, "review", name="二.docx")
    decide(store, first)
    out = io.StringIO()
    count = write_csv(store.iter_records(kind="screening"), out, include_matched=False,
                      decisions_of=lambda sid: store.records(kind="decision", screening_id=sid))
    rows = out.getvalue().splitlines()
    assert count == 2 and len(rows) == 3
    assert "approve 张三" in rows[1] and "一.docx" in rows[1] and "approve" not in rows[2] and second


def test_an_earlier_export_is_compared_record_by_record(store: SqliteAuditStore) -> None:
    import json

    screening(store, "pass")
    record = store.records()[0]
    line = json.dumps({"seq": record.seq, "id": record.id, "hash": record.hash})
    assert first_difference([line], store.at) is None
    assert "已不在审计库中" in (first_difference([line.replace('"seq": 1', '"seq": 9')], store.at) or "")
    assert "不同" in (first_difference([line.replace(record.hash, "f" * 64)], store.at) or "")


def test_an_older_file_gets_the_indexes_on_open_and_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with SqliteAuditStore(path) as store:
        ids = [screening(store, "review") for _ in range(3)]
        decide(store, ids[0])
        before = store.verify()
    db = sqlite3.connect(path)  # the file as format 2 left it: no query indexes
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'records\\_%' "
                              "ESCAPE '\\' AND name <> 'records_created_at'").fetchall():
        db.execute(f"DROP INDEX {name}")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    rows = db.execute("SELECT * FROM records ORDER BY seq").fetchall()
    db.close()
    with SqliteAuditStore(path) as store:
        assert [r.id for r in store.undecided()] == ids[:0:-1]
        after = store.verify()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == audit_sqlite.STORE_FORMAT == 3
    assert db.execute("SELECT * FROM records ORDER BY seq").fetchall() == rows
    assert db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = 'records_verdict_seq'").fetchone()[0] == 1
    db.close()
    assert after.ok and after.head_hash == before.head_hash and after.checked == before.checked


def test_a_new_audit_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    with SqliteAuditStore(path) as store:
        screening(store, "block")
    for file in (path, path.with_name(path.name + "-wal")):
        if file.exists():
            assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file


def test_verify_does_not_wait_for_other_users_of_the_store(store: SqliteAuditStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    screening(store, "pass")
    with store._lock, ThreadPoolExecutor(1) as pool:  # another thread of the service is mid-query on the store
        report = pool.submit(store.verify).result(timeout=20)
    assert report.ok and report.checked == 1
