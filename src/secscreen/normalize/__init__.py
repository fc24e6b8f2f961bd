"""Normalization stage: per segment, a folded view and a compact view, each mapped back exactly.

- ``folded``: NFKC, invisible characters removed, traditional -> simplified, stars -> ★, brackets
  -> 〔〕, ASCII upper-cased (``fold.py``). Used for word-boundary checks, context words and the
  personal-data patterns, where spaces between numbers matter.
- ``compact``: the folded view without whitespace and noise characters (``机 密``, ``机-密``, ``机.密``).
  Keywords and marker patterns match here; the matcher then bounds how many characters a match may
  skip (the rule's ``max_gap``), so this never deletes spaces from the document as a whole.

Every position in either view maps back to the exact original characters (``OffsetMap`` for the
fold, ``DeletionMap`` for the compact view; property-tested in ``tests/test_normalize_properties.py``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .fold import STAR, tables
from .offsets import DeletionMap, OffsetMap

NOISE_CHARS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2028\u2029-_.·•@#~|/\\^`'\"+=:;,"
_NOISE_RE = re.compile("[" + re.escape(NOISE_CHARS) + "]+")
_NOISE_SPLIT_RE = re.compile("(" + _NOISE_RE.pattern + ")")
#: private-use characters (symbol fonts) left after folding are suspicious inside a mark
PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")


@dataclass
class Normalized:
    original: str
    folded: str
    fold_map: OffsetMap
    compact: str
    compact_map: DeletionMap | OffsetMap
    invisible: list[int]

    def folded_to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.fold_map.span(start, end)

    def compact_to_folded(self, start: int, end: int) -> tuple[int, int]:
        return self.compact_map.span(start, end)

    def compact_to_original(self, start: int, end: int) -> tuple[int, int]:
        folded_start, folded_end = self.compact_map.span(start, end)
        return self.fold_map.span(folded_start, folded_end)

    def invisible_in(self, start: int, end: int) -> int:
        """How many invisible characters were removed inside original span ``[start, end)``."""
        return bisect_left(self.invisible, end) - bisect_left(self.invisible, start)


def fold(text: str) -> tuple[str, OffsetMap]:
    """The folded view of ``text`` and its map back."""
    folded, fold_map, _ = _fold(text)
    return folded, fold_map


def _fold(text: str) -> tuple[str, OffsetMap, list[int]]:
    """The folded view, its map back, and the positions of the characters it removed (all invisible)."""
    folded, edits = tables().fold(text)
    if not edits:
        return folded, OffsetMap(source_length=len(text)), []
    removed = [position for position, length in edits if length == 0]
    return folded, OffsetMap.build(len(text), edits), removed


def compact(folded: str) -> tuple[str, DeletionMap]:
    """The folded text without whitespace and noise characters, and its map back to the folded text."""
    parts = _NOISE_SPLIT_RE.split(folded)  # kept, run, kept, run, ..., kept
    if len(parts) == 1:
        return folded, DeletionMap(source_length=len(folded))
    kept = parts[0::2]
    return "".join(kept), DeletionMap.from_lengths(len(folded), list(map(len, kept)), list(map(len, parts[1::2])))


def normalize(text: str) -> Normalized:
    folded, fold_map, invisible = _fold(text)
    compacted, compact_map = compact(folded)
    return Normalized(text, folded, fold_map, compacted, compact_map, invisible)


def fold_keyword(keyword: str) -> str:
    """A rule keyword in the form it takes in the compact view."""
    return _NOISE_RE.sub("", fold(keyword)[0])


__all__ = [
    "NOISE_CHARS", "PRIVATE_USE_RE", "STAR", "DeletionMap", "Normalized", "OffsetMap", "compact", "fold", "fold_keyword",
    "normalize",
]
