"""HTML: visible text in reading order, plus what a reader or a crawler can still dig out.

Block elements become segments (``line`` = source line, ``paragraph`` = block number in reading
order). A table row is one segment whose lines are its cells: a mark split across cells
(``<td>机</td><td>密★10年</td>``) is one text in the compact view, while a mark alone in its cell
is still alone on its line. Text inside elements hidden by ``hidden``, ``display:none``, ``visibility:hidden`` or a zero
font size is reported with ``part: hidden``; ``title``/``alt``/``aria-label``/``placeholder``
attributes with ``part: attribute``; ``<meta>`` content with ``part: metadata``; comments with
``part: comment``. Scripts and styles are not text a reader sees and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree as etree
import lxml.html

from ..models import Document, Origin, Part, Segment
from . import issues, sniff
from .base import ExtractContext
from .text import decode_text, normalize_newlines

_BLOCK_TAGS = frozenset(
    ["address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "caption", "title", "option"]
)
_SKIP_TAGS = frozenset(("script", "style", "template", "svg", "math"))
_TEXT_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder", "data-title", "data-original-title")
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0*)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)",
    re.IGNORECASE,
)
_META_NAMES = frozenset(("description", "keywords", "author", "subject", "title", "classification", "密级"))


@dataclass
class _Block:
    part: Part
    line: int | None
    chunks: list[str] = field(default_factory=list)


@dataclass
class _Walker:
    blocks: list[_Block] = field(default_factory=list)
    extras: list[Segment] = field(default_factory=list)

    def current(self, part: Part, line: int | None) -> _Block:
        if not self.blocks or self.blocks[-1].part is not part:
            self.blocks.append(_Block(part=part, line=line))
        return self.blocks[-1]

    def add_text(self, text: str | None, part: Part, line: int | None) -> None:
        if text:
            block = self.current(part, line)
            if block.line is None and text.strip():
                block.line = line
            block.chunks.append(text)

    def break_block(self, part: Part, line: int | None) -> None:
        self.blocks.append(_Block(part=part, line=line))

    def walk(self, element: etree._Element, hidden: bool, in_row: bool = False) -> None:
        line = element.sourceline
        if isinstance(element, etree._Comment):
            if element.text and element.text.strip():
                self.extras.append(Segment(text=element.text.strip(), origin=Origin(part=Part.COMMENT, line=line)))
            return
        if not isinstance(element.tag, str):
            return
        tag = element.tag.lower()
        if tag in _SKIP_TAGS:
            return
        if tag == "meta":
            self._meta(element, line)
            return
        if tag == "br":
            # a line break inside its block: a wrapped table cell must still match as one text
            self.add_text("\n", _part(tag, hidden or _is_hidden(element), in_row), line)
            return
        self._attributes(element, line)
        hidden = hidden or _is_hidden(element)
        part = _part(tag, hidden, in_row or tag == "tr")
        # a table row is one block; its cells (and blocks inside them) are lines of it
        block = tag in _BLOCK_TAGS and not in_row
        separator = tag in _BLOCK_TAGS and in_row
        inside_row = in_row or tag == "tr"
        if block:
            # a row takes the source line of its first cell, so a pretty-printed row's lines line up
            self.break_block(part, None if tag == "tr" else line)
        elif separator:
            self.add_text("\n", part, line)
        self.add_text(element.text, part, line)
        for child in element:
            self.walk(child, hidden, inside_row)
            self.add_text(child.tail, part, child.sourceline)
        if block:
            # a row takes the source line of its first cell, so a pretty-printed row's lines line up
            self.break_block(part, None if tag == "tr" else line)
        elif separator:
            self.add_text("\n", part, line)

    def _meta(self, element: etree._Element, line: int | None) -> None:
        name = (element.get("name") or element.get("property") or element.get("http-equiv") or "").strip()
        content = element.get("content")
        if content and content.strip() and (name.lower() in _META_NAMES or not name.lower().startswith("viewport")):
            self.extras.append(
                Segment(text=content.strip(), origin=Origin(part=Part.METADATA, line=line, name=name or "meta"))
            )

    def _attributes(self, element: etree._Element, line: int | None) -> None:
        for attribute in _TEXT_ATTRIBUTES:
            value = element.get(attribute)
            if value and value.strip():
                origin = Origin(part=Part.ATTRIBUTE, line=line, name=f"{element.tag}@{attribute}")
                self.extras.append(Segment(text=value.strip(), origin=origin))


def _part(tag: str, hidden: bool, in_row: bool) -> Part:
    """Hidden wins; a table row's text is ``table`` (rules read rows two at a time); else body or title."""
    if hidden:
        return Part.HIDDEN
    if in_row:
        return Part.TABLE
    return Part.TITLE if tag == "title" else Part.BODY


def _is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if element.tag == "input" and (element.get("type") or "").lower() == "hidden":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _block_text(block: _Block) -> str:
    text = "".join(block.chunks)
    text = normalize_newlines(text)
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def html_segments(markup: str) -> list[Segment]:
    """Segments of an HTML string in reading order, then the attribute, meta and comment parts."""
    if not markup.strip():
        return []
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return []
    walker = _Walker()
    walker.walk(root, hidden=False)
    for comment in root.getroottree().getroot().itersiblings(preceding=True):
        walker.walk(comment, hidden=False)
    segments: list[Segment] = []
    paragraph = 0
    for block in walker.blocks:
        text = _block_text(block)
        if text:
            paragraph += 1
            segments.append(Segment(text=text, origin=Origin(part=block.part, line=block.line, paragraph=paragraph)))
    return segments + walker.extras


class HtmlExtractor:
    name = "html"
    media_types = (sniff.HTML,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        markup, doubts = decode_text(data, html=True)
        segments = html_segments(markup)
        if ctx.depth:
            segments = [s.model_copy(update={"origin": s.origin.model_copy(update={"path": ctx.path})}) for s in segments]
        if not segments and markup.strip():
            doubts.append(issues.issue(issues.UNREADABLE, "HTML 无法解析"))
        return Document(media_type=sniff.HTML, segments=segments, issues=doubts)
