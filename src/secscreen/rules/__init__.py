"""Rules stage: YAML rule packs -> validated, layered rule set -> compiled -> findings."""

from .compiled import CompiledRuleSet, compile_ruleset
from .engine import Evaluation, Suppressed, evaluate, try_text
from .loader import RuleSet, default_rules_dir, load_ruleset
from .schema import Kind, Rule

#: rule kinds the engine understands (registry; a docs row per kind in rules/README.md)
RULE_KINDS: tuple[Kind, ...] = (Kind.KEYWORD, Kind.PATTERN, Kind.ALLOW, Kind.SOURCE)

__all__ = [
    "RULE_KINDS", "CompiledRuleSet", "Evaluation", "Kind", "Rule", "RuleSet", "Suppressed",
    "compile_ruleset", "default_rules_dir", "evaluate", "load_ruleset", "try_text",
]
