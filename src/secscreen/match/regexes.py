"""Searching a regex near its anchors, or over a whole view, without scanning more than it must.

Two facts about a pattern, read from its parse tree, make that possible:

- its **reach**: the most characters a match attempt looks at from its start (consumed or looked
  ahead at). A pattern runs in a window around its anchor; a match must start inside the window but
  may run past it. Searching up to ``window end + reach`` finds exactly the matches a search to the
  end of the view would (``$`` and ``\\b`` after the last character read see one more; one more is
  kept as margin), without scanning the rest of the view. Unbounded patterns (``*``, ``+``,
  back-references) have no reach.
- its **first characters**: a class of every character a match can start with. Patterns that open
  with a lookbehind (``(?<![0-9A-Z])``) defeat the regex engine's own skip-ahead, so a scan tries
  every position; jumping between the characters of this class tries only positions where a match
  can start. Used for whole views when the class is rare (digits, a few letters), and for windows of
  unbounded patterns.

The jump only applies to patterns that cannot match the empty string. ``WindowSearch.matches`` gives
the same matches as ``finditer`` in every case (``tests/test_match_window_search.py``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from ..normalize.fold import class_body

_ONE_CHARACTER = {sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ASSERTS = {sre.ASSERT, sre.ASSERT_NOT}

#: (characters consumed at most, characters looked at at most), both from the start position
Width = tuple[int, int]


def reach(pattern: str) -> int | None:
    """The most characters a match attempt looks at from its start, or ``None`` when unbounded."""
    try:
        width = _sequence(sre_parse.parse(pattern))
    except (sre.error, RecursionError, TypeError, ValueError):
        return None
    return None if width is None else width[1]


def _sequence(items: Any) -> Width | None:
    consumed = looked = 0
    for op, argument in items:
        width = _item(op, argument)
        if width is None:
            return None
        looked = max(looked, consumed + width[1])
        consumed += width[0]
    return consumed, max(looked, consumed)


def _item(op: Any, argument: Any) -> Width | None:
    if op in _ONE_CHARACTER:
        return 1, 1
    if op is sre.AT:
        return 0, 0
    if op is sre.SUBPATTERN:
        return _sequence(argument[-1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(argument)
    if op is sre.BRANCH:
        return _alternatives(argument[1])
    if op is sre.GROUPREF_EXISTS:
        return _alternatives([branch for branch in argument[1:] if branch is not None] or [[]])
    if op in _REPEATS:
        low, high, item = argument
        inner = _sequence(item)
        if inner is None or high == sre.MAXREPEAT:
            return None
        return (high * inner[0], (high - 1) * inner[0] + inner[1]) if high else (0, 0)
    if op in _ASSERTS:
        direction, item = argument
        if direction < 0:
            return 0, 0  # a lookbehind looks before the start, which the search always sees
        inner = _sequence(item)
        return None if inner is None else (0, inner[1])
    return None  # back-references and anything unknown: unbounded


def _alternatives(branches: Any) -> Width | None:
    widths: list[Width] = []
    for branch in branches:
        width = _sequence(branch)
        if width is None:
            return None
        widths.append(width)
    return max(w[0] for w in widths), max(w[1] for w in widths)


#: class pieces for categories, with a rough count of the characters they stand for (\w, \s: too many)
_CATEGORIES = {sre.CATEGORY_WORD: (r"\w", 10**6), sre.CATEGORY_SPACE: (r"\s", 10**6)}
#: a class this small (in characters) is rare enough in Chinese text to jump through a whole view
RARE = 64
_LINE_START = "(?m)^"
_ANY = re.compile(".", re.DOTALL)

#: (class pieces with how many characters each stands for, whether the part can match without consuming)
Piece = tuple[str, int]
First = tuple[list[Piece], bool]


@dataclass(frozen=True)
class WindowSearch:
    """One pattern, ready to search a window ``[lo, hi)`` of a view or the whole view."""

    regex: re.Pattern[str]
    reach: int | None
    #: one-character regex for where a match can start (any character when unknown); ``None`` when the
    #: pattern can match the empty string
    starts: re.Pattern[str] | None
    #: whether ``starts`` is rare enough to jump through whole views with
    selective: bool
    #: the pieces of ``starts`` when it is a class of first characters (for ``SharedScan``)
    first_class: str = ""
    guard: str = ""
    #: for a pattern opening with ``(?m)^``: the pattern with ``\n`` in place of ``^``, which the regex
    #: engine can skip ahead for (a line start is not something it can look for quickly)
    lines: re.Pattern[str] | None = None

    @classmethod
    def of(cls, regex: re.Pattern[str]) -> WindowSearch:
        search = cls._of(regex)
        if search.starts is not None and regex.pattern.startswith(_LINE_START):
            lines = _line_scanner(regex)
            return replace(search, lines=lines) if lines is not None else search
        return search

    @classmethod
    def _of(cls, regex: re.Pattern[str]) -> WindowSearch:
        try:
            parsed = sre_parse.parse(regex.pattern, regex.flags)
            first = _first_sequence(parsed) if parsed.getwidth()[0] > 0 else None
            nonempty = parsed.getwidth()[0] > 0
        except (sre.error, RecursionError, TypeError, ValueError, OverflowError):
            return cls(regex, None, None, False)
        if first is None or first[1] or not first[0]:
            starts = _ANY if nonempty else None
            return cls(regex, reach(regex.pattern), starts, False)
        pieces, guard = first[0], _leading_guard(parsed)
        first_class = "".join(text for text, _ in pieces)
        starts = re.compile("[" + first_class + "]" + guard, (regex.flags & (re.IGNORECASE | re.ASCII)) | re.DOTALL)
        selective = sum(size for _, size in pieces) <= RARE
        return cls(regex, reach(regex.pattern), starts, selective, first_class, guard)

    def matches(self, view: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
        """``regex.finditer(view, lo)``, stopped before the first match that starts at or after ``hi``."""
        if hi is None:
            if self.lines is not None:
                return _line_jump(self.regex, self.lines, view, lo, len(view))
            if self.selective and self.starts is not None:
                return _jump(self.regex, self.starts, view, lo, len(view))
            return self.regex.finditer(view, lo)
        if self.reach is not None:
            # a match may start up to the window's end and then look ``reach`` characters further
            return _before(self.regex.finditer(view, lo, min(len(view), hi + self.reach + 1)), hi)
        if self.starts is not None:
            return _jump(self.regex, self.starts, view, lo, hi)
        return _before(self.regex.finditer(view, lo), hi)


class SharedScan:
    """Selective searches with the same guard and flags, jumped through a whole view in one pass.

    The lookbehind-led personal-data patterns all open with ``(?<![0-9A-Z])``: one scan for the union
    of their first characters replaces one scan each; each pattern still only tries the positions its
    own ``starts`` accepts, from where its previous match ended, so each finds what ``finditer`` would.
    """

    def __init__(self, searches: list[WindowSearch]) -> None:
        self.searches = searches
        first = searches[0]
        flags = first.starts.flags if first.starts is not None else 0
        self.scanner = re.compile("[" + "".join(s.first_class for s in searches) + "]" + first.guard, flags)

    def matches(self, view: str) -> list[list[re.Match[str]]]:
        """Per search, its matches over the whole view."""
        found: list[list[re.Match[str]]] = [[] for _ in self.searches]
        resume = [0] * len(self.searches)
        position = 0
        while (candidate := self.scanner.search(view, position)) is not None:
            at = candidate.start()
            for index, search in enumerate(self.searches):
                if at >= resume[index] and search.starts is not None and search.starts.match(view, at):
                    match = search.regex.match(view, at)
                    if match is not None:
                        found[index].append(match)
                        resume[index] = match.end()
            position = at + 1
        return found


def shared_scans(searches: list[WindowSearch]) -> list[SharedScan]:
    """Group the selective searches of one view that can share a scan (two or more per group)."""
    groups: dict[tuple[str, int], list[WindowSearch]] = {}
    for search in searches:
        if search.selective and search.first_class and search.starts is not None:
            groups.setdefault((search.guard, search.starts.flags), []).append(search)
    return [SharedScan(group) for group in groups.values() if len(group) > 1]


def _before(matches: Iterator[re.Match[str]], hi: int) -> Iterator[re.Match[str]]:
    for match in matches:
        if match.start() >= hi:
            return
        yield match


def _jump(regex: re.Pattern[str], starts: re.Pattern[str], view: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``finditer`` for a pattern that cannot match empty, trying only positions in ``starts``."""
    position = lo
    while (start := starts.search(view, position, hi)) is not None:
        match = regex.match(view, start.start())
        if match is None:
            position = start.start() + 1
        else:
            yield match
            position = match.end()


