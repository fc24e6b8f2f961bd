"""What the CLI commands share: loading the rule set and the audit store from options."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..audit import SqliteAuditStore, open_store
from ..rules import CompiledRuleSet, RuleSet, compile_ruleset, load_ruleset
from ..settings import Settings

EXIT_USAGE = 2
ENV_AUDIT = "SECSCREEN_AUDIT_DB"

rules_option = click.option(
    "--rules", "rule_dirs", multiple=True, type=click.Path(exists=False),
    help="附加的规则目录（可重复；也可用环境变量 SECSCREEN_RULES，多个目录以路径分隔符分开）。",
)
audit_option = click.option(
    "--audit-db", type=click.Path(dir_okay=False), default=None,
    help="审计库文件（默认 $SECSCREEN_HOME/audit.sqlite3；也可用环境变量 SECSCREEN_AUDIT_DB）。",
)


def settings() -> Settings:
    return Settings()


def ruleset(rule_dirs: tuple[str, ...]) -> RuleSet:
    return load_ruleset(rule_dirs)


def compiled(rule_dirs: tuple[str, ...]) -> CompiledRuleSet:
    return compile_ruleset(ruleset(rule_dirs), settings().cache_dir)


def store(audit_db: str | None) -> SqliteAuditStore:
    path = audit_db or os.environ.get(ENV_AUDIT)
    return open_store(Path(path) if path else settings().audit_path)
