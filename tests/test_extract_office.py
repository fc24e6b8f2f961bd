"""DOCX, XLSX, PPTX, OFD and ZIP extraction: every part a reader can recover, and what happens when we cannot."""

from __future__ import annotations

import io
import sys
import time
import zipfile
import zlib

import pytest
from corpora.generators.ooxml_build import docx, encrypted_zip, ofd, p, picture, run, text_box, zip_bytes
from openpyxl import Workbook
from pptx import Presentation

from secscreen.extract import EXTRACTORS, extract
from secscreen.extract.base import Limits
from secscreen.extract.isolate import needs_isolation, run_isolated
from secscreen.models import Document, Part

from . import isolation_targets
from .conftest import ROOT

MARK = "机密★10年"
IN_PROCESS = Limits(isolate=False)


def parts(document: Document, text: str) -> list[Part]:
    return [s.origin.part for s in document.segments if text in s.text]


def codes(document: Document) -> set[str]:
    return {i.code for i in document.issues}


def read(data: bytes, name: str = "a.docx", limits: Limits = IN_PROCESS) -> Document:
    return extract(data, name, limits)


# --- DOCX -----------------------------------------------------------------------------------------------


def test_docx_body_paragraphs_are_numbered_in_order() -> None:
    document = read(docx(p("第一段") + p() + p("第三段")))
    body = [(s.text, s.origin.line, s.origin.paragraph) for s in document.segments if s.origin.part is Part.BODY]
    assert body == [("第一段", 1, 1), ("第三段", 3, 3)]


def test_docx_runs_are_joined_per_paragraph() -> None:
    split = "".join(run(piece, "<w:b/>") for piece in ("机", "密★", "1", "0年"))
    assert parts(read(docx(p(runs=split))), MARK) == [Part.BODY]


def test_docx_headers_and_footers_name_their_section_and_kind() -> None:
    document = read(docx(p("正文"), header="页眉甲", first_header="首页乙", footer="页脚丙"))
    found = {s.text: (s.origin.part, s.origin.name) for s in document.segments}
    assert found["页眉甲"] == (Part.HEADER, "第1节页眉")
    assert found["首页乙"] == (Part.HEADER, "第1节首页页眉")
    assert found["页脚丙"] == (Part.FOOTER, "第1节页脚")


def test_docx_text_box_is_read_once_not_twice_from_its_vml_fallback() -> None:
    assert parts(read(docx(p("正文") + text_box(MARK))), MARK) == [Part.TEXTBOX]


def test_docx_nested_table_cell_is_table_part() -> None:
    nested = f"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>{p(MARK)}</w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>"
    assert parts(read(docx(p("正文") + nested)), MARK) == [Part.TABLE]


def test_docx_tracked_deletion_is_only_revision_deleted() -> None:
    deleted = f'<w:del w:id="1" w:author="a"><w:r><w:delText>{MARK}</w:delText></w:r></w:del>'
    document = read(docx(p(runs=run("附件") + deleted)))
    assert parts(document, MARK) == [Part.REVISION_DELETED]
    assert [s.text for s in document.segments if s.origin.part is Part.BODY] == ["附件"]


def test_docx_tracked_insertion_is_body_and_revision_inserted() -> None:
    inserted = f'<w:ins w:id="1" w:author="a">{run(MARK)}</w:ins>'
    assert parts(read(docx(p(runs=inserted))), MARK) == [Part.BODY, Part.REVISION_INSERTED]


def test_docx_hidden_run_is_hidden_part_and_not_body() -> None:
    document = read(docx(p(runs=run("附件") + run(MARK, "<w:vanish/>") + run("说明", '<w:vanish w:val="0"/>'))))
    assert parts(document, MARK) == [Part.HIDDEN]
    assert [s.text for s in document.segments if s.origin.part is Part.BODY] == ["附件说明"]


