"""``WindowSearch`` finds exactly what ``finditer`` finds, while scanning only where it must."""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secscreen.match import Hit, Matcher
from secscreen.match.regexes import WindowSearch, reach
from secscreen.normalize import normalize
from secscreen.rules import compile_ruleset, load_ruleset


@lru_cache(maxsize=1)
def rule_regexes() -> list[re.Pattern[str]]:
    compiled = compile_ruleset(load_ruleset())
    return [regex for spec in compiled.matcher.specs.values() for regex in spec.regexes]


def expected(regex: re.Pattern[str], view: str, lo: int, hi: int | None) -> list[tuple[int, int]]:
    spans = []
    for match in regex.finditer(view, lo):
        if hi is not None and match.start() >= hi:
            break
        spans.append(match.span())
    return spans


EXTRA = [r"(?<![0-9A-Z])\d{3,5}(?![0-9])", r"a(?=bc)", r"(?m)^x\s*$", r"(?m)^\d{1,3}[ x]*$", r"(?m)^(?:1|xx)", r"(?m)^x\n", r"(?m)^x|1", r"(?:ab|c)+", r"《[^》]{0,5}》", r"\b1\d\b", r"x?"]
ALPHABET = list("0123456789 ABCabcx\n《》秘密机密★年月日号此件发至仅供内部资料路村,:。（）") + ["绝密", "机密★10年"]
views = st.lists(st.sampled_from(ALPHABET), max_size=60).map("".join)


@pytest.mark.parametrize(
    ("pattern", "width"),
    [("abc", 3), ("a(?=bcd)", 4), ("a(?!b{2,5})", 6), ("(?:ab|c){2}", 4), ("(?<=ab)c", 1), ("x.*", None),
     (r"(a)\1", None), (r"\d{4}(?:[ -]?\d{4}){3}(?![0-9])", 20)],
)
def test_reach_is_what_a_match_attempt_can_read_past_its_start(pattern: str, width: int | None) -> None:
    assert reach(pattern) == width


def assert_same_as_finditer(regex: re.Pattern[str], view: str, data: st.DataObject) -> None:
    lo = data.draw(st.integers(0, len(view)), label="lo")
    hi = data.draw(st.one_of(st.none(), st.integers(lo, len(view))), label="hi")
    found = [m.span() for m in WindowSearch.of(regex).matches(view, lo, hi)]
    assert found == expected(regex, view, lo, hi)


@settings(max_examples=300, deadline=None)
@given(view=views, data=st.data())
def test_window_search_equals_finditer_for_rule_patterns(view: str, data: st.DataObject) -> None:
    regex = data.draw(st.sampled_from(rule_regexes()), label="regex")
    assert_same_as_finditer(regex, view, data)


@pytest.mark.parametrize("pattern", EXTRA)
@settings(max_examples=100, deadline=None)
@given(view=views, data=st.data())
def test_window_search_equals_finditer(pattern: str, view: str, data: st.DataObject) -> None:
    assert_same_as_finditer(re.compile(pattern), view, data)


@pytest.mark.parametrize(
    ("pattern", "view", "lo"),
    [
        (r"(?m)^x\n", "x\nx\nyx\nx\n", 0),  # a match that ends on a line start
        (r"(?m)^x\n", "yx\nx\n", 3),  # a line start at the start of the search
        (r"(?m)^\d{3}$", "123\nab\n456", 0),
        (r"(?m)^x|1", "a1\nx1", 0),  # ^ opens one branch only
        (r"(?<![0-9A-Z])\d{3}", "A123 123 9123", 0),
    ],
)
def test_window_search_equals_finditer_on_known_traps(pattern: str, view: str, lo: int) -> None:
    regex = re.compile(pattern)
    assert [m.span() for m in WindowSearch.of(regex).matches(view, lo)] == expected(regex, view, lo, None)


def test_lookbehind_pattern_jumps_only_between_possible_starts() -> None:
    search = WindowSearch.of(re.compile(r"(?<![0-9A-Z])(?P<value>[1-9]\d{5})(?![0-9])"))
    assert search.selective and search.starts is not None
    assert search.starts.pattern == "[1-9](?<![0-9A-Z].)"
    assert search.reach == 7


def test_pattern_that_can_match_empty_keeps_plain_finditer() -> None:
    search = WindowSearch.of(re.compile(r"x?"))
    assert search.starts is None and not search.selective
    assert [m.span() for m in search.matches("axx", 0, None)] == [(0, 0), (1, 2), (2, 3), (3, 3)]


@lru_cache(maxsize=1)
def shared_and_plain() -> tuple[Matcher, Matcher]:
    compiled = compile_ruleset(load_ruleset())
    plain = Matcher([c.spec for c in compiled.matcher.specs.values()])
    plain._shared = {"compact": [], "folded": []}
    return compiled.matcher, plain


PII_PIECES = list("0123456789XEGCL +-，号码") + [
    "110105194912310021", "11010519491231002X", "13800138000", "+86 138-0013-8000", "91110000600037341L",
    "E12345678", "6222 0212 3456 7890 123", "身份证号", "手机",
]


@settings(max_examples=200, deadline=None)
@given(text=st.lists(st.sampled_from(PII_PIECES), max_size=25).map("".join))
def test_shared_scan_finds_what_one_scan_per_pattern_finds(text: str) -> None:
    shared, plain = shared_and_plain()
    normalized = normalize(text)

    def key(hit: Hit) -> tuple[object, ...]:
        return hit.rule_id, hit.term, hit.start, hit.end, hit.dropped, tuple(sorted(hit.groups.items()))

    assert [key(h) for h in shared.match(normalized)] == [key(h) for h in plain.match(normalized)]
