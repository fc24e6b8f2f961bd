"""A rule set compiled for matching: the pure artefact cached by the rule set's sha256."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..match import Matcher, MatchSpec
from .loader import RuleSet
from .schema import Kind, Rule


def spec_for(rule: Rule) -> MatchSpec:
    keywords = rule.keywords if rule.kind in (Kind.KEYWORD, Kind.ALLOW) else []
    return MatchSpec(
        rule_id=rule.id,
        keywords=tuple(keywords),
        patterns=tuple(rule.patterns),
        anchors=tuple(rule.anchors),
        window=rule.window,
        view=rule.view,
        validators=tuple(rule.validators),
        boundary=rule.boundary,
        max_gap=rule.max_gap,
        cross_lines=rule.cross_lines,
    )


@dataclass
class CompiledRuleSet:
    ruleset: RuleSet
    matcher: Matcher
    rules: dict[str, Rule]

    @property
    def sha256(self) -> str:
        return self.ruleset.sha256

    @property
    def version(self) -> str:
        return self.ruleset.version


_MEMO: dict[str, CompiledRuleSet] = {}


def compile_ruleset(ruleset: RuleSet, cache_dir: Path | None = None) -> CompiledRuleSet:
    """Compile once per rule-set hash per process; the automaton is also cached on disk."""
    cached = _MEMO.get(ruleset.sha256)
    if cached is not None:
        return cached
    active = ruleset.active()
    matcher = Matcher([spec_for(rule) for rule in active if rule.kind is not Kind.SOURCE], ruleset.sha256, cache_dir)
    compiled = CompiledRuleSet(ruleset=ruleset, matcher=matcher, rules={rule.id: rule for rule in active})
    _MEMO[ruleset.sha256] = compiled
    return compiled