def test_docx_wingdings_symbol_is_a_star() -> None:
    runs = run("机密") + '<w:r><w:sym w:font="Wingdings" w:char="F0AB"/></w:r>' + run("10年")
    assert parts(read(docx(p(runs=runs))), MARK) == [Part.BODY]


def test_docx_notes_comments_and_properties() -> None:
    document = read(docx(p("正文"), footnote="脚注文字", endnote="尾注文字", comment="批注文字",
                         custom={"密级": "机密"}, title="标题文字"))
    assert parts(document, "脚注文字") == [Part.FOOTNOTE]
    assert parts(document, "尾注文字") == [Part.ENDNOTE]
    assert parts(document, "批注文字") == [Part.COMMENT]
    assert [(s.text, s.origin.name) for s in document.segments if s.origin.part is Part.METADATA
            and s.origin.name in ("密级", "title")] == [("标题文字", "title"), ("机密", "密级")]


def test_docx_field_instruction_is_read_as_attribute() -> None:
    field = '<w:r><w:instrText xml:space="preserve"> DOCPROPERTY 密级 </w:instrText></w:r>'
    assert parts(read(docx(p(runs=field + run("结果")))), "DOCPROPERTY") == [Part.ATTRIBUTE]


def test_docx_vml_watermark_is_read() -> None:
    watermark = '<w:p><w:r><w:pict><v:shape><v:textpath string="内部资料"/></v:shape></w:pict></w:r></w:p>'
    assert parts(read(docx(p("正文") + watermark)), "内部资料") == [Part.TEXTBOX]


