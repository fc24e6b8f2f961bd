"""Plain text: detect the encoding with a real charset detector; locations are line numbers."""

from __future__ import annotations

import re

from charset_normalizer import from_bytes

from ..models import Document, ExtractionIssue, Origin, Segment
from . import issues, sniff
from .base import ExtractContext

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def decode_text(data: bytes, *, html: bool = False) -> tuple[str, list[ExtractionIssue]]:
    """Decode bytes whose encoding nobody told us. Returns the text and any doubts about it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace"), []
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    if html:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            codec = declared.group(1).decode("ascii").lower()
            codec = "gb18030" if codec in ("gb2312", "gbk", "gb18030", "x-gbk") else codec
            try:
                return data.decode(codec), []
            except (LookupError, UnicodeDecodeError):
                pass
    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is not None:
        codec = best.encoding
        if codec in ("gb2312", "gbk", "cp936", "big5hkscs"):
            codec = "gb18030" if codec != "big5hkscs" else codec
        try:
            return data.decode(codec), []
        except (LookupError, UnicodeDecodeError):
            return data.decode(codec, errors="replace"), [
                issues.issue(issues.ENCODING_UNCERTAIN, f"按 {codec} 解码时有无法识别的字节")
            ]
    try:
        return data.decode("gb18030"), []
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), [issues.issue(issues.ENCODING_UNCERTAIN)]


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TextExtractor:
    name = "text"
    media_types = (sniff.TEXT,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        text, doubts = decode_text(data)
        text = normalize_newlines(text)
        segments = [Segment(text=text, origin=Origin(line=1, path=ctx.path if ctx.depth else None))]
        return Document(media_type=sniff.TEXT, segments=segments, issues=doubts)
