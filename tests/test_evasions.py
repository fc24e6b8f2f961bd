"""Disguised state-secret marks (rules-reference.md §11) still block, in every format we read.

Each case hides a 密级★保密期限 mark with one evasion. The document must be blocked by SS-001, and the
finding's ``matched`` must be the disguised characters as the document holds them, with
``location.start/end`` slicing them out of the segment. Invisible and symbol-font characters inside
the mark add the EX-004 finding.
"""

from __future__ import annotations

import html

import pytest

from secscreen.extract import extract
from secscreen.models import Document, Finding, Verdict
from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet, evaluate

MARKS: dict[str, str] = {
    "spaced": "机 密 ★ 1 0 年",
    "ideographic-space": "机　密★10年",
    "hyphen": "机-密★10年",
    "dot": "机.密★10年",
    "at-sign": "机@密★10年",
    "line-break": "机\n密★10年",
    "period-chinese-ten": "机密★十年",
    "period-capital-ten": "机密★拾年",
    "period-circled-ten": "机密★⑩年",
    "period-full-width": "机密★１０年",
    "period-bold-digits": "机密★𝟏𝟎年",
    "full-width-star-and-digits": "机密＊１０年",
    "traditional-ji": "機密★10年",
    "traditional-jue": "絕密★30年",
    "taiwan-mi": "祕密★1年",
    "circled-secret": "㊙密★1年",
    "traditional-with-gaps": "機 密 ☆ 拾 年",
    **{f"star-U+{ord(star):04X}": f"机密{star}5年" for star in "☆✩✭✮⭐✱*＊※⁎"},
}
#: invisible or symbol-font characters inside the mark: block, and EX-004 says why
HIDDEN_MARKS: dict[str, str] = {
    "zero-width-space": "机\u200b密★10年",
    "zero-width-joiner": "机密\u200d★10年",
    "word-joiner": "机\u2060密★\u2060十年",
    "bom": "绝\ufeff密★30年",
    "soft-hyphen": "机\u00ad密★10年",
    "variation-selector": "机密★\ufe0f10年",
    "wingdings-star": "机密\uf0ab10年",
}
ALL_MARKS = {**MARKS, **HIDDEN_MARKS}


def screen_bytes(data: bytes, name: str, compiled: CompiledRuleSet) -> tuple[Verdict, Document, list[Finding]]:
    """The verdict of the full pipeline, plus the extracted document and findings to check offsets."""
    result = analyse(data, name, compiled)
    document = extract(data, name)
    return result.verdict, document, evaluate(document, compiled).findings


def segment_text(document: Document, finding: Finding) -> str:
    location = finding.location
    [segment] = [
        s for s in document.segments
        if (s.origin.part, s.origin.paragraph, s.origin.page, s.origin.name)
        == (location.part, location.paragraph, location.page, location.name)
    ]
    return segment.text


def assert_blocked_at(data: bytes, name: str, compiled: CompiledRuleSet, shown: str, *, hidden: bool) -> None:
    verdict, document, findings = screen_bytes(data, name, compiled)
    assert verdict is Verdict.BLOCK, findings
    marks = [f for f in findings if f.rule_id == "SS-001" and f.matched == shown]
    assert marks, [(f.rule_id, f.matched) for f in findings]
    for finding in marks:
        location = finding.location
        assert segment_text(document, finding)[location.start : location.end] == shown
    obfuscation = [f for f in findings if f.rule_id == "EX-004"]
    if hidden:
        assert [f.matched for f in obfuscation] == [shown]
    else:
        assert obfuscation == []


@pytest.mark.parametrize("placement", ["header-line", "in-sentence"])
@pytest.mark.parametrize("mark", list(ALL_MARKS.values()), ids=list(ALL_MARKS))
def test_txt_disguised_mark_blocks_and_shows_original(compiled: CompiledRuleSet, mark: str, placement: str) -> None:
    if placement == "header-line":
        text = f"某某局文件\n{mark}\n关于某事项的通知\n"
    else:
        text = f"某某局文件\n关于某事项的通知\n根据上级要求，{mark}文件一律不得上网。\n"
    assert_blocked_at(text.encode(), "notice.txt", compiled, mark, hidden=mark in HIDDEN_MARKS.values())


def test_txt_finding_line_is_where_the_disguised_mark_starts(compiled: CompiledRuleSet) -> None:
    _, _, findings = screen_bytes("某某局文件\n\n机 密\n★ 十 年\n".encode(), "notice.txt", compiled)
    [finding] = [f for f in findings if f.rule_id == "SS-001"]
    assert (finding.matched, finding.location.line) == ("机 密\n★ 十 年", 3)


def rendered(mark: str) -> str:
    """The mark as a browser shows it: HTML collapses runs of whitespace within a line to one space."""
    return "\n".join(" ".join(line.split()) for line in mark.split("\n"))


@pytest.mark.parametrize("mark", list(ALL_MARKS.values()), ids=list(ALL_MARKS))
def test_html_disguised_mark_blocks_and_shows_original(compiled: CompiledRuleSet, mark: str) -> None:
    page = f"<html><head><title>通知</title></head><body><p>某某局文件</p><p>{html.escape(mark)}</p></body></html>"
    assert_blocked_at(page.encode(), "notice.html", compiled, rendered(mark), hidden=mark in HIDDEN_MARKS.values())


def test_html_numeric_entities_are_decoded_before_matching(compiled: CompiledRuleSet) -> None:
    page = "<html><body><p>某某局文件</p><p>&#26426;&#23494;&#9733;10&#24180;</p></body></html>"
    assert_blocked_at(page.encode(), "notice.html", compiled, "机密★10年", hidden=False)


def test_html_entities_hiding_a_zero_width_space_still_block_with_ex004(compiled: CompiledRuleSet) -> None:
    page = "<html><body><p>&#x673A;&#x200B;&#x5BC6;&#x2605;&#x5341;&#x5E74;</p></body></html>"
    assert_blocked_at(page.encode(), "notice.html", compiled, "机\u200b密★十年", hidden=True)


def test_html_line_break_in_table_cell_source_blocks(compiled: CompiledRuleSet) -> None:
    page = "<html><body><table><tr><td>机\n密★10年</td><td>附件</td></tr></table></body></html>"
    assert_blocked_at(page.encode(), "notice.html", compiled, "机\n密★10年", hidden=False)


def test_html_br_in_table_cell_blocks(compiled: CompiledRuleSet) -> None:
    page = "<html><body><table><tr><td>机<br>密★10年</td></tr></table></body></html>"
    verdict, _, findings = screen_bytes(page.encode(), "notice.html", compiled)
    assert verdict is Verdict.BLOCK
    assert any(f.rule_id == "SS-001" for f in findings)


@pytest.mark.parametrize("text", ["內部資料，免費交流", "内部資料　注意保存"])
def test_traditional_internal_material_mark_blocks(compiled: CompiledRuleSet, text: str) -> None:
    verdict, document, findings = screen_bytes(f"某某局\n{text}\n".encode(), "notice.txt", compiled)
    assert verdict is Verdict.BLOCK
    [finding] = [f for f in findings if f.rule_id == "WS-002"]
    assert segment_text(document, finding)[finding.location.start : finding.location.end] == finding.matched
    assert finding.matched == text
