"""Each screening appends one hash-chained record; editing a stored record breaks verification."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from .conftest import run_cli, scan_json


@pytest.mark.usefixtures("home")
def test_each_screening_adds_a_record_and_tampering_is_detected(tmp_path: Path, home: Path) -> None:
    doc = tmp_path / "n.txt"
    doc.write_text("标题\n机密★10年\n", encoding="utf-8")
    for _ in range(3):
        scan_json(doc)
    db = home / "audit.sqlite3"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 3
    assert run_cli("audit", "verify").exit_code == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE records SET body = replace(body, '\"block\"', '\"pass\"') WHERE seq = 2")
    result = run_cli("audit", "verify")
    assert result.exit_code == 1
    assert "第 2 条" in result.output
