"""PDF extraction: every generated case gets its verdict, names the part and page; twins pass; bad files review."""

from __future__ import annotations

import importlib.util
import io
from pathlib import Path

import pytest

from secscreen.extract import extract
from secscreen.extract.base import Limits
from secscreen.extract.pdf.chars import Char
from secscreen.extract.pdf.layout import build_lines, page_segments
from secscreen.models import Part
from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

from .conftest import PUBLIC_LAWS, ROOT


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("pdf_docs", ROOT / "corpora" / "generators" / "pdf_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PDF_DOCS = _generator()


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, dict]]:
    out = tmp_path_factory.mktemp("pdf") / "generated"
    entries = PDF_DOCS.generate(out)
    return out, {Path(e["file"]).name: e for e in entries}


def _scan(generated: tuple[Path, dict[str, dict]], name: str, compiled: CompiledRuleSet):  # type: ignore[no-untyped-def]
    out, entries = generated
    return analyse((out / name).read_bytes(), name, compiled), entries[name]


CASES = sorted(
    [f"pdf-{key}-mark.pdf" for key in PDF_DOCS.MARKED] + [f"pdf-{key}-twin.pdf" for key in PDF_DOCS.MARKED]
)


@pytest.mark.parametrize("name", CASES)
def test_generated_case_gets_its_verdict_part_and_page(name: str, generated, compiled: CompiledRuleSet) -> None:
    result, entry = _scan(generated, name, compiled)
    details = [(f.rule_id, f.matched, f.location.model_dump()) for f in result.findings], result.issues
    assert result.verdict.value == entry["expect"], details
    if entry["expect"] == "pass":
        assert not result.findings and not result.issues
        return
    hits = [f for f in result.findings if f.rule_id in entry["rules"] and f.location.part.value == entry["part"]]
    assert hits, details
    if "page" in entry:
        assert {f.location.page for f in hits} == {entry["page"]}, details
    if "path" in entry:
        assert {f.location.path for f in hits} == {entry["path"]}, details
    if "name" in entry:
        assert entry["name"] in {f.location.name for f in hits}, details


def test_mark_at_top_of_page_one_is_in_the_header_zone(generated, compiled: CompiledRuleSet) -> None:
    top, _ = _scan(generated, "pdf-header-mark.pdf", compiled)
    later, _ = _scan(generated, "pdf-page3-mark.pdf", compiled)
    assert {f.location.zone for f in top.findings if f.rule_id == "SS-001"} == {"header"}
    assert "header" not in {f.location.zone for f in later.findings if f.rule_id == "SS-001"}


def test_unreadable_inputs_review_with_distinct_codes(generated, compiled: CompiledRuleSet) -> None:
    codes = {}
    for name in ("pdf-encrypted.pdf", "pdf-truncated.pdf", "pdf-image-only-page.pdf", "pdf-vector-only-page.pdf",
                 "pdf-no-text.pdf"):
        result, entry = _scan(generated, name, compiled)
        assert result.verdict.value == "review", result.issues
        found = {i.code for i in result.issues}
        assert set(entry["issues"]) <= found
        codes[name] = found
    assert codes["pdf-encrypted.pdf"].isdisjoint(codes["pdf-image-only-page.pdf"])
    assert codes["pdf-truncated.pdf"] != codes["pdf-encrypted.pdf"]
    assert codes["pdf-no-text.pdf"] == {"empty"}


@pytest.mark.parametrize("name", ["pdf-image-only-page.pdf", "pdf-vector-only-page.pdf"])
def test_picture_page_issue_names_the_page(name: str, generated, compiled: CompiledRuleSet) -> None:
    result, _ = _scan(generated, name, compiled)
    assert [i.pages for i in result.issues if i.code == "image-only-page"] == [[2]]


