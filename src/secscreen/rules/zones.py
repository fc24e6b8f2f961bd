"""Zones a rule can name: where on the document a line sits.

- ``header``: a DOCX/PDF page header, the first ``HEADER_LINES`` non-blank lines of the main text on
  page 1, or (where the format has positions) the top quarter of page 1;
- ``note``: a line wholly in parentheses, the shape of a 附注 such as （此件不公开）;
- ``footer``: a page footer, or the last ``FOOTER_LINES`` non-blank lines of the main text (版记);
- ``metadata``: document properties, the file name, sheet names, the caller's metadata;
- ``body``: everything else.

A line can be in several zones at once (a one-line document is header and footer).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..models import Document, Part, Segment

HEADER_LINES = 6
FOOTER_LINES = 3
HEADER_FRACTION = 0.25
_FLOW_PARTS = frozenset((Part.BODY, Part.TABLE, Part.TEXTBOX, Part.TITLE))
_METADATA_PARTS = frozenset((Part.METADATA, Part.FILENAME, Part.SHEET_NAME))
_NOTE_LINE = re.compile(r"^\s*[（(][^（）()]{2,80}[）)]\s*$")


@dataclass
class SegmentLines:
    starts: list[int]
    zones: list[frozenset[str]]

    def line_index(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1


def _line_starts(text: str) -> list[int]:
    starts = [0]
    position = text.find("\n")
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts


def _base_zone(segment: Segment) -> str:
    part = segment.origin.part
    if part is Part.HEADER:
        return "header"
    if part is Part.FOOTER:
        return "footer"
    if part in _METADATA_PARTS:
        return "metadata"
    return "body"


def _in_top_of_first_page(segment: Segment) -> bool:
    origin = segment.origin
    return (
        origin.bbox is not None
        and origin.page_height is not None
        and (origin.page or 1) == 1
        and origin.bbox[1] <= origin.page_height * HEADER_FRACTION
    )


def layout(document: Document) -> list[SegmentLines]:
    """Zones of every line of every segment, in document order."""
    result: list[SegmentLines] = []
    flow: list[tuple[int, int]] = []  # (segment index, line index) of non-blank main-text lines
    for index, segment in enumerate(document.segments):
        starts = _line_starts(segment.text)
        base = _base_zone(segment)
        zones: list[frozenset[str]] = []
        for line_no, start in enumerate(starts):
            end = starts[line_no + 1] - 1 if line_no + 1 < len(starts) else len(segment.text)
            line = segment.text[start:end]
            found = {base}
            if _NOTE_LINE.match(line):
                found.add("note")
            if base == "body" and _in_top_of_first_page(segment):
                found.add("header")
            zones.append(frozenset(found))
            if line.strip() and segment.origin.part in _FLOW_PARTS and (segment.origin.page or 1) >= 1:
                flow.append((index, line_no))
        result.append(SegmentLines(starts=starts, zones=zones))
    first_page = [(s, ln) for s, ln in flow if (document.segments[s].origin.page or 1) == 1]
    for s, ln in first_page[:HEADER_LINES]:
        result[s].zones[ln] = result[s].zones[ln] | {"header"}
    for s, ln in flow[-FOOTER_LINES:]:
        result[s].zones[ln] = result[s].zones[ln] | {"footer"}
    return result
