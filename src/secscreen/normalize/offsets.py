"""Exact maps from positions in a derived text back to positions in the text it came from.

``OffsetMap``: the derived text replaces single characters of the source with strings of any length
(including the empty string), as folding does. It stores one piece per edit and one per unchanged
run, so it costs memory only where the text changed.

``DeletionMap``: the derived text only deletes runs of source characters, as the compact view does;
one entry per run.

Both map a derived span to the tightest source span that produced it: ``start`` is where the first
derived character came from, ``end`` is just after where the last one came from, so a span that
starts or ends next to a deleted character never includes it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate


@dataclass
class OffsetMap:
    """Pieces ``(derived_start, source_start, derived_len, source_len)`` in order.

    For unchanged runs ``derived_len == source_len``; for an edit ``source_len == 1``.
    """

    derived_starts: list[int] = field(default_factory=list)
    source_starts: list[int] = field(default_factory=list)
    derived_lens: list[int] = field(default_factory=list)
    source_lens: list[int] = field(default_factory=list)
    source_length: int = 0
    identity: bool = True

    @classmethod
    def build(cls, source_length: int, edits: list[tuple[int, int]]) -> OffsetMap:
        """``edits`` are ``(source_position, derived_length)`` for each replaced source character."""
        omap = cls(source_length=source_length, identity=not edits)
        derived = source = 0
        for position, length in edits:
            if position > source:
                omap._add(derived, source, position - source, position - source)
                derived += position - source
            omap._add(derived, position, length, 1)
            derived += length
            source = position + 1
        if source < source_length or not omap.derived_starts:
            omap._add(derived, source, source_length - source, source_length - source)
        return omap

    def _add(self, derived: int, source: int, derived_len: int, source_len: int) -> None:
        self.derived_starts.append(derived)
        self.source_starts.append(source)
        self.derived_lens.append(derived_len)
        self.source_lens.append(source_len)

    def start(self, position: int) -> int:
        """Source position of the character at derived ``position`` (``source_length`` past the end)."""
        if self.identity:
            return position
        index = bisect_right(self.derived_starts, position) - 1
        offset = position - self.derived_starts[index]
        if offset >= self.derived_lens[index]:
            # only the last piece can end at or before ``position``: we are past the last character
            return self.source_length
        if self.derived_lens[index] == self.source_lens[index]:
            return self.source_starts[index] + offset
        return self.source_starts[index]

    def end(self, position: int) -> int:
        """Source position just after derived character ``position - 1`` (an exclusive end)."""
        if self.identity:
            return position
        if position <= 0:
            return self.start(0)
        last = position - 1
        index = bisect_right(self.derived_starts, last) - 1
        while index >= 0 and self.derived_lens[index] == 0:
            index -= 1
        if index < 0:
            return 0
        offset = last - self.derived_starts[index]
        if self.derived_lens[index] == self.source_lens[index]:
            return self.source_starts[index] + offset + 1
        return self.source_starts[index] + self.source_lens[index]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the derived span ``[start, end)``."""
        if end <= start:
            source = self.start(start)
            return source, source
        return self.start(start), self.end(end)


@dataclass
class DeletionMap:
    """The map of a derived text made only by deleting runs of source characters (the compact view).

    Two lists per deleted run: the derived position where it was, and how many source characters
    were deleted up to and including it. Building it costs one append per run, not per character.
    """

    run_positions: list[int] = field(default_factory=list)
    deleted_through: list[int] = field(default_factory=list)
    source_length: int = 0
    identity: bool = True

    @classmethod
    def from_lengths(cls, source_length: int, kept: list[int], deleted: list[int]) -> DeletionMap:
        """From the lengths of the pieces kept and of the runs deleted between them (``kept`` has one more)."""
        omap = cls(source_length=source_length, identity=not deleted)
        omap.run_positions = list(accumulate(kept[:-1]))
        omap.deleted_through = list(accumulate(deleted))
        return omap

    def _deleted_up_to(self, position: int) -> int:
        index = bisect_right(self.run_positions, position)
        return self.deleted_through[index - 1] if index else 0

    def start(self, position: int) -> int:
        """Source position of the character at derived ``position`` (``source_length`` past the end)."""
        if self.identity:
            return position
        return min(position + self._deleted_up_to(position), self.source_length)

    def end(self, position: int) -> int:
        """Source position just after derived character ``position - 1`` (an exclusive end)."""
        if self.identity:
            return position
        if position <= 0:
            return self.start(0)
        return position + self._deleted_up_to(position - 1)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Source span of the derived span ``[start, end)``."""
        if end <= start:
            source = self.start(start)
            return source, source
        return self.start(start), self.end(end)
