"""``screen()``: bytes -> extract -> normalize/match/rules -> verdict -> audit -> ScanResult.

It calls the stages in order and owns no logic. Anything that goes wrong before the verdict becomes
an issue that raises the verdict to ``review`` (fail closed); if the audit record cannot be written,
``AuditError`` propagates and no verdict is given.
"""

from __future__ import annotations

import hashlib
import logging
import time

from .audit import AuditStore, screening_body
from .extract import issues
from .extract.base import Limits
from .extract.isolate import extract_guarded
from .models import Document, ExtractionIssue, Origin, Part, RulesetInfo, ScanResult, Segment
from .rules import CompiledRuleSet, evaluate
from .verdict import decide

log = logging.getLogger(__name__)

#: caller metadata screened as text, besides being checked by source rules
SCREENED_META = ("title", "subject", "keywords", "filename")


def meta_segments(meta: dict[str, str]) -> list[Segment]:
    return [
        Segment(text=meta[key], origin=Origin(part=Part.METADATA, name=key))
        for key in SCREENED_META
        if meta.get(key)
    ]


def analyse(data: bytes, name: str, compiled: CompiledRuleSet, *, meta: dict[str, str] | None = None,
            limits: Limits | None = None, media_type: str | None = None,
            unread: ExtractionIssue | None = None) -> ScanResult:
    """Everything but the audit record: the result a screening would give.

    ``unread`` says why the caller could not even read the bytes (a file it may not open, one over the
    size limit): nothing is extracted and the verdict is at least ``review``.
    """
    started = time.perf_counter()
    meta = meta or {}
    try:
        if unread is not None:
            document = Document(media_type="application/octet-stream", issues=[unread])
        else:
            document = extract_guarded(data, name, limits, media_type=media_type)
    except Exception as error:
        log.exception("extraction crashed on %s", name)
        document = Document(media_type="application/octet-stream",
                            issues=[issues.issue(issues.INTERNAL_ERROR, type(error).__name__)])
    document.segments.extend(meta_segments(meta))
    try:
        evaluation = evaluate(document, compiled, meta)
        findings, suppressed = evaluation.findings, evaluation.suppressed
    except Exception as error:
        log.exception("rules stage crashed on %s", name)
        document.issues.append(issues.issue(issues.INTERNAL_ERROR, type(error).__name__))
        findings, suppressed = [], []
    verdict = decide(findings, document.issues)
    return ScanResult(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media_type=document.media_type,
        verdict=verdict,
        findings=findings,
        issues=list(document.issues),
        ruleset=RulesetInfo(version=compiled.version, sha256=compiled.sha256, rules=len(compiled.rules)),
        duration_ms=(time.perf_counter() - started) * 1000,
        suppressed=[s.__dict__ for s in suppressed],
    )


def screen(data: bytes, name: str, compiled: CompiledRuleSet, store: AuditStore, *, actor: str, channel: str,
           meta: dict[str, str] | None = None, limits: Limits | None = None,
           media_type: str | None = None, unread: ExtractionIssue | None = None) -> ScanResult:
    """Screen one document and record it. Raises ``AuditError`` rather than return an unrecorded verdict."""
    result = analyse(data, name, compiled, meta=meta, limits=limits, media_type=media_type, unread=unread)
    record = store.append("screening", screening_body(result, actor=actor, channel=channel, file_name=name, meta=meta))
    result.audit_id = record.id
    return result