def test_docx_external_entity_is_not_resolved() -> None:
    data = docx(p("&xxe;"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    members = [(n, b.replace(b"\n<w:document", b"\n" + doctype + b"<w:document")) for n, b in members]
    document = read(zip_bytes(members))
    assert not any("root:" in s.text for s in document.segments)


def test_docx_of_only_a_picture_is_image_content() -> None:
    assert "image-content" in codes(read(docx(picture(), image=True)))


def test_docx_with_text_and_a_picture_is_not_sent_to_review() -> None:
    document = read(docx(p("关于做好2024年度信息公开工作的通知") + picture(), image=True))
    assert document.issues == []


def test_docx_named_pdf_is_read_as_docx_with_type_mismatch() -> None:
    document = read(docx(p(MARK)), name="通知.pdf")
    assert parts(document, MARK) == [Part.BODY]
    assert "type-mismatch" in codes(document)


def test_truncated_docx_is_unreadable() -> None:
    data = docx(p(MARK))
    assert "unreadable" in codes(read(data[: len(data) // 2]))


def test_docx_member_with_bomb_ratio_is_refused_before_inflating() -> None:
    members = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<a/>"), ("word/media/x.bin", bytes(2**22))]
    assert codes(read(zip_bytes(members, level=9), limits=Limits(isolate=False, max_ratio=50))) == {"limit-exceeded"}


# --- XLSX / PPTX -----------------------------------------------------------------------------------------


def _xlsx() -> bytes:
    book = Workbook()
    book.active.title = "统计"
    book.active.append(["甲", None, "乙"])
    hidden = book.create_sheet("备用")
    hidden.append([MARK])
    hidden.sheet_state = "veryHidden"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_and_very_hidden_sheets() -> None:
    document = read(_xlsx(), "a.xlsx")
    rows = {s.text: s.origin for s in document.segments if s.origin.part is Part.TABLE}
    assert rows["甲\t\t乙"].page == 1 and rows["甲\t\t乙"].line == 1
    assert (rows[MARK].page, rows[MARK].name) == (2, "备用（深度隐藏）")
    assert [s.text for s in document.segments if s.origin.part is Part.SHEET_NAME] == ["统计", "备用"]


def test_pptx_slides_and_notes_carry_slide_numbers() -> None:
    deck = Presentation()
    for title in ("第一张", "第二张"):
        deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = title
    deck.slides[1].notes_slide.notes_text_frame.text = MARK
    buffer = io.BytesIO()
    deck.save(buffer)
    document = read(buffer.getvalue(), "a.pptx")
    found = {s.text: (s.origin.part, s.origin.page) for s in document.segments}
    assert found["第二张"] == (Part.BODY, 2)
    assert found[MARK] == (Part.NOTES, 2)


# --- OFD -------------------------------------------------------------------------------------------------


def test_ofd_lines_have_page_and_position_in_points() -> None:
    document = read(ofd([MARK, "正文"]), "a.ofd")
    top = next(s for s in document.segments if s.text == MARK)
    assert top.origin.page == 1
    assert top.origin.bbox is not None and top.origin.page_height is not None
    assert top.origin.bbox[1] < top.origin.page_height / 4


# --- ZIP -------------------------------------------------------------------------------------------------


def test_zip_finding_names_the_inner_path() -> None:
    data = zip_bytes([("inner/a.docx", docx(p(MARK)))])
    document = read(data, "outer.zip")
    assert [s.origin.path for s in document.segments if MARK in s.text] == ["outer.zip!inner/a.docx"]


def test_zip_nesting_beyond_the_depth_limit_is_limit_exceeded() -> None:
    data = docx(p("正文"))
    for level in range(5):
        data = zip_bytes([(f"level{level}.zip" if level else "a.docx", data)])
    assert "limit-exceeded" in codes(read(data, "deep.zip"))


def test_zip_with_too_many_members_is_limit_exceeded() -> None:
    data = zip_bytes([(f"{i}.txt", b"text") for i in range(5)])
    assert codes(read(data, "many.zip", Limits(isolate=False, max_members=3))) == {"limit-exceeded"}


def test_encrypted_member_is_encrypted_and_others_are_still_read() -> None:
    locked = encrypted_zip("secret.txt", "公开".encode())
    with zipfile.ZipFile(io.BytesIO(locked)) as archive:
        assert archive.read("secret.txt", pwd=b"123456") == "公开".encode()  # a real, decryptable zip
    document = read(locked, "locked.zip")
    assert codes(document) == {"encrypted"}


def test_legacy_formats_stay_unsupported() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    for name in ("a.doc", "a.wps", "a.et"):
        assert codes(read(ole, name)) == {"unsupported-format"}
    assert "unsupported-format" in codes(read(b"Rar!\x1a\x07\x00" + bytes(40), "a.rar"))
    assert "unsupported-format" in codes(read(b"7z\xbc\xaf\x27\x1c" + bytes(40), "a.7z"))


# --- isolation -------------------------------------------------------------------------------------------


def test_isolated_extraction_gives_the_same_document() -> None:
    data = docx(p(MARK), header="页眉")
    assert run_isolated(data, "a.docx", Limits()) == read(data)


def test_hung_extraction_is_killed_and_reported_as_timeout() -> None:
    started = time.monotonic()
    document = run_isolated(b"PK", "a.docx", Limits(max_seconds=0.1), target=isolation_targets.hang)
    assert codes(document) == {"timeout"}, document.issues
    assert time.monotonic() - started < 30  # killed, not waited for
    assert [s.text for s in document.segments] == ["a.docx"]  # the file name is still screened


def test_crashed_extraction_is_unreadable() -> None:
    assert codes(run_isolated(b"PK", "a.docx", Limits(), target=isolation_targets.crash)) == {"unreadable"}


def test_small_text_stays_in_process_and_office_files_do_not() -> None:
    assert not needs_isolation("通知".encode(), Limits())
    assert needs_isolation(docx(p("正文")), Limits())
    assert needs_isolation(b"a" * (1024 * 1024), Limits())
    assert not needs_isolation(docx(p("正文")), Limits(isolate=False))


# --- registry --------------------------------------------------------------------------------------------


def test_every_extractor_has_a_row_in_docs_formats() -> None:
    doc = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    missing = [e.name for e in EXTRACTORS if f"`{e.name}`" not in doc]
    assert missing == []


def test_generated_corpus_is_small() -> None:
    total = sum(f.stat().st_size for f in (ROOT / "corpora" / "generated").iterdir())
    assert total < 2 * 1024 * 1024


def test_password_protected_office_file_is_encrypted_not_unsupported() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(64)
    assert codes(read(ole, "通知.docx")) >= {"encrypted"}


def test_docx_embedded_workbook_is_screened_with_its_inner_path() -> None:
    document = read(docx(p("正文"), embedded={"表格.xlsx": _xlsx()}), "a.docx")
    assert [s.origin.path for s in document.segments if s.text == MARK] == ["a.docx!word/embeddings/表格.xlsx"]


def test_xlsx_drawing_text_box_is_read() -> None:
    with zipfile.ZipFile(io.BytesIO(_xlsx())) as archive:
        members = [(i.filename, archive.read(i)) for i in archive.infolist()]
    shape = ('<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
             'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:sp><xdr:txBody><a:p><a:r>'
             '<a:t>内部资料</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:wsDr>')
    document = read(zip_bytes(members + [("xl/drawings/drawing1.xml", shape.encode())]), "a.xlsx")
    assert parts(document, "内部资料") == [Part.TEXTBOX]


def test_gbk_member_name_is_decoded() -> None:
    from corpora.generators.ooxml_build import raw_zip

    data = raw_zip("会议纪要.txt", b"text", size=4, crc=zlib.crc32(b"text"), encoding="gbk")
    document = read(data, "a.zip")
    assert [s.text for s in document.segments if s.origin.part is Part.FILENAME] == ["a.zip", "会议纪要.txt"]


def test_simple_field_instruction_is_read() -> None:
    field = f'<w:fldSimple w:instr=" DOCPROPERTY 密级 ">{run("机密")}</w:fldSimple>'
    document = read(docx(p(runs=field)))
    assert parts(document, "DOCPROPERTY") == [Part.ATTRIBUTE]
    assert parts(document, "机密") == [Part.BODY]


def test_xlsx_print_header_is_header_part() -> None:
    book = Workbook()
    book.active.append(["数据"])
    book.active.oddHeader.center.text = MARK
    book.active.oddFooter.right.text = "第 &P 页"
    buffer = io.BytesIO()
    book.save(buffer)
    document = read(buffer.getvalue(), "a.xlsx")
    assert parts(document, MARK) == [Part.HEADER]
    assert [s.text for s in document.segments if s.origin.part is Part.FOOTER] == ["第  页"]


def test_docx_white_and_tiny_text_is_hidden() -> None:
    white = run(MARK, '<w:color w:val="FFFFFF"/>')
    tiny = run("内部资料", '<w:sz w:val="2"/>')
    highlighted = run("可见", '<w:color w:val="FFFFFF"/><w:highlight w:val="black"/>')
    document = read(docx(p(runs=white + tiny + highlighted)))
    assert parts(document, MARK) == parts(document, "内部资料") == [Part.HIDDEN]
    assert parts(document, "可见") == [Part.BODY]


def test_pptx_shape_hidden_in_selection_pane_is_hidden() -> None:
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[5])
    slide.shapes.title.text = "标题"
    box = slide.shapes.add_textbox(0, 0, 100, 100)
    box.text_frame.text = MARK
    box._element.nvSpPr.cNvPr.set("hidden", "1")
    buffer = io.BytesIO()
    deck.save(buffer)
    document = read(buffer.getvalue(), "a.pptx")
    assert parts(document, MARK) == [Part.HIDDEN]
    assert parts(document, "标题") == [Part.BODY]


def _with_members(data: bytes, extra: list[tuple[str, bytes]]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return zip_bytes([(i.filename, archive.read(i)) for i in archive.infolist()] + extra)


def test_custom_xml_classification_reads_like_a_property() -> None:
    label = "<标密信息><密级>机密</密级></标密信息>".encode()
    document = read(_with_members(docx(p("正文")), [("customXml/item1.xml", label)]))
    assert [(s.text, s.origin.name) for s in document.segments if s.origin.part is Part.METADATA
            and s.origin.name == "密级"] == [("机密", "密级")]


def test_pptx_embedded_workbook_is_screened() -> None:
    deck = Presentation()
    deck.slides.add_slide(deck.slide_layouts[5]).shapes.title.text = "标题"
    buffer = io.BytesIO()
    deck.save(buffer)
    document = read(_with_members(buffer.getvalue(), [("ppt/embeddings/表.xlsx", _xlsx())]), "a.pptx")
    assert [s.origin.path for s in document.segments if s.text == MARK] == ["a.pptx!ppt/embeddings/表.xlsx"]


def test_embedded_ole_object_is_not_examined_and_says_so() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    document = read(_with_members(docx(p("关于做好信息公开工作的通知")), [("word/embeddings/oleObject1.bin", ole)]))
    assert [(i.code, i.path) for i in document.issues] == [("unsupported-format", "a.docx!word/embeddings/oleObject1.bin")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is enforced on Linux")
def test_isolated_child_memory_is_capped() -> None:
    capped = run_isolated(b"PK", "a.docx", Limits(max_memory=512 * 1024 * 1024), target=isolation_targets.allocate)
    assert capped.media_type == "refused"


def test_xlsx_comment_names_its_sheet_and_cell() -> None:
    from openpyxl.comments import Comment

    book = Workbook()
    book.active.title = "统计"
    second = book.create_sheet("名单")
    second["B3"] = "数据"
    second["B3"].comment = Comment(MARK, "审核人")
    buffer = io.BytesIO()
    book.save(buffer)
    found = [(s.origin.page, s.origin.name) for s in read(buffer.getvalue(), "a.xlsx").segments if MARK in s.text]
    assert found == [(2, "名单!B3")]


def _ofd_with(extra_document_xml: str, members: list[tuple[str, bytes]]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(ofd(["正文"]))) as archive:
        base = [(i.filename, archive.read(i)) for i in archive.infolist()]
    base = [(n, b.replace(b"</ofd:Pages>", b"</ofd:Pages>" + extra_document_xml.encode()) if n.endswith("Document.xml")
             else b) for n, b in base]
    return zip_bytes(base + members)


def test_ofd_annotations_templates_and_attachments_are_read() -> None:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    annotations = (f'<ofd:Annotations {ns}><ofd:Page PageID="1"><ofd:FileLoc>Page_0/Annotation.xml</ofd:FileLoc>'
                   '</ofd:Page></ofd:Annotations>')
    annotation = (f'<ofd:PageAnnot {ns}><ofd:Annot Type="Stamp" Remark="{MARK}"><ofd:Appearance Boundary="0 0 9 9"/>'
                  '</ofd:Annot></ofd:PageAnnot>')
    attachments = (f'<ofd:Attachments {ns}><ofd:Attachment Name="附件.txt" ID="1"><ofd:FileLoc>附件.txt'
                   '</ofd:FileLoc></ofd:Attachment></ofd:Attachments>')
    data = _ofd_with("<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations>"
                     "<ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments>", [
                         ("Doc_0/Annots/Annotations.xml", annotations.encode()),
                         ("Doc_0/Annots/Page_0/Annotation.xml", annotation.encode()),
                         ("Doc_0/Attachs/Attachments.xml", attachments.encode()),
                         ("Doc_0/Attachs/附件.txt", "内部资料".encode()),
                     ])
    document = read(data, "a.ofd")
    assert parts(document, MARK) == [Part.ANNOTATION]
    assert [s.origin.path for s in document.segments if s.text == "内部资料"] == ["a.ofd!附件.txt"]


def test_alternate_content_around_runs_is_read_once() -> None:
    alternate = (f'<mc:AlternateContent><mc:Choice Requires="w14">{run(MARK)}</mc:Choice>'
                 f'<mc:Fallback>{run(MARK)}</mc:Fallback></mc:AlternateContent>')
    document = read(docx(p(runs=alternate)))
    assert [s.text for s in document.segments if s.origin.part is Part.BODY] == [MARK]
