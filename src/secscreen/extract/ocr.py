"""Reading text out of pictures (OCR): scanned PDF pages, image files, pictures inside packages.

The one module that imports the OCR library (rapidocr on onnxruntime), lazily: importing secscreen
stays fast, and the engine is created once per process. The models are the ones shipped inside the
rapidocr wheel, named by path, so nothing is ever downloaded.

Fail closed: OCR text is screened like any other text and can add findings, but a page read by OCR
never counts as fully read: it carries the issue ``ocr-text`` (review), so a scan without findings is
``review``, never ``pass``. ``SECSCREEN_OCR=0`` turns OCR off; pictures then give ``image-only-page``
/ ``image-content`` as before.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import os
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..models import Origin, Part, Segment

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

ENV_OCR = "SECSCREEN_OCR"
#: at most this many pages or pictures are read by OCR per document; the rest keep their issue
MAX_PAGES = 20
#: resolution at which a scanned PDF page is rendered for OCR
DPI = 200
#: a picture is scaled down so that its longer side is at most this many pixels (A4 at 300 dpi)
MAX_SIDE = 3508
#: a picture with more pixels than this is not decoded at all (a decompression bomb)
MAX_PIXELS = 60_000_000
#: seconds one page may take on a busy machine (2–3 s idle); a page is not started when less than this
#: is left of the time budget, so that the child running extraction is not killed mid-page
PAGE_SECONDS = 10.0

_MODELS = {
    "Det.model_path": "PP-OCRv6_det_small.onnx",
    "Rec.model_path": "PP-OCRv6_rec_small.onnx",
    "Cls.model_path": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


@dataclass(frozen=True)
class OcrLine:
    """One line of text found in a picture; ``bbox`` is x0, top, x1, bottom in the picture's pixels."""

    text: str
    bbox: tuple[float, float, float, float]
    confidence: float


def enabled() -> bool:
    """OCR runs unless ``SECSCREEN_OCR=0`` or the OCR library is not installed."""
    if os.environ.get(ENV_OCR, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return _installed()


@lru_cache(maxsize=1)
def _installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("rapidocr", "onnxruntime"))


@lru_cache(maxsize=1)
def _engine() -> Any:
    import rapidocr  # lazy: the library and its models load only when a picture is read

    models = Path(rapidocr.__file__).parent / "models"
    params: dict[str, Any] = {name: str(models / file) for name, file in _MODELS.items()}
    params["Global.log_level"] = "error"
    return rapidocr.RapidOCR(params=params)


def ocr_image(image: Image) -> list[OcrLine]:
    """Lines of text in ``image``, top to bottom, in the image's own pixel coordinates."""
    import numpy

    scale = min(1.0, MAX_SIDE / max(image.size))
    if scale < 1.0:
        image = image.resize((round(image.width * scale), round(image.height * scale)))
    result = _engine()(numpy.asarray(image.convert("RGB")))
    if result.txts is None:
        return []
    lines = []
    for text, box, score in zip(result.txts, result.boxes, result.scores, strict=True):
        xs, ys = [float(p[0]) / scale for p in box], [float(p[1]) / scale for p in box]
        lines.append(OcrLine(text=text, bbox=(min(xs), min(ys), max(xs), max(ys)), confidence=float(score)))
    return sorted(lines, key=lambda line: (line.bbox[1], line.bbox[0]))


def segments(lines: Iterable[OcrLine], *, page: int, size: tuple[float, float], factor: float = 1.0,
             path: str | None = None) -> list[Segment]:
    """``image-ocr`` segments, one per line; ``factor`` turns pixels into the page's units (PDF points)."""
    width, height = size
    out = []
    for number, line in enumerate((line for line in lines if line.text.strip()), start=1):
        origin = Origin(
            part=Part.IMAGE_OCR, page=page, line=number, path=path,
            name=f"OCR 置信度 {line.confidence:.2f}",
            bbox=tuple(round(v * factor, 1) for v in line.bbox),
            page_width=round(width, 1), page_height=round(height, 1),
        )
        out.append(Segment(text=line.text, origin=origin))
    return out


def time_left(deadline: float) -> bool:
    """Whether one more page fits in the time budget (the budget kills a child that overruns it)."""
    return deadline - time.monotonic() >= PAGE_SECONDS


def open_image(data: bytes) -> Image:
    """Decode a picture with Pillow; raises ``ValueError`` for one too large to decode safely."""
    from PIL import Image as PILImage

    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data))
        except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError) as error:
            raise ValueError("图片像素过多") from error
    if image.width * image.height > MAX_PIXELS:
        raise ValueError(f"{image.width}×{image.height} 像素")
    image.load()
    return image
