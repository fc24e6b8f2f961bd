"""Matching stage: candidate hits for every rule, found dumb and then validated in named hooks.

One Aho-Corasick automaton over every keyword and pattern anchor (compact view) gives candidates;
keyword candidates are checked for skipped characters (``max_gap``) and word boundaries (jieba, on
a small window only); pattern regexes run only in a window around their anchors (or over the whole
view when a rule has no anchors) and then through their validators. Dropped candidates are kept
with the reason, so ``secscreen rules try`` can show why something did not count.

Speed (``benchmarks/bench_match.py``): a keyword match is mapped back and boundary-checked once for
all the rules that want it; window searches stop at the pattern's reach and whole-view searches jump
between possible start positions (``regexes.py``). Each shortcut finds exactly what the plain search
would; ``tests/test_match_window_search.py`` checks that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..normalize import Normalized, fold_keyword
from .automaton import Automaton
from .boundary import on_word_boundary
from .regexes import WindowSearch, shared_scans
from .validators import VALIDATORS


@dataclass(frozen=True)
class MatchSpec:
    """What the matcher needs to know about one rule."""

    rule_id: str
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()
    window: int = 40
    view: str = "compact"
    validators: tuple[str, ...] = ()
    boundary: bool = True
    max_gap: int = 2
    cross_lines: bool = True


@dataclass
class Hit:
    """A candidate. Spans: ``start``/``end`` in the folded view, ``ostart``/``oend`` in the original."""

    rule_id: str
    term: str
    start: int
    end: int
    ostart: int
    oend: int
    dropped: str = ""
    groups: dict[str, str] = field(default_factory=dict)


@dataclass
class _Compiled:
    spec: MatchSpec
    regexes: tuple[re.Pattern[str], ...]
    searches: tuple[WindowSearch, ...] = ()

    @classmethod
    def of(cls, spec: MatchSpec) -> _Compiled:
        regexes = tuple(re.compile(p) for p in spec.patterns)
        return cls(spec, regexes, tuple(map(WindowSearch.of, regexes)))


class Matcher:
    """Compiled once per rule set (keyed by its sha256), then applied to any number of segments."""

    def __init__(self, specs: list[MatchSpec], digest: str = "", cache_dir: Path | None = None) -> None:
        self.specs = {spec.rule_id: _Compiled.of(spec) for spec in specs}
        keys: dict[str, list[tuple[str, str]]] = {}
        self._keyword_of: set[tuple[str, str]] = set()
        for spec in specs:
            for keyword in spec.keywords:
                keys.setdefault(fold_keyword(keyword), []).append((spec.rule_id, keyword))
                self._keyword_of.add((spec.rule_id, keyword))
            if spec.patterns:
                for anchor in spec.anchors:
                    keys.setdefault(fold_keyword(anchor), []).append((spec.rule_id, "\0" + anchor))
        keys.pop("", None)
        self.automaton = Automaton({k: tuple(v) for k, v in sorted(keys.items())}, cache_dir, digest)
        self._unanchored = [c for c in self.specs.values() if c.regexes and not c.spec.anchors]
        self._shared = {
            view: shared_scans([s for c in self._unanchored if c.spec.view == view for s in c.searches])
            for view in ("compact", "folded")
        }

    def match(self, text: Normalized) -> list[Hit]:
        hits: list[Hit] = []
        anchors: dict[str, list[tuple[int, int]]] = {}
        for start, end, entry in self.automaton.iter(text.compact):
            span: _KeywordSpan | None = None  # shared by every rule that wants this keyword
            for rule_id, term in entry:
                if term.startswith("\0"):
                    anchors.setdefault(rule_id, []).append((start, end))
                else:
                    span = span or _KeywordSpan(text, start, end)
                    hits.append(self._keyword_hit(rule_id, term, span))
        for rule_id, spans in anchors.items():
            hits.extend(self._pattern_hits(self.specs[rule_id], text, _windows(spans, self.specs[rule_id].spec.window)))
        shared = self._shared_matches(text)
        for compiled in self._unanchored:
            hits.extend(self._pattern_hits(compiled, text, [(0, None)], shared))
        return _dedupe(hits)

    def _shared_matches(self, text: Normalized) -> dict[int, list[re.Match[str]]]:
        """Whole-view matches of the searches that share a scan, by ``id`` of the search."""
        found: dict[int, list[re.Match[str]]] = {}
        for view_name, scans in self._shared.items():
            view = text.compact if view_name == "compact" else text.folded
            for scan in scans:
                for search, matches in zip(scan.searches, scan.matches(view), strict=True):
                    found[id(search)] = matches
        return found

    def _keyword_hit(self, rule_id: str, term: str, span: _KeywordSpan) -> Hit:
        spec = self.specs[rule_id].spec
        hit = Hit(rule_id, term, span.fstart, span.fend, span.ostart, span.oend)
        if span.skipped > spec.max_gap * max(1, span.length - 1):
            hit.dropped = f"关键词字符之间夹杂 {span.skipped} 个字符，超过上限"
        elif not spec.cross_lines and span.crosses_lines():
            hit.dropped = "命中跨越换行"
        elif spec.boundary and not span.on_word_boundary():
            hit.dropped = "分词检查：命中跨越词语边界（如“危机密切”中的“机密”）"
        return hit

    def _pattern_hits(self, compiled: _Compiled, text: Normalized, windows: list[tuple[int, int | None]],
                      shared: dict[int, list[re.Match[str]]] | None = None) -> list[Hit]:
        spec = compiled.spec
        compact_view = spec.view == "compact"
        view = text.compact if compact_view else text.folded
        hits: list[Hit] = []
        for lo, hi in windows:
            if hi is None:
                lo_v, hi_v = 0, len(view)
            elif compact_view:
                lo_v, hi_v = lo, hi
            else:
                lo_v, hi_v = text.compact_to_folded(lo, min(hi, len(text.compact)))
            for search in compiled.searches:
                if hi is None and shared is not None and id(search) in shared:
                    matches: Iterable[re.Match[str]] = shared[id(search)]
                else:
                    matches = search.matches(view, lo_v, None if hi is None else hi_v)
                for match in matches:
                    if match.end() > match.start():
                        hits.append(self._pattern_hit(spec, search.regex, match, text, compact_view))
        return hits

    def _pattern_hit(self, spec: MatchSpec, regex: re.Pattern[str], match: re.Match[str], text: Normalized,
                     compact_view: bool) -> Hit:
        start, end = match.span()
        if compact_view:
            fstart, fend = text.compact_to_folded(start, end)
        else:
            fstart, fend = start, end
        ostart, oend = text.folded_to_original(fstart, fend)
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        hit = Hit(spec.rule_id, regex.pattern, fstart, fend, ostart, oend, groups=groups)
        value = groups.get("value", match.group())
        for name in spec.validators:
            if not VALIDATORS[name](value):
                hit.dropped = f"校验未通过：{name}"
                break
        else:
            skipped = (fend - fstart) - (end - start) if compact_view else 0
            if skipped > spec.max_gap * max(1, end - start - 1):
                hit.dropped = f"标志字符之间夹杂 {skipped} 个字符，超过上限"
            elif not spec.cross_lines and "\n" in text.folded[fstart:fend]:
                hit.dropped = "命中跨越换行"
        return hit


class _KeywordSpan:
    """One keyword match, mapped back once however many rules want it; checks computed on demand."""

    __slots__ = ("_boundary", "fend", "fstart", "length", "oend", "ostart", "skipped", "text")

    def __init__(self, text: Normalized, start: int, end: int) -> None:
        self.text = text
        self.length = end - start
        self.fstart, self.fend = text.compact_to_folded(start, end)
        self.ostart, self.oend = text.folded_to_original(self.fstart, self.fend)
        self.skipped = (self.fend - self.fstart) - self.length
        self._boundary: bool | None = None

    def crosses_lines(self) -> bool:
        return "\n" in self.text.folded[self.fstart : self.fend]

    def on_word_boundary(self) -> bool:
        if self._boundary is None:
            self._boundary = on_word_boundary(self.text.folded, self.fstart, self.fend)
        return self._boundary


def _windows(spans: list[tuple[int, int]], radius: int) -> list[tuple[int, int | None]]:
    """Merge anchor spans widened by ``radius`` into disjoint windows (compact coordinates)."""
    merged: list[tuple[int, int | None]] = []
    for start, end in sorted(spans):
        lo, hi = max(0, start - radius), end + radius
        if merged and merged[-1][1] is not None and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _dedupe(hits: list[Hit]) -> list[Hit]:
    seen: set[tuple[str, int, int]] = set()
    unique: list[Hit] = []
    for hit in hits:
        key = (hit.rule_id, hit.ostart, hit.oend)
        if key not in seen:
            seen.add(key)
            unique.append(hit)
    return unique


__all__ = ["Hit", "MatchSpec", "Matcher"]
