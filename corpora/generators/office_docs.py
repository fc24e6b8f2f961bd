"""Generated Office and archive test documents: one mark per part, each with a clean twin.

``generate(out_dir)`` writes ``docx-*``, ``xlsx-*``, ``pptx-*``, ``zip-*`` and ``misc-*`` files into
``out_dir`` and returns manifest entries (``{"file": "generated/<name>", "expect", "part", "name",
"path", "rules", "issues"}``). Every marked document carries ``机密★10年`` (or a property 密级=机密)
in exactly one part; its twin ``*-clean`` has the same structure with neutral text in that place.
Zip entries carry a fixed timestamp, so regenerating gives identical bytes.
"""

from __future__ import annotations

import datetime
import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from pptx import Presentation
from pptx.util import Inches

from .ooxml_build import (
    docx,
    encrypted_zip,
    normalise_zip,
    ofd,
    p,
    picture,
    raw_zip,
    run,
    text_box,
    zip_bytes,
)

MARK = "机密★10年"
NEUTRAL = "市人民政府办公室"
TITLE = "关于做好2024年度信息公开工作的通知"
BODY = (
    "各有关单位：为进一步做好政府信息公开工作，现将有关事项通知如下。",
    "一、提高认识，切实加强组织领导，明确责任分工。",
    "二、规范程序，严格执行发布前审查制度，做到应公开尽公开。",
)
Build = Callable[[bool], bytes]


def _body(*extra: str) -> str:
    return p(TITLE) + "".join(p(line) for line in BODY) + "".join(extra)


def _text(marked: bool) -> str:
    return MARK if marked else NEUTRAL


def _docx_cases() -> dict[str, tuple[Build, str, list[str]]]:
    """name -> (builder, expected part, expected rules) for one mark per DOCX part."""
    star = '<w:r><w:t>机密</w:t></w:r><w:r><w:sym w:font="Wingdings" w:char="F0AB"/></w:r><w:r><w:t>10年</w:t></w:r>'
    split = "".join(run(piece, "<w:b/>" if i % 2 else "") for i, piece in enumerate(("机", "密", "★", "1", "0年")))
    table = ("<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl><w:p/></w:tc>"
             "<w:tc>{}</w:tc></w:tr></w:tbl>")
    return {
        "header": (lambda m: docx(_body(), header=_text(m)), "header", ["SS-001"]),
        "first-page-header": (lambda m: docx(_body(), header=NEUTRAL, first_header=_text(m)), "header", ["SS-001"]),
        "footer": (lambda m: docx(_body(), footer=_text(m)), "footer", ["SS-001"]),
        "even-page-footer": (lambda m: docx(_body(), footer=NEUTRAL, even_footer=_text(m)), "footer", ["SS-001"]),
        "textbox": (lambda m: docx(_body(text_box(_text(m)))), "textbox", ["SS-001"]),
        "footnote": (lambda m: docx(_body(), footnote=_text(m)), "footnote", ["SS-001"]),
        "endnote": (lambda m: docx(_body(), endnote=_text(m)), "endnote", ["SS-001"]),
        "comment": (lambda m: docx(_body(), comment=_text(m)), "comment", ["SS-001"]),
        "tracked-deletion": (lambda m: docx(_body(p(runs=run("附件：") + '<w:del w:id="1" w:author="a"><w:r>'
                                                        f'<w:delText>{_text(m)}</w:delText></w:r></w:del>'))),
                             "revision-deleted", ["SS-001"]),
        "tracked-insertion": (lambda m: docx(_body(p(runs='<w:ins w:id="2" w:author="a">' + run(_text(m))
                                                    + "</w:ins>"))), "revision-inserted", ["SS-001"]),
        "hidden-text": (lambda m: docx(_body(p(runs=run("附件") + run(_text(m), "<w:vanish/>")))), "hidden",
                        ["SS-001"]),
        "white-text": (lambda m: docx(_body(p(runs=run("附件") + run(_text(m), '<w:color w:val="FFFFFF"/>')))),
                       "hidden", ["SS-001"]),
        "symbol-star": (lambda m: docx(_body(p(runs=star if m else run("机密文件管理培训")))), "body", ["SS-001"]),
        "split-runs": (lambda m: docx(_body(p(runs=split if m else run(NEUTRAL)))), "body", ["SS-001"]),
        "nested-table": (lambda m: docx(_body(table.format(p(_text(m)), p("联系人")))), "table", ["SS-001"]),
        "custom-property": (lambda m: docx(_body(), custom={"密级": "机密" if m else "公开"}), "metadata",
                            ["SS-009"]),
        "core-title": (lambda m: docx(_body(), title=_text(m)), "metadata", ["SS-001"]),
    }


