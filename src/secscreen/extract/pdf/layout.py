"""Characters -> lines -> segments, by position, never by drawing order.

- A line is the characters whose vertical centres fall in one band, ordered left to right: a ★ from a
  fallback font drawn before the level words still lands between them (``机密★10年``).
- A space is put where the gap between glyphs is wide; the matcher's compact view ignores spaces.
- Glyphs drawn twice at almost the same place (simulated bold) are kept once.
- A line is cut into runs at wide gaps (table cells side by side). Runs stacked in one column at
  single line spacing are a wrapped cell: they are emitted again as one ``table`` segment, lines
  joined with ``\\n``, so a mark wrapped as ``机密`` / ``★10`` / ``年`` still matches.
- A line that runs to the right margin and is continued at the left margin by a line of the same size
  wrapped: such lines form one segment (a paragraph) and are joined without a break, as the sentence
  was written, so a mark broken over two lines still matches and line-shape conditions (standalone,
  title-like) see the sentence, not a fragment of it; the finding's ``line`` is the paragraph's first.
- Hidden characters (see ``chars``) form their own lines with ``part: hidden``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import cached_property

from ...models import Origin, Part, Segment
from .chars import Box, Char

SPACE_GAP = 0.2  # x line height: a wider gap between glyphs becomes a space
RUN_GAP = 1.5  # x line height: a wider gap separates runs (cells side by side)
WRAP_GAP = 0.5  # x line height: runs closer than this one above the other are one wrapped cell
PARAGRAPH_PITCH = 2.2  # x line height: the furthest the next line of a paragraph starts below
PARAGRAPH_SIZE = 0.15  # share by which glyph heights of one paragraph may differ
FULL_LINE = 1.5  # x line height: a line ending this close to the right margin wrapped onto the next
LONG_LINE = 0.6  # share of the text width from which a line of an indented block counts as full
DUPLICATE_OVERLAP = 0.6  # share of a glyph's width a same-character neighbour must overlap to be a duplicate


@dataclass
class Run:
    chars: list[Char] = field(default_factory=list)

    @cached_property
    def box(self) -> Box:
        return _union([c.box for c in self.chars])

    def text(self, height: float) -> str:
        out: list[str] = []
        for previous, char in zip([None, *self.chars], self.chars, strict=False):
            if previous is not None and char.box[0] - previous.box[2] > SPACE_GAP * height:
                out.append(" ")
            out.append(char.text)
        return "".join(out)


@dataclass
class Line:
    chars: list[Char]
    hidden: bool
    number: int = 0
    runs: list[Run] = field(default_factory=list)

    @cached_property
    def box(self) -> Box:
        return _union([c.box for c in self.chars])

    @cached_property
    def height(self) -> float:
        heights = sorted(c.height for c in self.chars)
        return max(heights[len(heights) // 2], 0.1)

    @property
    def text(self) -> str:
        return " ".join(run.text(self.height) for run in self.runs)


def _union(boxes: list[Box]) -> Box:
    x0s, tops, x1s, bottoms = zip(*boxes, strict=True)
    return (min(x0s), min(tops), max(x1s), max(bottoms))


def _centre(char: Char) -> float:
    return (char.box[1] + char.box[3]) / 2


def _bands(chars: list[Char]) -> list[list[Char]]:
    """Group characters whose vertical centre lies inside the band of the tallest glyph so far."""
    groups: list[list[Char]] = []
    top = bottom = tallest = 0.0
    for char in sorted(chars, key=lambda c: (_centre(c), c.box[0])):
        centre = _centre(char)
        if groups and top <= centre <= bottom:
            groups[-1].append(char)
            if char.height > tallest:
                top, bottom, tallest = char.box[1], char.box[3], char.height
            continue
        groups.append([char])
        top, bottom, tallest = char.box[1], char.box[3], char.height
    return groups


def _dedupe(chars: list[Char]) -> list[Char]:
    kept: list[Char] = []
    for char in chars:
        last = kept[-1] if kept else None
        if last is not None and last.text == char.text:
            overlap = min(last.box[2], char.box[2]) - max(last.box[0], char.box[0])
            if overlap > DUPLICATE_OVERLAP * max(char.box[2] - char.box[0], 0.1):
                continue
        kept.append(char)
    return kept


def _runs(chars: list[Char], height: float) -> list[Run]:
    runs: list[Run] = []
    for char in chars:
        if not runs or char.box[0] - runs[-1].chars[-1].box[2] > RUN_GAP * height:
            runs.append(Run())
        runs[-1].chars.append(char)
    return runs


def build_lines(chars: list[Char]) -> list[Line]:
    """Visible and hidden lines of a page, numbered top to bottom from 1."""
    lines: list[Line] = []
    for hidden in (False, True):
        for band in _bands([c for c in chars if (c.hidden is not None) is hidden]):
            line = Line(_dedupe(sorted(band, key=lambda c: c.box[0])), hidden)
            line.runs = _runs(line.chars, line.height)
            lines.append(line)
    lines.sort(key=lambda line: (line.box[1], line.box[0]))
    for number, line in enumerate(lines, start=1):
        line.number = number
    return lines


def _below(run: Run, height: float, candidates: list[Run]) -> Run | None:
    """The run of the next line that continues ``run`` as a wrapped cell, if any."""
    x0, _, x1, bottom = run.box
    best, best_overlap = None, 0.0
    for other in candidates:
        ox0, otop, ox1, _ = other.box
        overlap = min(x1, ox1) - max(x0, ox0)
        narrower = min(x1 - x0, ox1 - ox0)
        if -0.3 * height <= otop - bottom <= WRAP_GAP * height and overlap >= 0.5 * narrower and overlap > best_overlap:
            best, best_overlap = other, overlap
    return best


def wrapped_cells(lines: list[Line], page_width: float) -> list[tuple[Line, list[Run]]]:
    """Chains of runs stacked at single spacing, in a table (a line with several runs) or a narrow column."""
    visible = [line for line in lines if not line.hidden]
    following: dict[int, tuple[Line, Run]] = {}
    taken: set[int] = set()
    for upper, lower in itertools.pairwise(visible):
        for run in upper.runs:
            below = _below(run, upper.height, [r for r in lower.runs if id(r) not in taken])
            if below is not None:
                following[id(run)] = (lower, below)
                taken.add(id(below))
    chains: list[tuple[Line, list[Run]]] = []
    for line in visible:
        for run in line.runs:
            if id(run) in taken or id(run) not in following:
                continue
            chain, owners = [run], [line]
            while id(chain[-1]) in following:
                owner, nxt = following[id(chain[-1])]
                chain.append(nxt)
                owners.append(owner)
            in_table = any(len(owner.runs) > 1 for owner in owners)
            narrow = all(r.box[2] - r.box[0] < 0.4 * page_width for r in chain)
            if in_table or narrow:
                chains.append((line, chain))
    return chains


def _continues(upper: Line, lower: Line, left: float, right: float) -> bool:
    """``lower`` carries on the sentence of ``upper``: same size, next line, ``upper`` full, ``lower`` at the margin."""
    size = upper.height
    # full: reaches the page's right margin, or is a long line of an indented block as wide as the next
    full = upper.box[2] >= right - FULL_LINE * size or (
        upper.box[2] >= lower.box[2] - 0.5 * size and upper.box[2] - upper.box[0] >= LONG_LINE * (right - left)
    )
    return (
        full
        and len(upper.runs) == 1
        and len(lower.runs) == 1
        and abs(lower.height - size) <= PARAGRAPH_SIZE * size
        and 0 < lower.box[1] - upper.box[1] <= PARAGRAPH_PITCH * size
        and lower.box[0] <= upper.box[0] + size
    )


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped where a full line wraps onto the next (body text justified to the margins)."""
    groups: list[list[Line]] = []
    for hidden in (False, True):
        chosen = [line for line in lines if line.hidden is hidden]
        if not chosen:
            continue
        left = min(line.box[0] for line in chosen)
        right = max(line.box[2] for line in chosen)
        for line in chosen:
            if groups and groups[-1][-1].hidden is hidden and _continues(groups[-1][-1], line, left, right):
                groups[-1].append(line)
            else:
                groups.append([line])
    return groups


