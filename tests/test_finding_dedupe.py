"""One mark, one finding: a rule reports a mark once, however many patterns or segments saw it."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from secscreen.extract import extract
from secscreen.models import Document, Origin, Part, Segment
from secscreen.rules import CompiledRuleSet, evaluate
from secscreen.rules.dedupe import Spot, dedupe


def screen_text(text: str, compiled: CompiledRuleSet):
    document = Document(media_type="text/plain", segments=[Segment(text=text, origin=Origin(part=Part.BODY, line=1))])
    return evaluate(document, compiled)


def own(evaluation, rule_id: str) -> list[str]:
    return [f.matched for f in evaluation.findings if f.rule_id == rule_id]


def test_overlapping_patterns_of_one_rule_report_the_longest_once(compiled: CompiledRuleSet) -> None:
    evaluation = screen_text("某某局文件\n（此件发至县级）\n", compiled)
    assert own(evaluation, "WS-006") == ["此件发至县级"]
    [dropped] = [s for s in evaluation.suppressed if s.rule_id == "WS-006"]
    assert dropped.matched == "发至县级" and "只报一次" in dropped.reason


def test_two_separate_marks_in_one_segment_are_two_findings(compiled: CompiledRuleSet) -> None:
    evaluation = screen_text("（此件发至县级）\n正文\n（此件发至乡镇）\n", compiled)
    assert own(evaluation, "WS-006") == ["此件发至县级", "此件发至乡镇"]


def pdf_wrapped_cell(tmp_path: Path) -> bytes:
    """A mark on the first line of a cell that wraps onto a second line: the PDF extractor reads it
    as a body line and again as the cell's ``table`` segment."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "cell.pdf"
    page = canvas.Canvas(str(path))
    page.setFont("STSong-Light", 14)
    page.drawString(72, 780, "某某局文件")
    page.drawString(72, 740, "机密★10年")
    page.drawString(72, 724, "（续）")
    page.drawString(72, 680, "关于某事项的通知")
    page.save()
    return path.read_bytes()


def test_pdf_mark_in_a_wrapped_cell_is_reported_once(compiled: CompiledRuleSet, tmp_path: Path) -> None:
    document = extract(pdf_wrapped_cell(tmp_path), "cell.pdf")
    holding = [s.origin.part for s in document.segments if "机密★10年" in s.text]
    assert sorted(holding) == [Part.BODY, Part.TABLE]  # the mark is read twice …
    evaluation = evaluate(document, compiled)
    [finding] = [f for f in evaluation.findings if f.rule_id == "SS-001"]  # … and reported once
    assert finding.matched == "机密★10年"
    assert finding.location.part is Part.BODY  # the one-line box is the more specific place
    assert [s.part for s in evaluation.suppressed if s.rule_id == "SS-001"] == ["table"]


def _page_document(paragraph: str, cell: str, cell_page: int = 1) -> Document:
    return Document(media_type="application/pdf", segments=[
        Segment(text=paragraph, origin=Origin(part=Part.BODY, page=1, line=1, bbox=(72, 90, 500, 140))),
        Segment(text=cell, origin=Origin(part=Part.TABLE, page=cell_page, line=1, bbox=(72, 90, 200, 120))),
    ])


def test_a_cell_stands_for_one_mark_of_its_paragraph_not_two(compiled: CompiledRuleSet) -> None:
    document = _page_document("机密★10年 某某事项 机密★10年", "机密★10年")
    findings = [f for f in evaluate(document, compiled).findings if f.rule_id == "SS-001"]
    assert sorted(f.location.part.value for f in findings) == ["body", "table"]


def test_the_same_text_on_another_page_is_another_mark(compiled: CompiledRuleSet) -> None:
    document = _page_document("机密★10年", "机密★10年", cell_page=2)
    findings = [f for f in evaluate(document, compiled).findings if f.rule_id == "SS-001"]
    assert sorted(f.location.page for f in findings) == [1, 2]


def test_the_same_mark_in_two_headers_is_reported_for_each(compiled: CompiledRuleSet) -> None:
    document = Document(media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document", segments=[
        Segment(text="机密★10年", origin=Origin(part=Part.HEADER, line=1, name="第1节页眉")),
        Segment(text="机密★10年", origin=Origin(part=Part.HEADER, line=1, name="第2节页眉")),
    ])
    findings = [f for f in evaluate(document, compiled).findings if f.rule_id == "SS-001"]
    assert sorted(f.location.name for f in findings) == ["第1节页眉", "第2节页眉"]


def spot(segment: int, start: int, end: int, *, rank: int = 1, bbox=(0.0, 0.0, 10.0, 10.0), compact: str = "机密") -> Spot:
    return Spot(rule_id="R", rank=rank, segment=segment, start=start, end=end, compact=compact, part=Part.BODY,
                page=1, path=None, name=None, lines=(1, 1), bbox=bbox, segment_lines=1, segment_length=20)


def test_a_stronger_hit_is_never_dropped_for_a_weaker_one() -> None:
    # across segments: the weaker hit sits in the smaller box, still the stronger one stays
    assert set(dedupe([spot(0, 0, 2, rank=1, bbox=(0, 0, 5, 5)), spot(1, 0, 2, rank=2)])) == {0}
    # in one segment: the shorter hit is the stronger one, so it stays
    assert set(dedupe([spot(0, 0, 6, rank=1), spot(0, 2, 4, rank=2)])) == {0}


def test_different_text_or_far_apart_boxes_are_different_marks() -> None:
    assert dedupe([spot(0, 0, 2), spot(1, 0, 2, compact="秘密")]) == {}
    assert dedupe([spot(0, 0, 2), spot(1, 0, 2, bbox=(300.0, 300.0, 310.0, 310.0))]) == {}


@pytest.mark.parametrize("seed", range(5))
def test_dedupe_does_not_depend_on_the_order_of_hits(seed: int) -> None:
    spots = [spot(0, 0, 2), spot(0, 1, 4), spot(1, 0, 2, bbox=(0.0, 0.0, 4.0, 4.0)), spot(2, 5, 7), spot(2, 0, 2),
             spot(3, 0, 2, rank=2, bbox=(50.0, 50.0, 60.0, 60.0))]
    shuffled = spots[:]
    random.Random(seed).shuffle(shuffled)
    kept = {spots[i] for i in range(len(spots)) if i not in dedupe(spots)}
    assert {shuffled[i] for i in range(len(shuffled)) if i not in dedupe(shuffled)} == kept
