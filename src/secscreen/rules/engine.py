"""Rules stage: candidate hits + conditions + allow-lists + overrides -> explained findings.

Order for each candidate: dropped by the matcher (boundary, validator) -> the rule's conditions ->
allow-list spans -> overrides (first that holds) -> one mark, one finding (``dedupe``) -> repeat
counts (``min_count``). Every candidate that
does not become a finding is kept in ``suppressed`` with the reason, for ``secscreen rules try``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Action, Document, Finding, Location, Part, Segment
from ..normalize import PRIVATE_USE_RE, Normalized, fold_keyword, normalize
from . import conditions as cond
from .compiled import CompiledRuleSet
from .dedupe import Spot, dedupe
from .schema import Kind, Rule
from .source import source_findings
from .tables import row_pairs
from .zones import SegmentLines, layout

SNIPPET_RADIUS = 24
OBFUSCATION_RULE = "EX-004"


@dataclass
class Suppressed:
    rule_id: str
    matched: str
    reason: str
    part: str
    line: int | None


@dataclass
class Evaluation:
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)


@dataclass
class _Candidate:
    rule: Rule
    ctx: cond.HitContext
    segment_index: int
    action: Action | None = None
    why: list[str] = field(default_factory=list)


def snippet(text: str, start: int, end: int, radius: int = SNIPPET_RADIUS) -> str:
    lo, hi = max(0, start - radius), min(len(text), end + radius)
    body = text[lo:start] + "【" + text[start:end] + "】" + text[end:hi]
    body = " ".join(body.split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _location(segment: Segment, line_no: int, start: int, end: int, zones: frozenset[str]) -> Location:
    origin = segment.origin
    line = origin.line + line_no if origin.line is not None else None
    zone = next((z for z in ("header", "note", "footer", "metadata") if z in zones), "body")
    return Location(part=origin.part, page=origin.page, line=line, paragraph=origin.paragraph, start=start, end=end,
                    path=origin.path, name=origin.name, zone=zone)


def evaluate(document: Document, compiled: CompiledRuleSet, meta: dict[str, str] | None = None) -> Evaluation:
    meta = meta or {}
    result = Evaluation()
    lines = layout(document)
    candidates: list[_Candidate] = []
    allow_spans: list[tuple[int, int, int, Rule]] = []
    texts = [normalize(segment.text) if segment.text.strip() else None for segment in document.segments]
    whole = "\n".join(text.compact for text in texts if text is not None)
    for index, segment in enumerate(document.segments):
        text = texts[index]
        if text is None:
            continue
        for hit in compiled.matcher.match(text):
            rule = compiled.rules[hit.rule_id]
            seg_lines = lines[index]
            line_no = seg_lines.line_index(hit.ostart)
            ctx = cond.HitContext(hit, segment, text, seg_lines.zones[line_no], line_no, whole)
            if hit.dropped:
                result.suppressed.append(_suppressed(rule, ctx, hit.dropped))
                continue
            holds, why = cond.check(rule.conditions, ctx)
            if not holds:
                result.suppressed.append(_suppressed(rule, ctx, "条件不满足：" + "；".join(why)))
                continue
            if rule.kind is Kind.ALLOW:
                allow_spans.append((index, hit.ostart, hit.oend, rule))
            else:
                candidates.append(_Candidate(rule, ctx, index, why=why))
    candidates += _table_row_candidates(document, compiled, lines, whole, result)
    survivors = [c for c in candidates if not _allowed(c, allow_spans, document.segments, result)]
    survivors = [c for c in survivors if _apply_overrides(c, result)]
    survivors = _dedupe(survivors, lines, result)
    survivors = _apply_counts(survivors, result)
    for candidate in survivors:
        result.findings.append(_finding(candidate))
    result.findings.extend(_obfuscation(survivors))
    result.findings.extend(source_findings(document, compiled, meta))
    result.findings.sort(key=lambda f: (-f.action.rank, f.rule_id, f.location.start))
    return result


def _table_row_candidates(document: Document, compiled: CompiledRuleSet, lines: list[SegmentLines], whole: str,
                          result: Evaluation) -> list[_Candidate]:
    """Hits of ``table_rows`` rules on each table row joined to the next one, reported on the first row."""
    if not any(rule.table_rows for rule in compiled.rules.values()):
        return []
    found: list[_Candidate] = []
    for pair in row_pairs(document):
        first_row = len(document.segments[pair.index].text)
        text = normalize(pair.for_matching)
        for hit in compiled.matcher.match(text):
            rule = compiled.rules[hit.rule_id]
            if not rule.table_rows or hit.dropped or hit.ostart >= first_row:
                continue
            hit.oend = min(hit.oend, first_row)
            seg_lines = lines[pair.index]
            line_no = seg_lines.line_index(hit.ostart)
            ctx = cond.HitContext(hit, pair.original, text, seg_lines.zones[line_no], line_no, whole)
            holds, why = cond.check(rule.conditions, ctx)
            if holds:
                found.append(_Candidate(rule, ctx, pair.index, why=[*why, "表头行与下一行数据合并检查"]))
            else:
                result.suppressed.append(_suppressed(rule, ctx, "条件不满足：" + "；".join(why)))
    return found


def _suppressed(rule: Rule, ctx: cond.HitContext, reason: str) -> Suppressed:
    matched = ctx.segment.text[ctx.hit.ostart : ctx.hit.oend]
    return Suppressed(rule.id, matched, reason, ctx.segment.origin.part.value, ctx.line)


def _allowed(candidate: _Candidate, spans: list[tuple[int, int, int, Rule]], segments: list[Segment],
             result: Evaluation) -> bool:
    """Span allow rules suppress hits inside their span; document allow rules suppress their targets anywhere."""
    if not candidate.rule.suppressible:
        return False
    hit = candidate.ctx.hit
    for index, start, end, allow in spans:
        targets = allow.applies_to
        if not ("*" in targets or candidate.rule.id in targets or candidate.rule.category in targets):
            continue
        if allow.scope == "document":
            reason = f"白名单 {allow.id}（{allow.title}）：全文有“{segments[index].text[start:end]}”"
        elif index == candidate.segment_index and start <= hit.ostart and hit.oend <= end:
            reason = f"白名单 {allow.id}（{allow.title}）覆盖：“{candidate.ctx.segment.text[start:end]}”"
        else:
            continue
        result.suppressed.append(_suppressed(candidate.rule, candidate.ctx, reason))
        return True
    return False


def _apply_overrides(candidate: _Candidate, result: Evaluation) -> bool:
    for override in candidate.rule.overrides:
        if override.when.min_count is not None:
            continue
        holds, why = cond.check(override.when, candidate.ctx)
        if holds:
            if override.action == "suppress":
                result.suppressed.append(_suppressed(candidate.rule, candidate.ctx, override.reason))
                return False
            candidate.action = Action(override.action)
            candidate.why = [*why, override.reason]
            return True
    return True


def _dedupe(candidates: list[_Candidate], lines: list[SegmentLines], result: Evaluation) -> list[_Candidate]:
    """Drop hits that repeat a mark another hit of the same rule already reports (see ``dedupe``)."""
    spots = [_spot(c, lines[c.segment_index]) for c in candidates]
    dropped = dedupe(spots)
    for index, reason in sorted(dropped.items()):
        result.suppressed.append(_suppressed(candidates[index].rule, candidates[index].ctx, reason))
    return [c for i, c in enumerate(candidates) if i not in dropped]


def _spot(candidate: _Candidate, seg_lines: SegmentLines) -> Spot:
    hit, segment, text = candidate.ctx.hit, candidate.ctx.segment, candidate.ctx.text
    origin = segment.origin
    first = origin.line + seg_lines.line_index(hit.ostart) if origin.line is not None else None
    last = origin.line + seg_lines.line_index(max(hit.ostart, hit.oend - 1)) if origin.line is not None else None
    return Spot(
        rule_id=candidate.rule.id, rank=(candidate.action or candidate.rule.action).rank,
        segment=candidate.segment_index, start=hit.ostart, end=hit.oend,
        compact=normalize(text.original[hit.ostart : hit.oend]).compact, part=origin.part, page=origin.page,
        path=origin.path, name=origin.name, lines=None if first is None or last is None else (first, last),
        bbox=origin.bbox, segment_lines=len(seg_lines.starts), segment_length=len(segment.text),
    )


def _apply_counts(candidates: list[_Candidate], result: Evaluation) -> list[_Candidate]:
    counts: dict[str, int] = {}
    for candidate in candidates:
        counts[candidate.rule.id] = counts.get(candidate.rule.id, 0) + 1
    for candidate in candidates:
        for override in candidate.rule.overrides:
            threshold = override.when.min_count
            if threshold is not None and counts[candidate.rule.id] >= threshold and candidate.action is None:
                if override.action != "suppress":
                    candidate.action = Action(override.action)
                    candidate.why = [*candidate.why, f"全文共 {counts[candidate.rule.id]} 处；{override.reason}"]
    return candidates


def _finding(candidate: _Candidate) -> Finding:
    ctx, rule = candidate.ctx, candidate.rule
    hit, segment = ctx.hit, ctx.segment
    location = _location(segment, ctx.line or 0, hit.ostart, hit.oend, ctx.zones)
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        category=rule.category,
        action=candidate.action or rule.action,
        matched=segment.text[hit.ostart : hit.oend],
        location=location,
        snippet=snippet(segment.text, hit.ostart, hit.oend),
        rationale=rule.rationale,
        why="；".join(candidate.why),
    )


def _obfuscation(candidates: list[_Candidate]) -> list[Finding]:
    """EX-004: invisible or private-use characters inside a hit that asks for review or more."""
    findings: list[Finding] = []
    for candidate in candidates:
        hit, text = candidate.ctx.hit, candidate.ctx.text
        if (candidate.action or candidate.rule.action) is Action.INFO:
            continue
        hidden = text.invisible_in(hit.ostart, hit.oend)
        private = len(PRIVATE_USE_RE.findall(text.original[hit.ostart : hit.oend]))
        if hidden or private:
            segment = candidate.ctx.segment
            findings.append(Finding(
                rule_id=OBFUSCATION_RULE,
                title="标志或关键词中夹杂不可见字符",
                category="obfuscation",
                action=Action.REVIEW,
                matched=segment.text[hit.ostart : hit.oend],
                location=_location(segment, candidate.ctx.line or 0, hit.ostart, hit.oend, candidate.ctx.zones),
                snippet=snippet(segment.text, hit.ostart, hit.oend),
                rationale="关键词中插入零宽字符或符号字体私用区字符，常用于规避检查；应人工核实（参见规避手段说明）。",
                why=f"命中 {candidate.rule.id}，其中有 {hidden} 个不可见字符、{private} 个私用区字符",
            ))
    return findings


def try_text(text: str, compiled: CompiledRuleSet, part: Part = Part.BODY) -> Evaluation:
    """Screen a bare text as a one-segment document (``rules try`` and rule examples)."""
    from ..models import Origin

    document = Document(media_type="text/plain", segments=[Segment(text=text, origin=Origin(part=part, line=1))])
    return evaluate(document, compiled)


__all__ = ["Evaluation", "Normalized", "Suppressed", "evaluate", "fold_keyword", "snippet", "try_text"]
