"""Media type from content (magic bytes, zip members), never from the file name alone."""

from __future__ import annotations

import io
import zipfile

TEXT = "text/plain"
HTML = "text/html"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFD = "application/ofd"
ZIP = "application/zip"
OLE = "application/x-ole-storage"
RAR = "application/vnd.rar"
SEVEN_Z = "application/x-7z-compressed"
GZIP = "application/gzip"
IMAGE = "image/*"
EMPTY = "application/x-empty"
UNKNOWN = "application/octet-stream"

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"Rar!\x1a\x07", RAR),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_Z),
    (b"\x1f\x8b", GZIP),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
    (b"RIFF", "application/x-riff"),
)

_ZIP_MARKERS: tuple[tuple[str, str], ...] = (
    ("word/document.xml", DOCX),
    ("xl/workbook.xml", XLSX),
    ("ppt/presentation.xml", PPTX),
    ("OFD.xml", OFD),
)

#: what a file name's extension claims, to report a mismatch
EXTENSIONS: dict[str, str] = {
    ".txt": TEXT, ".text": TEXT, ".csv": TEXT, ".md": TEXT,
    ".html": HTML, ".htm": HTML, ".xhtml": HTML, ".shtml": HTML,
    ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".pptx": PPTX, ".ofd": OFD,
    ".zip": ZIP, ".doc": OLE, ".xls": OLE, ".ppt": OLE, ".wps": OLE, ".et": OLE, ".dps": OLE,
    ".rar": RAR, ".7z": SEVEN_Z, ".gz": GZIP,
}


def sniff(data: bytes) -> str:
    """Name the media type of ``data`` from its content."""
    if not data.strip():
        return EMPTY
    if data[:2] == b"BM" and len(data) < 26:
        return UNKNOWN
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if _looks_like_html(data):
        return HTML
    if _looks_like_text(data):
        return TEXT
    return UNKNOWN


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return ZIP
    for member, media_type in _ZIP_MARKERS:
        if member in names:
            return media_type
    return ZIP


def _head_text(data: bytes, size: int = 2048) -> str:
    head = data[:size]
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")
    return head.decode("latin-1")


def _looks_like_html(data: bytes) -> bool:
    head = _head_text(data).lstrip().lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in _head_text(data, 8192).lower():
        return True
    return head.startswith("<") and any(tag in head for tag in ("<body", "<head", "<div", "<p>", "<p ", "<table"))


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        # UTF-16 without BOM shows a NUL in every other byte of ASCII; anything else is binary.
        evens, odds = sample[0::2].count(0), sample[1::2].count(0)
        return max(evens, odds) > len(sample) // 4 and min(evens, odds) < len(sample) // 50
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 or b == 127)
    return controls <= len(sample) // 200
