"""Corpus evaluation: verdicts and rule hits of labelled documents against their labels.

A corpus directory holds ``manifest.json`` (and, if present, ``generated/manifest.json``): a list of
``{"file", "expect": pass|review|block, "rules": [ids expected to fire], "issues": [codes], "exhaustive"?}``
with ``file`` relative to the corpus directory. Public texts (``--public-laws``) are labelled ``pass``
with no rule expected.

Per rule, at document level:
- true positive: the rule is listed and fired (any action);
- false negative: the rule is listed and did not fire;
- false positive: the rule fired at ``review`` or ``block`` on a document that does not list it and is
  either expected to ``pass`` or marked ``exhaustive`` (its list names every rule that should fire).
  Other unlisted hits on review/block documents are counted as ``unlabelled``, not as errors.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..models import Action, ScanResult
from .compiled import CompiledRuleSet
from .schema import Kind

VERDICTS = ("pass", "review", "block")
MANIFESTS = ("manifest.json", "generated/manifest.json")

Analyse = Callable[[bytes, str, CompiledRuleSet], ScanResult]


@dataclass(frozen=True)
class Entry:
    path: Path
    label: str
    expect: str
    rules: frozenset[str] = frozenset()
    issues: frozenset[str] = frozenset()
    exhaustive: bool = False


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    unlabelled: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.unlabelled += other.unlabelled


@dataclass
class Mismatch:
    label: str
    expected: str
    got: str
    detail: str


@dataclass
class Report:
    documents: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_rule: dict[str, Counts] = field(default_factory=dict)
    per_category: dict[str, Counts] = field(default_factory=dict)
    mismatches: list[Mismatch] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        def row(counts: Counts) -> dict[str, object]:
            return {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn, "unlabelled": counts.unlabelled,
                    "precision": counts.precision, "recall": counts.recall}

        return {
            "documents": self.documents,
            "confusion": {e: {g: self.confusion[(e, g)] for g in VERDICTS} for e in VERDICTS},
            "rules": {rule_id: row(c) for rule_id, c in sorted(self.per_rule.items())},
            "categories": {name: row(c) for name, c in sorted(self.per_category.items())},
            "mismatches": [m.__dict__ for m in self.mismatches],
            "uncovered": self.uncovered,
        }


def load_manifest(corpus: Path) -> list[Entry]:
    """Entries of the corpus directory's manifests, in file order."""
    entries: list[Entry] = []
    for name in MANIFESTS:
        manifest = corpus / name
        if not manifest.is_file():
            continue
        for item in json.loads(manifest.read_text(encoding="utf-8")):
            entries.append(Entry(path=corpus / item["file"], label=item["file"], expect=item["expect"],
                                 rules=frozenset(item.get("rules", [])), issues=frozenset(item.get("issues", [])),
                                 exhaustive=bool(item.get("exhaustive", False))))
    return entries


def public_texts(directory: Path) -> list[Entry]:
    """Every ``*.txt`` under a public-text directory, each expected to pass with no rule firing."""
    return [Entry(path=p, label=p.name, expect="pass", exhaustive=True) for p in sorted(directory.glob("*.txt"))]


def evaluate_corpus(entries: Iterable[Entry], compiled: CompiledRuleSet, analyse: Analyse) -> Report:
    report = Report()
    for entry in entries:
        result = analyse(entry.path.read_bytes(), str(entry.path), compiled)
        _score(entry, result, compiled, report)
    for rule_id, counts in report.per_rule.items():
        category = compiled.rules[rule_id].category if rule_id in compiled.rules else "engine"
        report.per_category.setdefault(category, Counts()).add(counts)
    report.uncovered = sorted(rule_id for rule_id, rule in compiled.rules.items()
                              if rule.kind is not Kind.ALLOW and rule_id not in report.per_rule)
    return report


def _score(entry: Entry, result: ScanResult, compiled: CompiledRuleSet, report: Report) -> None:
    report.documents += 1
    got = result.verdict.value
    report.confusion[(entry.expect, got)] += 1
    fired_any = {f.rule_id for f in result.findings}
    alarms = {f.rule_id for f in result.findings if f.action is not Action.INFO}
    for rule_id in entry.rules | fired_any:
        counts = report.per_rule.setdefault(rule_id, Counts())
        if rule_id in entry.rules:
            if rule_id in fired_any:
                counts.tp += 1
            else:
                counts.fn += 1
        elif rule_id in alarms:
            if entry.expect == "pass" or entry.exhaustive:
                counts.fp += 1
            else:
                counts.unlabelled += 1
    missing_rules = sorted(entry.rules - fired_any)
    missing_issues = sorted(entry.issues - {i.code for i in result.issues})
    if got != entry.expect or missing_rules or missing_issues:
        detail = "；".join(
            [f"命中 {sorted(alarms) or '无'}"]
            + ([f"未命中应有规则 {missing_rules}"] if missing_rules else [])
            + ([f"缺少问题代码 {missing_issues}"] if missing_issues else [])
        )
        report.mismatches.append(Mismatch(entry.label, entry.expect, got, detail))
