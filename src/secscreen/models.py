"""The records every stage passes to the next.

Each stage of the pipeline is a plain function from one of these models to the next:

    bytes --extract--> Document --normalize/match--> [Hit] --rules--> [Finding] --verdict--> ScanResult

All models are pydantic so that the CLI, the HTTP service and the audit trail render one record.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Action(str, Enum):
    """What a finding asks for. Ordered by strength: ``block`` > ``review`` > ``info``."""

    INFO = "info"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]


_ACTION_RANK = {Action.INFO: 0, Action.REVIEW: 1, Action.BLOCK: 2}


class Verdict(str, Enum):
    PASS = "pass"
    REVIEW = "review"
    BLOCK = "block"

    @property
    def exit_code(self) -> int:
        """The CLI exit status for a run whose strongest verdict is this one."""
        return {Verdict.PASS: 0, Verdict.BLOCK: 1, Verdict.REVIEW: 3}[self]

    @property
    def rank(self) -> int:
        return {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.BLOCK: 2}[self]


class Part(str, Enum):
    """Where in a document a piece of text lives. Persisted in the audit trail: never rename a value."""

    BODY = "body"
    TITLE = "title"
    TABLE = "table"
    HEADER = "header"
    FOOTER = "footer"
    TEXTBOX = "textbox"
    FOOTNOTE = "footnote"
    ENDNOTE = "endnote"
    COMMENT = "comment"
    REVISION_INSERTED = "revision-inserted"
    REVISION_DELETED = "revision-deleted"
    METADATA = "metadata"
    HIDDEN = "hidden"
    ATTRIBUTE = "attribute"
    ANNOTATION = "annotation"
    NOTES = "notes"
    SHEET_NAME = "sheet-name"
    FILENAME = "filename"
    IMAGE_OCR = "image-ocr"


class Origin(BaseModel):
    """Where a segment came from in the original file."""

    model_config = ConfigDict(frozen=True)

    part: Part = Part.BODY
    page: int | None = None
    line: int | None = Field(default=None, description="1-based line (or paragraph) of the segment's first character")
    paragraph: int | None = None
    path: str | None = Field(default=None, description="inner path inside an archive or container, e.g. a.zip!b.docx")
    name: str | None = Field(default=None, description="label of the part: a property name, sheet name, attribute")
    bbox: tuple[float, float, float, float] | None = Field(
        default=None, description="x0, top, x1, bottom on the page (points) where the format has positions"
    )
    page_height: float | None = None
    page_width: float | None = None


class Segment(BaseModel):
    """A run of original text and where it came from. Lines inside ``text`` are separated by ``\\n``."""

    text: str
    origin: Origin = Origin()


class ExtractionIssue(BaseModel):
    """Something that could not be fully read. Every issue raises the verdict to at least ``review``.

    ``code`` is a stable identifier written into the audit trail (see ``secscreen.extract.issues``).
    """

    code: str
    message: str
    action: Action = Action.REVIEW
    path: str | None = None
    pages: list[int] = Field(default_factory=list)


class Document(BaseModel):
    """What an extractor read out of a file."""

    media_type: str
    segments: list[Segment] = Field(default_factory=list)
    issues: list[ExtractionIssue] = Field(default_factory=list)
    page_count: int | None = None


class Location(BaseModel):
    part: Part
    page: int | None = None
    line: int | None = None
    paragraph: int | None = None
    start: int = Field(description="character offset of the match in the original segment text")
    end: int
    path: str | None = None
    name: str | None = None
    zone: str | None = Field(default=None, description="header, note, footer, metadata or body")


class Finding(BaseModel):
    """One explained reason for a verdict."""

    rule_id: str
    title: str = ""
    category: str
    action: Action
    matched: str = Field(description="the matched text exactly as it stands in the original")
    location: Location
    snippet: str
    rationale: str
    why: str = Field(default="", description="the conditions that decided the outcome")


class RulesetInfo(BaseModel):
    version: str
    sha256: str
    rules: int = 0


#: the issue as it appears in a result (the same record the extractor gave)
IssueOut = ExtractionIssue


class ScanResult(BaseModel):
    """The answer for one document. Its JSON form is a contract (DESIGN.md): add fields, never rename."""

    path: str
    sha256: str
    size: int = 0
    media_type: str
    verdict: Verdict
    findings: list[Finding] = Field(default_factory=list)
    issues: list[IssueOut] = Field(default_factory=list)
    ruleset: RulesetInfo
    audit_id: str | None = None
    duration_ms: float = 0.0
    suppressed: list[dict[str, Any]] = Field(default_factory=list, exclude=True)

    def summary_counts(self) -> dict[str, int]:
        counts = {a.value: 0 for a in Action}
        for finding in self.findings:
            counts[finding.action.value] += 1
        return counts