def _join(lines: list[str]) -> str:
    """Wrapped lines of one paragraph as the sentence they were: no break, a space only between Latin words."""
    out = lines[0]
    for line in lines[1:]:
        latin = out[-1:].isascii() and out[-1:].isalnum() and line[:1].isascii() and line[:1].isalnum()
        out += (" " if latin else "") + line
    return out


def _round(box: Box) -> Box:
    return (round(box[0], 1), round(box[1], 1), round(box[2], 1), round(box[3], 1))


def _to_frame(box: Box, turn: int) -> Box:
    """A page box in the frame where text of direction ``turn`` reads left to right, lines downwards."""
    x0, t0, x1, t1 = box
    return ((x0, t0, x1, t1), (-t1, x0, -t0, x1), (-x1, -t1, -x0, -t0), (t0, -x1, t1, -x0))[turn]


def _from_frame(box: Box, turn: int) -> Box:
    a0, b0, a1, b1 = box
    return ((a0, b0, a1, b1), (b0, -a1, b1, -a0), (-a1, -b1, -a0, -b0), (-b1, a0, -b0, a1))[turn]


def page_segments(chars: list[Char], page: int, width: float, height: float, path: str | None) -> list[Segment]:
    """One segment per paragraph (``body`` or ``hidden``; wrapped lines rejoined), plus one ``table``
    segment per wrapped cell (its lines joined with ``\\n``). Text turned by 90, 180 or 270 degrees
    (landscape pages printed onto portrait paper, vertical headers) is read in its own direction."""
    segments: list[Segment] = []
    numbered = 0
    for turn in sorted({c.quadrant for c in chars}):
        turned = [c for c in chars if c.quadrant == turn]
        if turn:
            turned = [Char(c.text, _to_frame(c.box, turn), c.hidden, turn) for c in turned]
        lines = build_lines(turned)
        for line in lines:
            line.number += numbered
        numbered += len(lines)
        frame_width = width if turn % 2 == 0 else height

        def origin(part: Part, line: int, box: Box, turn: int = turn) -> Origin:
            return Origin(part=part, page=page, line=line, bbox=_round(_from_frame(box, turn)),
                          page_width=round(width, 1), page_height=round(height, 1), path=path)

        for group in paragraphs(lines):
            part = Part.HIDDEN if group[0].hidden else Part.BODY
            box = _union([line.box for line in group])
            segments.append(Segment(text=_join([line.text for line in group]), origin=origin(part, group[0].number, box)))
        for first, chain in wrapped_cells(lines, frame_width):
            text = "\n".join(run.text(first.height) for run in chain)
            segments.append(Segment(text=text, origin=origin(Part.TABLE, first.number, _union([r.box for r in chain]))))
    # a wrapped cell follows the line it starts on, so line-count zones (header, footer) stay in page order
    segments.sort(key=lambda s: (s.origin.line or 0, s.origin.part is Part.TABLE))
    return segments
