"""PPTX: slides (``page`` = slide number), shapes and groups, tables, speaker notes, masters, comments.

python-pptx gives the object model: each paragraph of a text frame or table cell is a segment
(``line`` = paragraph number on the slide). A slide marked hidden (``show="0"``) is read as
``hidden``, as is a shape hidden in the selection pane; text placed on slide masters and layouts outside placeholders (a mark printed on every
slide) is read as ``textbox``; speaker notes as ``notes``. Comments (legacy ``ppt/comments`` and
modern threaded comments) are not in python-pptx's model and come from the XML with the hardened
parser, as do the properties.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from pptx import Presentation

from ..models import Document, Part, Segment
from . import ooxml, sniff
from .base import ExtractContext
from .zipguard import open_zip, read_member


class PptxExtractor:
    name = "pptx"
    media_types = (sniff.PPTX,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        with open_zip(data, ctx) as archive:
            presentation = Presentation(io.BytesIO(data))
            document = Document(media_type=sniff.PPTX, page_count=len(presentation.slides))
            document.segments = list(_slides(presentation, ctx))
            document.segments += list(_masters(presentation, ctx))
            slides = {slide.part.partname.lstrip("/"): n for n, slide in enumerate(presentation.slides, 1)}
            document.segments += _comments(archive, ctx, slides)
            ooxml.package_parts(archive, ctx, document, root="ppt/", drawing_dirs=("charts", "diagrams"))
        return document


def _slides(presentation: Any, ctx: ExtractContext) -> Iterator[Segment]:
    for number, slide in enumerate(presentation.slides, 1):
        ctx.check_time()
        hidden = slide._element.get("show") in ("0", "false")
        part = Part.HIDDEN if hidden else Part.BODY
        name = f"第{number}张幻灯片" + ("（隐藏）" if hidden else "")
        for line, (text, in_table, shape_hidden) in enumerate(_shape_texts(slide.shapes), 1):
            where = Part.HIDDEN if shape_hidden else Part.TABLE if in_table and not hidden else part
            yield Segment(text=text, origin=ooxml.origin(ctx, part=where, page=number, line=line, paragraph=line,
                                                         name=name))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            for index, paragraph in enumerate(notes.paragraphs if notes is not None else [], 1):
                if paragraph.text.strip():
                    yield Segment(text=paragraph.text, origin=ooxml.origin(ctx, part=Part.NOTES, page=number,
                                                                           line=index, name=f"{name}备注"))


def _masters(presentation: Any, ctx: ExtractContext) -> Iterator[Segment]:
    for master in presentation.slide_masters:
        for label, shapes in [("幻灯片母版", master.shapes)] + [("版式", layout.shapes) for layout in master.slide_layouts]:
            own = [shape for shape in shapes if not shape.is_placeholder]
            for line, (text, _, _) in enumerate(_shape_texts(own), 1):
                yield Segment(text=text, origin=ooxml.origin(ctx, part=Part.TEXTBOX, line=line, name=label))


def _hidden(shape: Any) -> bool:
    """A shape hidden in the selection pane (``p:cNvPr hidden="1"``): on the slide, not shown."""
    return any(el.get("hidden") in ("1", "true") for el in shape._element.iter() if str(el.tag).endswith("}cNvPr"))


def _shape_texts(shapes: Iterable[Any], in_table: bool = False,
                 hidden: bool = False) -> Iterator[tuple[str, bool, bool]]:
    """(paragraph text, in a table, in a hidden shape) for shapes in order, into groups and table cells."""
    for shape in shapes:
        shape_hidden = hidden or _hidden(shape)
        if hasattr(shape, "shapes"):  # a group
            yield from _shape_texts(shape.shapes, in_table, shape_hidden)
        if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
            for paragraph in shape.text_frame.paragraphs:
                if paragraph.text.strip():
                    yield paragraph.text, in_table, shape_hidden
        if getattr(shape, "has_table", False) and shape.has_table:
            for row in shape.table.rows:
                for cell in row.cells:
                    for paragraph in cell.text_frame.paragraphs:
                        if paragraph.text.strip():
                            yield paragraph.text, True, shape_hidden


def _comments(archive: zipfile.ZipFile, ctx: ExtractContext, slides: dict[str, int]) -> list[Segment]:
    """Legacy and modern comments with ``page`` = the slide they are on."""
    owner = ooxml.owners(archive, "ppt/slides/_rels/", ctx)
    segments: list[Segment] = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        if not (name.startswith("ppt/comments/") and name.endswith(".xml")):
            continue
        root = ooxml.parse(read_member(archive, info, ctx), name)
        number = slides.get(owner.get(name, ""))
        label = f"第{number}张幻灯片批注" if number else name
        for line, comment in enumerate((el for el in root.iter() if ooxml.local(el.tag) == "cm"), 1):
            text = "".join(el.text or "" for el in comment.iter() if ooxml.local(el.tag) in ("text", "t"))
            if text.strip():
                segments.append(Segment(text=text, origin=ooxml.origin(ctx, part=Part.COMMENT, page=number, line=line,
                                                                       name=label)))
    return segments
