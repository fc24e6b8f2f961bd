"""Generated PDF test documents: one mark per part a reader can recover, each with a clean twin.

``generate(out_dir)`` writes ``pdf-*.pdf`` files into ``out_dir`` and returns manifest entries
(``{"file": "generated/<name>", "expect": ..., "part": ..., "page": ..., "rules": [...], "issues": [...]}``).
Output is deterministic (reportlab ``invariant=1``), so regenerating does not change the files.
Chinese text uses reportlab's built-in CID font ``STSong-Light`` (not embedded: no font files needed).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

FONT = "STSong-Light"
MARK = "机密★10年"
ATTACHMENT = "附件说明.txt"
WIDTH, HEIGHT = A4
LEFT = 72.0
TITLE = "关于做好2024年度信息公开工作的通知"
BODY = (
    "各有关单位：为进一步做好政府信息公开工作，现将有关事项通知如下。",
    "一、提高认识，切实加强组织领导，明确责任分工。",
    "二、规范程序，严格执行发布前审查制度，做到应公开尽公开。",
    "三、加强监督，定期开展自查，及时整改发现的问题。",
)

Draw = Callable[[Canvas, bool], None]


def _canvas(buffer: io.BytesIO, **kw: object) -> Canvas:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    canvas = Canvas(buffer, pagesize=A4, invariant=1, **kw)
    canvas.setFont(FONT, 12)
    return canvas


def _body(canvas: Canvas, top: float = HEIGHT - 160, page_label: str = "") -> None:
    canvas.setFont(FONT, 18)
    canvas.drawString(LEFT, top, TITLE + page_label)
    canvas.setFont(FONT, 12)
    for index, line in enumerate(BODY):
        canvas.drawString(LEFT, top - 40 - 22 * index, line)


def _pdf(draw: Draw, marked: bool, **kw: object) -> bytes:
    buffer = io.BytesIO()
    canvas = _canvas(buffer, **kw)
    draw(canvas, marked)
    canvas.save()
    return buffer.getvalue()


def _header(canvas: Canvas, marked: bool) -> None:
    canvas.setFont(FONT, 14)
    canvas.drawString(LEFT, HEIGHT - 60, MARK if marked else "公开")
    _body(canvas)


def _page3(canvas: Canvas, marked: bool) -> None:
    for page in (1, 2, 3):
        _body(canvas, page_label=f"（第{page}页）")
        if page == 3:
            canvas.drawString(LEFT, HEIGHT - 300, f"附件：{MARK}的会议纪要" if marked else "附件：公开的会议纪要")
        canvas.showPage()


def _metadata(canvas: Canvas, marked: bool) -> None:
    canvas.setTitle(f"{MARK} 工作要点" if marked else "2024年工作要点")
    canvas.setSubject("机密" if marked else "工作要点")
    canvas.setKeywords("机密, 通知" if marked else "公开, 通知")
    _body(canvas)


def _xmp(canvas: Canvas, marked: bool) -> None:
    """An XMP packet in the catalog's /Metadata stream (what classification tools and Acrobat write)."""
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream

    _body(canvas)
    title = f"{MARK} 工作要点" if marked else "2024年工作要点"
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    )
    stream = PDFStream(PDFDictionary({"Type": PDFName("Metadata"), "Subtype": PDFName("XML")}), packet.encode("utf-8"))
    canvas._doc.Catalog.Metadata = canvas._doc.Reference(stream)


