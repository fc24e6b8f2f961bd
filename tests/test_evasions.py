"""Disguised state-secret marks (rules-reference.md §11) still block, in every format we read.

Each case hides a 密级★保密期限 mark with one evasion. The document must be blocked by SS-001, and the
finding's ``matched`` must be the disguised characters as the document holds them, with
``location.start/end`` slicing them out of the segment. Invisible and symbol-font characters inside
the mark add the EX-004 finding.
"""

from __future__ import annotations

import html
import io
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from secscreen.extract import extract, extractor_for, sniff
from secscreen.models import Document, Finding, Verdict
from secscreen.rules import CompiledRuleSet, evaluate
from secscreen.verdict import decide

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
    """What ``pipeline.analyse`` decides (extract, evaluate, decide), with the document and findings."""
    document = extract(data, name)
    findings = evaluate(document, compiled).findings
    return decide(findings, document.issues), document, findings


def segment_text(document: Document, finding: Finding) -> str:
    """The text of the segment a finding points into (one segment per line in a PDF page)."""
    location = finding.location
    same = [
        s for s in document.segments
        if (s.origin.part, s.origin.paragraph, s.origin.page, s.origin.name)
        == (location.part, location.paragraph, location.page, location.name)
    ]
    if len(same) > 1:
        same = [s for s in same if s.origin.line == location.line]
    [segment] = same
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


def _extractor_registered(media_type: str) -> bool:
    return extractor_for(media_type) is not None


DOCX_SYMBOL_STAR = "\uf0ab"  # written as <w:sym w:font="Wingdings" w:char="F0AB"/>, read back as ★


def docx_bytes(mark: str, *, in_table: bool) -> bytes:
    """A DOCX with the mark in its own paragraph (or a table cell), one run per character, as edited
    text is often stored; a line break is ``<w:br/>``, the symbol-font star a ``w:sym``."""
    document = docx.Document()
    document.add_paragraph("某某局文件")
    paragraph = document.add_table(rows=1, cols=2).cell(0, 0).paragraphs[0] if in_table else document.add_paragraph()
    for char in mark:
        run = paragraph.add_run()
        if char == DOCX_SYMBOL_STAR:
            symbol = OxmlElement("w:sym")
            symbol.set(qn("w:font"), "Wingdings")
            symbol.set(qn("w:char"), "F0AB")
            run._r.append(symbol)
        else:
            run.text = char  # python-docx writes "\n" as <w:br/>
    document.add_paragraph("关于某事项的通知")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.skipif(not _extractor_registered(sniff.DOCX), reason="DOCX extractor not registered")
@pytest.mark.parametrize("in_table", [False, True], ids=["paragraph", "table-cell"])
@pytest.mark.parametrize("mark", list(ALL_MARKS.values()), ids=list(ALL_MARKS))
def test_docx_disguised_mark_blocks_and_shows_original(compiled: CompiledRuleSet, mark: str, in_table: bool) -> None:
    shown = mark.replace(DOCX_SYMBOL_STAR, "★")
    hidden = mark in HIDDEN_MARKS.values() and DOCX_SYMBOL_STAR not in mark
    assert_blocked_at(docx_bytes(mark, in_table=in_table), "notice.docx", compiled, shown, hidden=hidden)


def pdf_bytes(mark: str, tmp_path: Path) -> bytes:
    """A one-page PDF in the CID font STSong-Light; the mark's lines are drawn at single spacing, as a
    wrapped table cell would be."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "notice.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 14)
    page.drawString(72, 780, "某某局文件")
    y = 740
    for line in mark.split("\n"):
        page.drawString(72, y, line)
        y -= 16
    page.drawString(72, y - 30, "关于某事项的通知")
    page.save()
    return path.read_bytes()


def _drawable(mark: str) -> bool:
    """STSong-Light covers GBK; zero-width characters cannot be drawn at all."""
    try:
        mark.encode("gbk")
    except UnicodeEncodeError:
        return False
    return mark not in HIDDEN_MARKS.values()


PDF_MARKS = {name: mark for name, mark in ALL_MARKS.items() if _drawable(mark)}


@pytest.mark.skipif(not _extractor_registered(sniff.PDF), reason="PDF extractor not registered")
@pytest.mark.parametrize("mark", list(PDF_MARKS.values()), ids=list(PDF_MARKS))
def test_pdf_disguised_mark_blocks_and_shows_original(compiled: CompiledRuleSet, mark: str, tmp_path: Path) -> None:
    shown = mark.replace("\u3000", " ")  # a PDF text layer gives the ideographic space as a space
    assert_blocked_at(pdf_bytes(mark, tmp_path), "notice.pdf", compiled, shown, hidden=False)
