"""``secscreen eval``: screen the labelled corpus and print precision, recall and the verdict table.

Exit status: 0 every document got its expected verdict and rules; 1 at least one did not; 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import ConfigError
from ..pipeline import analyse
from ..rules.evaluation import VERDICTS, Counts, Report, evaluate_corpus, load_manifest, public_texts
from . import common

_LABELS = {"pass": "通过", "review": "审核", "block": "禁止"}


@click.command("eval")
@click.argument("corpus", required=False, default="corpora", type=click.Path(file_okay=False))
@click.option("--public-laws", "public_laws", type=click.Path(exists=True, file_okay=False), default=None,
              help="公开文本目录（其中每个 .txt 都应通过），如共享的公开法律语料。")
@common.rules_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式。")
def eval_(corpus: str, public_laws: str | None, rule_dirs: tuple[str, ...], fmt: str) -> None:
    """评估规则集：按标注语料计算每条规则、每个类别的精确率和召回率，并输出判定混淆表。"""
    entries = load_manifest(Path(corpus))
    if public_laws:
        entries += public_texts(Path(public_laws))
    if not entries:
        raise ConfigError(f"{corpus} 下没有 manifest.json，也没有给出 --public-laws")
    compiled = common.compiled(rule_dirs)
    report = evaluate_corpus(entries, compiled, analyse)
    if fmt == "json":
        click.echo(json.dumps({"ruleset": compiled.version, **report.as_dict()}, ensure_ascii=False))
    else:
        click.echo(render(report, compiled.version))
    sys.exit(1 if report.mismatches else 0)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _row(name: str, counts: Counts, width: int) -> str:
    return (f"{name:<{width}} {counts.tp:>6} {counts.fp:>6} {counts.fn:>6} {counts.unlabelled:>6}  "
            f"{_ratio(counts.precision):>6} {_ratio(counts.recall):>6}")


def _table(title: str, rows: dict[str, Counts]) -> list[str]:
    width = max([len(name) for name in rows] + [8])
    head = f"{'':<{width}} {'命中':>4} {'误报':>4} {'漏报':>4} {'未标注':>3}  {'精确率':>3} {'召回率':>3}"
    return ["", title, head] + [_row(name, counts, width) for name, counts in sorted(rows.items())]


def render(report: Report, version: str) -> str:
    lines = [f"规则集 {version}；文档 {report.documents} 个", "", "判定混淆表（行：标注，列：实际）",
             f"{'':<8}" + "".join(f"{_LABELS[v]:>8}" for v in VERDICTS)]
    for expected in VERDICTS:
        lines.append(f"{_LABELS[expected]:<8}" + "".join(f"{report.confusion[(expected, got)]:>10}" for got in VERDICTS))
    lines += _table("按类别", report.per_category)
    lines += _table("按规则", report.per_rule)
    lines.append("")
    if report.uncovered:
        lines.append(f"语料中没有命中过的规则 {len(report.uncovered)} 条：{'、'.join(report.uncovered)}")
    if report.mismatches:
        lines.append(f"与标注不符 {len(report.mismatches)} 个：")
        lines += [f"  {m.label}：应为 {m.expected}，实为 {m.got}（{m.detail}）" for m in report.mismatches]
    else:
        lines.append("全部文档与标注一致。")
    return "\n".join(lines)
