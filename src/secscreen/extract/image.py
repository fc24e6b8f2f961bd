"""Image files (PNG, JPEG, TIFF, BMP, GIF): text read by OCR, every frame of a multi-page TIFF.

Also the pictures of a package made only of pictures (a scan pasted into a DOCX): ``ocr_package``.

Without OCR (``SECSCREEN_OCR=0`` or the library missing) an image gives ``image-content``, nothing
read. With it, the lines found are ``image-ocr`` segments (``page`` = frame, ``bbox`` in pixels with
the frame size, so header-zone rules apply to the top of frame 1) and the file gets ``ocr-text``:
OCR may misread, so a picture without findings is ``review``, never ``pass``.
"""

from __future__ import annotations

import logging
import zipfile
from typing import TYPE_CHECKING

from ..errors import ExtractionError
from ..models import Document, ExtractionIssue, Segment
from . import issues, ocr, sniff
from .base import ExtractContext
from .zipguard import read_member

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

MEDIA_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/bmp", "image/gif")


class ImageExtractor:
    name = "image"
    media_types = MEDIA_TYPES

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        media_type = sniff.sniff(data)
        if not ocr.enabled():
            return Document(media_type=media_type,
                            issues=[issues.issue(issues.IMAGE_CONTENT, "图片文件，文字未经识别", path=ctx.path)])
        try:
            image = ocr.open_image(data)
        except ValueError as error:
            return Document(media_type=media_type,
                            issues=[issues.issue(issues.LIMIT_EXCEEDED, str(error), path=ctx.path)])
        return _read_frames(image, media_type, ctx)


def _read_frames(image: Image, media_type: str, ctx: ExtractContext) -> Document:
    from PIL import ImageSequence

    path = ctx.path if ctx.depth else None
    document = Document(media_type=media_type, page_count=getattr(image, "n_frames", 1))
    read: list[int] = []
    for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
        if number > ocr.MAX_PAGES or not ocr.time_left(ctx.deadline):
            break
        found = ocr.segments(ocr.ocr_image(frame), page=number, size=frame.size, path=path)
        if found:  # a frame where OCR finds nothing (a photo, handwriting) counts as unread
            document.segments.extend(found)
            read.append(number)
    unread = (document.page_count or 1) - len(read)
    if read:
        detail = "第 " + "、".join(str(n) for n in read) + " 页" if len(read) > 1 else "图片文件"
        document.issues.append(issues.issue(issues.OCR_TEXT, detail, path=ctx.path, pages=read))
    if unread:
        detail = "图片中未识别出文字" if document.page_count == 1 else f"{unread} 页图片未识别出文字"
        document.issues.append(issues.issue(issues.IMAGE_CONTENT, detail, path=ctx.path))
    return document


def ocr_package(archive: zipfile.ZipFile, media_prefix: str, ctx: ExtractContext,
                segments: list[Segment]) -> list[ExtractionIssue]:
    """OCR the pictures under ``media_prefix`` into ``segments`` (``page`` = picture number).

    Returns ``ocr-text`` when pictures were read, plus ``image-content`` for those that were not
    (a format Pillow cannot decode such as EMF, too large, no text found, beyond ``ocr.MAX_PAGES`` or the
    time budget).
    """
    pictures = [i for i in archive.infolist() if i.filename.startswith(media_prefix)]
    read: list[str] = []
    for number, info in enumerate(pictures[: ocr.MAX_PAGES], start=1):
        if not ocr.time_left(ctx.deadline):
            break
        try:
            image = ocr.open_image(read_member(archive, info, ctx))
            lines = ocr.ocr_image(image)
        except (ExtractionError, ValueError, OSError) as error:
            log.info("picture %s not read: %s", info.filename, type(error).__name__)
            continue
        found = ocr.segments(lines, page=number, size=image.size, path=ctx.path if ctx.depth else None)
        if found:  # a picture where OCR finds no text (a photo, a logo) counts as unread
            segments.extend(found)
            read.append(info.filename)
    raised = []
    if read:
        raised.append(issues.issue(issues.OCR_TEXT, f"{len(read)} 张图片", path=ctx.path))
    if len(read) < len(pictures):
        raised.append(issues.issue(issues.IMAGE_CONTENT, f"{len(pictures) - len(read)} 张图片未识别", path=ctx.path))
    return raised


def picture_check(archive: zipfile.ZipFile, media_prefix: str, ctx: ExtractContext,
                  segments: list[Segment]) -> list[ExtractionIssue]:
    """For an Office package that is pictures with almost no text: OCR them when OCR is on, else say
    the pictures were not read. A package with enough text raises nothing."""
    from .ooxml import image_issue

    found = image_issue(archive, media_prefix, segments, ctx)
    if found is None:
        return []
    return ocr_package(archive, media_prefix, ctx, segments) if ocr.enabled() else [found]
