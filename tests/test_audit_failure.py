"""When the audit record cannot be written, ``secscreen scan`` gives no verdict and exits 4."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from secscreen.audit import SqliteAuditStore
from secscreen.cli import cli

VERDICT_WORDS = ("pass", "review", "block", "通过", "禁止发布", "需人工审核")


@pytest.fixture
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "通知.txt"
    path.write_text("关于开展植树活动的通知\n", encoding="utf-8")
    return path


def scan(*args: str) -> Result:
    return CliRunner().invoke(cli, ["scan", *args], catch_exceptions=False)


def assert_no_verdict(result: Result, *why: str) -> None:
    assert result.exit_code == 4
    assert result.stdout == ""
    assert not any(word in result.stderr for word in VERDICT_WORDS)
    assert "审计" in result.stderr
    for part in why:
        assert part in result.stderr


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An audit database another process holds the write lock on, and a short wait for it."""
    db = tmp_path / "audit.sqlite3"
    SqliteAuditStore(db).close()
    monkeypatch.setenv("SECSCREEN_AUDIT_TIMEOUT", "0.3")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.usefixtures("home")
def test_locked_audit_database_gives_no_verdict(doc: Path, locked: Path) -> None:
    for fmt in ("text", "json"):
        assert_no_verdict(scan("--format", fmt, "--audit-db", str(locked), str(doc)), "写入失败", "占用")
    with SqliteAuditStore(locked) as store:
        assert store.verify().checked == 0


@pytest.mark.usefixtures("home")
def test_unwritable_audit_location_gives_no_verdict(doc: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("", encoding="utf-8")
    assert_no_verdict(scan("--audit-db", str(blocker / "audit.sqlite3"), str(doc)), "无法打开审计库")


@pytest.mark.usefixtures("home")
def test_corrupt_audit_database_gives_no_verdict(doc: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    assert_no_verdict(scan("--audit-db", str(db), str(doc)), "无法打开审计库")
