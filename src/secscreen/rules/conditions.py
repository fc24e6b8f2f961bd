"""Named predicates over one candidate hit in its context. Each returns (holds, explanation).

They only decide; they never search for new hits. The docs list each with what it suppresses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from ..match import Hit
from ..models import Segment
from ..normalize import Normalized, fold_keyword
from .schema import Conditions, Near


@dataclass
class HitContext:
    hit: Hit
    segment: Segment
    text: Normalized
    zones: frozenset[str]
    line: int | None
    document: str = ""  # compact view of the whole document, for in_document

    def folded_line(self) -> tuple[int, int]:
        folded = self.text.folded
        start = folded.rfind("\n", 0, self.hit.start) + 1
        end = folded.find("\n", self.hit.end)
        return start, len(folded) if end == -1 else end


def _meaningful(text: str) -> bool:
    """Whether text holds a letter, digit or CJK character (not only spaces, brackets and punctuation)."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def standalone(ctx: HitContext) -> bool:
    start, end = ctx.folded_line()
    folded = ctx.text.folded
    return not _meaningful(folded[start : ctx.hit.start]) and not _meaningful(folded[ctx.hit.end : end])


def line_start(ctx: HitContext) -> bool:
    start, _ = ctx.folded_line()
    return not _meaningful(ctx.text.folded[start : ctx.hit.start])


def line_end(ctx: HitContext) -> bool:
    _, end = ctx.folded_line()
    return not _meaningful(ctx.text.folded[ctx.hit.end : end])


TITLE_MAX = 50
_SENTENCE_PUNCTUATION = frozenset("。，,；;！!？?")


def title_like(ctx: HitContext) -> bool:
    """The hit's line reads like a title or label: short, without sentence punctuation."""
    start, end = ctx.folded_line()
    line = ctx.text.folded[start:end].strip()
    return len(line) <= TITLE_MAX and not _SENTENCE_PUNCTUATION.intersection(line)


def in_document(ctx: HitContext, words: list[str]) -> str | None:
    """The first of ``words`` found anywhere in the document (compact view), if any."""
    haystack = ctx.document or ctx.text.compact
    return next((word for word in words if fold_keyword(word) and fold_keyword(word) in haystack), None)


def near(ctx: HitContext, spec: Near) -> str | None:
    """The first of ``spec.words`` found within ``spec.window`` characters of the hit, if any."""
    folded = ctx.text.folded
    before = folded[max(0, ctx.hit.start - spec.window) : ctx.hit.start]
    after = folded[ctx.hit.end : ctx.hit.end + spec.window]
    compact_before = fold_keyword(before)
    compact_after = fold_keyword(after)
    for word in spec.words:
        key = fold_keyword(word)
        if key and (key in compact_before or key in compact_after):
            return word
    return None


def inside(ctx: HitContext, pair: str, limit: int = 80) -> bool:
    """Whether the hit lies between an opening and closing bracket of ``pair`` on its line."""
    opening, closing = fold_keyword(pair[0]) or pair[0], fold_keyword(pair[1]) or pair[1]
    start, end = ctx.folded_line()
    folded = ctx.text.folded
    left = folded[max(start, ctx.hit.start - limit) : ctx.hit.start]
    right = folded[ctx.hit.end : min(end, ctx.hit.end + limit)]
    open_at = left.rfind(opening)
    if open_at == -1 or (opening != closing and left.rfind(closing) > open_at):
        return False
    close_at = right.find(closing)
    if close_at == -1:
        return False
    return opening == closing or right.find(opening, 0, close_at) == -1


Outcome = tuple[bool, list[str]]
W = TypeVar("W", list[str], Near)
_HOLDS: Outcome = (True, [])


def _parts(conditions: Conditions, ctx: HitContext) -> Outcome:
    part = ctx.segment.origin.part
    if conditions.parts is not None and part not in conditions.parts:
        return False, [f"部位 {part.value} 不在 {[p.value for p in conditions.parts]} 中"]
    if conditions.not_parts is not None and part in conditions.not_parts:
        return False, [f"部位 {part.value} 被排除"]
    return _HOLDS


