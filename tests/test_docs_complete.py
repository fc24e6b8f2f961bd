"""Docs that cannot drift: every issue code, rule kind and rule field is documented where users look."""

from __future__ import annotations

import pytest

from secscreen.extract import issues
from secscreen.rules import RULE_KINDS
from secscreen.rules.schema import Rule

from .conftest import ROOT

FORMATS = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
GUIDE = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("code", sorted(issues.CATALOG))
def test_every_issue_code_is_documented(code: str) -> None:
    assert f"`{code}`" in FORMATS


@pytest.mark.parametrize("kind", [k.value for k in RULE_KINDS])
def test_every_rule_kind_is_in_the_authoring_guide(kind: str) -> None:
    assert f"{kind} " in GUIDE or f"`{kind}`" in GUIDE


@pytest.mark.parametrize("field", sorted(Rule.model_fields))
def test_every_rule_field_is_in_the_authoring_guide(field: str) -> None:
    assert f"`{field}" in GUIDE or f"{field}:" in GUIDE


def test_every_issue_has_a_chinese_explanation() -> None:
    for code, (_, message) in issues.CATALOG.items():
        assert any("\u4e00" <= c <= "\u9fff" for c in message), code
