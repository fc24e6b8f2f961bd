"""Verdict stage: the strongest action among findings and extraction issues. Fail closed."""

from __future__ import annotations

from .models import Action, ExtractionIssue, Finding, Verdict

_FROM_ACTION = {Action.INFO: Verdict.PASS, Action.REVIEW: Verdict.REVIEW, Action.BLOCK: Verdict.BLOCK}


def decide(findings: list[Finding], issues: list[ExtractionIssue]) -> Verdict:
    verdict = Verdict.PASS
    for action in [f.action for f in findings] + [i.action for i in issues]:
        candidate = _FROM_ACTION[action]
        if candidate.rank > verdict.rank:
            verdict = candidate
    return verdict
