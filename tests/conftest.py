"""Shared fixtures: an isolated SECSCREEN_HOME per test, the default rule set compiled once."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from secscreen.audit import SqliteAuditStore
from secscreen.cli import cli
from secscreen.rules import CompiledRuleSet, compile_ruleset, load_ruleset

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PUBLIC_LAWS = SHARED / "corpora" / "public-laws"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def compiled() -> CompiledRuleSet:
    return compile_ruleset(load_ruleset())


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "home"
    monkeypatch.setenv("SECSCREEN_HOME", str(path))
    monkeypatch.delenv("SECSCREEN_RULES", raising=False)
    monkeypatch.delenv("SECSCREEN_AUDIT_DB", raising=False)
    yield path


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteAuditStore]:
    audit = SqliteAuditStore(tmp_path / "audit.sqlite3")
    yield audit
    audit.close()


def run_cli(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def scan_json(*paths: str | os.PathLike[str], extra: tuple[str, ...] = ()) -> tuple[int, list[dict]]:
    result = run_cli("scan", "--format", "json", *extra, *[str(p) for p in paths])
    lines = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    return result.exit_code, lines
