"""``secscreen audit export`` for inspections: spreadsheet-ready CSV, JSON Lines, matched text withheld."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from secscreen.audit import WITHHELD, SqliteAuditStore
from secscreen.pipeline import screen
from secscreen.rules import CompiledRuleSet

from .conftest import run_cli

pytestmark = pytest.mark.usefixtures("home")
SECRET = "机密★10年"


@pytest.fixture
def screened(home: Path, compiled: CompiledRuleSet) -> dict[str, str]:
    ids = {}
    with SqliteAuditStore(home / "audit.sqlite3") as store:
        for name, text in (("涉密通知.txt", f"关于年度工作的通知\n{SECRET}\n"), ("=公开.txt", "关于开展植树活动的通知\n")):
            ids[name] = screen(text.encode(), name, compiled, store, actor="张三", channel="cli").audit_id
    assert run_cli("review", "override", ids["涉密通知.txt"], "--by", "李四", "--reason", "已解密").exit_code == 0
    return ids


def export(tmp_path: Path, *args: str) -> bytes:
    out = tmp_path / "export.out"
    result = run_cli("audit", "export", "--output", str(out), *args)
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def test_csv_has_a_bom_and_chinese_intact(tmp_path: Path, screened: dict[str, str]) -> None:
    data = export(tmp_path, "--format", "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["kind"] for r in rows] == ["screening", "screening", "decision"]
    first = rows[0]
    assert first["id"] == screened["涉密通知.txt"]
    assert (first["file_name"], first["actor"], first["verdict"]) == ("涉密通知.txt", "张三", "block")
    assert "override 李四（officer）：已解密" in first["decisions"]
    assert rows[2]["reason"] == "已解密"


def test_csv_cells_cannot_become_formulas(tmp_path: Path, screened: dict[str, str]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(tmp_path, "--format", "csv").decode("utf-8-sig"), newline="")))
    assert rows[1]["file_name"] == "'=公开.txt"


def test_matched_text_is_withheld_unless_asked_for(tmp_path: Path, screened: dict[str, str]) -> None:
    for fmt in ("csv", "jsonl"):
        default = export(tmp_path, "--format", fmt).decode("utf-8-sig")
        assert SECRET not in default
        assert WITHHELD in default
        assert SECRET in export(tmp_path, "--format", fmt, "--include-matched").decode("utf-8-sig")


def test_jsonl_keeps_every_record_with_its_chain_links(tmp_path: Path, screened: dict[str, str]) -> None:
    lines = [json.loads(line) for line in export(tmp_path, "--format", "jsonl").decode().splitlines()]
    assert [line["seq"] for line in lines] == [1, 2, 3]
    assert lines[1]["prev_hash"] == lines[0]["hash"]
    assert lines[0]["findings"][0]["rule_id"]
    assert lines[2]["screening_id"] == screened["涉密通知.txt"]


def test_export_to_stdout_and_filters(tmp_path: Path, screened: dict[str, str]) -> None:
    result = run_cli("audit", "export", "--format", "jsonl", "--verdict", "pass")
    assert result.exit_code == 0
    [line] = result.output.splitlines()
    assert json.loads(line)["file_name"] == "=公开.txt"
    assert run_cli("audit", "export", "--format", "csv").stdout_bytes.startswith(b"\xef\xbb\xbf")


def test_list_filters(tmp_path: Path, screened: dict[str, str]) -> None:
    def listed(*args: str) -> list[str]:
        return run_cli("audit", "list", *args).output.splitlines()

    assert len(listed()) == 3
    assert len(listed("--verdict", "block")) == 1
    assert len(listed("--file-name", "涉密")) == 1
    assert len(listed("--actor", "张三")) == 2
    assert listed("--since", "2000-01-01", "--until", "2000-01-02") == []
    assert len(listed("--since", "2000-01-01", "--kind", "screening")) == 2
    sha = json.loads(run_cli("audit", "show", screened["=公开.txt"]).output)["sha256"]
    [line] = listed("--sha256", sha)
    assert screened["=公开.txt"] in line


def test_show_gives_the_local_user_the_matched_text(tmp_path: Path, screened: dict[str, str]) -> None:
    shown = json.loads(run_cli("audit", "show", screened["涉密通知.txt"]).output)
    assert shown["findings"][0]["matched"] == SECRET
    assert run_cli("audit", "show", "nosuch").exit_code == 2
