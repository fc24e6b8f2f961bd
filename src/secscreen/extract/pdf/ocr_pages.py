"""Scanned PDF pages read by OCR: rendered with pdfium, read by ``extract.ocr``, flagged ``ocr-text``."""

from __future__ import annotations

import logging

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from ...models import Document, Segment
from .. import issues, ocr
from ..base import ExtractContext

log = logging.getLogger(__name__)


def ocr_pages(pdf: pdfium.PdfDocument, pages: list[int], ctx: ExtractContext, path: str | None,
              document: Document) -> list[int]:
    """OCR the image-only ``pages`` into ``document``; returns the pages left unread.

    Pages beyond ``ocr.MAX_PAGES``, or for which the time budget has no room left, are not read; a
    page read gets issue ``ocr-text`` (OCR may misread: a reviewer checks it), never a clean bill.
    """
    read: list[int] = []
    for number in pages[: ocr.MAX_PAGES]:
        if not ocr.time_left(ctx.deadline):
            break
        try:
            found = _page(pdf, number, path)
        except Exception as error:  # an OCR or rendering failure leaves the page as image-only
            log.warning("OCR failed on page %d: %s", number, type(error).__name__)
            continue
        if found:  # a page where OCR finds nothing (a photo, handwriting) stays image-only
            document.segments.extend(found)
            read.append(number)
    if read:
        detail = "第 " + "、".join(str(n) for n in read) + " 页"
        document.issues.append(issues.issue(issues.OCR_TEXT, detail, path=ctx.path, pages=read))
    return [n for n in pages if n not in read]


def _page(pdf: pdfium.PdfDocument, number: int, path: str | None) -> list[Segment]:
    page = pdf[number - 1]
    try:
        left, bottom, right, top = page.get_bbox()
        bitmap = page.render(scale=ocr.DPI / 72, may_draw_forms=True)
        try:
            image = bitmap.to_pil()
        finally:
            bitmap.close()
    finally:
        page.close()
    lines = ocr.ocr_image(image)
    return ocr.segments(lines, page=number, size=(right - left, top - bottom), factor=72 / ocr.DPI, path=path)