def _zones(conditions: Conditions, ctx: HitContext) -> Outcome:
    why: list[str] = []
    if conditions.zones is not None:
        hit_zones = ctx.zones & set(conditions.zones)
        if not hit_zones:
            return False, [f"位于 {sorted(ctx.zones)} 区，不在 {conditions.zones} 区"]
        why.append(f"位于{_zone_names(hit_zones)}")
    if conditions.not_zones is not None and ctx.zones & set(conditions.not_zones):
        return False, [f"位于被排除的 {sorted(ctx.zones & set(conditions.not_zones))} 区"]
    return True, why


def _line_shape(conditions: Conditions, ctx: HitContext) -> Outcome:
    why: list[str] = []
    if conditions.standalone is not None:
        alone = standalone(ctx)
        if alone != conditions.standalone:
            return False, ["不是单独成行" if conditions.standalone else "单独成行"]
        if alone:
            why.append("单独成行")
    if conditions.line_start is not None and line_start(ctx) != conditions.line_start:
        return False, ["不在行首" if conditions.line_start else "位于行首"]
    if conditions.line_end is not None and line_end(ctx) != conditions.line_end:
        return False, ["不在行尾" if conditions.line_end else "位于行尾"]
    if conditions.title_like is not None and title_like(ctx) != conditions.title_like:
        return False, ["所在行不像标题或标签" if conditions.title_like else "所在行像标题"]
    return True, why


def _words(scope: str, wanted: W | None, unwanted: W | None, find: Callable[[W], str | None],
           listed: Callable[[W], list[str]]) -> Outcome:
    """Words that must (or must not) occur in ``scope`` (全文 / 附近), found by ``find``."""
    why: list[str] = []
    if wanted is not None:
        found = find(wanted)
        if found is None:
            return False, [f"{scope}没有 {listed(wanted)}"]
        why.append(f"{scope}有“{found}”")
    if unwanted is not None:
        found = find(unwanted)
        if found is not None:
            return False, [f"{scope}有“{found}”"]
    return True, why


def _document_words(conditions: Conditions, ctx: HitContext) -> Outcome:
    return _words("全文", conditions.in_document, conditions.not_in_document,
                  lambda words: in_document(ctx, words), lambda words: words)


def _near_words(conditions: Conditions, ctx: HitContext) -> Outcome:
    return _words("附近", conditions.near, conditions.not_near, lambda spec: near(ctx, spec), lambda spec: spec.words)


def _brackets(conditions: Conditions, ctx: HitContext) -> Outcome:
    why: list[str] = []
    for pair in conditions.inside or []:
        if not inside(ctx, pair):
            return False, [f"不在 {pair} 之内"]
        why.append(f"位于 {pair} 之内")
    for pair in conditions.not_inside or []:
        if inside(ctx, pair):
            return False, [f"位于 {pair} 之内"]
    return True, why


def _alternatives(conditions: Conditions, ctx: HitContext) -> Outcome:
    if conditions.any_of is None:
        return _HOLDS
    for alternative in conditions.any_of:
        holds, reasons = check(alternative, ctx)
        if holds:
            return True, reasons
    return False, ["其余条件均不满足（any_of）"]


#: the named predicates, in the order they are tried (cheap and decisive first)
CHECKS = (_parts, _zones, _line_shape, _document_words, _near_words, _brackets, _alternatives)


def check(conditions: Conditions, ctx: HitContext) -> Outcome:
    """Whether all given conditions hold, and the explanation of those that decided it."""
    why: list[str] = []
    for predicate in CHECKS:
        holds, reasons = predicate(conditions, ctx)
        if not holds:
            return False, reasons
        why.extend(reasons)
    return True, why


_ZONE_NAMES = {"header": "版头区", "note": "附注行", "footer": "页脚/版记区", "metadata": "文件属性", "body": "正文"}


def _zone_names(zones: set[str] | frozenset[str]) -> str:
    return "、".join(_ZONE_NAMES.get(z, z) for z in sorted(zones))
