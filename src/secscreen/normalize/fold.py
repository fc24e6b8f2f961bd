"""The character folding table: one ``str.translate`` table built once per process.

Per character, in this order: NFKC (full-width ５ -> 5, ㊙ -> 秘, ⑩ -> 10), removal of zero-width and
format characters, traditional -> simplified (character level, from OpenCC's TSCharacters table, so
offsets stay exact), one form for star variants (-> ★) and bracket variants (-> 〔 〕), ASCII letters
upper-cased. Characters that change length are also collected so that texts without any of them
skip building an offset map.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from importlib import resources

STAR = "★"
#: star-like characters, including the Wingdings star (U+F0AB) and other symbol-font private-use stars
STAR_VARIANTS = "☆✩✪✫✬✭✮✯✰⭐⭑⭒✱✲✳✴✵✶✷✸✹✺✻✼✽✾✿❀❁❂❃❄❅❆❇❈❉❊❋*＊※⁎⁑\uf0ab\uf0b5\uf06c\uf0aa\uf0ac"
BRACKET_OPEN = "〔﹝［[【〖"
BRACKET_CLOSE = "〕﹞］]】〗"
#: invisible characters removed before matching; their presence inside a mark is itself recorded
INVISIBLE = (
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\u3164\ufeff\uffa0"
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))
)
INVISIBLE_RE = re.compile("[" + re.escape(INVISIBLE) + "\U000e0000-\U000e007f\U000e0100-\U000e01ef]")


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


@lru_cache(maxsize=1)
def tables() -> tuple[dict[int, str], re.Pattern[str]]:
    """The translate table and a regex matching every character whose fold changes the length."""
    table: dict[int, str] = {}
    resizing: list[str] = []
    candidates = set(range(0x20, 0x3400)) | set(range(0xF900, 0x10000)) | set(range(0x1F100, 0x1F300))
    candidates |= {ord(c) for c in t2s_table()} | {ord(c) for c in INVISIBLE}
    candidates |= set(range(0xE0000, 0xE0080)) | set(range(0xE0100, 0xE01F0))
    for code in sorted(candidates):
        if code > sys.maxunicode or 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = _fold_char(char)
        if folded != char:
            table[code] = folded
            if len(folded) != 1:
                resizing.append(char)
    pattern = re.compile("[" + "".join(re.escape(c) for c in resizing) + "]") if resizing else re.compile("(?!)")
    return table, pattern
