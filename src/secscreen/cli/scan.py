"""``secscreen scan PATH...``: screen files and folders, print verdicts, exit 0/1/3 (2 usage, 4 audit)."""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..audit import AuditStore
from ..errors import ConfigError
from ..extract import issues
from ..models import ExtractionIssue, ScanResult, Verdict
from ..pipeline import screen
from ..rules import CompiledRuleSet
from ..settings import Settings
from . import common
from .render import result_text


def _files(paths: tuple[str, ...]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    yield Path(root) / name
        elif path.exists():
            yield path
        else:
            raise ConfigError(f"文件或目录不存在：{raw}")


def _meta(pairs: tuple[str, ...]) -> dict[str, str]:
    meta = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--meta 应为 KEY=VALUE 形式：{pair}")
        meta[key.strip()] = value
    return meta


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def exit_status(verdicts: list[Verdict]) -> int:
    if Verdict.BLOCK in verdicts:
        return 1
    if Verdict.REVIEW in verdicts:
        return 3
    return 0


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@common.rules_option
@common.audit_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="输出格式：text 或 json（每行一个 JSON 对象）。")
@click.option("--meta", "meta_pairs", multiple=True, help="调用方元数据 KEY=VALUE，如 source=某某局、title=标题（可重复）。")
@click.option("--actor", default=None, help="记入审计的操作人（默认当前系统用户）。")
def scan(paths: tuple[str, ...], rule_dirs: tuple[str, ...], audit_db: str | None, fmt: str,
         meta_pairs: tuple[str, ...], actor: str | None) -> None:
    """检查文件或目录（递归），给出 pass / review / block 结论及每条发现的依据。

    退出码：0 全部通过；1 至少一个禁止发布；3 有需人工审核且无禁止；2 用法或配置错误；4 审计记录无法写入。
    """
    meta = _meta(meta_pairs)
    files = list(_files(paths))
    compiled = common.compiled(rule_dirs)
    settings = common.settings()
    store = common.store(audit_db)
    who = actor or _actor()
    verdicts: list[Verdict] = []
    for path in files:
        result = _screen_file(path, compiled, store, who, meta, settings)
        verdicts.append(result.verdict)
        if fmt == "json":
            click.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        else:
            click.echo(result_text(result))
    if fmt == "text" and len(files) > 1:
        counts = {v: verdicts.count(v) for v in Verdict}
        click.echo(f"共 {len(files)} 个文件：通过 {counts[Verdict.PASS]}，需审核 {counts[Verdict.REVIEW]}，禁止发布 {counts[Verdict.BLOCK]}")
    sys.exit(exit_status(verdicts))


def _screen_file(path: Path, compiled: CompiledRuleSet, store: AuditStore, actor: str, meta: dict[str, str],
                 settings: Settings) -> ScanResult:
    """Screen one file; one that cannot be read, or is over the size limit, is recorded as ``review``."""
    limits = settings.limits
    unread: ExtractionIssue | None = None
    data = b""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            unread = issues.issue(issues.LIMIT_EXCEEDED, f"{size} 字节，上限 {limits.max_bytes} 字节", path=str(path))
        else:
            data = path.read_bytes()
    except OSError as error:
        unread = issues.issue(issues.UNREADABLE, f"无法读取文件：{error.strerror}", path=str(path))
    return screen(data, str(path), compiled, store, actor=actor, channel="cli", meta=meta, limits=limits,
                  unread=unread)
