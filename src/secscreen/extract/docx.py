"""DOCX: every story of the package a reader can recover, read from its XML with a hardened parser.

Parts read, in this order: the body (paragraphs, nested tables); each section's headers and footers
(default, first page, even; parts no section references are read too); text boxes, shapes and VML
WordArt of every story; footnotes and endnotes; comments; chart and SmartArt text; core, app and
custom properties and ``customXml`` data; embedded packages (``word/embeddings``, ``altChunk``) through
``ctx.recurse``.

We walk the package XML ourselves rather than python-docx's object model: python-docx exposes body
paragraphs, tables and section headers, but not text boxes, notes, comments (before 1.2), tracked
deletions, hidden runs or symbols, so every one of those would need the XML anyway; the raw walk
is also faster (``benchmarks/bench_extract_docx.py``). python-docx remains the reference the
benchmark compares against.
"""

from __future__ import annotations

import posixpath
import zipfile

from lxml import etree

from ..models import Document, Part, Segment
from . import issues, ooxml, sniff
from .base import ExtractContext
from .image import picture_check
from .wordml import StoryReader, hidden_styles, text_boxes, w, word_art
from .zipguard import open_zip

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_NOTE_SKIP = ("separator", "continuationSeparator", "continuationNotice")
_HF_LABEL = {"default": "", "first": "首页", "even": "偶数页"}


class DocxExtractor:
    name = "docx"
    media_types = (sniff.DOCX,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        with open_zip(data, ctx) as archive:
            return _DocxReader(archive, ctx).read()


class _DocxReader:
    def __init__(self, archive: zipfile.ZipFile, ctx: ExtractContext) -> None:
        self.archive = archive
        self.ctx = ctx
        self.rels = self._relationships("word/_rels/document.xml.rels")
        self.stories = StoryReader(ctx, hidden_styles(ooxml.read_xml(archive, "word/styles.xml", ctx)))
        self.segments: list[Segment] = []
        self.document = Document(media_type=sniff.DOCX)

    def read(self) -> Document:
        body = ooxml.read_xml(self.archive, "word/document.xml", self.ctx)
        if body is None:
            self.document.issues.append(issues.issue(issues.UNREADABLE, "缺少 word/document.xml", path=self.ctx.path))
            return self.document
        self._story(body, Part.BODY, None)
        self._headers_and_footers(body)
        self._notes("footnotes", "footnote", Part.FOOTNOTE, "脚注")
        self._notes("endnotes", "endnote", Part.ENDNOTE, "尾注")
        self._notes("comments", "comment", Part.COMMENT, "批注")
        self.segments += ooxml.drawing_text(self.archive, ("word/charts/", "word/diagrams/"), self.ctx)
        self.document.segments = self.segments
        self._image_check()
        self.document.segments += ooxml.properties(self.archive, self.ctx)
        self.document.segments += ooxml.custom_xml(self.archive, self.ctx)
        self._embedded()
        return self.document

    def _story(self, root: etree._Element, part: Part, name: str | None) -> None:
        self.segments += self.stories.story(root, part, name)
        line = 0
        for box in text_boxes(root):
            found = self.stories.story(box, Part.TEXTBOX, name, start=line + 1)
            line += sum(1 for _ in box.iter(w("p")))
            self.segments += found
        for art in word_art(root):
            if art.strip():
                self.segments.append(Segment(text=art, origin=ooxml.origin(self.ctx, part=Part.TEXTBOX,
                                                                           name=name or "艺术字/水印")))

    def _relationships(self, name: str) -> dict[str, tuple[str, str]]:
        """rId -> (relationship type's last word, member name) for one part."""
        root = ooxml.read_xml(self.archive, name, self.ctx)
        found: dict[str, tuple[str, str]] = {}
        if root is None:
            return found
        for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"word/{target}")
            found[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], member)
        return found

    def _headers_and_footers(self, body: etree._Element) -> None:
        seen: set[str] = set()
        for section, properties in enumerate(body.iter(w("sectPr")), 1):
            for reference in properties:
                kind = reference.tag.rsplit("}", 1)[-1]
                if kind not in ("headerReference", "footerReference"):
                    continue
                _, member = self.rels.get(reference.get(f"{{{R}}}id") or "", ("", ""))
                if member and member not in seen:
                    seen.add(member)
                    label = "页眉" if kind == "headerReference" else "页脚"
                    self._header_part(member, kind, f"第{section}节{_HF_LABEL.get(reference.get(w('type')) or '', '')}{label}")
        for kind, member in sorted(self.rels.values(), key=lambda r: r[1]):
            if kind in ("header", "footer") and member not in seen:
                self._header_part(member, kind, "未被引用的页眉" if kind == "header" else "未被引用的页脚")

    def _header_part(self, member: str, kind: str, name: str) -> None:
        root = ooxml.read_xml(self.archive, member, self.ctx)
        if root is not None:
            self._story(root, Part.HEADER if kind.startswith("header") else Part.FOOTER, name)

    def _notes(self, rel_type: str, tag: str, part: Part, label: str) -> None:
        members = sorted({m for kind, m in self.rels.values() if kind == rel_type})
        for member in members:
            root = ooxml.read_xml(self.archive, member, self.ctx)
            if root is None:
                continue
            line = 0
            for note in root.iter(w(tag)):
                if note.get(w("type")) in _NOTE_SKIP:
                    continue
                found = self.stories.story(note, part, f"{label}{note.get(w('id')) or ''}", start=line + 1)
                line += sum(1 for _ in note.iter(w("p")))
                self.segments += found

    def _image_check(self) -> None:
        self.document.issues += picture_check(self.archive, "word/media/", self.ctx, self.segments)

    def _embedded(self) -> None:
        names = {m for kind, m in self.rels.values() if kind in ("package", "oleObject", "aFChunk")}
        segments, found = ooxml.embedded(self.archive, names | ooxml.under(self.archive, "word/embeddings/"), self.ctx)
        self.document.segments += segments
        self.document.issues += found
