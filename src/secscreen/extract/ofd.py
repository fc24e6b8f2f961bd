"""OFD (GB/T 33190-2016): the fixed-layout format of Chinese government offices, XML in a zip.

Read: ``OFD.xml`` DocInfo (title, author, subject, abstract, keywords, custom data such as 密级)
as ``metadata``; for each document (``DocRoot``) every page's ``Content.xml`` and the template pages
it uses: ``ofd:TextObject``/``ofd:TextCode`` text, grouped into lines by baseline, one segment per
line with ``page`` and ``bbox`` (points, from the millimetre ``Boundary``) so header-zone rules work;
annotations (``Annots``) as ``annotation``; attachments recursed through ``ctx.recurse``.
A page with images and no text gives ``image-only-page`` naming the pages. Not read: text drawn as
paths (glyph outlines), digital signatures (``Signs``), custom tags.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..models import Document, Part, Segment
from . import issues, ooxml, sniff
from .base import ExtractContext
from .zipguard import open_zip, read_named

MM_TO_PT = 72 / 25.4
_LINE_TOLERANCE = 1.0  # millimetres between baselines of one line
_INFO_FIELDS = ("Title", "Author", "Subject", "Abstract", "Creator", "DocUsage")


@dataclass
class _Run:
    x: float
    y: float
    box: tuple[float, float, float, float]
    text: str


class OfdExtractor:
    name = "ofd"
    media_types = (sniff.OFD,)

    def extract(self, data: bytes, ctx: ExtractContext) -> Document:
        with open_zip(data, ctx) as archive:
            root = ooxml.read_xml(archive, "OFD.xml", ctx)
            document = Document(media_type=sniff.OFD, page_count=0)
            if root is None:
                document.issues.append(issues.issue(issues.UNREADABLE, "缺少 OFD.xml", path=ctx.path))
                return document
            for body in _children(root, "DocBody"):
                for doc_root in _children(body, "DocRoot"):
                    _OfdDocument(archive, ctx, (doc_root.text or "").strip().lstrip("/"), document).read()
                for info in _children(body, "DocInfo"):
                    document.segments += _doc_info(info, ctx)
        return document


class _OfdDocument:
    def __init__(self, archive: zipfile.ZipFile, ctx: ExtractContext, member: str, out: Document) -> None:
        self.archive, self.ctx, self.member, self.out = archive, ctx, member, out
        self.base = posixpath.dirname(member)
        self.default_height: float | None = None

    def _resolve(self, location: str, base: str | None = None) -> str:
        location = location.strip()
        if location.startswith("/"):
            return location.lstrip("/")
        return posixpath.normpath(posixpath.join(self.base if base is None else base, location))

    def read(self) -> None:
        root = ooxml.read_xml(self.archive, self.member, self.ctx)
        if root is None:
            self.out.issues.append(issues.issue(issues.UNREADABLE, f"缺少 {self.member}", path=self.ctx.path))
            return
        templates = {t.get("ID"): self._resolve(t.get("BaseLoc") or "") for t in root.iter() if _is(t, "TemplatePage")}
        self.default_height = _page_height(root)
        image_only: list[int] = []
        first = (self.out.page_count or 0) + 1
        for number, page in enumerate((p for p in root.iter() if _is(p, "Page") and p.get("BaseLoc")), first):
            self.ctx.check_time()
            self.out.page_count = number
            content = self._resolve(page.get("BaseLoc") or "")
            members = [content] + self._template_members(content, templates)
            before = len(self.out.segments)
            images = 0
            for index, member in enumerate(members):
                images += self._page(member, number, Part.BODY if index == 0 else Part.HEADER)
            if images and len(self.out.segments) == before:
                image_only.append(number)
        if image_only:
            self.out.issues.append(issues.issue(issues.IMAGE_ONLY_PAGE, f"第 {image_only} 页", path=self.ctx.path,
                                                pages=image_only))
        self._annotations(root)
        self._attachments(root)

    def _template_members(self, content: str, templates: dict[str | None, str]) -> list[str]:
        root = ooxml.read_xml(self.archive, content, self.ctx)
        if root is None:
            return []
        return [templates[t.get("TemplateID")] for t in root.iter() if _is(t, "Template")
                and t.get("TemplateID") in templates]

    def _page(self, member: str, number: int, part: Part) -> int:
        """Append the lines of one page content; returns how many images it draws."""
        root = ooxml.read_xml(self.archive, member, self.ctx)
        if root is None:
            self.out.issues.append(issues.issue(issues.PART_UNREADABLE, f"缺少 {member}", path=self.ctx.path))
            return 0
        height = _page_height(root) or self.default_height
        runs = [run for obj in root.iter() if _is(obj, "TextObject") for run in _runs(obj)]
        for line, (text, box) in enumerate(_lines(runs), 1):
            bbox = tuple(v * MM_TO_PT for v in box)
            self.out.segments.append(Segment(text=text, origin=ooxml.origin(
                self.ctx, part=part, page=number, line=line, bbox=bbox,
                page_height=height * MM_TO_PT if height else None)))
        return sum(1 for obj in root.iter() if _is(obj, "ImageObject"))

    def _annotations(self, root: etree._Element) -> None:
        for node in (n for n in root.iter() if _is(n, "Annotations") and n.text):
            index_member = self._resolve(node.text or "")
            index = ooxml.read_xml(self.archive, index_member, self.ctx)
            for page in (p for p in (index.iter() if index is not None else []) if _is(p, "Page")):
                for loc in (f for f in page if _is(f, "FileLoc")):
                    annots = ooxml.read_xml(self.archive, self._resolve(loc.text or "", posixpath.dirname(index_member)),
                                            self.ctx)
                    for annot in (a for a in (annots.iter() if annots is not None else []) if _is(a, "Annot")):
                        text = "".join(code.text or "" for code in annot.iter() if _is(code, "TextCode"))
                        text = "\n".join(t for t in (annot.get("Remark") or "", text) if t.strip())
                        if text:
                            self.out.segments.append(Segment(text=text, origin=ooxml.origin(
                                self.ctx, part=Part.ANNOTATION, name=annot.get("Type") or "注释")))

    def _attachments(self, root: etree._Element) -> None:
        for node in (n for n in root.iter() if _is(n, "Attachments") and n.text):
            index_member = self._resolve(node.text or "")
            index = ooxml.read_xml(self.archive, index_member, self.ctx)
            for attachment in (a for a in (index.iter() if index is not None else []) if _is(a, "Attachment")):
                for loc in (f for f in attachment if _is(f, "FileLoc")):
                    member = self._resolve(loc.text or "", posixpath.dirname(index_member))
                    data = read_named(self.archive, member, self.ctx)
                    if data is not None and self.ctx.recurse is not None:
                        child = self.ctx.recurse(data, attachment.get("Name") or member, self.ctx)
                        self.out.segments += child.segments
                        self.out.issues += child.issues


def _is(element: etree._Element, name: str) -> bool:
    return ooxml.local(element.tag) == name


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _is(child, name)]


def _numbers(value: str | None) -> list[float]:
    try:
        return [float(v) for v in (value or "").split()]
    except ValueError:
        return []


def _page_height(root: etree._Element) -> float | None:
    for box in root.iter():
        if _is(box, "PhysicalBox"):
            numbers = _numbers(box.text)
            return numbers[3] if len(numbers) == 4 else None
    return None


def _runs(obj: etree._Element) -> list[_Run]:
    boundary = _numbers(obj.get("Boundary"))
    if len(boundary) != 4:
        boundary = [0.0, 0.0, 0.0, 0.0]
    x0, y0, width, height = boundary
    runs = []
    for code in obj:
        if _is(code, "TextCode") and (code.text or "").strip():
            x, y = (_numbers(code.get("X")) or [0.0])[0], (_numbers(code.get("Y")) or [0.0])[0]
            runs.append(_Run(x0 + x, y0 + y, (x0, y0, x0 + width, y0 + height), code.text or ""))
    return runs


def _lines(runs: list[_Run]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Runs grouped by baseline (within ``_LINE_TOLERANCE`` mm), each line read left to right."""
    lines: list[list[_Run]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if lines and abs(lines[-1][0].y - run.y) <= _LINE_TOLERANCE:
            lines[-1].append(run)
        else:
            lines.append([run])
    result = []
    for line in lines:
        line.sort(key=lambda r: r.x)
        box = (min(r.box[0] for r in line), min(r.box[1] for r in line),
               max(r.box[2] for r in line), max(r.box[3] for r in line))
        result.append(("".join(r.text for r in line), box))
    return result


def _doc_info(info: etree._Element, ctx: ExtractContext) -> list[Segment]:
    found: list[tuple[str, str]] = []
    for child in info:
        name = ooxml.local(child.tag)
        if name in _INFO_FIELDS:
            found.append((name, child.text or ""))
        elif name == "Keywords":
            found += [("Keyword", k.text or "") for k in child]
        elif name == "CustomDatas":
            found += [(c.get("Name") or "CustomData", c.text or "") for c in child]
    return [Segment(text=value.strip(), origin=ooxml.origin(ctx, part=Part.METADATA, name=name))
            for name, value in found if value.strip()]
