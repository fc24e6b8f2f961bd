"""Source rules: a forbidden source category named by the caller's metadata or by the document's
own labelled field (来源：… / 发布机构：… / 发文机关：…). A mention in running prose does not count.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..models import Document, Finding, Location, Part
from ..normalize import fold_keyword

if TYPE_CHECKING:
    from .compiled import CompiledRuleSet
    from .schema import Rule


def _organ_in(value: str, organs: list[str]) -> str | None:
    compact = fold_keyword(value)
    for organ in organs:
        if fold_keyword(organ) in compact:
            return organ
    return None


def _label_regex(labels: list[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?:^|[\s　|]){{0,1}}(?:{alternatives})\s*[:：]\s*([^\n|]{{1,60}})")


def source_findings(document: Document, compiled: CompiledRuleSet, meta: dict[str, str]) -> list[Finding]:
    findings: list[Finding] = []
    for rule in compiled.rules.values():
        if rule.source is None:
            continue
        findings.extend(_from_meta(rule, meta))
        findings.extend(_from_document(rule, document))
    return findings


def _finding(rule: Rule, matched: str, location: Location, snippet: str, why: str) -> Finding:
    return Finding(rule_id=rule.id, title=rule.title, category=rule.category, action=rule.action, matched=matched,
                   location=location, snippet=snippet, rationale=rule.rationale, why=why)


def _from_meta(rule: Rule, meta: dict[str, str]) -> list[Finding]:
    assert rule.source is not None
    found = []
    for key in rule.source.meta_fields:
        value = meta.get(key)
        if not value:
            continue
        organ = _organ_in(value, rule.source.organs)
        if organ:
            location = Location(part=Part.METADATA, name=key, start=0, end=len(value), zone="metadata")
            found.append(_finding(rule, value, location, f"{key}={value}", f"调用方提供的来源“{value}”属于禁止类别“{organ}”"))
    return found


def _from_document(rule: Rule, document: Document) -> list[Finding]:
    assert rule.source is not None
    regex = _label_regex(rule.source.labels)
    found = []
    for segment in document.segments:
        if segment.origin.part in (Part.FILENAME,):
            continue
        for match in regex.finditer(segment.text):
            value = match.group(1).strip()
            organ = _organ_in(value, rule.source.organs)
            if not organ:
                continue
            start = match.start(1)
            line = segment.origin.line + segment.text.count("\n", 0, start) if segment.origin.line else None
            location = Location(part=segment.origin.part, page=segment.origin.page, line=line, start=start,
                                end=start + len(match.group(1).rstrip()), path=segment.origin.path, zone="body")
            found.append(_finding(rule, match.group(1).rstrip(), location, match.group(0).strip(),
                                  f"文中来源字段“{match.group(0).strip()}”属于禁止类别“{organ}”"))
    return found
