"""docs/audit.md cannot drift: every stored field, CSV column, store and command option is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from secscreen.audit import STORES, SqliteAuditStore, decision_body, screening_body
from secscreen.audit.export import CSV_COLUMNS
from secscreen.cli.audit_cmd import audit
from secscreen.cli.review_cmd import review
from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

DOC = (Path(__file__).resolve().parents[1] / "docs" / "audit.md").read_text(encoding="utf-8")
DOCUMENTED = set(re.findall(r"`([^`\s]+)`", DOC))


def fields(store: SqliteAuditStore, compiled: CompiledRuleSet) -> set[str]:
    result = analyse("通知\n机密★10年\n".encode(), "a.txt", compiled)
    screening = store.append("screening", screening_body(result, actor="a", channel="cli", file_name="a.txt"))
    decision = store.append("decision", decision_body(screening, decision="reject", by="b", role="reviewer",
                                                      reason="", channel="cli"))
    finding = screening.body["findings"][0]
    return {*screening.body, *decision.body, *finding, *finding["location"]}


def test_every_stored_field_is_documented(store: SqliteAuditStore, compiled: CompiledRuleSet) -> None:
    assert fields(store, compiled) - DOCUMENTED == set()


def test_every_csv_column_is_documented() -> None:
    assert set(CSV_COLUMNS) - DOCUMENTED == set()


def test_every_store_is_registered_and_documented() -> None:
    for store in STORES:
        assert f"| `{store.name}` |" in DOC


@pytest.mark.parametrize("group", [audit, review], ids=["audit", "review"])
def test_every_command_and_option_is_documented(group: click.Group) -> None:
    for name, command in group.commands.items():
        assert f"{group.name} {name}" in DOC or f"|{name}" in DOC or f"{name}|" in DOC, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.opts[0] in DOC, f"{name} {param.opts[0]}"
