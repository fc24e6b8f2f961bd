"""``secscreen eval``: precision, recall and the verdict table over a labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet
from secscreen.rules.evaluation import evaluate_corpus, load_manifest, public_texts

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.usefixtures("home")

DOCS = {
    "marked.txt": ("机密★10年\n关于某事项的通知\n", "block", ["SS-001"]),
    "phone.txt": ("通知\n联系电话：13800138000\n", "review", ["PII-003"]),
    "clean.txt": ("关于开展植树活动的通知\n各单位积极参加。\n", "pass", []),
    "missed.txt": ("关于某事项的通知\n请各单位落实。\n", "review", ["DF-003"]),
    "alarm.txt": ("关于某事项的通知\n联系电话：13900139000\n", "pass", []),
}


def _corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "samples").mkdir(parents=True)
    manifest = []
    for name, (text, expect, rules) in DOCS.items():
        (corpus / "samples" / name).write_text(text, encoding="utf-8")
        manifest.append({"file": f"samples/{name}", "expect": expect, "rules": rules})
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return corpus


def test_counts_per_rule_and_confusion_table(tmp_path: Path, compiled: CompiledRuleSet) -> None:
    report = evaluate_corpus(load_manifest(_corpus(tmp_path)), compiled, analyse)
    assert report.documents == 5
    assert report.confusion[("block", "block")] == 1
    assert report.confusion[("review", "pass")] == 1      # missed.txt
    assert report.confusion[("pass", "review")] == 1      # alarm.txt
    phone = report.per_rule["PII-003"]
    assert (phone.tp, phone.fp, phone.fn) == (1, 1, 0)
    assert phone.precision == 0.5 and phone.recall == 1.0
    assert report.per_rule["DF-003"].recall == 0.0
    assert report.per_category["personal-info"].fp == 1
    assert {m.label for m in report.mismatches} == {"samples/missed.txt", "samples/alarm.txt"}
    assert "SS-002" in report.uncovered and "SS-001" not in report.uncovered


def test_public_texts_are_expected_to_pass(tmp_path: Path, compiled: CompiledRuleSet) -> None:
    (tmp_path / "law-1.txt").write_text("第一条 为了保守国家秘密，制定本法。\n", encoding="utf-8")
    report = evaluate_corpus(public_texts(tmp_path), compiled, analyse)
    assert report.confusion[("pass", "pass")] == 1 and not report.mismatches


def test_cli_prints_table_and_fails_on_regression(tmp_path: Path) -> None:
    result = run_cli("eval", str(_corpus(tmp_path)))
    assert result.exit_code == 1
    assert "判定混淆表" in result.output and "PII-003" in result.output
    assert "samples/missed.txt" in result.output and "未命中应有规则 ['DF-003']" in result.output


def test_cli_json_output(tmp_path: Path) -> None:
    result = run_cli("eval", "--format", "json", str(_corpus(tmp_path)))
    data = json.loads(result.output)
    assert data["confusion"]["pass"]["review"] == 1
    assert data["rules"]["SS-001"]["recall"] == 1.0


def test_shipped_samples_match_their_labels(compiled: CompiledRuleSet) -> None:
    entries = [e for e in load_manifest(ROOT / "corpora") if e.label.startswith("samples/")]
    report = evaluate_corpus(entries, compiled, analyse)
    assert report.mismatches == []
    assert all(c.fp == 0 for c in report.per_rule.values()), {k: v for k, v in report.per_rule.items() if v.fp}
