"""PDF: page text by position, hidden text, metadata, annotations, embedded files; what is unread is an issue.

Page content is read through pdfium (pypdfium2): per character position, render mode and fill colour,
several times faster than pdfminer (see ``benchmarks/bench_extract_pdf.py``). A page drawn with a font
that is neither embedded nor standard is read through pdfminer instead, because pdfium drops glyphs
it cannot measure. Document info and XMP are read through pdfminer, which sees every Info key. Issues:

- ``encrypted``: a password is needed to open the file;
- ``unreadable``: pdfium cannot open it, or the file is cut short (no ``%%EOF``): whatever pdfium could
  recover is still screened;
- ``image-only-page``: pages with images or many filled paths (text converted to outlines) and
  (almost) no visible text, listed in ``pages`` (a scan with an OCR text layer is read: its invisible
  text over the picture counts as the page's text);
- ``ocr-text``: image-only pages read by OCR (``extract.ocr``; at most ``ocr.MAX_PAGES`` of them, the
  rest stay ``image-only-page``);
- ``empty``: no page has any text and none is a picture (nothing on the pages was screened);
- ``limit-exceeded`` / ``timeout``: pages beyond the limits were not read;
- ``part-unreadable``: an embedded file too large to unpack.
"""

from __future__ import annotations

import logging
from typing import Any

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from ...errors import LimitExceeded
from ...models import Document, ExtractionIssue, Origin, Part, Segment
from .. import issues, ocr, sniff
from ..base import ExtractContext
from .chars import Box, PageContent
from .extras import (
    annotation_items,
    attachment_data,
    attachment_name,
    metadata_segments,
    outline_segments,
    pdfium_info_segments,
)
from .layout import page_segments
from .miner_page import MinerDocument
from .ocr_pages import ocr_pages
from .pdfium_page import PdfiumPage

log = logging.getLogger(__name__)
_PAGE_PARTS = frozenset((Part.BODY, Part.HIDDEN, Part.TABLE))

MAX_PAGES = 2000
#: a page with fewer visible characters than this and images over ``IMAGE_SHARE`` of it was scanned
FEW_CHARS = 20
IMAGE_SHARE = 0.2
#: ... or with at least this many filled paths: text converted to outlines, a drawing, a vector scan
VECTOR_PATHS = 60


