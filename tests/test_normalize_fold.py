"""What folding does to single characters, and what it must leave alone (rules-reference.md §11)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secscreen.normalize import NOISE_CHARS, STAR, fold_keyword, normalize
from secscreen.normalize.fold import tables


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("５年", "5年"),
        ("ｍｉｍｉ", "MIMI"),
        ("㊙", "秘"),
        ("⑩年", "10年"),
        ("★𝟏𝟎年", "★10年"),
        ("機密", "机密"),
        ("絕密", "绝密"),
        ("祕密", "秘密"),
        ("內部", "内部"),
        ("〔2024〕﹝2024﹞[2024]［2024］【2024】", "〔2024〕〔2024〕〔2024〕〔2024〕〔2024〕"),
        ("机\u200b密\u200c\u200d\u2060\ufeff\u00ad\ufe0f", "机密"),
    ],
)
def test_fold_maps_evasion_forms_to_one_form(original: str, folded: str) -> None:
    assert normalize(original).folded == folded


@pytest.mark.parametrize("star", list("★☆✩✭✮⭐✱*＊※⁎") + ["\uf0ab"])
def test_every_star_variant_becomes_the_black_star(star: str) -> None:
    assert normalize(f"机密{star}5年").compact == f"机密{STAR}5年"


def test_star_is_never_noise() -> None:
    assert STAR not in NOISE_CHARS
    assert normalize("机 密 ★ 1 0 年").compact == "机密★10年"


@pytest.mark.parametrize("text", ["第十条", "拾金不昧", "壹万元", "第一百二十条", "五年规划"])
def test_chinese_numerals_are_not_folded_outside_the_period_slot(text: str) -> None:
    assert normalize(text).folded == text


def test_compact_view_drops_spaces_and_noise_but_the_folded_view_keeps_them() -> None:
    text = normalize("机　密-★.10 年\n")
    assert text.folded == "机 密-★.10 年\n"
    assert text.compact == "机密★10年"


def test_removed_invisible_characters_are_recorded_at_their_original_positions() -> None:
    text = normalize("机\u200b密★\ufeff10年")
    assert text.invisible == [1, 4]
    assert text.invisible_in(0, 3) == 1


def test_keywords_fold_like_text() -> None:
    assert fold_keyword("機 密") == "机密"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.one_of(
    st.characters(exclude_categories=("Cs",)),
    st.sampled_from(["𝟏", "\U000e0101", "\U0002f800", "薴", "⑩", "¼", "\u200b", "機", "\uf0ab", "，"]),
), max_size=40))
def test_fast_fold_equals_the_per_character_table(text: str) -> None:
    fold_tables = tables()
    folded, edits = fold_tables.fold(text)
    assert folded == text.translate(fold_tables.table)
    assert edits == [(i, len(fold_tables.table[ord(c)])) for i, c in enumerate(text)
                     if len(fold_tables.table.get(ord(c), c)) != 1]
