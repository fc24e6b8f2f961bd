"""The character folding tables: built once per process, applied with ``str.translate``.

Per character, in this order: NFKC (full-width ５ -> 5, ㊙ -> 秘, ⑩ -> 10), removal of zero-width and
format characters, traditional -> simplified (character level, from OpenCC's TSCharacters table, so
offsets stay exact), one form for star variants (-> ★) and bracket variants (-> 〔 〕), ASCII letters
upper-cased. Characters that change length are also collected so that texts without any of them
skip building an offset map.

Speed: ``str.translate`` with a dict pays for a failed lookup on every unchanged character (about 5
times slower on Chinese text); the BMP is therefore translated with a list indexed by code point,
and the few texts with supplementary-plane characters get a second, dict-based pass.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

STAR = "★"
#: star-like characters, including the Wingdings star (U+F0AB) and other symbol-font private-use stars
STAR_VARIANTS = "☆✩✪✫✬✭✮✯✰⭐⭑⭒✱✲✳✴✵✶✷✸✹✺✻✼✽✾✿❀❁❂❃❄❅❆❇❈❉❊❋*＊※⁎⁑\uf0ab\uf0b5\uf06c\uf0aa\uf0ac"
BRACKET_OPEN = "〔﹝［[【〖"
BRACKET_CLOSE = "〕﹞］]】〗"
#: invisible characters removed before matching; their presence inside a mark is itself recorded
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f"
    "\u3164\ufeff\uffa0\ufff9\ufffa\ufffb"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
#: supplementary-plane format characters: shorthand and musical format controls, tags, variation selectors
INVISIBLE_RANGES = ((0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE007F), (0xE0100, 0xE01EF))
INVISIBLE_RE = re.compile(
    "[" + re.escape(INVISIBLE) + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in INVISIBLE_RANGES) + "]"
)


@lru_cache(maxsize=1)
def t2s_table() -> dict[str, str]:
    """Traditional -> simplified, one character to one character (first candidate of OpenCC's table)."""
    table: dict[str, str] = {}
    source = resources.files("opencc") / "dictionary" / "TSCharacters.txt"
    for line in source.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        target = values.split(" ")[0] if values else ""
        if len(key) == 1 and len(target) == 1 and key != target:
            table[key] = target
    return table


def _fold_char(char: str) -> str:
    if char in INVISIBLE:
        return ""
    if char in STAR_VARIANTS:
        return STAR
    folded = unicodedata.normalize("NFKC", char)
    if INVISIBLE_RE.fullmatch(folded or " "):
        return ""
    t2s = t2s_table()
    out = []
    for c in folded:
        c = t2s.get(c, c)
        if c in STAR_VARIANTS:
            c = STAR
        elif c in BRACKET_OPEN:
            c = "〔"
        elif c in BRACKET_CLOSE:
            c = "〕"
        elif "a" <= c <= "z":
            c = c.upper()
        out.append(c)
    return "".join(out)


_FOLDED_BLOCKS = (
    (0x20, 0x3400), (0xA000, 0xE000), (0xF900, 0x10000), (0x10780, 0x107C0), (0x1D000, 0x1F300), (0x1FBF0, 0x1FBFA),
    (0x2F800, 0x2FA20),
)


_SUPPLEMENTARY_RE = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class FoldTables:
    """Every character's fold (``table``), the same split by plane for speed, and the characters whose
    fold changes the length, per plane (a class of supplementary characters makes a regex slow)."""

    table: dict[int, str]
    bmp: list[int | str]
    supplementary: dict[int, str]
    resizing_bmp: re.Pattern[str]
    resizing_supplementary: re.Pattern[str]

    def fold(self, text: str) -> tuple[str, list[tuple[int, int]]]:
        """``text.translate(self.table)``, faster, and ``(position, folded length)`` where the length changes."""
        folded = text.translate(self.bmp)
        positions = [m.start() for m in self.resizing_bmp.finditer(text)]
        if _SUPPLEMENTARY_RE.search(text):
            folded = folded.translate(self.supplementary)
            positions.extend(m.start() for m in self.resizing_supplementary.finditer(text))
            positions.sort()
        table = self.table
        return folded, [(position, len(table[ord(text[position])])) for position in positions]


@lru_cache(maxsize=1)
def tables() -> FoldTables:
    """The folding tables (see ``FoldTables``), built on first use (about 0.1 s)."""
    table: dict[int, str] = {}
    resizing: list[int] = []
    # every block NFKC changes (private use excluded: only the symbol-font stars listed below)
    candidates = {c for lo, hi in _FOLDED_BLOCKS for c in range(lo, hi)}
    candidates |= {ord(c) for c in t2s_table()} | {ord(c) for c in INVISIBLE + STAR_VARIANTS}
    candidates |= {c for lo, hi in INVISIBLE_RANGES for c in range(lo, hi + 1)}
    for code in sorted(candidates):
        if code > sys.maxunicode or 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
            if len(folded) != 1:
                resizing.append(code)
    bmp: list[int | str] = list(range(0x10000))
    supplementary: dict[int, str] = {}
    for code, folded in table.items():
        if code <= 0xFFFF:
            bmp[code] = folded
        else:
            supplementary[code] = folded
    # the second pass must not touch what the first one wrote (checked, not assumed)
    written = {ord(c) for code, folded in table.items() if code <= 0xFFFF for c in folded}
    if written & supplementary.keys():
        raise RuntimeError("fold tables: BMP folds produce characters that the second pass would change")
    return FoldTables(
        table, bmp, supplementary, char_class([c for c in resizing if c <= 0xFFFF]),
        char_class([c for c in resizing if c > 0xFFFF]),
    )


def class_body(codes: list[int]) -> str:
    """The inside of a regex character class for ``codes`` (sorted), written as merged ranges: a class
    of single characters this large would make every search about 15 times slower."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in ranges)


def char_class(codes: list[int]) -> re.Pattern[str]:
    """A regex for one of ``codes`` (sorted)."""
    return re.compile("[" + class_body(codes) + "]") if codes else re.compile("(?!)")
