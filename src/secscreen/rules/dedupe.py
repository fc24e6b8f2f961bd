"""One mark, one finding: hits of the same rule that are the same mark are reported once.

Two steps, both deterministic (ties go to the earlier segment, then the earlier offset):

1. **Overlap in one segment.** Hits of one rule whose original spans overlap are one mark (two
   patterns of a rule matching ``（此件发至县级）`` as ``此件发至县级`` and ``发至县级``): the longest
   is kept.
2. **The same mark read twice.** Some extractors read one piece of text into two segments (a PDF
   table cell is a line of its paragraph and a ``table`` segment of its own). Hits of one rule in
   different segments are one mark when their matched text is the same in the compact view, their
   parts are of one family (body, table and title are the page's text flow), they are on the same
   page of the same part (archive member, header, property), and their places overlap: the segments' boxes where both have positions, the lines of the
   hits otherwise. The hit in the most specific place is kept (the smaller box, else the segment
   with fewer lines, else the shorter segment). A kept hit stands for at most one hit of each other
   segment, so two marks in a paragraph are not folded into one cell's mark.

In both steps a hit whose action is stronger is never dropped for a weaker one: hits are taken
strongest first. Every dropped hit is returned with the reason, for ``suppressed``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..models import Part

_FLOW = frozenset((Part.BODY, Part.TABLE, Part.TITLE))

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Spot:
    """Where one hit sits, as much as deduplication needs to know."""

    rule_id: str
    rank: int  # strength of its action
    segment: int
    start: int  # original span in the segment
    end: int
    compact: str  # the matched text in the compact view
    part: Part
    page: int | None
    path: str | None  # inner path in an archive
    name: str | None  # label of the part (which header, which property)
    lines: tuple[int, int] | None  # first and last line of the hit, where the segment has lines
    bbox: Box | None  # the segment's box on the page
    segment_lines: int
    segment_length: int

    @property
    def family(self) -> str:
        return "flow" if self.part in _FLOW else self.part.value

    def place(self) -> str:
        where = f"第{self.page}页" if self.page is not None else ""
        line = f"第{self.lines[0]}行" if self.lines is not None else ""
        return f"{where}{line}（{self.part.value}）"


def dedupe(spots: list[Spot]) -> dict[int, str]:
    """Indices of ``spots`` to drop, each with the reason (Chinese, shown to rule authors)."""
    dropped = _overlaps(spots)
    dropped.update(_repeats(spots, dropped))
    return dropped


def _overlaps(spots: list[Spot]) -> dict[int, str]:
    order = sorted(range(len(spots)), key=lambda i: (-spots[i].rank, spots[i].start - spots[i].end,
                                                      spots[i].segment, spots[i].start))
    kept: dict[tuple[str, int], list[int]] = {}
    dropped: dict[int, str] = {}
    for index in order:
        spot = spots[index]
        group = kept.setdefault((spot.rule_id, spot.segment), [])
        other = next((k for k in group if spots[k].start < spot.end and spot.start < spots[k].end), None)
        if other is None:
            group.append(index)
        else:
            dropped[index] = f"与同一规则在同一处的较长命中“{spots[other].compact}”重叠，只报一次"
    return dropped


def _specificity(spot: Spot) -> tuple[float, int, int]:
    area = math.inf if spot.bbox is None else (spot.bbox[2] - spot.bbox[0]) * (spot.bbox[3] - spot.bbox[1])
    return area, spot.segment_lines, spot.segment_length


def _repeats(spots: list[Spot], dropped: dict[int, str]) -> dict[int, str]:
    live = [i for i in range(len(spots)) if i not in dropped]
    order = sorted(live, key=lambda i: (-spots[i].rank, *_specificity(spots[i]), spots[i].segment, spots[i].start))
    # kept hits by (rule, text, family, page, path, name) and then by line, so a sheet of many alike
    # hits compares each with the few on its lines, not with all of them
    kept: dict[tuple[object, ...], list[int]] = {}
    absorbed: set[tuple[int, int]] = set()  # (kept index, segment) pairs already used
    found: dict[int, str] = {}
    for index in order:
        spot = spots[index]
        near = [kept.get((*_key(spot), line), []) for line in _lines(spot)]
        other = next((k for group in near for k in group if spots[k].segment != spot.segment
                      and (k, spot.segment) not in absorbed and _same_place(spots[k], spot)), None)
        if other is None:
            for line in _lines(spot):
                kept.setdefault((*_key(spot), line), []).append(index)
        else:
            absorbed.add((other, spot.segment))
            found[index] = f"与{spots[other].place()}的命中是同一处标志，只报一次"
    return found


def _key(spot: Spot) -> tuple[object, ...]:
    return spot.rule_id, spot.compact, spot.family, spot.page, spot.path, spot.name


def _lines(spot: Spot) -> range:
    """The lines a hit is filed under: its own where it has no box, one bucket per page where it has."""
    if spot.bbox is None and spot.lines is not None:
        return range(spot.lines[0], spot.lines[1] + 1)
    return range(-1, 0)


def _same_place(a: Spot, b: Spot) -> bool:
    if a.bbox is not None and b.bbox is not None:
        return a.bbox[0] <= b.bbox[2] and b.bbox[0] <= a.bbox[2] and a.bbox[1] <= b.bbox[3] and b.bbox[1] <= a.bbox[3]
    if a.lines is None or b.lines is None:
        return False  # no place to compare (a property, a comment): two findings
    return a.lines[0] <= b.lines[1] and b.lines[0] <= a.lines[1]
