"""The `secscreen scan` contract: verdicts, JSON fields, exit codes (DESIGN.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SEEDS, run_cli, scan_json

pytestmark = pytest.mark.usefixtures("home")


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_mark_on_second_line_blocks_with_explained_finding(tmp_path: Path) -> None:
    doc = write(tmp_path, "notice.txt", "某某局文件\n机密★10年\n关于某事项的通知\n")
    code, [result] = scan_json(doc)
    assert code == 1
    assert result["verdict"] == "block"
    finding = next(f for f in result["findings"] if f["matched"] == "机密★10年")
    assert finding["rule_id"] == "SS-001"
    assert finding["location"]["line"] == 2
    assert finding["location"]["part"] == "body"
    assert "保守国家秘密法" in finding["rationale"]
    assert "机密★10年" in finding["snippet"]
    for key in ("path", "sha256", "media_type", "verdict", "findings", "issues", "ruleset", "audit_id"):
        assert key in result
    assert set(result["ruleset"]) >= {"version", "sha256"}
    assert result["audit_id"]


@pytest.mark.parametrize("text", ["两国关系危机密切相关", "请输入手机密码", "开展保密宣传教育月活动"])
def test_word_boundary_traps_pass(tmp_path: Path, text: str) -> None:
    code, [result] = scan_json(write(tmp_path, "t.txt", text + "\n"))
    assert (code, result["verdict"], result["findings"]) == (0, "pass", [])


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_real_published_report_passes(seed: Path) -> None:
    code, [result] = scan_json(seed)
    assert result["verdict"] == "pass", result["findings"]
    assert code == 0


def test_unknown_binary_gets_review_with_issue_code(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 20)
    code, [result] = scan_json(path)
    assert (code, result["verdict"]) == (3, "review")
    assert [i["code"] for i in result["issues"]] == ["unsupported-format"]


def test_empty_file_is_not_passed(tmp_path: Path) -> None:
    code, [result] = scan_json(write(tmp_path, "empty.txt", ""))
    assert (code, result["verdict"]) == (3, "review")
    assert "empty" in [i["code"] for i in result["issues"]]


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16", "utf-8-sig"])
def test_text_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "关于做好有关工作的通知\n机密★5年\n各单位：为进一步做好相关工作，现将有关事项通知如下，请认真贯彻执行。\n"
    code, [result] = scan_json(write(tmp_path, "gbk.txt", text, encoding))
    assert result["verdict"] == "block"
    assert result["findings"][0]["matched"] == "机密★5年"


def test_folder_is_scanned_recursively_and_worst_verdict_sets_exit(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path / "a", "ok.txt", "今天天气很好。\n")
    write(tmp_path / "a" / "b", "review.bin", "\x00\x01\x02" * 100)
    code, results = scan_json(tmp_path / "a")
    assert len(results) == 2
    assert code == 3


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("scan", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "不存在" in result.output


def test_text_output_names_rule_location_and_reason(tmp_path: Path) -> None:
    result = run_cli("scan", str(write(tmp_path, "n.txt", "标题\n秘密★1年\n")))
    assert result.exit_code == 1
    assert "禁止发布" in result.output
    assert "SS-001" in result.output and "第2行" in result.output and "依据" in result.output


def test_meta_title_is_screened(tmp_path: Path) -> None:
    code, [result] = scan_json(write(tmp_path, "n.txt", "正文\n"), extra=("--meta", "title=机密★5年 工作要点"))
    assert result["verdict"] == "block"
    assert result["findings"][0]["location"]["part"] == "metadata"


@pytest.mark.parametrize(
    "mark", ["机密★2030年1月1日", "秘密★2030年6月30日前", "绝密★2031-12-31", "机密★10年", "秘密★会议开始前"]
)
def test_whole_period_is_reported_in_matched(tmp_path: Path, mark: str) -> None:
    _, [result] = scan_json(write(tmp_path, "n.txt", f"标题\n{mark}\n正文。\n"))
    assert result["verdict"] == "block"
    assert mark in [f["matched"] for f in result["findings"]]


def test_file_over_the_size_limit_is_recorded_as_review_without_reading_it(tmp_path: Path, home: Path) -> None:
    from secscreen.audit import open_store
    from secscreen.cli.scan import _screen_file
    from secscreen.extract.base import Limits
    from secscreen.rules import compile_ruleset, load_ruleset
    from secscreen.settings import Settings

    big = write(tmp_path, "big.txt", "机密★10年\n" * 100)
    store = open_store(home / "audit.sqlite3")
    settings = Settings(home=home, limits=Limits(max_bytes=64))
    result = _screen_file(big, compile_ruleset(load_ruleset()), store, "tester", {}, settings)
    assert result.verdict.value == "review"
    assert [i.code for i in result.issues] == ["limit-exceeded"]
    record = store.get(result.audit_id or "")
    assert record is not None and record.body["issues"][0]["code"] == "limit-exceeded"
