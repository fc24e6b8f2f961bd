"""Normalization must not turn a false-positive phrase into a finding (rules-reference.md §8).

The simplified phrases themselves are checked elsewhere; here each phrase is written in traditional
characters (OpenCC s2t), in full-width forms and with zero-width characters between its characters,
and must get the same verdict as the simplified phrase. A word-boundary trap that appears only after
folding (危機密切 -> 危机密切 must still be cut 危机/密切) would show up here.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from opencc import OpenCC

from secscreen.models import Verdict
from secscreen.rules import CompiledRuleSet, try_text
from secscreen.verdict import decide

PHRASES = [
    "涉密信息不上网，上网信息不涉密",
    "认真学习贯彻保守国家秘密法",
    "企业商业秘密受法律保护",
    "两国关系危机密切相关",
    "司机密切配合交警工作",
    "请输入手机密码",
    "计算机密码长度不少于8位",
    "采用随机密钥加密",
    "有机密封胶",
    "确保密切配合",
    "环保密封材料",
    "拒绝密切接触者进入",
    "隔绝密封保存",
    "跋涉密林",
    "便秘密切相关",
    "这是一个公开的秘密",
    "开展保密宣传教育月活动",
    "国家保密局局长",
    "信息安全三要素：机密性、完整性、可用性",
    "采取秘密投票方式",
    "电影《绝密使命》",
    "关于公开征求《××办法（征求意见稿）》意见的通知",
    "《参考消息》",
    "内部控制制度",
    "内部审计",
    '保密知识：标注示例如"秘密★1年"',
    "该文件原定机密★10年，现已解密公开",
    "依法不予公开的政府信息包括国家秘密",
    "注：本表数据来源于××统计年鉴（内部资料）",
    "项目编号 11010519491231002X",
    "统一社会信用代码：91110000600037341L",
    "绝密码头",
]
#: the phrase placed in running text (line 9), away from the header zone, and alone on a header line
PLACEMENTS = {
    "body": lambda phrase: "\n".join(["第一行"] * 8 + [f"据报道，{phrase}。"]),
    "header": lambda phrase: f"{phrase}\n关于某事项的通知",
}

_s2t = OpenCC("s2t")
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def traditional(text: str) -> str:
    return str(_s2t.convert(text))


def full_width(text: str) -> str:
    return text.translate(_FULL_WIDTH).replace(" ", "\u3000")


def zero_width(text: str) -> str:
    return "\u200b".join(text)


def traditional_full_width_zero_width(text: str) -> str:
    return "\u2060".join(full_width(traditional(text)))


VARIANTS: dict[str, Callable[[str], str]] = {
    "traditional": traditional,
    "full-width": full_width,
    "zero-width": zero_width,
    "all-three": traditional_full_width_zero_width,
}


def verdict(text: str, compiled: CompiledRuleSet) -> Verdict:
    return decide(try_text(text, compiled).findings, [])


#: (phrase, variant) pairs where the variant actually changes the phrase (跋涉密林 has no traditional form)
CASES = [(phrase, name) for phrase in PHRASES for name, variant in sorted(VARIANTS.items()) if variant(phrase) != phrase]


@pytest.mark.parametrize("placement", sorted(PLACEMENTS))
@pytest.mark.parametrize(("phrase", "variant"), CASES)
def test_variant_of_false_positive_phrase_gets_the_same_verdict(
    compiled: CompiledRuleSet, phrase: str, variant: str, placement: str
) -> None:
    place = PLACEMENTS[placement]
    disguised = VARIANTS[variant](phrase)
    assert verdict(place(disguised), compiled) == verdict(place(phrase), compiled)


@pytest.mark.parametrize("phrase", ["两国关系危机密切相关", "请输入手机密码", "拒绝密切接触者进入", "有机密封胶"])
def test_traditional_boundary_traps_still_pass(compiled: CompiledRuleSet, phrase: str) -> None:
    evaluation = try_text("\n".join(["第一行"] * 8 + [traditional(phrase)]), compiled)
    assert evaluation.findings == []