def _line_scanner(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """``(?m)^X`` -> ``\\nX``, only when ``^`` opens the whole pattern (not one branch of ``^a|b``)."""
    source = "\n" + regex.pattern[len(_LINE_START) :]
    try:
        whole, lines = sre_parse.parse(regex.pattern, regex.flags), sre_parse.parse(source, regex.flags)
    except (sre.error, RecursionError, TypeError, ValueError, OverflowError):
        return None
    opens_with_line_start = len(whole) > 1 and whole[0] == (sre.AT, sre.AT_BEGINNING)
    if not opens_with_line_start or not len(lines) or lines[0] != (sre.LITERAL, ord("\n")):
        return None
    return re.compile(source, regex.flags)


def _line_jump(regex: re.Pattern[str], lines: re.Pattern[str], view: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """``finditer`` for a ``(?m)^`` pattern: ``lines`` matches at the newline before each match."""
    position = lo
    if lo == 0 < hi:  # the start of the view is a line start with no newline before it
        match = regex.match(view, 0)
        if match is not None:
            yield match
        position = match.end() if match is not None else 1
    # a line start at ``position`` has its newline at ``position - 1``
    while (newline := lines.search(view, max(position - 1, 0))) is not None:
        at = newline.start() + 1
        if at >= hi:
            return
        match = regex.match(view, at)
        if match is None:
            position = at + 1
        else:
            yield match
            position = match.end()


def _leading_guard(parsed: Any) -> str:
    """A pattern that opens with ``(?<![0-9A-Z])`` can only start where the character before is not in
    that class; checked after the first character as ``(?<![0-9A-Z].)``, so the class stays first and
    the regex engine can still skip ahead. Only for a one-character class or literal; else ``""``."""
    op, argument = parsed[0]
    if op is not sre.ASSERT_NOT or argument[0] >= 0 or len(argument[1]) != 1:
        return ""
    inner_op, inner_argument = argument[1][0]
    if inner_op is sre.LITERAL:
        return "(?<!" + _literal(inner_argument)[0] + ".)"
    guard = _first_class(inner_argument) if inner_op is sre.IN else None
    return "" if guard is None else "(?<![" + "".join(text for text, _ in guard[0]) + "].)"


def _first_sequence(items: Any) -> First | None:
    pieces: list[Piece] = []
    for op, argument in items:
        first = _first_item(op, argument)
        if first is None:
            return None
        pieces.extend(first[0])
        if not first[1]:
            return pieces, False
    return pieces, True


def _first_item(op: Any, argument: Any) -> First | None:
    if op is sre.LITERAL:
        return [_literal(argument)], False
    if op is sre.IN:
        return _first_class(argument)
    if op is sre.AT or op in _ASSERTS:
        return [], True  # zero width: the next item decides (a superset is still correct)
    if op is sre.SUBPATTERN:
        return _first_sequence(argument[-1])
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first_sequence(argument)
    if op is sre.BRANCH:
        return _first_union([_first_sequence(branch) for branch in argument[1]])
    if op is sre.GROUPREF_EXISTS:
        return _first_union([_first_sequence(b) if b is not None else ([], True) for b in argument[1:]])
    if op in _REPEATS:
        low, _, item = argument
        inner = _first_sequence(item)
        return None if inner is None else (inner[0], inner[1] or low == 0)
    return None  # any character, negated literals, back-references: unknown


def _literal(code: int) -> Piece:
    char = chr(code)
    return re.escape(char), 10**6 if char.isspace() else 1


@lru_cache(maxsize=1)
def _digits() -> str:
    """``\\d`` as explicit ranges (every BMP decimal digit, and the whole supplementary planes): a
    class with a category in it makes the regex engine test every character the slow way."""
    codes = [code for code in range(0x10000) if unicodedata.category(chr(code)) == "Nd"]
    return class_body(codes) + "\U00010000-\U0010ffff"


def _first_class(items: Any) -> First | None:
    pieces: list[Piece] = []
    for op, argument in items:
        if op is sre.LITERAL:
            pieces.append(_literal(argument))
        elif op is sre.RANGE:
            low, high = argument
            pieces.append((re.escape(chr(low)) + "-" + re.escape(chr(high)), high - low + 1))
        elif op is sre.CATEGORY and argument is sre.CATEGORY_DIGIT:
            pieces.append((_digits(), 10))
        elif op is sre.CATEGORY and argument in _CATEGORIES:
            pieces.append(_CATEGORIES[argument])
        else:
            return None  # negated classes and other categories: unknown
    return pieces, False


def _first_union(firsts: list[First | None]) -> First | None:
    pieces: list[Piece] = []
    empty = False
    for first in firsts:
        if first is None:
            return None
        pieces.extend(first[0])
        empty = empty or first[1]
    return pieces, empty
