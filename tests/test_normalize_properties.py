"""Property tests: the offset maps of the normalization stage are exact under every evasion.

Random text is mixed with random insertions of each evasion (zero-width and format characters,
soft hyphen, variation selectors, full-width forms, traditional characters, star and bracket
variants, spaces, U+3000, noise characters, ㊙, ⑩, line breaks). For every span of the folded and
compact views, the mapped original span re-normalizes to the view span, and a disguised state-secret
mark is reported with ``matched`` equal to the disguised original characters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secscreen.normalize import DeletionMap, Normalized, OffsetMap, normalize
from secscreen.rules import CompiledRuleSet, compile_ruleset, load_ruleset, try_text

PLAIN = list("国家行政机关应当依法公开政府信息本条例所称的是指在履行职责过程中制作或者获取以一定形式记录保存")
ASCII = list("abcXYZ0123456789()")
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ufe0f", "\ufe00", "\U000e0101", "\u180e"]
FULL_WIDTH = list("ＡＢｍｉ０１５９，：；（）＃＠＊")
TRADITIONAL = list("機絕祕內國會議開關於實這為們個")
STARS = list("★☆✩✭⭐✱*＊※\uf0ab")
BRACKETS = list("〔〕﹝﹞[]［］【】〖〗")
SPACES = [" ", "\u3000", "\t", "\u00a0", "-", ".", "@", "·", "_", "/", "\u2028"]
NUMBER_FORMS = list("㊙⑩⑤⒈¼𝟏𝟎🯵")
BREAKS = ["\n", "\r\n"]
EVASIONS = ZERO_WIDTH + FULL_WIDTH + TRADITIONAL + STARS + BRACKETS + SPACES + NUMBER_FORMS + BREAKS

texts = st.lists(st.sampled_from(PLAIN + ASCII + EVASIONS), max_size=40).map("".join)

View = Callable[[Normalized], str]
VIEWS: dict[str, tuple[View, Callable[[Normalized, int, int], tuple[int, int]]]] = {
    "folded": (lambda n: n.folded, Normalized.folded_to_original),
    "compact": (lambda n: n.compact, Normalized.compact_to_original),
}


def aligned_positions(original: str, view: View) -> set[int]:
    """View positions that fall between the views of two original characters (not inside ⑩ -> 10)."""
    return {len(view(normalize(original[:k]))) for k in range(len(original) + 1)}


@pytest.mark.parametrize("name", sorted(VIEWS))
@settings(max_examples=150, deadline=None)
@given(original=texts, data=st.data())
def test_every_view_span_maps_back_to_original_text_that_renormalizes_to_it(
    name: str, original: str, data: st.DataObject
) -> None:
    view, to_original = VIEWS[name]
    text = normalize(original)
    derived = view(text)
    aligned = aligned_positions(original, view)
    start = data.draw(st.integers(0, len(derived)), label="start")
    end = data.draw(st.integers(start, len(derived)), label="end")
    ostart, oend = to_original(text, start, end)
    assert 0 <= ostart <= oend <= len(original)
    renormalized = view(normalize(original[ostart:oend]))
    assert derived[start:end] in renormalized
    if start in aligned and end in aligned:
        assert renormalized == derived[start:end]
    if end > start:
        # the original span is tight: it neither starts nor ends with a character that vanished
        assert view(normalize(original[ostart])) and view(normalize(original[oend - 1]))
    else:
        assert ostart == oend


@pytest.mark.parametrize("name", sorted(VIEWS))
@settings(max_examples=150, deadline=None)
@given(original=texts)
def test_span_starts_and_ends_are_monotone(name: str, original: str) -> None:
    view, to_original = VIEWS[name]
    text = normalize(original)
    length = len(view(text))
    starts = [to_original(text, i, length)[0] for i in range(length + 1)]
    ends = [to_original(text, 0, i)[1] for i in range(1, length + 1)]
    assert starts == sorted(starts)
    assert ends == sorted(ends)
    assert all(start < end for start, end in zip(starts, ends, strict=False))


@settings(max_examples=150, deadline=None)
@given(original=texts)
def test_removed_invisible_characters_are_recorded_where_they_were(original: str) -> None:
    text = normalize(original)
    vanished = [i for i, char in enumerate(original) if not normalize(char).folded]
    assert text.invisible == vanished
    assert text.invisible_in(0, len(original)) == len(vanished)


@settings(max_examples=100, deadline=None)
@given(edits=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3)), max_size=12), tail=st.integers(0, 5))
def test_offset_map_inverts_arbitrary_one_to_many_edits(edits: list[tuple[int, int]], tail: int) -> None:
    positions = sorted({p for p, _ in edits})
    lengths = dict(edits)
    source_length = (positions[-1] + 1 if positions else 0) + tail
    omap = OffsetMap.build(source_length, [(p, lengths[p]) for p in positions])
    # the derived text, as the source index each derived character came from
    origin = [i for i in range(source_length) for _ in range(lengths.get(i, 1) if i in lengths else 1)]
    for i, source in enumerate(origin):
        assert omap.span(i, i + 1) == (source, source + 1)
    assert omap.span(0, len(origin))[1] == (origin[-1] + 1 if origin else omap.start(0))


@settings(max_examples=100, deadline=None)
@given(pieces=st.lists(st.tuples(st.integers(0, 4), st.integers(1, 3)), max_size=12), head=st.integers(0, 3))
def test_deletion_map_inverts_arbitrary_deleted_runs(pieces: list[tuple[int, int]], head: int) -> None:
    kept, deleted = [head], []
    for run, keep in pieces:
        if run:
            deleted.append(run)
            kept.append(keep)
        else:
            kept[-1] += keep
    source = "".join("k" * length + "d" * run for length, run in zip(kept, [*deleted, 0], strict=True))
    omap = DeletionMap.from_lengths(len(source), kept, deleted)
    origin = [i for i, char in enumerate(source) if char == "k"]
    for i, position in enumerate(origin):
        assert omap.span(i, i + 1) == (position, position + 1)
    assert omap.start(len(origin)) == len(source)


LEVELS = ["机密", "绝密", "秘密", "機密", "絕密", "祕密", "㊙密"]
PERIODS = ["10年", "１０年", "十年", "拾年", "⑩年", "5年", "五年", "伍年", "6个月", "长期"]  # not 2030年1月1日: SS-001 reports only 机密★2030年 for it
GAPS = ZERO_WIDTH + [" ", "\u3000", "-", ".", "@", "\n", "\t"]
CONTEXT = st.lists(st.sampled_from(PLAIN + list("，。、；：0123456789") + ["\n", " "]), max_size=30).map("".join)


@st.composite
def disguised_marks(draw: st.DrawFn) -> str:
    """A 密级★保密期限 mark with a random evasion (or none) between any two of its characters."""
    chars = list(draw(st.sampled_from(LEVELS))) + [draw(st.sampled_from(STARS))] + list(draw(st.sampled_from(PERIODS)))
    budget = 3  # SS-001 allows 3 skipped characters per character gap; stay well inside it
    out = [chars[0]]
    for char in chars[1:]:
        if budget and draw(st.booleans()):
            out.append(draw(st.sampled_from(GAPS)))
            budget -= 1
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=1)
def default_rules() -> CompiledRuleSet:
    return compile_ruleset(load_ruleset())


@settings(max_examples=120, deadline=None)
@given(before=CONTEXT, mark=disguised_marks(), after=CONTEXT)
def test_disguised_mark_is_blocked_and_points_at_the_original_characters(before: str, mark: str, after: str) -> None:
    text = before + mark + after
    findings = [f for f in try_text(text, default_rules()).findings if f.rule_id == "SS-001"]
    assert any(f.matched == mark for f in findings), [f.matched for f in findings]
    for finding in findings:
        assert text[finding.location.start : finding.location.end] == finding.matched
