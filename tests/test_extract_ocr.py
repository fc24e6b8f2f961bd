"""OCR of scans: a stamped scan blocks, a clean scan is review (never pass), SECSCREEN_OCR=0 reads nothing."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from secscreen.extract import extract, ocr
from secscreen.extract.base import Limits
from secscreen.models import Part, ScanResult
from secscreen.pipeline import analyse
from secscreen.rules import CompiledRuleSet

MARK = "机密★10年"
BODY = ("关于加强安全生产工作的通知", "各区县人民政府，市政府各部门：", "现将有关事项通知如下，请认真贯彻执行。")
IN_PROCESS = Limits(isolate=False)  # the env switch must reach the extractor (a fork server keeps its own env)
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_NAMES = ("wqy-zenhei.ttc", "wqy-microhei.ttc", "NotoSansCJK-Regular.ttc", "NotoSerifCJK-Regular.ttc")


@cache
def cjk_font() -> Path | None:
    for folder in FONT_DIRS:
        for name in FONT_NAMES:
            found = next(folder.rglob(name), None) if folder.is_dir() else None
            if found:
                return found
    return None


def scan_png(*, mark: bool, size: tuple[int, int] = (1240, 1754)) -> bytes:
    """A page as a scanner gives it (A4 at 150 dpi): a stamp at the top left, a title and body text."""
    font = cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (Debian: fonts-wqy-zenhei, listed in .ci/apt-packages)")
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    if mark:
        draw.text((110, 110), MARK, font=ImageFont.truetype(str(font), 36), fill=0)
    draw.text((300, 260), BODY[0], font=ImageFont.truetype(str(font), 44), fill=0)
    for number, line in enumerate(BODY[1:]):
        draw.text((110, 400 + 70 * number), line, font=ImageFont.truetype(str(font), 30), fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def image_only_pdf(*pages: bytes) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for png in pages:
        pdf.drawImage(ImageReader(io.BytesIO(png)), 0, 0, *A4)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def codes(result: ScanResult) -> set[str]:
    return {i.code for i in result.issues}


def stamp_findings(result: ScanResult) -> list:
    return [f for f in result.findings if f.rule_id in ("SS-001", "SS-003")]


def test_stamped_scan_png_blocks_on_the_stamp_read_by_ocr(compiled: CompiledRuleSet) -> None:
    result = analyse(scan_png(mark=True), "扫描件.png", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "block", (result.findings, result.issues)
    found = stamp_findings(result)
    assert [f.matched for f in found] == [MARK]
    assert found[0].rule_id == "SS-001"
    assert (found[0].location.part, found[0].location.page, found[0].location.zone) == (Part.IMAGE_OCR, 1, "header")
    assert "ocr-text" in codes(result)


def test_clean_scan_is_review_with_ocr_text_never_pass(compiled: CompiledRuleSet) -> None:
    result = analyse(scan_png(mark=False), "扫描件.png", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "review"
    assert codes(result) == {"ocr-text"}
    assert not stamp_findings(result)


def test_ocr_lines_carry_position_and_confidence() -> None:
    document = extract(scan_png(mark=False), "扫描件.png", IN_PROCESS)
    lines = [s for s in document.segments if s.origin.part is Part.IMAGE_OCR]
    assert [s.text for s in lines] == list(BODY)
    assert [s.origin.line for s in lines] == [1, 2, 3]
    assert all(s.origin.name and s.origin.name.startswith("OCR 置信度") for s in lines)
    assert lines[0].origin.page_width == 1240 and lines[0].origin.bbox is not None
    assert 240 < lines[0].origin.bbox[1] < 320  # the title's top, in pixels


def test_ocr_off_gives_todays_issues_and_reads_nothing(compiled: CompiledRuleSet,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ocr.ENV_OCR, "0")
    png = scan_png(mark=True)
    picture = analyse(png, "扫描件.png", compiled, limits=IN_PROCESS)
    scanned = analyse(image_only_pdf(png), "扫描件.pdf", compiled, limits=IN_PROCESS)
    assert (picture.verdict.value, codes(picture)) == ("review", {"image-content"})
    assert (scanned.verdict.value, codes(scanned)) == ("review", {"image-only-page"})
    assert not picture.findings and not scanned.findings


@pytest.mark.slow
def test_stamped_image_only_pdf_blocks_on_page_one(compiled: CompiledRuleSet) -> None:
    result = analyse(image_only_pdf(scan_png(mark=True)), "扫描件.pdf", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "block"
    found = stamp_findings(result)
    assert [(f.rule_id, f.matched) for f in found] == [("SS-001", MARK)]
    assert (found[0].location.part, found[0].location.page, found[0].location.zone) == (Part.IMAGE_OCR, 1, "header")
    assert [i.pages for i in result.issues if i.code == "ocr-text"] == [[1]]
    assert "image-only-page" not in codes(result)


@pytest.mark.slow
def test_pages_beyond_the_ocr_budget_stay_image_only(compiled: CompiledRuleSet,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "MAX_PAGES", 1)
    result = analyse(image_only_pdf(scan_png(mark=False), scan_png(mark=True)), "扫描件.pdf", compiled,
                     limits=IN_PROCESS)
    assert result.verdict.value == "review"
    assert [i.pages for i in result.issues if i.code == "ocr-text"] == [[1]]
    assert [i.pages for i in result.issues if i.code == "image-only-page"] == [[2]]


@pytest.mark.slow
def test_docx_made_of_a_stamped_scan_blocks(compiled: CompiledRuleSet) -> None:
    import docx

    document = docx.Document()
    document.add_picture(io.BytesIO(scan_png(mark=True)))
    out = io.BytesIO()
    document.save(out)
    result = analyse(out.getvalue(), "扫描件.docx", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "block"
    assert [(f.rule_id, f.location.part) for f in stamp_findings(result)] == [("SS-001", Part.IMAGE_OCR)]
    assert "ocr-text" in codes(result)


def test_picture_without_text_stays_unread(compiled: CompiledRuleSet) -> None:
    image = Image.new("L", (400, 300), 200)
    ImageDraw.Draw(image).ellipse((50, 50, 350, 250), fill=60)
    out = io.BytesIO()
    image.save(out, format="PNG")
    result = analyse(out.getvalue(), "照片.png", compiled, limits=IN_PROCESS)
    assert (result.verdict.value, codes(result)) == ("review", {"image-content"})


@pytest.mark.slow
def test_pptx_made_of_a_stamped_scan_blocks(compiled: CompiledRuleSet) -> None:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])  # blank layout: no text at all
    slide.shapes.add_picture(io.BytesIO(scan_png(mark=True)), 0, 0)
    out = io.BytesIO()
    presentation.save(out)
    result = analyse(out.getvalue(), "扫描件.pptx", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "block"
    assert [(f.rule_id, f.location.part) for f in stamp_findings(result)] == [("SS-001", Part.IMAGE_OCR)]
    assert "ocr-text" in codes(result)


@pytest.mark.slow
def test_xlsx_made_of_a_stamped_scan_blocks(compiled: CompiledRuleSet) -> None:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image as SheetImage

    workbook = Workbook()
    workbook.active.add_image(SheetImage(io.BytesIO(scan_png(mark=True))), "A1")
    out = io.BytesIO()
    workbook.save(out)
    result = analyse(out.getvalue(), "扫描件.xlsx", compiled, limits=IN_PROCESS)
    assert result.verdict.value == "block"
    assert [(f.rule_id, f.location.part) for f in stamp_findings(result)] == [("SS-001", Part.IMAGE_OCR)]
    assert "ocr-text" in codes(result)
