"""Normalization stage: per segment, a folded view and a compact view, each mapped back exactly.

- ``folded``: NFKC, invisible characters removed, traditional -> simplified, stars -> ★, brackets
  -> 〔〕, ASCII upper-cased (``fold.py``). Used for word-boundary checks, context words and the
  personal-data patterns, where spaces between numbers matter.
- ``compact``: the folded view without whitespace and noise characters (``机 密``, ``机-密``, ``机.密``).
  Keywords and marker patterns match here; the matcher then bounds how many original characters a
  match may skip (``SkipLimit``), so this never deletes spaces from the document as a whole.

Every position in either view maps back to the exact original characters (``OffsetMap``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .fold import INVISIBLE_RE, STAR, tables
from .offsets import OffsetMap

NOISE_CHARS = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2028\u2029-_.·•@#~|/\\^`'\"+=:;,"
_NOISE_RE = re.compile("[" + re.escape(NOISE_CHARS) + "]+")
#: private-use characters (symbol fonts) left after folding are suspicious inside a mark
PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")


@dataclass
class Normalized:
    original: str
    folded: str
    fold_map: OffsetMap
    compact: str
    compact_map: OffsetMap
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
    table, resizing = tables()
    folded = text.translate(table)
    if len(folded) == len(text) and not resizing.search(text):
        return folded, OffsetMap(source_length=len(text))
    edits = [(m.start(), len(table[ord(m.group())])) for m in resizing.finditer(text)]
    return folded, OffsetMap.build(len(text), edits)


def compact(folded: str) -> tuple[str, OffsetMap]:
    """The folded text without whitespace and noise characters, and its map back to the folded text."""
    edits: list[tuple[int, int]] = []
    for match in _NOISE_RE.finditer(folded):
        edits.extend((position, 0) for position in range(match.start(), match.end()))
    if not edits:
        return folded, OffsetMap(source_length=len(folded))
    return _NOISE_RE.sub("", folded), OffsetMap.build(len(folded), edits)


def normalize(text: str) -> Normalized:
    folded, fold_map = fold(text)
    compacted, compact_map = compact(folded)
    invisible = [m.start() for m in INVISIBLE_RE.finditer(text)] if not fold_map.identity else []
    return Normalized(text, folded, fold_map, compacted, compact_map, invisible)


def fold_keyword(keyword: str) -> str:
    """A rule keyword in the form it takes in the compact view."""
    return _NOISE_RE.sub("", fold(keyword)[0])


__all__ = ["STAR", "Normalized", "OffsetMap", "compact", "fold", "fold_keyword", "normalize"]
