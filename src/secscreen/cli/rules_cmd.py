"""``secscreen rules``: check, test, list, explain, try — the security officers' tools."""

from __future__ import annotations

import sys

import click

from ..errors import ConfigError
from ..models import Part
from ..rules import compile_ruleset
from ..rules.engine import try_text
from ..rules.schema import Kind
from ..rules.testing import lint, run_examples
from . import common
from .render import ACTION_LABELS, finding_lines


@click.group()
def rules() -> None:
    """规则集维护：校验、自测、列表、说明、试查。"""


@rules.command("check")
@common.rules_option
def check(rule_dirs: tuple[str, ...]) -> None:
    """校验规则包（结构、字段、正则）并做质量检查；有错误时退出码 2。"""
    ruleset = common.ruleset(rule_dirs)
    messages = lint(ruleset)
    for message in messages:
        label = "错误" if message.level == "error" else "警告"
        click.echo(f"{label} {message.rule_id}：{message.message}")
    errors = sum(1 for m in messages if m.level == "error")
    click.echo(f"规则 {len(ruleset.rules)} 条，来自 {len(ruleset.sources)} 个规则包；版本 {ruleset.version}；"
               f"错误 {errors}，警告 {len(messages) - errors}")
    sys.exit(common.EXIT_USAGE if errors else 0)


@rules.command("test")
@common.rules_option
@click.option("--rule", "rule_ids", multiple=True, help="只测试这些规则编号。")
def test(rule_dirs: tuple[str, ...], rule_ids: tuple[str, ...]) -> None:
    """运行每条规则自带的示例（应命中 / 不应命中），失败时退出码 1。"""
    compiled = common.compiled(rule_dirs)
    total, failures = run_examples(compiled, set(rule_ids) if rule_ids else None)
    for failure in failures:
        click.echo(f"失败 {failure.case.rule_id} [{failure.case.kind}] “{failure.case.example.text}”：{failure.message}")
    click.echo(f"示例 {total} 个：通过 {total - len(failures)}，失败 {len(failures)}")
    sys.exit(1 if failures else 0)


@rules.command("list")
@common.rules_option
def list_rules(rule_dirs: tuple[str, ...]) -> None:
    """列出生效的规则：编号、类别、处置、来源规则包、状态。"""
    ruleset = common.ruleset(rule_dirs)
    click.echo(f"规则集版本 {ruleset.version}（sha256 {ruleset.sha256}）")
    for loaded in ruleset.rules:
        rule = loaded.rule
        changes = f"  [{'；'.join(loaded.changes)}]" if loaded.changes else ""
        action = "allow" if rule.kind is Kind.ALLOW else rule.action.value
        click.echo(f"{rule.id:<10} {rule.category:<16} {action:<7} {loaded.pack:<20} {rule.status.value:<12} {rule.title}{changes}")
    for rule_id, pack in ruleset.disabled.items():
        click.echo(f"{rule_id:<10} （已由规则包 {pack} 停用）")


@rules.command("explain")
@click.argument("rule_id")
@common.rules_option
def explain(rule_id: str, rule_dirs: tuple[str, ...]) -> None:
    """说明一条规则：查什么、在哪里查、为什么、示例。"""
    ruleset = common.ruleset(rule_dirs)
    loaded = ruleset.get(rule_id)
    if loaded is None:
        raise ConfigError(f"没有编号为 {rule_id} 的规则")
    rule = loaded.rule
    click.echo(f"{rule.id} {rule.title}")
    if rule.kind is Kind.ALLOW:
        scope = "全文" if rule.scope == "document" else "所覆盖的文字范围"
        targets = "全部可抑制规则" if "*" in rule.applies_to else "、".join(rule.applies_to)
        click.echo(f"  类别 {rule.category}；类型 allow（白名单）：在{scope}内抑制 {targets} 的命中；状态 {rule.status.value}")
    else:
        click.echo(f"  类别 {rule.category}；类型 {rule.kind.value}；处置 {rule.action.value}（{ACTION_LABELS.get(rule.action.value)}）；状态 {rule.status.value}")
    click.echo(f"  来源 {loaded.pack}（{loaded.file}）")
    click.echo(f"  依据：{rule.rationale}")
    if rule.keywords:
        click.echo(f"  关键词：{'、'.join(rule.keywords)}")
    for pattern in rule.patterns:
        click.echo(f"  正则：{pattern}")
    if rule.anchors:
        click.echo(f"  锚点：{'、'.join(rule.anchors)}")
    if rule.validators:
        click.echo(f"  校验：{'、'.join(rule.validators)}")
    conditions = rule.conditions.model_dump(exclude_none=True, mode="json")
    if conditions:
        click.echo(f"  条件：{conditions}")
    for override in rule.overrides:
        click.echo(f"  例外：当 {override.when.model_dump(exclude_none=True, mode='json')} 时 → {override.action if isinstance(override.action, str) else override.action.value}（{override.reason}）")
    for kind, items in (("应命中", rule.examples.match), ("不应命中", rule.examples.no_match), ("已知漏报", rule.examples.known_miss)):
        for item in items:
            click.echo(f"  {kind}：{item if isinstance(item, str) else item.text}")


@rules.command("try")
@click.argument("text")
@common.rules_option
@click.option("--part", type=click.Choice([p.value for p in Part]), default="body", help="把文字当作哪个部位（默认正文）。")
def try_(text: str, rule_dirs: tuple[str, ...], part: str) -> None:
    """试查一段文字：显示每条命中、被排除的命中及原因（不写审计记录）。"""
    compiled = compile_ruleset(common.ruleset(rule_dirs), common.settings().cache_dir)
    evaluation = try_text(text.replace("\\n", "\n"), compiled, Part(part))
    if not evaluation.findings:
        click.echo("无发现。")
    for finding in evaluation.findings:
        click.echo("\n".join(finding_lines(finding)))
    for item in evaluation.suppressed:
        click.echo(f"  [已排除] {item.rule_id}：“{item.matched}” — {item.reason}")