def test_every_cut_of_a_marked_pdf_is_never_passed(generated, compiled: CompiledRuleSet) -> None:
    data = (generated[0] / "pdf-header-mark.pdf").read_bytes()
    for cut in (8, 100, len(data) // 3, len(data) // 2, len(data) - 200, len(data) - 10):
        result = analyse(data[:cut], "cut.pdf", compiled)
        assert result.verdict.value != "pass", cut


def test_damaged_pdfs_never_raise_from_the_extractor(generated) -> None:
    import random

    from secscreen.extract import _recurse
    from secscreen.extract.base import ExtractContext
    from secscreen.extract.pdf import PdfExtractor

    rng = random.Random(20261126)
    for name in ("pdf-table-cell-mark.pdf", "pdf-embedded-mark.pdf", "pdf-ocr-layer-mark.pdf"):
        data = (generated[0] / name).read_bytes()
        for _ in range(12):
            damaged = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            ctx = ExtractContext(path=name, recurse=_recurse)
            document = PdfExtractor().extract(bytes(damaged), ctx)
            assert document.segments or document.issues


def test_garbage_after_pdf_header_is_unreadable(compiled: CompiledRuleSet) -> None:
    result = analyse(b"%PDF-1.7\n" + bytes(range(256)) * 8, "junk.pdf", compiled)
    assert result.verdict.value == "review"
    assert "unreadable" in {i.code for i in result.issues}


def test_time_budget_gives_timeout_not_crash(generated) -> None:
    data = (generated[0] / "pdf-page3-mark.pdf").read_bytes()
    document = extract(data, "slow.pdf", Limits(max_seconds=0.0))
    assert "timeout" in {i.code for i in document.issues}


def test_pages_beyond_the_page_limit_are_named(generated) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class TwoPages(Limits):
        max_pages: int = 2

    data = (generated[0] / "pdf-page3-mark.pdf").read_bytes()
    document = extract(data, "long.pdf", TwoPages(isolate=False))
    assert [(i.code, i.pages) for i in document.issues] == [("limit-exceeded", [3])]
    assert {s.origin.page for s in document.segments if s.origin.page} == {1, 2}


def test_metadata_segments_are_named_by_key(generated) -> None:
    document = extract((generated[0] / "pdf-metadata-mark.pdf").read_bytes(), "m.pdf")
    names = {s.origin.name for s in document.segments if s.origin.part is Part.METADATA}
    assert {"Title", "Subject", "Keywords"} <= names


def test_metadata_is_read_even_when_pdfminer_cannot_open_the_file(generated, monkeypatch: pytest.MonkeyPatch) -> None:
    import secscreen.extract.pdf as pdf_module

    def refuse(data: bytes) -> None:
        raise ValueError("unsupported cipher")

    monkeypatch.setattr(pdf_module, "MinerDocument", refuse)
    document = extract((generated[0] / "pdf-metadata-mark.pdf").read_bytes(), "m.pdf")
    titles = [s.text for s in document.segments if s.origin.part is Part.METADATA and s.origin.name == "Title"]
    assert titles == ["机密★10年 工作要点"]


def _chars(*runs: tuple[str, float, float, float]) -> list[Char]:
    """Characters of width ``w`` laid out from x at line top ``top``: (text, x, top, w)."""
    chars = []
    for text, x, top, width in runs:
        for index, char in enumerate(text):
            chars.append(Char(char, (x + index * width, top, x + (index + 1) * width, top + 12)))
    return chars


def test_star_drawn_first_is_ordered_by_position() -> None:
    drawn = _chars(("★", 96, 50, 12), ("机密", 72, 50, 12), ("10年", 108, 50.5, 12))
    assert [line.text for line in build_lines(drawn)] == ["机密★10年"]


def test_wrapped_cell_becomes_one_table_segment() -> None:
    chars = _chars(("序号", 72, 100, 12), ("机密", 300, 100, 12), ("★10", 300, 113, 12), ("年", 300, 126, 12))
    segments = page_segments(chars, 1, 595, 842, None)
    tables = [s for s in segments if s.origin.part is Part.TABLE]
    assert [s.text for s in tables] == ["机密\n★10\n年"]
    assert tables[0].origin.line == 1 and tables[0].origin.page_height == 842


def test_paragraph_lines_are_not_tables() -> None:
    chars = _chars(("各有关单位为进一步做好政府信息公开工作现将有关事项通知如下", 72, 100, 12),
                   ("一、提高认识切实加强组织领导明确责任分工并抓好落实工作", 72, 114, 12))
    assert all(s.origin.part is Part.BODY for s in page_segments(chars, 1, 595, 842, None))


def test_wrapped_paragraph_lines_are_rejoined_but_short_header_lines_are_not() -> None:
    chars = _chars(
        ("000123", 72, 40, 8), ("机密5年", 72, 60, 12),  # 份号 and a star-less mark: two short lines
        ("各有关单位为进一步做好政府信息公开工作现将有关事项通知如下请认真", 72, 120, 12),
        ("贯彻执行。", 72, 136, 12),
    )
    texts = [s.text for s in page_segments(chars, 1, 595, 842, None)]
    assert texts == ["000123", "机密5年", "各有关单位为进一步做好政府信息公开工作现将有关事项通知如下请认真贯彻执行。"]


def test_glyphs_drawn_twice_for_bold_are_read_once() -> None:
    chars = _chars(("机密", 72, 50, 12), ("机密", 72.4, 50, 12))
    assert [line.text for line in build_lines(chars)] == ["机密"]


def test_hidden_characters_form_their_own_line() -> None:
    chars = _chars(("备注", 72, 100, 12)) + [Char("密", (120, 100, 132, 112), hidden="white")]
    segments = page_segments(chars, 1, 595, 842, None)
    assert {(s.origin.part, s.text) for s in segments} == {(Part.BODY, "备注"), (Part.HIDDEN, "密")}


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.exists(), reason="needs an installed TrueType font to embed")
def test_pdfium_and_pdfminer_readers_agree_on_embedded_fonts() -> None:
    import pypdfium2 as pdfium
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    from secscreen.extract.pdf.miner_page import MinerDocument
    from secscreen.extract.pdf.pdfium_page import PdfiumPage

    pdfmetrics.registerFont(TTFont("DejaVu", str(DEJAVU)))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("DejaVu", 12)
    canvas.drawString(72, 700, "visible ★ text")
    canvas.saveState()
    canvas.translate(500, 300)
    canvas.rotate(90)
    canvas.drawString(0, 0, "turned ★ text")
    canvas.restoreState()
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(72, 650, "white")
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(72, 600, "covered")
    canvas.rect(68, 596, 80, 16, fill=1, stroke=0)
    text = canvas.beginText(72, 550)
    text.setFont("DejaVu", 12)
    text.setTextRenderMode(3)
    text.textLine("invisible")
    canvas.drawText(text)
    canvas.save()
    data = buffer.getvalue()

    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    left, _, _, top = page.get_bbox()
    reader = PdfiumPage(page.raw, lambda x0, y0, x1, y1: (x0 - left, top - y0, x1 - left, top - y1))
    assert not reader.needs_fallback()
    textpage = page.get_textpage()
    fast = reader.read(textpage.raw)
    slow = MinerDocument(data).read(1)
    assert slow is not None

    def summary(chars: list[Char]) -> list[tuple[str, str | None]]:
        return [(s.text, s.origin.part.value) for s in page_segments(chars, 1, 612, 792, None)]

    assert summary(fast.chars) == summary(slow.chars) == [
        ("visible ★ text", "body"), ("white", "hidden"), ("covered", "hidden"), ("invisible", "hidden"),
        ("turned ★ text", "body"),
    ]
    textpage.close()
    page.close()
    pdf.close()