class PdfExtractor:
    name = "pdf"
    media_types = (sniff.PDF,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            return _unopened(error, ctx)
        try:
            return _read(pdf, data, ctx)
        finally:
            pdf.close()


def _unopened(error: pdfium.PdfiumError, ctx: ExtractContext) -> Document:
    if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
        found = issues.issue(issues.ENCRYPTED, "需要密码才能打开", path=ctx.path)
    else:
        found = issues.issue(issues.UNREADABLE, "PDF 结构损坏，无法打开", path=ctx.path)
    return Document(media_type=sniff.PDF, issues=[found])


def _miner(data: bytes) -> MinerDocument | None:
    try:
        return MinerDocument(data)
    except Exception as error:  # pdfminer raises many kinds for damaged files; pdfium decides readability
        log.info("pdfminer could not open the document: %s", type(error).__name__)
        return None


def _read(pdf: pdfium.PdfDocument, data: bytes, ctx: ExtractContext) -> Document:
    path = ctx.path if ctx.depth else None
    miner = _miner(data)
    document = Document(media_type=sniff.PDF, page_count=len(pdf))
    if b"%%EOF" not in data[-2048:]:
        document.issues.append(issues.issue(issues.UNREADABLE, "文件不完整（缺少结尾标记），可能被截断", path=ctx.path))
    limit = min(getattr(ctx.limits, "max_pages", MAX_PAGES), len(pdf))
    scanned: list[int] = []
    try:
        for number in range(1, limit + 1):
            ctx.check_time()
            try:
                page_doc, image_only = _read_page(pdf, number, ctx, path, miner)
            except pdfium.PdfiumError:
                document.issues.append(issues.issue(issues.PART_UNREADABLE, f"第 {number} 页无法解析", path=ctx.path,
                                                    pages=[number]))
                continue
            document.segments.extend(page_doc.segments)
            document.issues.extend(page_doc.issues)
            if image_only:
                scanned.append(number)
    except LimitExceeded as error:
        document.issues.append(issues.issue(error.code, f"已读 {number - 1}/{len(pdf)} 页", path=ctx.path))
    if limit < len(pdf):
        detail = f"共 {len(pdf)} 页，只检查了前 {limit} 页"
        document.issues.append(issues.issue(issues.LIMIT_EXCEEDED, detail, path=ctx.path, pages=[limit + 1]))
    if scanned:
        unread = ocr_pages(pdf, scanned, ctx, path, document) if ocr.enabled() else scanned
        if unread:
            detail = "第 " + "、".join(str(n) for n in unread) + " 页"
            document.issues.append(issues.issue(issues.IMAGE_ONLY_PAGE, detail, path=ctx.path, pages=unread))
    elif len(pdf) and not any(s.origin.part in _PAGE_PARTS for s in document.segments):
        document.issues.append(issues.issue(issues.EMPTY, "各页均未读出文字", path=ctx.path))
    _document_parts(pdf, miner, ctx, path, document)
    return document


def _document_parts(pdf: pdfium.PdfDocument, miner: MinerDocument | None, ctx: ExtractContext,
                    path: str | None, document: Document) -> None:
    """Info, XMP, bookmarks and embedded files; a part that fails to parse is named, the rest still read."""
    try:
        info = metadata_segments(miner.document) if miner is not None else pdfium_info_segments(pdf)
        document.segments.extend(_with_path(info, path))
        document.segments.extend(_with_path(outline_segments(pdf), path))
    except Exception as error:  # damaged Info/XMP/outline objects raise many pdfminer/pdfium kinds
        log.info("PDF metadata unreadable: %s", type(error).__name__)
        document.issues.append(_part_issue("文档属性或书签无法解析", ctx))
    try:
        _embedded_files(pdf, ctx, document)
    except pdfium.PdfiumError:
        document.issues.append(_part_issue("嵌入文件无法解析", ctx))


def _page_content(page: Any, number: int, to_box: Any, miner: MinerDocument | None) -> PageContent:
    reader = PdfiumPage(page.raw, to_box)
    if miner is not None and reader.needs_fallback():
        try:
            content = miner.read(number)
        except Exception as error:  # a page pdfminer cannot parse is still read by pdfium
            log.info("pdfminer failed on page %d: %s", number, type(error).__name__)
            content = None
        if content is not None:
            return content
    textpage = page.get_textpage()
    try:
        return reader.read(textpage.raw)
    finally:
        textpage.close()


def _read_page(pdf: pdfium.PdfDocument, number: int, ctx: ExtractContext, path: str | None,
               miner: MinerDocument | None) -> tuple[Document, bool]:
    page = pdf[number - 1]
    try:
        left, bottom, right, top = page.get_bbox()
        width, height = right - left, top - bottom

        def to_box(x0: float, y0: float, x1: float, y1: float) -> Box:
            return (x0 - left, top - y0, x1 - left, top - y1)

        content = _page_content(page, number, to_box, miner).off_page(width, height)
        page_doc = Document(media_type=sniff.PDF)
        page_doc.segments = page_segments(content.chars, number, width, height, path)
        visible = sum(1 for c in content.chars if c.hidden is None)
        pictured = content.image_area >= IMAGE_SHARE * width * height or content.filled_paths >= VECTOR_PATHS
        image_only = visible < FEW_CHARS and pictured
        for subtype, text, attachment, box in annotation_items(page.raw, to_box):
            if text:
                origin = Origin(part=Part.ANNOTATION, page=number, name=subtype, path=path,
                                bbox=tuple(round(v, 1) for v in box), page_width=round(width, 1),
                                page_height=round(height, 1))
                page_doc.segments.append(Segment(text=text, origin=origin))
            if attachment:
                _recurse(attachment, ctx, page_doc)
        return page_doc, image_only
    finally:
        page.close()


def _with_path(segments: list[Segment], path: str | None) -> list[Segment]:
    if path is None:
        return segments
    return [s.model_copy(update={"origin": s.origin.model_copy(update={"path": path})}) for s in segments]


def _embedded_files(pdf: pdfium.PdfDocument, ctx: ExtractContext, document: Document) -> None:
    for index in range(pdf.count_attachments()):
        _recurse(pdf.get_attachment(index).raw, ctx, document)


def _recurse(attachment: Any, ctx: ExtractContext, document: Document) -> None:
    name = attachment_name(attachment)
    data = attachment_data(attachment, ctx.limits.max_bytes)
    if data is None:
        document.issues.append(_part_issue(f"嵌入文件 {name} 过大或无法解码", ctx))
        return
    if ctx.recurse is None:
        document.issues.append(_part_issue(f"嵌入文件 {name} 未检查", ctx))
        return
    inner = ctx.recurse(data, name, ctx)
    document.segments.extend(inner.segments)
    document.issues.extend(inner.issues)


def _part_issue(detail: str, ctx: ExtractContext) -> ExtractionIssue:
    return issues.issue(issues.PART_UNREADABLE, detail, path=ctx.path)
