"""The 30 false-positive phrases of the rules reference (§8), each screened as a short text document,
and the same words screened in different zones (a label in the header blocks, prose in the body does not)."""

from __future__ import annotations

import pytest

from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

PHRASES = [
    (1, "涉密信息不上网，上网信息不涉密", "pass", None),
    (2, "认真学习贯彻保守国家秘密法", "pass", None),
    (3, "企业商业秘密受法律保护", "pass", None),
    (4, "两国关系危机密切相关", "pass", None),
    (5, "司机密切配合交警工作", "pass", None),
    (6, "请输入手机密码", "pass", None),
    (7, "计算机密码长度不少于8位", "pass", None),
    (8, "采用随机密钥加密", "pass", None),
    (9, "有机密封胶", "pass", None),
    (10, "确保密切配合", "pass", None),
    (11, "环保密封材料", "pass", None),
    (12, "拒绝密切接触者进入", "pass", None),
    (13, "隔绝密封保存", "pass", None),
    (14, "跋涉密林", "pass", None),
    (15, "便秘密切相关", "pass", None),
    (16, "这是一个公开的秘密", "pass", None),
    (17, "开展保密宣传教育月活动", "pass", None),
    (18, "国家保密局局长", "pass", None),
    (19, "信息安全三要素：机密性、完整性、可用性", "pass", None),
    (20, "采取秘密投票方式", "pass", None),
    (21, "电影《绝密使命》", "pass", None),
    (22, "关于公开征求《××办法（征求意见稿）》意见的通知", "pass", None),
    (23, "《参考消息》 / 内部控制制度 / 内部审计", "pass", None),
    (24, "保密知识：标注示例如\"秘密★1年\"", "review", "SS-001"),
    (25, "该文件原定机密★10年，现已解密公开", "review", "SS-008"),
    (26, "依法不予公开的政府信息包括国家秘密…", "pass", None),
    (27, "注：本表数据来源于××统计年鉴（内部资料）", "review", "WS-002B"),
    (28, "项目编号 11010519491231002X", "review", "PII-001"),
    (29, "统一社会信用代码：91110000600037341L", "pass", "PII-005"),
    (30, "绝密码头", "pass", None),
]


def _screen(text: str, compiled: CompiledRuleSet) -> tuple[str, dict[str, str]]:
    result = analyse(text.encode("utf-8"), "phrase.txt", compiled)
    return result.verdict.value, {f.rule_id: f.action.value for f in result.findings}


@pytest.mark.parametrize(("number", "text", "verdict", "rule_id"), PHRASES, ids=[f"fp{n:02d}" for n, *_ in PHRASES])
def test_false_positive_phrase_gets_expected_outcome(number: int, text: str, verdict: str, rule_id: str | None,
                                                     compiled: CompiledRuleSet) -> None:
    got, findings = _screen(text, compiled)
    assert got == verdict, (number, findings)
    if rule_id is None:
        assert findings == {}, (number, findings)
    else:
        assert rule_id in findings, (number, findings)


def test_phrase_29_is_annotated_as_company_code_not_blocked_as_id(compiled: CompiledRuleSet) -> None:
    _, findings = _screen("统一社会信用代码：91110000600037341L", compiled)
    assert findings == {"PII-005": "info"}


BODY = "关于做好年度工作的通知\n各单位：\n一、总体要求。\n二、主要任务。\n三、保障措施。\n四、其他事项。\n{line}\n五、工作要求。\n六、联系方式。\n七、附件。\n某某局\n"


@pytest.mark.parametrize(
    ("words", "header", "body"),
    [
        ("严禁外传", "block", "pass"),          # WS-008: a label in the header; prose in the body says nothing
        ("工作秘密", "block", "pass"),          # WS-001
        ("内部参考", "block", "review"),        # WS-003: body mention only asks for review
        ("机密5年", "block", "pass"),           # SS-003: lost star at the header; a plan name in the body
        ("会议纪要", "review", "pass"),         # DF-004: a title at the top; prose citing a 纪要 is not one
    ],
)
def test_same_words_differ_by_zone(words: str, header: str, body: str, compiled: CompiledRuleSet) -> None:
    at_header = analyse(f"{words}\n{BODY.format(line='正文。')}".encode(), "h.txt", compiled).verdict.value
    in_prose = analyse(BODY.format(line=f"请各单位认真落实{words}的有关要求。").encode(), "b.txt", compiled).verdict.value
    assert (at_header, in_prose) == (header, body)
