"""Read a page's characters through pdfium's C API (fast path).

pdfium gives, per character, the loose box (font ascent to descent) and the text object that drew
it; the text object gives the render mode and fill colour. Walking the page objects in paint order
(form XObjects expanded) gives each object its z-order.

pdfium cannot measure glyphs of a font that is neither embedded nor installed (e.g. a non-embedded
``STSong-Light`` on a server without CJK fonts) and then silently drops some of its characters
(a lone ★ or 年). ``needs_fallback`` tells the caller to read such a page with pdfminer instead.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from .chars import Box, PageContent, Style, is_space, quadrant

ToBox = Callable[[float, float, float, float], Box]
MAX_FORM_DEPTH = 12


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _fill(handle: Any) -> tuple[int, int, int, int]:
    channels = [ctypes.c_uint() for _ in range(4)]
    if not pdfium_c.FPDFPageObj_GetFillColor(handle, *(ctypes.byref(c) for c in channels)):
        return (0, 0, 0, 255)
    r, g, b, a = (c.value for c in channels)
    return (r, g, b, a)


def _bounds(handle: Any, to_box: ToBox) -> Box:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(handle, ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    return to_box(left.value, top.value, right.value, bottom.value)


def _children(page: Any) -> list[Any]:
    return [pdfium_c.FPDFPage_GetObject(page, i) for i in range(pdfium_c.FPDFPage_CountObjects(page))]


def _walk(handles: list[Any], depth: int, order: dict[int, int], content: PageContent, to_box: ToBox,
          fonts: list[Any]) -> None:
    for handle in handles:
        z = len(order)
        order[_address(handle)] = z
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH:
            count = pdfium_c.FPDFFormObj_CountObjects(handle)
            children = [pdfium_c.FPDFFormObj_GetObject(handle, i) for i in range(count)]
            _walk(children, depth + 1, order, content, to_box, fonts)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            fonts.append(pdfium_c.FPDFTextObj_GetFont(handle))
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            content.add_image(z, _bounds(handle, to_box))
        elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
            if pdfium_c.FPDFPath_GetDrawMode(handle, ctypes.byref(fill_mode), ctypes.byref(stroke)) and fill_mode.value:
                r, g, b, a = _fill(handle)
                opaque = a == 255 and not pdfium_c.FPDFPageObj_HasTransparency(handle)
                content.add_fill(z, _bounds(handle, to_box), (r, g, b), opaque)


class PdfiumPage:
    """Paint order, fills and images of a page; characters on demand."""

    def __init__(self, page: Any, to_box: ToBox) -> None:
        self.content = PageContent()
        self.order: dict[int, int] = {}
        self.to_box = to_box
        self._fonts: list[Any] = []
        _walk(_children(page), 0, self.order, self.content, to_box, self._fonts)

    def needs_fallback(self) -> bool:
        """True when a font is neither embedded nor one of the standard 14 pdfium carries."""
        for font in {_address(f): f for f in self._fonts if f}.values():
            if not pdfium_c.FPDFFont_GetIsEmbedded(font) and not _is_standard(font):
                return True
        return False

    def read(self, textpage: Any) -> PageContent:
        styles: dict[int, Style] = {}
        rect = pdfium_c.FS_RECTF()
        rect_ref = ctypes.byref(rect)
        page_address = _address(textpage)
        add, to_box = self.content.add_char, self.to_box
        for index, text in enumerate(_texts(textpage)):
            if not text or is_space(ord(text[0])):
                continue
            key = _TEXT_OBJECT(page_address, index)
            if not key or not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, rect_ref):
                continue
            style = styles.get(key)
            if style is None:
                handle = ctypes.cast(key, pdfium_c.FPDF_PAGEOBJECT)
                mode = pdfium_c.FPDFTextObj_GetTextRenderMode(handle)
                angle = pdfium_c.FPDFText_GetCharAngle(textpage, index)  # clockwise; -1 when pdfium cannot tell
                turn = quadrant(-angle) if angle >= 0 else 0
                style = styles[key] = Style(self.order.get(key, 0), mode, _fill(handle), turn)
            add(text, to_box(rect.left, rect.top, rect.right, rect.bottom), style)
        return self.content.finish()


#: FPDFText_GetTextObject returning the handle's address: hashing a ctypes pointer needs a slow cast
_TEXT_OBJECT = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    _address(pdfium_c.FPDFText_GetTextObject)
)


def _texts(textpage: Any) -> list[str]:
    """The character at each text-page index, in one call when the page has no surrogate pairs."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(textpage, 0, count, buffer)
    text = bytes(buffer)[: max(written - 1, 0) * 2].decode("utf-16-le", errors="replace")
    if len(text) == count and not any(0xD800 <= ord(ch) < 0xE000 for ch in text):
        return list(text)
    out: list[str] = []
    index = 0
    while index < count:
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        char, last = _character(textpage, code, index, count)
        out.append(char)
        out.extend([""] * (last - index))
        index = last + 1
    return out


_STANDARD = ("Courier", "Helvetica", "Times", "Symbol", "ZapfDingbats", "Arial")


def _is_standard(font: Any) -> bool:
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    if size <= 1:
        return False
    buffer = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
    return buffer.value.decode("latin-1").split("+")[-1].startswith(_STANDARD)


def _character(textpage: Any, code: int, index: int, count: int) -> tuple[str, int]:
    """The character at ``index``, joining a UTF-16 surrogate pair (then the index moves past it)."""
    if 0xD800 <= code < 0xDC00 and index + 1 < count:
        low = pdfium_c.FPDFText_GetUnicode(textpage, index + 1)
        if 0xDC00 <= low < 0xE000:
            return chr(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)), index + 1
    if 0xD800 <= code < 0xE000 or code > 0x10FFFF:
        return "\ufffd", index
    return chr(code), index
