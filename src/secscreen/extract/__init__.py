"""Extraction stage: bytes -> Document (segments with origins, plus issues for what was not read).

``EXTRACTORS`` is the registry: adding a format is one module, one line here, its tests and a docs row.
Nothing here raises for a bad file: every failure becomes an ``ExtractionIssue`` so the verdict is at
least ``review`` (fail closed).
"""

from __future__ import annotations

import logging
import os
import time

from ..errors import ExtractionError
from ..models import Document, ExtractionIssue, Origin, Part, Segment
from . import issues, sniff
from .archive import ZipExtractor
from .base import ExtractContext, Extractor, Limits
from .docx import DocxExtractor
from .html import HtmlExtractor
from .image import ImageExtractor
from .ofd import OfdExtractor
from .ole import OleExtractor
from .pdf import PdfExtractor
from .pptx import PptxExtractor
from .text import TextExtractor
from .xlsx import XlsxExtractor

log = logging.getLogger(__name__)

EXTRACTORS: tuple[Extractor, ...] = (
    TextExtractor(),
    HtmlExtractor(),
    PdfExtractor(),
    DocxExtractor(),
    XlsxExtractor(),
    PptxExtractor(),
    ZipExtractor(),
    OfdExtractor(),
    OleExtractor(),
    ImageExtractor(),
)

#: formats recognised by content but not read: they get ``review`` with ``unsupported-format``
UNSUPPORTED: dict[str, str] = {
    sniff.OLE: "旧版 Office/WPS 二进制格式（.doc/.xls/.ppt/.wps/.et）",
    sniff.RAR: "RAR 压缩包",
    sniff.SEVEN_Z: "7z 压缩包",
    sniff.GZIP: "gzip 压缩文件",
    sniff.OFD: "OFD 版式文件",
    sniff.UNKNOWN: "无法识别的二进制格式",
    "application/x-riff": "多媒体文件",
}


def extractor_for(media_type: str) -> Extractor | None:
    for extractor in EXTRACTORS:
        if media_type in extractor.media_types:
            return extractor
    return None


def extract(data: bytes, name: str, limits: Limits | None = None, *, media_type: str | None = None) -> Document:
    """Read every part of ``data`` we know how to read. Never raises for bad input."""
    limits = limits or Limits()
    ctx = ExtractContext(path=name, limits=limits, deadline=time.monotonic() + limits.max_seconds)
    ctx.recurse = _recurse
    document = _extract(data, ctx, media_type=media_type)
    document.segments.insert(0, _filename_segment(name))
    return document


def _filename_segment(name: str) -> Segment:
    base = os.path.basename(name.split("!")[-1]) or name
    return Segment(text=base, origin=Origin(part=Part.FILENAME, name="文件名"))


def _recurse(data: bytes, inner: str, ctx: ExtractContext) -> Document:
    """Extract a member of a container (archive entry, embedded file) under the parent's limits."""
    try:
        child = ctx.child(inner)
    except ExtractionError as error:
        return Document(media_type=sniff.UNKNOWN, issues=[issues.issue(error.code, str(error), path=f"{ctx.path}!{inner}")])
    document = _extract(data, child)
    document.segments.insert(0, Segment(text=os.path.basename(inner), origin=Origin(part=Part.FILENAME, path=child.path)))
    return document


def _extract(data: bytes, ctx: ExtractContext, *, media_type: str | None = None) -> Document:
    if len(data) > ctx.limits.max_bytes:
        detail = f"{len(data)} 字节，上限 {ctx.limits.max_bytes} 字节"
        return Document(media_type=sniff.UNKNOWN, issues=[issues.issue(issues.LIMIT_EXCEEDED, detail, path=ctx.path)])
    detected = media_type or sniff.sniff(data)
    found: list[ExtractionIssue] = []
    claimed = sniff.EXTENSIONS.get(os.path.splitext(ctx.path.split("!")[-1])[1].lower())
    if claimed and claimed != detected and detected not in (sniff.EMPTY,) and not (
        claimed == sniff.TEXT and detected == sniff.HTML
    ):
        found.append(issues.issue(issues.TYPE_MISMATCH, f"扩展名表明 {claimed}，内容为 {detected}", path=ctx.path))
    if detected == sniff.EMPTY:
        return Document(media_type=detected, issues=found + [issues.issue(issues.EMPTY, path=ctx.path)])
    extractor = extractor_for(detected)
    if extractor is None:
        code = issues.IMAGE_CONTENT if detected.startswith("image/") else issues.UNSUPPORTED_FORMAT
        detail = "图片文件，文字未经识别" if detected.startswith("image/") else UNSUPPORTED.get(detected, detected)
        return Document(media_type=detected, issues=found + [issues.issue(code, detail, path=ctx.path)])
    try:
        document = extractor.extract(data, ctx)
    except ExtractionError as error:
        document = Document(media_type=detected, issues=[issues.issue(error.code, str(error), path=ctx.path)])
    except Exception as error:
        log.warning("extractor %s failed on %s: %s", extractor.name, ctx.path, type(error).__name__)
        document = Document(
            media_type=detected, issues=[issues.issue(issues.UNREADABLE, type(error).__name__, path=ctx.path)]
        )
    document.issues[:0] = found
    if not any(s.text.strip() for s in document.segments) and not document.issues:
        document.issues.append(issues.issue(issues.EMPTY, "未读出任何文字", path=ctx.path))
    return document


__all__ = ["EXTRACTORS", "ExtractContext", "Extractor", "Limits", "extract", "extractor_for", "sniff"]
