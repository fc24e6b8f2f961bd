"""The rule-pack schema: what a security officer may write in a YAML pack, validated strictly.

A pack is ``{schema_version, pack, title?, rules: [...], disable: [...], modify: {...}, extend: {...}}``.
Unknown fields are errors (they are usually typos that would silently weaken a rule).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..match.validators import VALIDATORS
from ..models import Action, Part

SCHEMA_VERSION = 1
ZONES = ("header", "note", "footer", "metadata", "body")
_ID = re.compile(r"^[A-Z][A-Z0-9]*-[0-9A-Z]{2,}(?:-[0-9A-Z]+)*$")


class Kind(str, Enum):
    KEYWORD = "keyword"
    PATTERN = "pattern"
    ALLOW = "allow"
    SOURCE = "source"


class Status(str, Enum):
    STABLE = "stable"
    EXPERIMENTAL = "experimental"
    DEPRECATED = "deprecated"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Near(Strict):
    words: list[str] = Field(min_length=1)
    window: int = Field(default=10, ge=1, le=200)


class Conditions(Strict):
    """Every condition given must hold. Absent conditions do not restrict."""

    parts: list[Part] | None = None
    not_parts: list[Part] | None = None
    zones: list[Literal["header", "note", "footer", "metadata", "body"]] | None = None
    not_zones: list[Literal["header", "note", "footer", "metadata", "body"]] | None = None
    standalone: bool | None = Field(default=None, description="the match is alone on its line")
    line_start: bool | None = Field(default=None, description="the match opens its line")
    line_end: bool | None = Field(default=None, description="the match closes its line (a title ending in 纪要)")
    near: Near | None = None
    not_near: Near | None = None
    inside: list[str] | None = Field(default=None, description="the match lies inside one of these bracket pairs")
    not_inside: list[str] | None = None
    title_like: bool | None = Field(default=None, description="the match's line reads like a title or label")
    in_document: list[str] | None = Field(default=None, description="the document holds one of these phrases")
    not_in_document: list[str] | None = None
    min_count: int | None = Field(default=None, ge=2, description="the rule hit at least this many times")
    any_of: list[Conditions] | None = Field(default=None, description="at least one of these must hold")

    @field_validator("inside", "not_inside")
    @classmethod
    def _pairs(cls, value: list[str] | None) -> list[str] | None:
        for pair in value or []:
            if len(pair) != 2:
                raise ValueError(f"括号对必须是两个字符，如 《》，而不是 {pair!r}")
        return value


class Override(Strict):
    """When ``when`` holds, the hit takes ``action`` instead (``suppress`` drops it, with the reason)."""

    when: Conditions
    action: Action | Literal["suppress"]
    reason: str = Field(min_length=2)


class Example(Strict):
    text: str = Field(min_length=1)
    part: Part = Part.BODY
    meta: dict[str, str] = Field(default_factory=dict)
    reason: str = ""
    action: Action | None = Field(default=None, description="for match examples: the expected action")


class Examples(Strict):
    match: list[str | Example] = Field(default_factory=list)
    no_match: list[str | Example] = Field(default_factory=list)
    known_miss: list[str | Example] = Field(default_factory=list)


class SourceSpec(Strict):
    """Forbidden source categories: organ or publication names, checked in metadata and 来源 lines."""

    organs: list[str] = Field(min_length=1)
    meta_fields: list[str] = Field(default_factory=lambda: ["source", "来源", "发布机构", "发文机关"])
    labels: list[str] = Field(default_factory=lambda: ["来源", "信息来源", "发布机构", "发文机关", "来稿单位", "供稿单位", "稿件来源"])


class Rule(Strict):
    id: str
    title: str = Field(min_length=2)
    kind: Kind
    category: str = Field(min_length=2)
    action: Action = Action.REVIEW
    status: Status = Status.STABLE
    replaced_by: str | None = None
    rationale: str = Field(min_length=4)
    references: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    anchors: list[str] = Field(default_factory=list)
    window: int = Field(default=40, ge=1, le=400, description="characters around an anchor searched by patterns")
    view: Literal["compact", "folded"] = "compact"
    validators: list[str] = Field(default_factory=list)
    boundary: bool = Field(default=True, description="drop keyword hits that cut through a word (jieba)")
    cross_lines: bool = Field(default=True, description="a match may run over a line break (wrapped table cells)")
    table_rows: bool = Field(default=False, description="also match on each table row joined to the next row")
    max_gap: int = Field(default=2, ge=0, le=10, description="noise characters allowed between two characters")
    source: SourceSpec | None = None
    applies_to: list[str] = Field(default_factory=lambda: ["*"], description="allow rules: ids or categories")
    scope: Literal["span", "document"] = Field(
        default="span", description="allow rules: suppress hits inside the phrase, or the targets' hits anywhere")
    suppressible: bool = True
    conditions: Conditions = Conditions()
    overrides: list[Override] = Field(default_factory=list)
    examples: Examples = Examples()

    @field_validator("id")
    @classmethod
    def _id_form(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("规则编号须为大写字母前缀加连字符和编号，如 SS-001")
        return value

    @field_validator("validators")
    @classmethod
    def _known_validators(cls, value: list[str]) -> list[str]:
        unknown = [name for name in value if name not in VALIDATORS]
        if unknown:
            raise ValueError(f"未知的校验器 {unknown}；可用：{sorted(VALIDATORS)}")
        return value

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"正则表达式无效 {pattern!r}：{error}") from error
        return value

    @model_validator(mode="after")
    def _kind_fields(self) -> Rule:
        if self.kind is Kind.KEYWORD and not self.keywords:
            raise ValueError("keyword 类规则必须给出 keywords")
        if self.kind is Kind.PATTERN and not self.patterns:
            raise ValueError("pattern 类规则必须给出 patterns")
        if self.kind is Kind.ALLOW and not (self.keywords or self.patterns):
            raise ValueError("allow 类规则必须给出 keywords 或 patterns")
        if self.kind is Kind.SOURCE and self.source is None:
            raise ValueError("source 类规则必须给出 source")
        if self.scope == "document" and (self.kind is not Kind.ALLOW or "*" in self.applies_to):
            raise ValueError("scope: document 只用于 allow 类规则，且 applies_to 必须列出具体的规则编号或类别")
        if any(not k.strip() for k in self.keywords + self.anchors):
            raise ValueError("关键词不能为空")
        return self


class Modification(Strict):
    """A site pack's change to an existing rule."""

    action: Action | None = None
    status: Status | None = None
    add_keywords: list[str] = Field(default_factory=list)


class Pack(Strict):
    schema_version: int
    pack: str = Field(min_length=1)
    title: str = ""
    description: str = ""
    rules: list[Rule] = Field(default_factory=list)
    disable: list[str] = Field(default_factory=list, description="rule ids switched off by this pack")
    modify: dict[str, Modification] = Field(default_factory=dict)

    @field_validator("schema_version")
    @classmethod
    def _version(cls, value: int) -> int:
        if value != SCHEMA_VERSION:
            raise ValueError(f"不支持的 schema_version {value}；当前为 {SCHEMA_VERSION}")
        return value
