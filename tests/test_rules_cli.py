"""Officer tooling: rules check / test / list / explain / try, and strict validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import run_cli, scan_json

pytestmark = pytest.mark.usefixtures("home")


def test_rules_test_passes_on_defaults() -> None:
    result = run_cli("rules", "test")
    assert result.exit_code == 0, result.output
    assert "失败 0" in result.output


def test_unknown_field_names_file_line_and_field(tmp_path: Path) -> None:
    pack = tmp_path / "site.yaml"
    pack.write_text(
        "schema_version: 1\npack: site\nrules:\n  - id: XX-001\n    title: 测试规则\n    kind: keyword\n"
        "    category: test\n    rationale: 测试用途的规则\n    keywrds: [测试]\n",
        encoding="utf-8",
    )
    result = run_cli("rules", "check", "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert "site.yaml:9" in result.output
    assert "keywrds" in result.output


def test_site_pack_disables_and_adds_rules_and_changes_version(tmp_path: Path) -> None:
    doc = tmp_path / "n.txt"
    doc.write_text("标题\n密级：秘密\n本单位自定义敏感词甲乙丙\n", encoding="utf-8")
    _, [before] = scan_json(doc)
    assert {f["rule_id"] for f in before["findings"]} == {"SS-005"}
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(
        "schema_version: 1\npack: site\ndisable: [SS-005]\nrules:\n  - id: ST-001\n    title: 本单位敏感词\n"
        "    kind: keyword\n    category: site\n    action: review\n    rationale: 本单位保密办规定的敏感词\n"
        "    keywords: [甲乙丙]\n    boundary: false\n    examples: {match: [甲乙丙], no_match: [甲乙]}\n",
        encoding="utf-8",
    )
    code, [after] = scan_json(doc, extra=("--rules", str(site)))
    assert {f["rule_id"] for f in after["findings"]} == {"ST-001"}
    assert code == 3
    assert after["ruleset"]["sha256"] != before["ruleset"]["sha256"]
    listing = run_cli("rules", "list", "--rules", str(site))
    assert "SS-005" in listing.output and "停用" in listing.output and "ST-001" in listing.output


def test_explain_and_try() -> None:
    explained = run_cli("rules", "explain", "SS-001")
    assert explained.exit_code == 0 and "保守国家秘密法" in explained.output
    tried = run_cli("rules", "try", "两国关系危机密切相关，机密★5年")
    assert "SS-001" in tried.output
    suppressed = run_cli("rules", "try", "认真学习《中华人民共和国保守国家秘密法》")
    assert "无发现" in suppressed.output
