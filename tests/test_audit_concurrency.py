"""Many processes append at once: nothing is lost, the chain does not fork, and it verifies."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from secscreen.audit import SqliteAuditStore

WORKERS, PER_WORKER = 4, 250

#: one screening process: the real pipeline, its own connection, 250 varied documents
WORKER = """
import sys
import time
from pathlib import Path
from secscreen.audit import open_store
from secscreen.pipeline import screen
from secscreen.rules import compile_ruleset, load_ruleset

db, worker, count, cache = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
compiled = compile_ruleset(load_ruleset(), cache)
store = open_store(db)
texts = ["关于开展第{n}次植树活动的通知\\n", "会议纪要（第{n}期）\\n机密★10年\\n", "联系电话：010-1234{n:04d}\\n"]
for n in range(count):
    text = texts[n % len(texts)].format(n=n)
    screen(text.encode(), f"{worker}-{n}.txt", compiled, store, actor=worker, channel="cli")
print("done", worker)
"""


def test_four_processes_append_1000_records_to_one_chain(tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    with SqliteAuditStore(db) as store:
        store.append("screening", {"verdict": "pass", "file_name": "before.txt"})
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(db), f"worker{i}", str(PER_WORKER), str(tmp_path / "cache")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(WORKERS)
    ]
    with SqliteAuditStore(db) as reader:  # verifying while others append never raises a false alarm
        checks = 0
        while any(worker.poll() is None for worker in workers) and checks < 200:
            report = reader.verify()
            assert report.ok, f"{report.first_bad_seq}: {report.reason}"
            checks += 1
            time.sleep(0.05)
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        assert out.startswith("done")
    with sqlite3.connect(db) as connection:
        seqs = [row[0] for row in connection.execute("SELECT seq FROM records ORDER BY seq")]
        per_actor = dict(connection.execute(
            "SELECT json_extract(body, '$.actor'), COUNT(*) FROM records WHERE seq > 1 GROUP BY 1").fetchall())
    assert seqs == list(range(1, WORKERS * PER_WORKER + 2))
    assert per_actor == {f"worker{i}": PER_WORKER for i in range(WORKERS)}
    with SqliteAuditStore(db) as store:
        report = store.verify()
        assert report.ok, report.reason
        assert report.checked == WORKERS * PER_WORKER + 1
        verdicts = {r.body["verdict"] for r in store.records(actor="worker0")}
    assert {"pass", "block"} <= verdicts


def test_threads_sharing_one_store_do_not_fork_the_chain(store: SqliteAuditStore) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: store.append("screening", {"verdict": "pass", "n": n}), range(200)))
    report = store.verify()
    assert report.ok and report.checked == 200
