"""The parts of a PDF that are not page content: document info, XMP, annotations, embedded files.

Document info and XMP come from pdfminer (pdfium only answers for the standard Info keys, and a
classification tool may write its own key such as ``/密级``); annotations and embedded files come
from pdfium. Annotation subtypes are named as in the PDF specification (``Text``, ``FreeText``...).
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from typing import Any

import lxml.etree as etree
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from ...models import Origin, Part, Segment

#: annotation keys whose text a reader can see (note text, subject, form field value)
ANNOTATION_KEYS = ("Contents", "Subj", "V", "TU")
#: Info/XMP values that carry no document text
SKIP_INFO = frozenset(("CreationDate", "ModDate", "Trapped"))
MAX_BOOKMARKS = 10000
_XMP_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def _text(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return ""


def metadata_segments(document: PDFDocument) -> list[Segment]:
    """Every Info entry and every XMP value, ``part: metadata`` named by key."""
    segments: list[Segment] = []
    for info in document.info:
        for key, value in info.items():
            text = _text(value).strip()
            if text and str(key) not in SKIP_INFO:
                segments.append(Segment(text=text, origin=Origin(part=Part.METADATA, name=str(key))))
    segments.extend(_xmp_segments(document.catalog.get("Metadata")))
    return segments


def _xmp_segments(reference: Any) -> list[Segment]:
    stream = resolve1(reference) if isinstance(reference, PDFObjRef) else reference
    if not isinstance(stream, PDFStream):
        return []
    try:
        root = etree.fromstring(stream.get_data(), _XMP_PARSER)
    except (etree.XMLSyntaxError, ValueError, OSError):
        return []
    return [Segment(text=text, origin=Origin(part=Part.METADATA, name=f"XMP {name}")) for name, text in _xmp_values(root)]


def _qname(element: etree._Element, tag: str) -> str:
    local = etree.QName(tag).localname
    namespace = etree.QName(tag).namespace
    prefix = next((p for p, uri in element.nsmap.items() if uri == namespace and p), None)
    return f"{prefix}:{local}" if prefix else local


def _xmp_values(root: etree._Element) -> Iterator[tuple[str, str]]:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute, value in element.attrib.items():
            if not attribute.startswith(f"{{{_RDF}}}") and value.strip() and not attribute.startswith("{http://www.w3.org/XML"):
                yield _qname(element, attribute), value.strip()
        if len(element) == 0 and element.text and element.text.strip():
            owner = element
            while owner.getparent() is not None and etree.QName(owner.tag).namespace == _RDF:
                owner = owner.getparent()
            name = _qname(owner, owner.tag)
            if name.split(":")[-1] not in SKIP_INFO and name not in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                yield name, element.text.strip()


def pdfium_info_segments(pdf: Any) -> list[Segment]:
    """The standard Info keys through pdfium, when pdfminer cannot open the file (e.g. an unsupported cipher)."""
    return [
        Segment(text=str(value).strip(), origin=Origin(part=Part.METADATA, name=key))
        for key, value in pdf.get_metadata_dict(skip_empty=True).items()
        if key not in SKIP_INFO and str(value).strip()
    ]


def outline_segments(pdf: Any, limit: int = MAX_BOOKMARKS) -> list[Segment]:
    """Bookmark titles (the navigation pane a reader sees), ``part: metadata`` named 书签."""
    segments: list[Segment] = []
    for index, bookmark in enumerate(pdf.get_toc()):
        if index >= limit:
            break
        title = (bookmark.get_title() or "").strip()
        if title:
            segments.append(Segment(text=title, origin=Origin(part=Part.METADATA, name="书签")))
    return segments


def _utf16(buffer: Any, size: int) -> str:
    return bytes(buffer)[: max(size - 2, 0)].decode("utf-16-le", errors="replace")


def _annot_string(annot: Any, key: str) -> str:
    size = pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), None, 0)
    if size <= 2:
        return ""
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFAnnot_GetStringValue(annot, key.encode("ascii"), buffer, size)
    return _utf16(buffer, size)


def annotation_items(page: Any, to_box: Any) -> Iterator[tuple[str, str, Any, tuple[float, float, float, float]]]:
    """(subtype, text, file attachment handle or None, box) for each annotation of a page."""
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
        annot = pdfium_c.FPDFPage_GetAnnot(page, index)
        if not annot:
            continue
        try:
            subtype = pdfium_c.FPDFAnnot_GetSubtype(annot)
            rect = pdfium_c.FS_RECTF()
            box = to_box(0.0, 0.0, 0.0, 0.0)
            if pdfium_c.FPDFAnnot_GetRect(annot, ctypes.byref(rect)):
                box = to_box(rect.left, rect.top, rect.right, rect.bottom)
            texts = [_annot_string(annot, key).strip() for key in ANNOTATION_KEYS]
            text = "\n".join(dict.fromkeys(t for t in texts if t))
            attachment = pdfium_c.FPDFAnnot_GetFileAttachment(annot) if subtype == pdfium_c.FPDF_ANNOT_FILEATTACHMENT else None
            yield _SUBTYPES.get(subtype, str(subtype)), text, attachment, box
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annot)


def attachment_name(attachment: Any) -> str:
    size = pdfium_c.FPDFAttachment_GetName(attachment, None, 0)
    if size <= 2:
        return "embedded"
    buffer = (ctypes.c_ushort * (size // 2))()
    pdfium_c.FPDFAttachment_GetName(attachment, buffer, size)
    return _utf16(buffer, size) or "embedded"


def attachment_data(attachment: Any, max_bytes: int) -> bytes | None:
    """The decoded file, or ``None`` when it is larger than ``max_bytes`` or cannot be decoded."""
    size = ctypes.c_ulong()
    if not pdfium_c.FPDFAttachment_GetFile(attachment, None, 0, ctypes.byref(size)) or size.value > max_bytes:
        return None
    buffer = (ctypes.c_char * size.value)()
    if not pdfium_c.FPDFAttachment_GetFile(attachment, buffer, size.value, ctypes.byref(size)):
        return None
    return bytes(buffer)[: size.value]


_SUBTYPES = {
    getattr(pdfium_c, f"FPDF_ANNOT_{name.upper()}"): name
    for name in ("Text", "Link", "FreeText", "Line", "Square", "Circle", "Polygon", "Polyline", "Highlight",
                 "Underline", "Squiggly", "Strikeout", "Stamp", "Caret", "Ink", "Popup", "FileAttachment",
                 "Sound", "Movie", "Widget", "Screen", "PrinterMark", "TrapNet", "Watermark", "ThreeD", "RichMedia",
                 "XFAWidget", "Redact")
    if hasattr(pdfium_c, f"FPDF_ANNOT_{name.upper()}")
}