def _law_pdf(text: str) -> bytes:
    """A law set as an official document: 16 pt, 28 characters a line, paragraphs indented by two."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.setFont("STSong-Light", 16)
    y = 760.0
    for paragraph in filter(None, (p.strip() for p in text.splitlines())):
        lines = [paragraph[:26]] + [paragraph[i : i + 28] for i in range(26, len(paragraph), 28)]
        for index, line in enumerate(lines):
            if y < 80:
                canvas.showPage()
                canvas.setFont("STSong-Light", 16)
                y = 760.0
            canvas.drawString(79 + (32 if index == 0 else 0), y, line)
            y -= 28.9
    canvas.save()
    return buffer.getvalue()


@pytest.mark.slow
@pytest.mark.corpus
def test_public_laws_set_as_pdf_pass(compiled: CompiledRuleSet) -> None:
    """Line wrapping must not turn law text into marks or titles (every tenth law of the public corpus)."""
    laws = sorted(PUBLIC_LAWS.glob("law-*.txt"))[::10]
    assert laws, f"public laws missing under {PUBLIC_LAWS}"
    false_alarms = []
    for path in laws:
        result = analyse(_law_pdf(path.read_text(encoding="utf-8")), path.stem + ".pdf", compiled)
        if result.verdict.value != "pass":
            false_alarms.append((path.name, [(f.rule_id, f.matched) for f in result.findings], result.issues))
    assert false_alarms == []
