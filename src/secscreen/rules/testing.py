"""Rule self-tests and lint, used by ``secscreen rules test`` / ``rules check`` and by the test suite."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Document, Origin, Segment
from ..normalize import fold_keyword
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


#: a rationale should name the regulation and article it rests on
_REFERENCE = re.compile(r"《[^》]{2,40}》|第[0-9一二三四五六七八九十百]+条|GB(?:/T)?\s?\d{3,5}")
#: ASCII keywords shorter than this hit inside abbreviations and codes
MIN_ASCII_KEYWORD = 4


def lint(ruleset: RuleSet) -> list[LintMessage]:
    messages: list[LintMessage] = []
    for loaded in ruleset.rules:
        messages += _lint_rule(loaded.rule)
    messages += _duplicate_keywords(ruleset)
    return messages


def _lint_rule(rule: Rule) -> list[LintMessage]:
    messages: list[LintMessage] = []
    if rule.kind is not Kind.ALLOW and not rule.examples.match:
        messages.append(LintMessage(rule.id, "error", "缺少应命中的示例（examples.match）"))
    if rule.kind is not Kind.ALLOW and not rule.examples.no_match:
        messages.append(LintMessage(rule.id, "warning", "缺少不应命中的示例（examples.no_match）"))
    if rule.status.value == "deprecated" and not rule.replaced_by:
        messages.append(LintMessage(rule.id, "warning", "已废弃的规则应写明 replaced_by"))
    if not rule.references and not _REFERENCE.search(rule.rationale):
        messages.append(LintMessage(rule.id, "warning", "依据（rationale）未写明法规名称或条款，如《保守国家秘密法》第22条"))
    messages += _lint_keywords(rule)
    return messages


def _lint_keywords(rule: Rule) -> list[LintMessage]:
    messages: list[LintMessage] = []
    unconditioned = rule.conditions.model_dump(exclude_none=True) == {}
    for keyword in rule.keywords:
        folded = fold_keyword(keyword)
        if len(folded) < 2:
            messages.append(LintMessage(rule.id, "error", f"关键词“{keyword}”过短，会产生大量误报"))
        elif folded.isascii() and len(folded) < MIN_ASCII_KEYWORD:
            messages.append(LintMessage(rule.id, "warning", f"英文关键词“{keyword}”过短，会命中缩写和编码"))
        elif rule.kind is Kind.KEYWORD and keyword in COMMON_WORDS and unconditioned:
            messages.append(LintMessage(
                rule.id, "warning", f"关键词“{keyword}”在公文中很常见，未设条件会使审核人员淹没在误报中"))
    return messages


def _duplicate_keywords(ruleset: RuleSet) -> list[LintMessage]:
    """The same keyword in two detecting rules reports one place twice; usually one rule should own it."""
    owners: dict[str, list[str]] = {}
    for loaded in ruleset.rules:
        rule = loaded.rule
        if rule.kind is not Kind.KEYWORD or rule.conditions.parts is not None:
            continue  # rules confined to given parts (metadata, file name, comments) see other text
        for keyword in dict.fromkeys(fold_keyword(k) for k in rule.keywords):
            owners.setdefault(keyword, []).append(rule.id)
    return [
        LintMessage(ids[-1], "warning", f"关键词“{keyword}”同时出现在 {'、'.join(ids)} 中，同一处会重复报出")
        for keyword, ids in sorted(owners.items())
        if len(ids) > 1
    ]