def _workbook(marked: bool, where: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = MARK if marked and where == "sheet-name" else "统计表"
    sheet.append(["项目", "数量"])
    sheet.append(["公开信息", 12])
    if where == "comment":
        sheet["A2"].comment = Comment(_text(marked), "审核人")
    if where == "print-header":
        sheet.oddHeader.center.text = _text(marked)
    for state in ("hidden", "veryHidden"):
        if where == state:
            extra = book.create_sheet("备用")
            extra.append(["说明", _text(marked)])
            extra.sheet_state = state
    book.properties.creator = "办公室"
    book.properties.created = book.properties.modified = datetime.datetime(2024, 1, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return normalise_zip(buffer.getvalue())


def _presentation(marked: bool, where: str) -> bytes:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[1])
    slide.shapes.title.text = TITLE
    slide.placeholders[1].text = BODY[0]
    if where == "notes":
        slide.notes_slide.notes_text_frame.text = _text(marked)
    if where == "table":
        table = slide.shapes.add_table(2, 2, Inches(1), Inches(4), Inches(6), Inches(1)).table
        table.cell(0, 0).text, table.cell(1, 1).text = "事项", _text(marked)
    if where == "hidden-shape":
        box = slide.shapes.add_textbox(Inches(1), Inches(6), Inches(4), Inches(1))
        box.text_frame.text = _text(marked)
        box._element.nvSpPr.cNvPr.set("hidden", "1")
    if where == "hidden-slide":
        hidden = deck.slides.add_slide(deck.slide_layouts[1])
        hidden.shapes.title.text = _text(marked)
        hidden._element.set("show", "0")
    core = deck.core_properties
    core.author, core.last_modified_by, core.revision = "办公室", "办公室", 1
    core.created = core.modified = datetime.datetime(2024, 1, 1)
    core.title = TITLE
    buffer = io.BytesIO()
    deck.save(buffer)
    data = buffer.getvalue()
    return _with_slide_comment(data, _text(marked)) if where == "comment" else normalise_zip(data)


def _with_slide_comment(data: bytes, text: str) -> bytes:
    """Add a legacy comment on slide 1 (python-pptx cannot write comments)."""
    ns = "http://schemas.openxmlformats.org/"
    comment = (f'<p:cmLst xmlns:p="{ns}presentationml/2006/main"><p:cm authorId="0" dt="2024-01-01T00:00:00.000" '
               f'idx="1"><p:pos x="10" y="10"/><p:text>{text}</p:text></p:cm></p:cmLst>').encode()
    relation = (f'<Relationship Id="rIdCm1" Type="{ns}officeDocument/2006/relationships/comments" '
                'Target="../comments/comment1.xml"/></Relationships>').encode()
    override = (b'<Override PartName="/ppt/comments/comment1.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.presentationml.comments+xml"/></Types>')
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    edits = {"ppt/slides/_rels/slide1.xml.rels": (b"</Relationships>", relation),
             "[Content_Types].xml": (b"</Types>", override)}
    members = [(name, body.replace(*edits[name]) if name in edits else body) for name, body in members]
    return normalise_zip(zip_bytes(members + [("ppt/comments/comment1.xml", comment)]))


def _entry(file: str, expect: str, **fields: object) -> dict[str, object]:
    return {"file": f"generated/{file}", "expect": expect, **{k: v for k, v in fields.items() if v}}


def _pairs(out_dir: Path, prefix: str, ext: str, cases: dict[str, tuple[Build, str, list[str]]],
           names: dict[str, str] | None = None) -> list[dict[str, object]]:
    entries = []
    for case, (build, part, rules) in cases.items():
        marked, clean = f"{prefix}-{case}.{ext}", f"{prefix}-{case}-clean.{ext}"
        (out_dir / marked).write_bytes(build(True))
        (out_dir / clean).write_bytes(build(False))
        entries.append(_entry(marked, "block", part=part, rules=rules, name=(names or {}).get(case)))
        entries.append(_entry(clean, "pass", note=f"twin of {marked} without the mark"))
    return entries


def _containers(out_dir: Path) -> list[dict[str, object]]:
    def nested(marked: bool) -> bytes:
        inner = zip_bytes([("inner/a.docx", docx(_body(p(_text(marked)))))])
        return zip_bytes([("说明.txt", "公开材料".encode()), ("包/inner.zip", inner)])

    cases: dict[str, tuple[Build, str, list[str]]] = {
        "docx-member": (lambda m: zip_bytes([("说明.txt", "附件".encode()),
                                             ("inner/a.docx", docx(_body(p(_text(m)))))]), "body", ["SS-001"]),
        "nested-zip": (nested, "body", ["SS-001"]),
        "gbk-member-name": (lambda m: raw_zip("涉密人员名单.txt" if m else "人员名单.txt", "会议通知".encode(),
                                              size=len("会议通知".encode()), crc=zlib.crc32("会议通知".encode()),
                                              encoding="gbk"), "filename", ["SS-010"]),
    }
    entries = _pairs(out_dir, "zip", "zip", cases)
    entries[0]["path"] = "zip-docx-member.zip!inner/a.docx"
    entries[2]["path"] = "zip-nested-zip.zip!包/inner.zip!inner/a.docx"
    return entries


def _broken(out_dir: Path) -> list[dict[str, object]]:
    marked = docx(_body(p(MARK)))
    samples: dict[str, tuple[bytes, str, str]] = {
        "misc-encrypted.zip": (encrypted_zip("通知.docx", marked), "review", "encrypted"),
        "misc-truncated.docx": (marked[: len(marked) // 2], "review", "unreadable"),
        "misc-empty.docx": (b"", "review", "empty"),
        "misc-image-only.docx": (docx(picture(), image=True), "review", "image-content"),
        "misc-zip-bomb.zip": (_bomb(), "review", "limit-exceeded"),
        "misc-legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "机密★10年".encode("utf-16-le"),
                            "review", "unsupported-format"),
        "misc-archive.rar": (b"Rar!\x1a\x07\x01\x00" + bytes(64), "review", "unsupported-format"),
        "misc-docx-named.pdf": (docx(_body()), "pass", "type-mismatch"),
        "misc-image-only.ofd": (ofd([], image_only=True), "review", "image-only-page"),
    }
    entries = []
    for name, (data, expect, code) in samples.items():
        (out_dir / name).write_bytes(data)
        entries.append(_entry(name, expect, issues=[code]))
    return entries


def _bomb() -> bytes:
    """A zip whose one member inflates to 320 MiB of zeros from about 320 KiB on disk."""
    size = 320 * 1024 * 1024
    zeros = bytes(1024 * 1024)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    crc = 0
    chunks = []
    for _ in range(size // len(zeros)):
        chunks.append(deflate.compress(zeros))
        crc = zlib.crc32(zeros, crc)
    payload = b"".join(chunks) + deflate.flush()
    return raw_zip("data.bin", payload, size=size, crc=crc, method=8)


def generate(out_dir: Path) -> list[dict[str, object]]:
    entries = _pairs(out_dir, "docx", "docx", _docx_cases(), names={
        "header": "第1节页眉", "first-page-header": "第1节首页页眉", "footer": "第1节页脚",
        "even-page-footer": "第1节偶数页页脚", "custom-property": "密级"})
    sheets = {case: ((lambda m, c=case: _workbook(m, c)), part, ["SS-001"])
              for case, part in (("hidden", "table"), ("veryHidden", "table"), ("comment", "comment"),
                                 ("sheet-name", "sheet-name"), ("print-header", "header"))}
    entries += _pairs(out_dir, "xlsx", "xlsx", sheets, names={"hidden": "备用（隐藏）", "veryHidden": "备用（深度隐藏）"})
    slides = {case: ((lambda m, c=case: _presentation(m, c)), part, ["SS-001"])
              for case, part in (("notes", "notes"), ("table", "table"), ("hidden-slide", "hidden"),
                                 ("hidden-shape", "hidden"), ("comment", "comment"))}
    entries += _pairs(out_dir, "pptx", "pptx", slides)
    entries += _pairs(out_dir, "ofd", "ofd", {
        "page": (lambda m: ofd([_text(m), TITLE, *BODY]), "body", ["SS-001"]),
        "custom-data": (lambda m: ofd([TITLE, *BODY], custom={"密级": "机密" if m else "公开"}), "metadata",
                        ["SS-009"]),
    })
    entries += _containers(out_dir)
    entries += _broken(out_dir)
    return entries