def _outline(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    canvas.bookmarkPage("p1")
    canvas.addOutlineEntry(f"附件：{MARK}" if marked else "附件：公开材料", "p1", level=0)


def _freetext(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    note = f"批注：{MARK}" if marked else "批注：可以公开"
    canvas.freeTextAnnotation(note, DA="/Helv 10 Tf 0 g", Rect=(LEFT, HEIGHT - 460, LEFT + 200, HEIGHT - 440), relative=0)


def _annotation(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    note = f"此件定为{MARK}，请勿外传" if marked else "此件可以公开，请按程序发布"
    canvas.textAnnotation(note, Rect=(LEFT, HEIGHT - 420, LEFT + 20, HEIGHT - 400), relative=0)


def _invisible(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    text = canvas.beginText(LEFT, HEIGHT - 400)
    text.setFont(FONT, 12)
    text.setTextRenderMode(3)
    text.textLine(f"备注：{MARK}" if marked else "备注：可以公开")
    canvas.drawText(text)


def _white(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(LEFT, HEIGHT - 400, f"备注：{MARK}" if marked else "备注：可以公开")


def _tiny(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    canvas.setFont(FONT, 1)
    canvas.drawString(LEFT, HEIGHT - 400, f"备注：{MARK}" if marked else "备注：可以公开")


def _off_page(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    canvas.drawString(-400, HEIGHT - 400, f"备注：{MARK}" if marked else "备注：可以公开")


def _redacted(canvas: Canvas, marked: bool) -> None:
    _body(canvas)
    canvas.drawString(LEFT, HEIGHT - 400, f"备注：{MARK}" if marked else "备注：可以公开")
    canvas.setFillColorRGB(0, 0, 0)
    canvas.rect(LEFT - 4, HEIGHT - 404, 140, 18, fill=1, stroke=0)


def _star_first(canvas: Canvas, marked: bool) -> None:
    """A fallback-font star drawn before the level words, as office exports do."""
    canvas.setFont(FONT, 14)
    if marked:
        canvas.drawString(LEFT + 28, HEIGHT - 60, "★")
        canvas.drawString(LEFT, HEIGHT - 60, "机密")
        canvas.drawString(LEFT + 42, HEIGHT - 60, "10年")
    else:
        canvas.drawString(LEFT, HEIGHT - 60, "公开")
    _body(canvas)


def _wrapped_line(canvas: Canvas, marked: bool) -> None:
    """A justified body paragraph wraps the mark over two lines: ...定为机密 / ★10年..."""
    _body(canvas)
    first = "为做好相关工作，现将会议材料印发给你们，请认真阅研。本材料定为" + ("机密" if marked else "公开")
    second = "★10年，请妥善保管，不得复制。" if marked else "发布，请按程序办理，及时反馈。"
    canvas.drawString(LEFT, HEIGHT - 300, first)
    canvas.drawString(LEFT, HEIGHT - 316, second)


def _rotated(canvas: Canvas, marked: bool) -> None:
    """A landscape page printed onto portrait paper: all text drawn turned by 90 degrees."""
    canvas.saveState()
    canvas.translate(WIDTH, 0)
    canvas.rotate(90)
    canvas.setFont(FONT, 14)
    canvas.drawString(LEFT, WIDTH - 60, MARK if marked else "公开")
    _body(canvas, top=WIDTH - 120)
    canvas.restoreState()


def _table(canvas: Canvas, marked: bool) -> None:
    """A narrow table cell wraps the mark over three lines: 机密 / ★10 / 年."""
    _body(canvas)
    top, row = HEIGHT - 320, 60.0
    columns = (LEFT, LEFT + 40, LEFT + 300, LEFT + 340)
    canvas.setLineWidth(0.5)
    canvas.grid(list(columns), [top, top - 20, top - 20 - row])
    canvas.setFont(FONT, 11)
    for x, label in zip(columns, ("序号", "文件标题", "标注"), strict=False):
        canvas.drawString(x + 4, top - 15, label)
    canvas.drawString(columns[0] + 4, top - 35, "1")
    canvas.drawString(columns[1] + 4, top - 35, "关于加强值班工作的通知")
    cell = ("机密", "★10", "年") if marked else ("公开", "发布", "")
    for index, line in enumerate(cell):
        canvas.drawString(columns[2] + 4, top - 35 - 13 * index, line)


def _scan_image() -> object:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (200, 280), 255)
    sketch = ImageDraw.Draw(image)
    for y in range(20, 260, 12):
        sketch.line((20, y, 180, y), fill=60, width=3)
    return ImageReader(image)


def _ocr_layer(canvas: Canvas, marked: bool) -> None:
    """A scanned page with an invisible OCR text layer over the picture, as scanners write them."""
    canvas.drawImage(_scan_image(), LEFT, 120, WIDTH - 2 * LEFT, HEIGHT - 240)
    text = canvas.beginText(LEFT + 20, HEIGHT - 150)
    text.setFont(FONT, 12)
    text.setTextRenderMode(3)
    for line in ((MARK if marked else "公开"), TITLE, *BODY):
        text.textLine(line)
    canvas.drawText(text)


def _image_page(canvas: Canvas, marked: bool) -> None:
    """Page 1 has text, page 2 is a scanned image with no text layer."""
    _body(canvas)
    canvas.showPage()
    canvas.drawImage(_scan_image(), LEFT, 120, WIDTH - 2 * LEFT, HEIGHT - 240)


def _file_spec(canvas: Canvas, marked: bool) -> object:
    from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFName, PDFStream, PDFString

    content = f"附件说明\n{MARK}\n仅供内部使用。\n" if marked else "附件说明\n本附件可以公开。\n"
    document = canvas._doc
    stream = document.Reference(PDFStream(PDFDictionary({"Type": PDFName("EmbeddedFile")}), content.encode("utf-8")))
    return document.Reference(PDFDictionary({
        "Type": PDFName("Filespec"),
        "F": PDFString("attachment.txt"),
        "UF": PDFString(ATTACHMENT),
        "EF": PDFDictionary({"F": stream}),
    }))


def _embedded(canvas: Canvas, marked: bool) -> None:
    """A text file in the document's /EmbeddedFiles name tree (built from reportlab's object model)."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFString

    _body(canvas)
    names = PDFArray([PDFString(ATTACHMENT), _file_spec(canvas, marked)])
    canvas._doc.Catalog.Names = PDFDictionary({"EmbeddedFiles": PDFDictionary({"Names": names})})


def _attachment_annotation(canvas: Canvas, marked: bool) -> None:
    """A file attachment annotation (the paper-clip icon) on page 1."""
    from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFString

    _body(canvas)
    annotation = PDFDictionary({
        "Type": PDFName("Annot"),
        "Subtype": PDFName("FileAttachment"),
        "Rect": PDFArray([LEFT, HEIGHT - 480, LEFT + 16, HEIGHT - 460]),
        "Contents": PDFString("附件"),
        "FS": _file_spec(canvas, marked),
    })
    canvas._addAnnotation(annotation)


def _vector_page(canvas: Canvas, marked: bool) -> None:
    """Page 1 has text; page 2 is drawn only with filled paths, as when text is converted to outlines."""
    _body(canvas)
    canvas.showPage()
    for row in range(8):
        for column in range(12):
            canvas.circle(LEFT + 14 * column, HEIGHT - 100 - 14 * row, 5, stroke=0, fill=1)


def _no_text(canvas: Canvas, marked: bool) -> None:
    canvas.line(LEFT, HEIGHT - 100, WIDTH - LEFT, HEIGHT - 100)


def _encrypted() -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return _pdf(_header, True, encrypt=StandardEncryption("user-pw", ownerPassword="owner-pw", strength=40))


#: name -> (draw, manifest fields for the marked version); each gets a clean twin ``<name>-twin``
MARKED: dict[str, tuple[Draw, dict[str, object]]] = {
    "header": (_header, {"part": "body", "page": 1, "rules": ["SS-001"]}),
    "page3": (_page3, {"part": "body", "page": 3, "rules": ["SS-001"]}),
    "metadata": (_metadata, {"part": "metadata", "rules": ["SS-001", "SS-009"]}),
    "annotation": (_annotation, {"part": "annotation", "page": 1, "rules": ["SS-001"]}),
    "freetext": (_freetext, {"part": "annotation", "page": 1, "rules": ["SS-001"]}),
    "xmp": (_xmp, {"part": "metadata", "name": "XMP dc:title", "rules": ["SS-001"]}),
    "outline": (_outline, {"part": "metadata", "name": "书签", "rules": ["SS-001"]}),
    "invisible": (_invisible, {"part": "hidden", "page": 1, "rules": ["SS-001"]}),
    "white": (_white, {"part": "hidden", "page": 1, "rules": ["SS-001"]}),
    "tiny": (_tiny, {"part": "hidden", "page": 1, "rules": ["SS-001"]}),
    "off-page": (_off_page, {"part": "hidden", "page": 1, "rules": ["SS-001"]}),
    "redacted": (_redacted, {"part": "hidden", "page": 1, "rules": ["SS-001"]}),
    "ocr-layer": (_ocr_layer, {"part": "body", "page": 1, "rules": ["SS-001"]}),
    "star-first": (_star_first, {"part": "body", "page": 1, "rules": ["SS-001"]}),
    "wrapped-line": (_wrapped_line, {"part": "body", "page": 1, "rules": ["SS-001"]}),
    "rotated": (_rotated, {"part": "body", "page": 1, "rules": ["SS-001"]}),
    "table-cell": (_table, {"part": "table", "page": 1, "rules": ["SS-001"]}),
    "embedded": (_embedded, {"part": "body", "path": f"pdf-embedded-mark.pdf!{ATTACHMENT}", "rules": ["SS-001"]}),
    "attachment-annotation": (
        _attachment_annotation,
        {"part": "body", "path": f"pdf-attachment-annotation-mark.pdf!{ATTACHMENT}", "rules": ["SS-001"]},
    ),
}


def _entry(file_name: str, expect: str, **fields: object) -> dict[str, object]:
    return {"file": f"generated/{file_name}", "expect": expect, **fields}


def generate(out_dir: Path) -> list[dict[str, object]]:
    """Write every PDF case into ``out_dir``; return their manifest entries."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple[bytes, dict[str, object]]] = {}
    for key, (draw, fields) in MARKED.items():
        files[f"pdf-{key}-mark.pdf"] = (_pdf(draw, True), _entry(f"pdf-{key}-mark.pdf", "block", **fields))
        twin = _entry(f"pdf-{key}-twin.pdf", "pass", note=f"twin of pdf-{key}-mark.pdf without the mark")
        files[f"pdf-{key}-twin.pdf"] = (_pdf(draw, False), twin)
    files["pdf-image-only-page.pdf"] = (
        _pdf(_image_page, False),
        _entry("pdf-image-only-page.pdf", "review", issues=["image-only-page"], pages=[2]),
    )
    files["pdf-vector-only-page.pdf"] = (
        _pdf(_vector_page, False),
        _entry("pdf-vector-only-page.pdf", "review", issues=["image-only-page"], pages=[2]),
    )
    files["pdf-no-text.pdf"] = (_pdf(_no_text, False), _entry("pdf-no-text.pdf", "review", issues=["empty"]))
    files["pdf-encrypted.pdf"] = (_encrypted(), _entry("pdf-encrypted.pdf", "review", issues=["encrypted"]))
    whole = _pdf(_page3, False)
    files["pdf-truncated.pdf"] = (whole[: len(whole) // 2], _entry("pdf-truncated.pdf", "review", issues=["unreadable"]))
    entries = []
    for name, (data, entry) in files.items():
        (out_dir / name).write_bytes(data)
        entries.append(entry)
    return entries


if __name__ == "__main__":
    import json
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "generated"
    print(json.dumps(generate(target), ensure_ascii=False, indent=1))
