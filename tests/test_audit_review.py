"""``secscreen review``: decisions are appended, validated, and shown with their screening."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from secscreen.audit import DecisionRejected, SqliteAuditStore, UnknownRecord, decisions_for, record_decision
from secscreen.pipeline import screen
from secscreen.rules import CompiledRuleSet

from .conftest import run_cli

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def screened(home: Path, compiled: CompiledRuleSet) -> Callable[[str], str]:
    def screened(text: str) -> str:
        with SqliteAuditStore(home / "audit.sqlite3") as store:
            result = screen(text.encode(), "doc.txt", compiled, store, actor="张三", channel="cli")
        assert result.audit_id
        return result.audit_id

    return screened


def show(record_id: str) -> dict:
    result = run_cli("audit", "show", record_id)
    assert result.exit_code == 0
    return json.loads(result.output)


def test_letting_a_block_through_needs_a_reason(screened: Callable[[str], str]) -> None:
    screening = screened("通知\n机密★10年\n")
    refused = run_cli("review", "approve", screening, "--by", "张三")
    assert refused.exit_code == 2
    assert "理由" in refused.output
    assert show(screening)["decisions"] == []
    accepted = run_cli("review", "approve", screening, "--by", "张三", "--reason", "已脱密，经审批可公开")
    assert accepted.exit_code == 0
    [decision] = show(screening)["decisions"]
    assert (decision["decision"], decision["by"], decision["role"]) == ("approve", "张三", "reviewer")
    assert decision["reason"] == "已脱密，经审批可公开"
    assert decision["screening_verdict"] == "block"


def test_override_is_recorded_as_an_officer_and_always_needs_a_reason(screened: Callable[[str], str]) -> None:
    screening = screened("联系电话：010-12345678\n")
    assert run_cli("review", "override", screening, "--by", "王五").exit_code == 2
    result = run_cli("review", "override", screening, "--by", "王五", "--reason", "单位公开电话")
    assert result.exit_code == 0
    assert show(screening)["decisions"][0]["role"] == "officer"


def test_reject_needs_no_reason_and_decisions_accumulate(screened: Callable[[str], str]) -> None:
    screening = screened("关于开展植树活动的通知\n")
    assert run_cli("review", "reject", screening, "--by", "张三").exit_code == 0
    assert run_cli("review", "approve", screening, "--by", "李四").exit_code == 0
    decisions = show(screening)["decisions"]
    assert [d["decision"] for d in decisions] == ["reject", "approve"]
    listed = run_cli("audit", "list", "--kind", "decision", "--actor", "李四").output.splitlines()
    assert len(listed) == 1 and screening in listed[0]
    assert run_cli("audit", "verify").exit_code == 0


def test_unknown_screening_exits_2_with_a_message(screened: Callable[[str], str]) -> None:
    result = run_cli("review", "reject", "0123456789abcdef", "--by", "张三")
    assert result.exit_code == 2
    assert "没有编号为 0123456789abcdef 的审查记录" in result.output


def test_a_decision_cannot_be_taken_on_a_decision(screened: Callable[[str], str]) -> None:
    screening = screened("会议纪要\n")
    run_cli("review", "reject", screening, "--by", "张三")
    decision_id = show(screening)["decisions"][0]["id"]
    assert run_cli("review", "approve", decision_id, "--by", "张三").exit_code == 2


def test_the_reviewer_must_be_named(screened: Callable[[str], str]) -> None:
    screening = screened("会议纪要\n")
    assert run_cli("review", "reject", screening).exit_code == 2
    assert run_cli("review", "reject", screening, "--by", "  ").exit_code == 2


def test_record_decision_validates_for_the_service(store: SqliteAuditStore) -> None:
    screening = store.append("screening", {"verdict": "block", "sha256": "ab"})
    with pytest.raises(UnknownRecord) as unknown:
        record_decision(store, "nope", decision="reject", by="张三", role="reviewer", reason="", channel="api")
    assert unknown.value.http_status == 404
    for bad in ({"decision": "publish"}, {"channel": "fax"}, {"role": ""}, {"decision": "override", "reason": ""}):
        args = {"decision": "reject", "by": "张三", "role": "reviewer", "reason": "", "channel": "api", **bad}
        with pytest.raises(DecisionRejected):
            record_decision(store, screening.id, **args)
    record = record_decision(store, screening.id, decision="override", by="赵六", role="officer", reason="已核实",
                             channel="web")
    assert decisions_for(store, screening.id) == [store.get(record.id)]
    assert store.verify().ok
