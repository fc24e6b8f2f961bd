"""Read a page's characters through pdfminer (fallback for fonts pdfium cannot measure).

pdfminer maps every character code through the font's CMap whether or not the font is installed,
so it does not drop glyphs; it is several times slower than pdfium. The layout tree it builds
without layout analysis keeps paint order; the render mode (``Tr``) is taken from the text state
as each string is shown.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTItem, LTPage
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser

from .chars import Box, PageContent, Style, is_space, quadrant

#: pdfminer logs every oddity of a damaged file at WARNING; they would reach the CLI's stderr
logging.getLogger("pdfminer").setLevel(logging.ERROR)


class _Device(PDFPageAggregator):
    """Remembers the render mode of every character it lays out."""

    def __init__(self, manager: PDFResourceManager) -> None:
        super().__init__(manager, laparams=None)
        self.modes: dict[int, int] = {}

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        container = self.cur_item
        before = len(container._objs)
        super().render_string(textstate, seq, ncs, graphicstate)
        for item in container._objs[before:]:
            self.modes[id(item)] = int(textstate.render or 0)


class MinerDocument:
    """A pdfminer view of the same bytes, opened once, for the pages pdfium cannot read well."""

    def __init__(self, data: bytes, password: str = "") -> None:
        self.document = PDFDocument(PDFParser(io.BytesIO(data)), password=password)
        self._pages: list[PDFPage] | None = None
        self._manager = PDFResourceManager(caching=True)

    def page(self, number: int) -> PDFPage | None:
        if self._pages is None:
            self._pages = list(PDFPage.create_pages(self.document))
        return self._pages[number - 1] if 0 < number <= len(self._pages) else None

    def read(self, number: int) -> PageContent | None:
        page = self.page(number)
        if page is None:
            return None
        device = _Device(self._manager)
        PDFPageInterpreter(self._manager, device).process_page(page)
        layout = device.get_result()
        return _content(layout, device.modes)


def _flatten(item: LTItem) -> Iterator[LTItem]:
    yield item
    if isinstance(item, LTContainer):
        for child in item:
            yield from _flatten(child)


def _rgb(color: Any) -> tuple[int, int, int] | None:
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(c, (int, float)) for c in color):
        return None
    values = [min(max(float(c), 0.0), 1.0) for c in color]
    if len(values) == 1:
        values = values * 3
    elif len(values) == 4:
        c, m, y, k = values
        values = [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
    elif len(values) != 3:
        return None
    r, g, b = (round(v * 255) for v in values)
    return (r, g, b)


def _content(layout: LTPage, modes: dict[int, int]) -> PageContent:
    px0, _, _, py1 = layout.bbox

    def to_box(item: Any) -> Box:
        return (item.x0 - px0, py1 - item.y1, item.x1 - px0, py1 - item.y0)

    content = PageContent()
    for z, item in enumerate(_flatten(layout)):
        if isinstance(item, LTChar):
            text = item.get_text()
            if not text or all(is_space(ord(c)) for c in text):
                continue
            r, g, b = _rgb(item.graphicstate.ncolor) or (0, 0, 0)
            a, b_, *_ = item.matrix
            turn = quadrant(math.atan2(b_, a))
            content.add_char(text, to_box(item), Style(z, modes.get(id(item), 0), (r, g, b, 255), turn))
        elif isinstance(item, LTImage):
            content.add_image(z, to_box(item))
        elif isinstance(item, LTCurve) and item.fill:
            fill = _rgb(item.non_stroking_color)
            if fill is not None:
                content.add_fill(z, to_box(item), fill, True)
    return content.finish()
