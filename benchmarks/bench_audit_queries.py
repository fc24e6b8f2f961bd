"""Review queue and audit page latency on a large trail, without (store format 2) and with the query indexes.

Usage: ``.venv/bin/python benchmarks/bench_audit_queries.py [--records 100000] [--runs 5] [--keep DIR]``

Builds a trail of ``--records`` records with ``store.append`` (60 % pass, 25 % review, 15 % block screenings
by 20 actors; nine in ten review screenings and half the blocks get a decision), then copies it twice:

- before: the layout of format 2 (no query indexes), queried as the service did before them: the queue
  read every decision and every review screening and filtered in Python; the audit page showed the
  newest 200 records, no filters
- after: format 3 (expression indexes), the queue as one SQL query with a page of 50, the audit page
  with a page of 100 and filters

Rows are medians of ``--runs`` runs in milliseconds; the last rows time the real pages (web and
``/v1``) through FastAPI's test client on the indexed trail. Appends are made with ``synchronous=OFF``
to build the trail quickly; that does not change what is read.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from secscreen.audit import SqliteAuditStore, record_decision
from secscreen.audit import sqlite as audit_sqlite


def build(path: Path, count: int) -> None:
    rng = random.Random(7)
    store = SqliteAuditStore(path)
    store._db.execute("PRAGMA synchronous=OFF")
    reviews: list[tuple[str, str]] = []
    made = 0
    while made < count:
        verdict = rng.choices(("pass", "review", "block"), (60, 25, 15))[0]
        body = {"actor": f"门户网站{rng.randrange(20)}", "channel": "api", "file_name": f"关于第{made}号事项的通知.docx",
                "sha256": f"{rng.getrandbits(256):064x}", "size": 20000, "media_type": "application/docx",
                "ruleset": {"version": "2026.11"}, "verdict": verdict, "duration_ms": 12.0, "issues": [],
                "findings": [] if verdict == "pass" else [{"rule_id": "SS-001", "action": verdict, "matched": "机密",
                                                           "context": "…【机密】★10年…", "location": {"part": "body"}}]}
        record = store.append("screening", body)
        made += 1
        if verdict != "pass":
            reviews.append((record.id, verdict))
        if len(reviews) > 30 and made < count:  # decisions follow their screenings a little later
            screening_id, verdict = reviews.pop(rng.randrange(len(reviews) - 20))
            if rng.random() < (0.9 if verdict == "review" else 0.5):
                record_decision(store, screening_id, decision="reject", by=f"审核员{rng.randrange(5)}",
                                role="reviewer", reason="含敏感内容", channel="web")
                made += 1
    store.close()


def without_indexes(source: Path, target: Path) -> SqliteAuditStore:
    """A copy of the trail as format 2 left it (no query indexes)."""
    shutil.copy(source, target)
    store = SqliteAuditStore(target)
    for (name,) in store._db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE "
                                     "'records\\_%' ESCAPE '\\' AND name <> 'records_created_at'").fetchall():
        store._db.execute(f"DROP INDEX {name}")
    return store


def old_queue(store: SqliteAuditStore, limit: int = 200) -> list[Any]:
    """The queue before the indexes: every decision, every review screening, filtered in Python."""
    decided = {r.body.get("screening_id") for r in store.records(kind="decision")}
    candidates = store.records(kind="screening", verdict="review", newest_first=True)
    return [r for r in candidates if r.id not in decided][:limit]


def median_ms(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("newest page (no filter)", {}),
    ("verdict=block", {"verdict": "block"}),
    ("actor=门户网站7", {"actor": "门户网站7"}),
    ("kind=decision", {"kind": "decision"}),
    ("file_name contains 第4242号", {"file_name": "第4242号"}),
    ("since/until (today, i.e. every record)", {"since": str(date.today()), "until": str(date.today() + timedelta(1))}),
]


def store_rows(before: SqliteAuditStore, after: SqliteAuditStore, runs: int) -> None:
    print(f"{'query':<44}{'before ms':>12}{'after ms':>12}")
    old = median_ms(lambda: old_queue(before), runs)
    new = median_ms(lambda: after.undecided(limit=50), runs)
    print(f"{'review queue, first page':<44}{old:>12.1f}{new:>12.1f}")
    deep = after.undecided(limit=50)
    cursor = deep[-1].seq if deep else None
    print(f"{'review queue, second page':<44}{'':>12}{median_ms(lambda: after.undecided(before=cursor), runs):>12.1f}")
    print(f"{'review queue, total count':<44}{'':>12}{median_ms(after.count_undecided, runs):>12.1f}")
    for label, filters in FILTERS:
        old = median_ms(lambda f=filters: before.records(**f, newest_first=True, limit=200), runs)  # type: ignore[misc]
        new = median_ms(lambda f=filters: after.records(**f, newest_first=True, limit=100), runs)  # type: ignore[misc]
        print(f"{'audit ' + label:<44}{old:>12.1f}{new:>12.1f}")


def page_rows(path: Path, runs: int) -> None:
    from fastapi.testclient import TestClient

    from secscreen.service import ServiceConfig, create_app
    from secscreen.service.tokens import Role
    from secscreen.settings import Settings

    home = path.parent / "home"
    app = create_app(ServiceConfig(settings=Settings(home=home), audit_path=path, workers=0))
    service = app.state.service
    reviewer = service.tokens.create("bench-reviewer", Role.REVIEWER)[1]
    auditor = service.tokens.create("bench-auditor", Role.AUDITOR)[1]
    with TestClient(app, follow_redirects=False) as client:
        login = client.get("/login")
        csrf = login.text.split('name="csrf" value="')[1].split('"')[0]
        client.post("/login", data={"token": reviewer, "csrf": csrf})
        auth = {"Authorization": f"Bearer {auditor}"}
        print(f"{'page (indexed trail)':<44}{'':>12}{'ms':>12}")
        for label, url, headers in (
            ("web /reviews", "/reviews", {}),
            ("GET /v1/reviews", "/v1/reviews", {"Authorization": f"Bearer {reviewer}"}),
            ("GET /v1/audit", "/v1/audit?limit=100", auth),
            ("GET /v1/audit?verdict=block&actor=…", "/v1/audit?verdict=block&actor=门户网站7&limit=100", auth),
            ("GET /v1/audit?file_name=第4242号", "/v1/audit?file_name=第4242号&limit=100", auth),
        ):
            assert client.get(url, headers=headers).status_code == 200, url
            print(f"{label:<44}{'':>12}{median_ms(lambda u=url, h=headers: client.get(u, headers=h), runs):>12.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the trail in this directory and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-audit-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "trail.sqlite3"
    try:
        start = time.perf_counter()
        if not source.exists():
            build(source, args.records)
        with SqliteAuditStore(source) as probe:
            total = probe._db.execute("SELECT COUNT(*) FROM records").fetchone()[0]
            pending = probe.count_undecided(at_most=10**9)
        print(f"trail: {total} records, {pending} review screenings without a decision "
              f"(built in {time.perf_counter() - start:.0f} s); format {audit_sqlite.STORE_FORMAT}")
        before = without_indexes(source, work / "before.sqlite3")
        after = SqliteAuditStore(source)
        store_rows(before, after, args.runs)
        before.close()
        after.close()
        page_rows(source, args.runs)
        start = time.perf_counter()
        with SqliteAuditStore(source) as store:
            report = store.verify()
        print(f"verify: {report.checked} records in {time.perf_counter() - start:.1f} s, ok={report.ok}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
