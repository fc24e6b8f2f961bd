"""Rule self-tests and lint, used by ``secscreen rules test`` / ``rules check`` and by the test suite."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Document, Origin, Segment
from .compiled import CompiledRuleSet
from .engine import Evaluation, evaluate
from .loader import RuleSet
from .schema import Example, Kind, Rule

#: short keywords that occur everywhere in official prose; a rule using one needs conditions
COMMON_WORDS = frozenset(["秘密", "保密", "内部", "公开", "机密", "绝密", "涉密", "文件", "信息", "资料", "工作", "国家", "报告", "通知", "意见", "会议", "领导"])


@dataclass
class ExampleCase:
    rule_id: str
    kind: str  # match | no_match
    example: Example

    @property
    def label(self) -> str:
        return f"{self.rule_id}:{self.kind}:{self.example.text[:30]}"


@dataclass
class ExampleFailure:
    case: ExampleCase
    message: str


def as_example(item: str | Example) -> Example:
    return item if isinstance(item, Example) else Example(text=item)


def cases(rules: list[Rule]) -> list[ExampleCase]:
    found = []
    for rule in rules:
        found += [ExampleCase(rule.id, "match", as_example(e)) for e in rule.examples.match]
        found += [ExampleCase(rule.id, "no_match", as_example(e)) for e in rule.examples.no_match]
    return found


def screen_example(example: Example, compiled: CompiledRuleSet) -> Evaluation:
    document = Document(media_type="text/plain",
                        segments=[Segment(text=example.text, origin=Origin(part=example.part, line=1))])
    return evaluate(document, compiled, example.meta)


def _allow_case(case: ExampleCase, evaluation: Evaluation) -> ExampleFailure | None:
    """An allow rule's match example must suppress some hit; its no_match example must not."""
    marker = f"白名单 {case.rule_id}（"
    used = [s for s in evaluation.suppressed if s.reason.startswith(marker)]
    if case.kind == "match" and not used:
        return ExampleFailure(case, "应抑制其他规则的命中而未抑制")
    if case.kind == "no_match" and used:
        return ExampleFailure(case, f"不应抑制而抑制了：{[s.rule_id + ' ' + s.matched for s in used]}")
    return None


def run_case(case: ExampleCase, compiled: CompiledRuleSet) -> ExampleFailure | None:
    evaluation = screen_example(case.example, compiled)
    if compiled.rules[case.rule_id].kind is Kind.ALLOW:
        return _allow_case(case, evaluation)
    own = [f for f in evaluation.findings if f.rule_id == case.rule_id]
    if case.kind == "match":
        if not own:
            reasons = [s.reason for s in evaluation.suppressed if s.rule_id == case.rule_id]
            detail = f"（被排除：{'；'.join(reasons)}）" if reasons else ""
            return ExampleFailure(case, f"应命中而未命中{detail}")
        expected = case.example.action
        if expected is not None and not any(f.action is expected for f in own):
            return ExampleFailure(case, f"应为 {expected.value}，实为 {[f.action.value for f in own]}")
        return None
    if own:
        return ExampleFailure(case, f"不应命中而命中了：{[f.matched for f in own]}（{own[0].action.value}）")
    return None


def run_examples(compiled: CompiledRuleSet, rule_ids: set[str] | None = None) -> tuple[int, list[ExampleFailure]]:
    rules = [r for r in compiled.rules.values() if rule_ids is None or r.id in rule_ids]
    all_cases = cases(rules)
    failures = [f for f in (run_case(c, compiled) for c in all_cases) if f is not None]
    return len(all_cases), failures


@dataclass
class LintMessage:
    rule_id: str
    level: str  # error | warning
    message: str


def lint(ruleset: RuleSet) -> list[LintMessage]:
    messages: list[LintMessage] = []
    for loaded in ruleset.rules:
        rule = loaded.rule
        if rule.kind is not Kind.ALLOW and not rule.examples.match:
            messages.append(LintMessage(rule.id, "error", "缺少应命中的示例（examples.match）"))
        if rule.kind is not Kind.ALLOW and not rule.examples.no_match:
            messages.append(LintMessage(rule.id, "warning", "缺少不应命中的示例（examples.no_match）"))
        if rule.status.value == "deprecated" and not rule.replaced_by:
            messages.append(LintMessage(rule.id, "warning", "已废弃的规则应写明 replaced_by"))
        unconditioned = rule.conditions.model_dump(exclude_none=True) == {}
        for keyword in rule.keywords:
            if len(keyword.strip()) < 2:
                messages.append(LintMessage(rule.id, "error", f"关键词“{keyword}”过短，会产生大量误报"))
            elif rule.kind is Kind.KEYWORD and keyword in COMMON_WORDS and unconditioned:
                messages.append(LintMessage(
                    rule.id, "warning", f"关键词“{keyword}”在公文中很常见，未设条件会使审核人员淹没在误报中"))
    return messages
