"""XLSX: every sheet (hidden and very hidden too), comments, sheet names, defined names, properties.

Cells are read with openpyxl in read-only, values-only mode (cached formula results, the text a
reader sees); one segment per non-empty row, cells joined by tabs, ``page`` = sheet index (1-based),
``line`` = row number, ``name`` = the sheet title marked （隐藏）/（深度隐藏） when not visible.
Print headers and footers are found in the tail of each sheet part (``header``/``footer``).
openpyxl's read-only mode does not load comments, so they come from the ``xl/comments*.xml`` parts
with the hardened parser, as do the properties.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]

from ..models import Document, Part, Segment
from . import ooxml, sniff
from .base import ExtractContext
from .zipguard import open_zip, read_member, read_tail

_STATE = {"hidden": "（隐藏）", "veryHidden": "（深度隐藏）"}
_TIME_CHECK_ROWS = 1000
#: ``headerFooter`` follows the cell data in a sheet part; this much of the part's end is searched for it
_TAIL = 256 * 1024
_HEADER_FOOTER = re.compile(rb"<(?:\w+:)?(odd|even|first)(Header|Footer)>(.*?)</", re.DOTALL)
#: Excel header codes: &L &C &R sections, &P page, &"font,style", &12 size, && a literal ampersand
_SECTION_CODE = re.compile(r"&[LCR]")
_HEADER_CODE = re.compile(r'&(?:"[^"]*"|\d+|[PNDTZFAKBIUESXYGH])')


class XlsxExtractor:
    name = "xlsx"
    media_types = (sniff.XLSX,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        with open_zip(data, ctx) as archive:
            document = Document(media_type=sniff.XLSX)
            sheets: dict[str, tuple[int, str]] = {}
            document.segments = _workbook(data, archive, ctx, sheets)
            document.segments += _comments(archive, ctx, sheets)
            ooxml.package_parts(archive, ctx, document, root="xl/", drawing_dirs=("drawings", "charts", "diagrams"))
        return document


def _workbook(data: bytes, archive: zipfile.ZipFile, ctx: ExtractContext,
              sheets: dict[str, tuple[int, str]]) -> list[Segment]:
    """Cells, sheet names, print headers and defined names; fills ``sheets`` (part -> index, label)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it skips (data validation, …)
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    segments: list[Segment] = []
    try:
        for index, sheet in enumerate(book.worksheets, 1):
            label = f"{sheet.title}{_STATE.get(sheet.sheet_state, '')}"
            sheets[getattr(sheet, "_worksheet_path", "").lstrip("/")] = (index, label)
            segments.append(Segment(text=sheet.title, origin=ooxml.origin(ctx, part=Part.SHEET_NAME, page=index,
                                                                          name=label)))
            segments += _rows(sheet, index, label, ctx)
            segments += _print_headers(archive, getattr(sheet, "_worksheet_path", ""), index, label, ctx)
        segments += _defined_names(book, ctx)
    finally:
        book.close()
    return segments


def _rows(sheet: Any, index: int, label: str, ctx: ExtractContext) -> list[Segment]:
    segments: list[Segment] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number % _TIME_CHECK_ROWS == 0:
            ctx.check_time()
        cells = ["" if value is None else str(value) for value in row]
        text = "\t".join(cells).rstrip("\t")
        if text.strip():
            segments.append(Segment(text=text, origin=ooxml.origin(ctx, part=Part.TABLE, page=index, line=number,
                                                                    name=label)))
    return segments


def _print_headers(archive: zipfile.ZipFile, member: str, index: int, label: str,
                   ctx: ExtractContext) -> list[Segment]:
    """Print headers and footers of one sheet (``oddHeader``…), which read-only openpyxl does not load."""
    try:
        info = archive.getinfo(member.lstrip("/"))
    except KeyError:
        return []
    segments: list[Segment] = []
    for kind, place, body in _HEADER_FOOTER.findall(read_tail(archive, info, ctx, _TAIL)):
        raw = ooxml.parse(b"<t>" + body + b"</t>", member).text or ""
        sections = _SECTION_CODE.split(_HEADER_CODE.sub("", raw.replace("&&", "\0")))
        text = "\n".join(section for section in sections if section.strip())
        if text.strip():
            part = Part.HEADER if place == b"Header" else Part.FOOTER
            segments.append(Segment(text=text.replace("\0", "&"), origin=ooxml.origin(
                ctx, part=part, page=index, name=f"{label} {kind.decode()}{place.decode()}")))
    return segments


def _defined_names(book: Any, ctx: ExtractContext) -> list[Segment]:
    segments: list[Segment] = []
    for name, defined in sorted(book.defined_names.items()):
        segments.append(Segment(text=name, origin=ooxml.origin(ctx, part=Part.METADATA, name="定义名称")))
        value = defined.attr_text or ""
        if value.strip():
            segments.append(Segment(text=value, origin=ooxml.origin(ctx, part=Part.METADATA, name=name)))
    return segments


def _comments(archive: zipfile.ZipFile, ctx: ExtractContext, sheets: dict[str, tuple[int, str]]) -> list[Segment]:
    """Legacy and threaded comments, named ``sheet label!cell`` with ``page`` = sheet index."""
    owner = ooxml.owners(archive, "xl/worksheets/_rels/", ctx)
    segments: list[Segment] = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        if not (name.startswith("xl/") and name.endswith(".xml") and ("comments" in name.lower())):
            continue
        root = ooxml.parse(read_member(archive, info, ctx), name)
        index, label = sheets.get(owner.get(name, ""), (None, name))
        for number, comment in enumerate((el for el in root.iter() if ooxml.local(el.tag) in ("comment",
                                                                                               "threadedComment")), 1):
            text = "".join(el.text or "" for el in comment.iter() if ooxml.local(el.tag) in ("t", "text"))
            if text.strip():
                segments.append(Segment(text=text, origin=ooxml.origin(
                    ctx, part=Part.COMMENT, page=index, line=number, name=f"{label}!{comment.get('ref') or ''}")))
    return segments
