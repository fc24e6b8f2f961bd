"""Corpus checks: the labelled samples keep their verdicts; every public law passes."""

from __future__ import annotations

import json

import pytest

from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

from .conftest import PUBLIC_LAWS, ROOT

MANIFEST = json.loads((ROOT / "corpora" / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", MANIFEST, ids=[e["file"] for e in MANIFEST])
def test_labelled_sample_keeps_its_verdict(entry: dict, compiled: CompiledRuleSet) -> None:
    path = ROOT / "corpora" / entry["file"]
    result = analyse(path.read_bytes(), str(path), compiled)
    assert result.verdict.value == entry["expect"], [f.model_dump() for f in result.findings] + [
        i.model_dump() for i in result.issues
    ]
    for rule_id in entry.get("rules", []):
        assert rule_id in {f.rule_id for f in result.findings}
    for code in entry.get("issues", []):
        assert code in {i.code for i in result.issues}


LAWS = sorted(PUBLIC_LAWS.glob("law-*.txt"))


@pytest.mark.corpus
def test_public_law_corpus_is_present() -> None:
    assert len(LAWS) == 400, f"expected 400 public laws under {PUBLIC_LAWS}"


@pytest.mark.corpus
def test_every_public_law_passes(compiled: CompiledRuleSet) -> None:
    false_alarms = []
    for path in LAWS:
        result = analyse(path.read_bytes(), path.name, compiled)
        if result.verdict.value != "pass":
            false_alarms.append((path.name, [(f.rule_id, f.matched, f.location.line) for f in result.findings],
                                 [i.code for i in result.issues]))
    assert false_alarms == []
