"""Table rows read two at a time, for rules that need a header row and the data row under it.

HTML and DOCX give one segment per table row (a line per cell), XLSX one per sheet row (cells joined
by tabs). A rule with ``table_rows: true`` is also matched on each row joined to the next row of the
same table — cells joined by tabs, the two rows by a newline — so a roster (姓名 | 身份证号 header, then a
data row) is one text. Only such rules see the joined text, and their findings point at the first row.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..models import Document, Part, Segment

#: parts that end a table: a row followed by one of these starts over
_FLOW = frozenset((Part.BODY, Part.TITLE, Part.TEXTBOX, Part.HEADER, Part.FOOTER))


@dataclass(frozen=True)
class RowPair:
    index: int  # of the first row's segment in the document
    original: Segment  # both rows as they stand (newlines kept), with the first row's origin
    for_matching: str  # the same characters, cells of a row joined by tabs


def row_pairs(document: Document) -> Iterator[RowPair]:
    """Each table row with the next row of the same table (same page and archive path)."""
    previous: tuple[int, Segment] | None = None
    for index, segment in enumerate(document.segments):
        part = segment.origin.part
        if part is Part.TABLE and segment.text.strip():
            if previous is not None and _same_table(previous[1], segment):
                yield _pair(previous[0], previous[1], segment)
            previous = (index, segment)
        elif part in _FLOW:
            previous = None


def _same_table(first: Segment, second: Segment) -> bool:
    return (first.origin.page, first.origin.path) == (second.origin.page, second.origin.path)


def _pair(index: int, first: Segment, second: Segment) -> RowPair:
    text = first.text + "\n" + second.text
    cells = first.text.replace("\n", "\t") + "\n" + second.text.replace("\n", "\t")  # one to one: offsets hold
    return RowPair(index, Segment(text=text, origin=first.origin), cells)
