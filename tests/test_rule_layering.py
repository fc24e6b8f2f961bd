"""A site's packs layered over the defaults: disable, add, change an action, extend an allow-list.

Each change must show in the verdicts, in ``rules list`` and in the rule-set version."""

from __future__ import annotations

from pathlib import Path

import pytest

from secscreen.pipeline import analyse
from secscreen.rules import compile_ruleset, load_ruleset

from .conftest import run_cli, scan_json

pytestmark = pytest.mark.usefixtures("home")

NOTICE = "关于某项工作的通知\n各单位：\n（此件不公开）\n请做好本单位甲乙丙工程的准备工作。\n严禁外传\n"


def _site(tmp_path: Path, body: str) -> Path:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "50-site.yaml").write_text("schema_version: 1\npack: site\n" + body, encoding="utf-8")
    return site


def _screen(text: str, *dirs: Path) -> tuple[str, set[str], str]:
    compiled = compile_ruleset(load_ruleset(tuple(str(d) for d in dirs)))
    result = analyse(text.encode("utf-8"), "notice.txt", compiled)
    return result.verdict.value, {f.rule_id for f in result.findings}, compiled.sha256


ADD_AND_DISABLE = """\
disable: [WS-005, WS-008]
rules:
  - id: ST-001
    title: 本单位涉密工程代号
    kind: keyword
    category: site
    action: review
    rationale: 本单位保密办规定的工程代号，依据本单位保密事项范围
    keywords: [甲乙丙工程]
    examples: {match: [甲乙丙工程], no_match: [甲乙丁工程]}
"""


def test_site_pack_disables_by_id_adds_a_keyword_rule_and_changes_version(tmp_path: Path) -> None:
    before = _screen(NOTICE)
    assert before[0] == "block" and {"WS-005", "WS-008"} <= before[1] and "ST-001" not in before[1]
    after = _screen(NOTICE, _site(tmp_path, ADD_AND_DISABLE))
    assert after[0] == "review"
    assert after[1] == {"ST-001"}
    assert after[2] != before[2]


def test_site_pack_changes_an_action_and_the_listing_shows_it(tmp_path: Path) -> None:
    site = _site(tmp_path, "modify:\n  DF-001: {action: review}\n")
    text = "某某局关于2024年工作情况的报告\n某报〔2024〕3号\n"
    assert _screen(text)[0] == "pass"
    verdict, rules, _ = _screen(text, site)
    assert verdict == "review" and "DF-001" in rules
    listing = run_cli("rules", "list", "--rules", str(site))
    line = next(row for row in listing.output.splitlines() if row.startswith("DF-001"))
    assert "review" in line and "处置改为 review" in line


def test_site_pack_extends_an_allow_list(tmp_path: Path) -> None:
    text = "本站转载：机关内部通讯录编制规范解读\n"
    assert _screen(text)[0] == "review"
    site = _site(tmp_path, "modify:\n  AL-005: {add_keywords: [内部通讯录编制规范]}\n")
    verdict, rules, _ = _screen(text, site)
    assert verdict == "pass" and rules == set()


def test_environment_variable_adds_the_site_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path, ADD_AND_DISABLE)
    monkeypatch.setenv("SECSCREEN_RULES", str(site))
    listing = run_cli("rules", "list")
    assert "ST-001" in listing.output
    assert "WS-005" in listing.output and "停用" in listing.output


def test_disabling_an_unknown_rule_is_a_configuration_error(tmp_path: Path) -> None:
    site = _site(tmp_path, "disable: [SS-999]\n")
    result = run_cli("rules", "check", "--rules", str(site))
    assert result.exit_code == 2 and "SS-999" in result.output


FLOODING = """\
rules:
  - id: ST-002
    title: 本单位敏感标签
    kind: keyword
    category: site
    rationale: 本单位规定
    keywords: [严禁外传, SEC]
    examples: {match: [严禁外传], no_match: [外传]}
"""


def test_check_warns_about_site_rules_that_would_flood_or_lack_a_reference(tmp_path: Path) -> None:
    result = run_cli("rules", "check", "--rules", str(_site(tmp_path, FLOODING)))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("警告 ST-002")]
    assert any("法规名称或条款" in w for w in warnings)
    assert any("“SEC”过短" in w for w in warnings)
    assert any("严禁外传" in w and "WS-008" in w for w in warnings)


SITE_SOURCES = """\
rules:
  - id: SRC-901
    title: 本单位禁止转载的来源
    kind: source
    category: source
    rationale: 本单位保密办规定，依据《保守国家秘密法》第35条保密审查
    source: {organs: [某某研究所]}
    examples: {match: [{text: 通知, meta: {source: 某某研究所}}], no_match: [{text: 通知, meta: {source: 某某大学}}]}
"""


def test_source_category_from_cli_metadata_and_from_a_site_pack(tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text("关于开展全民国家安全教育日活动的通知\n各单位：\n请认真组织。\n", encoding="utf-8")
    code, [result] = scan_json(notice, extra=("--meta", "source=某某国家安全局"))
    assert code == 3 and result["verdict"] == "review"
    assert [f["rule_id"] for f in result["findings"]] == ["SRC-001"]
    assert scan_json(notice, extra=("--meta", "source=某某市教育局"))[1][0]["verdict"] == "pass"
    site = _site(tmp_path, SITE_SOURCES)
    code, [result] = scan_json(notice, extra=("--meta", "source=某某研究所", "--rules", str(site)))
    assert code == 3 and [f["rule_id"] for f in result["findings"]] == ["SRC-901"]
