"""Killed mid-way (SIGKILL at random moments), a screening or appending process never breaks the chain,
and every verdict it printed has its record."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from secscreen.audit import SqliteAuditStore

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

SECSCREEN = [sys.executable, "-c", "from secscreen.cli import main; main()"]

#: appends as fast as it can, printing each id only after its append returned
APPENDER = """
import sys
from pathlib import Path
from secscreen.audit import open_store
store = open_store(Path(sys.argv[1]))
body = {"actor": "张三", "channel": "cli", "file_name": "通知.txt", "verdict": "block", "findings": [
    {"rule_id": "SS-001", "action": "block", "matched": "机密★10年", "context": "【机密★10年】"}]}
while True:
    print(store.append("screening", body).id, flush=True)
"""


def killed_at(command: list[str], rng: random.Random, env: dict[str, str], most: int = 40) -> list[str]:
    """Run ``command`` and SIGKILL it at a random point: after a random number of printed lines plus a
    random few milliseconds (or during start-up). Return the complete lines it printed."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None
    lines, target = [], rng.randrange(0, most)
    if target == 0:
        time.sleep(rng.uniform(0.0, 1.0))
    while len(lines) < target:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
    time.sleep(rng.uniform(0.0, 0.02))
    process.send_signal(signal.SIGKILL)
    rest, _ = process.communicate(timeout=30)
    text = b"".join(lines).decode() + rest.decode("utf-8", "replace")
    return text.split("\n")[:-1]  # the last piece is cut off (or empty)


def assert_whole(db: Path, printed_ids: list[str]) -> None:
    with SqliteAuditStore(db) as store:
        report = store.verify()
        assert report.ok, f"{report.first_bad_seq}: {report.reason}"
        missing = [i for i in printed_ids if store.get(i) is None]
    assert not missing, f"printed without a record: {missing}"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "SECSCREEN_HOME": str(tmp_path / "home")}


def test_killed_appenders_leave_a_verifying_chain(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "audit.sqlite3"
    rng = random.Random(os.environ.get("AUDIT_CRASH_SEED", "6"))
    printed: list[str] = []
    for _ in range(6):
        printed += killed_at([sys.executable, "-c", APPENDER, str(db)], rng, env, most=200)
        assert_whole(db, printed)
    assert len(printed) > 50  # the kills did land while records were being written


def test_killed_scans_never_print_a_verdict_without_its_record(tmp_path: Path, env: dict[str, str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(60):
        text = "会议纪要\n机密★10年\n" if n % 3 == 0 else f"关于开展第{n}次植树活动的通知\n"
        (docs / f"{n:03d}.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "audit.sqlite3"
    rng = random.Random(os.environ.get("AUDIT_CRASH_SEED", "6"))
    printed: list[dict] = []
    for _ in range(3):
        lines = killed_at([*SECSCREEN, "scan", "--format", "json", "--audit-db", str(db), str(docs)], rng, env)
        printed += [json.loads(line) for line in lines if line.startswith("{")]
        assert_whole(db, [result["audit_id"] for result in printed])
    with sqlite3.connect(db) as connection:
        for result in printed:
            row = connection.execute("SELECT json_extract(body, '$.sha256'), json_extract(body, '$.verdict') "
                                     "FROM records WHERE id = ?", (result["audit_id"],)).fetchone()
            assert row == (result["sha256"], result["verdict"])
