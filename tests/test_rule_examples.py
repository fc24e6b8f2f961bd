"""Every example carried by every default rule, one test id per example."""

from __future__ import annotations

import pytest

from secscreen.rules import CompiledRuleSet, compile_ruleset, load_ruleset
from secscreen.rules.testing import ExampleCase, cases, run_case

_RULESET = load_ruleset()
CASES = cases(_RULESET.active())


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_rule_example(case: ExampleCase, compiled: CompiledRuleSet) -> None:
    failure = run_case(case, compiled)
    assert failure is None, failure.message if failure else ""


def test_every_rule_has_examples() -> None:
    from secscreen.rules.schema import Kind

    missing = [r.id for r in _RULESET.active() if r.kind is not Kind.ALLOW and not r.examples.match]
    assert missing == []


def test_compiled_once_per_ruleset_hash() -> None:
    assert compile_ruleset(_RULESET) is compile_ruleset(_RULESET)
