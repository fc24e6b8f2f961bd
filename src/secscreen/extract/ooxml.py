"""What the OOXML formats share: a hardened XML parser and the document properties.

The parser resolves no entities, never touches the network and refuses huge trees, so an XML
bomb or an external entity in a package part cannot expand or leak. Properties come from
``docProps/core.xml``, ``app.xml`` and ``custom.xml``; each becomes a ``metadata`` segment named
after the property (a custom property 密级=机密 gives the segment "机密" named "密级").
"""

from __future__ import annotations

import posixpath
import zipfile
from functools import lru_cache

from lxml import etree

from ..errors import ExtractionError
from ..models import Document, ExtractionIssue, Origin, Part, Segment
from . import issues
from .base import ExtractContext
from .zipguard import read_member, read_named

CORE = "docProps/core.xml"
APP = "docProps/app.xml"
CUSTOM = "docProps/custom.xml"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_APP_FIELDS = ("Company", "Manager", "Template", "HyperlinkBase")
#: text (outside properties and the file name) below this many characters counts as "no text"
NEAR_EMPTY = 10


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)


def parse(data: bytes, name: str = "") -> etree._Element:
    """Parse one package part with the hardened parser."""
    try:
        return etree.fromstring(data, parser())
    except etree.XMLSyntaxError as error:
        raise ExtractionError(f"{name} XML 无法解析", code=issues.UNREADABLE) from error


def read_xml(archive: zipfile.ZipFile, name: str, ctx: ExtractContext) -> etree._Element | None:
    data = read_named(archive, name, ctx)
    return None if data is None else parse(data, name)


def local(tag: object) -> str:
    """The local name of an element tag (``{ns}t`` -> ``t``); comments and PIs give ''."""
    return _local(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=4096)
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def origin(ctx: ExtractContext, **fields: object) -> Origin:
    """An Origin that names the inner path when the document sits inside a container."""
    return Origin(path=ctx.path if ctx.depth else None, **fields)


def properties(archive: zipfile.ZipFile, ctx: ExtractContext) -> list[Segment]:
    """Core, app and custom properties as ``metadata`` segments, in that order."""
    found: list[tuple[str, str]] = []
    core = read_xml(archive, CORE, ctx)
    if core is not None:
        found += [(local(el.tag), el.text or "") for el in core]
    app = read_xml(archive, APP, ctx)
    if app is not None:
        found += [(local(el.tag), el.text or "") for el in app if local(el.tag) in _APP_FIELDS]
    custom = read_xml(archive, CUSTOM, ctx)
    if custom is not None:
        for prop in custom:
            value = "".join(t for el in prop for t in el.itertext())
            found.append((prop.get("name") or "custom", value))
    return [
        Segment(text=value.strip(), origin=origin(ctx, part=Part.METADATA, name=name))
        for name, value in found
        if value and value.strip()
    ]


def image_issue(archive: zipfile.ZipFile, media_prefix: str, segments: list[Segment],
                ctx: ExtractContext) -> ExtractionIssue | None:
    """``image-content`` when the package holds pictures and (nearly) no text.

    Pictures are everywhere in published notices (logos, photos, charts). Sending every illustrated
    document to review would drown reviewers, so pictures alone say nothing; but a document whose text
    is empty or nearly so is most likely a scan pasted into the file, and its words were not read.
    """
    pictures = [i.filename for i in archive.infolist() if i.filename.startswith(media_prefix)]
    text = sum(len("".join(s.text.split())) for s in segments)
    if pictures and text < NEAR_EMPTY:
        return issues.issue(issues.IMAGE_CONTENT, f"{len(pictures)} 张图片，文字 {text} 字", path=ctx.path)
    return None


def drawing_text(archive: zipfile.ZipFile, prefixes: tuple[str, ...], ctx: ExtractContext) -> list[Segment]:
    """Text of charts, SmartArt and drawing shapes (DrawingML ``a:t``, chart ``c:v``), one segment per part.

    These live in their own parts (``word/charts/``, ``xl/drawings/``, ``ppt/diagrams/``…) that the
    format libraries do not read; an Excel text box, for one, exists only here.
    """
    segments: list[Segment] = []
    for info in sorted(archive.infolist(), key=lambda i: i.filename):
        name = info.filename
        if name.endswith(".xml") and name.startswith(prefixes) and "/_rels/" not in name:
            root = parse(read_member(archive, info, ctx), name)
            pieces = [el.text or "" for el in root.iter() if local(el.tag) in ("t", "v")]
            text = "\n".join(piece for piece in pieces if piece.strip())
            if text:
                segments.append(Segment(text=text, origin=origin(ctx, part=Part.TEXTBOX, name=name)))
    return segments


def embedded(archive: zipfile.ZipFile, names: set[str], ctx: ExtractContext) -> tuple[list[Segment],
                                                                                      list[ExtractionIssue]]:
    """Embedded packages and objects screened as documents of their own (``a.docx!word/embeddings/b.xlsx``).

    An OLE object (``oleObject1.bin``: an equation, a Visio drawing) is not read and gives
    ``unsupported-format``: its content was not examined.
    """
    segments: list[Segment] = []
    found: list[ExtractionIssue] = []
    if ctx.recurse is None:
        return segments, found
    for name in sorted(names):
        try:
            info = archive.getinfo(name)
        except KeyError:
            continue
        child = ctx.recurse(read_member(archive, info, ctx), name, ctx)
        segments += child.segments
        found += child.issues
    return segments, found


def under(archive: zipfile.ZipFile, prefix: str) -> set[str]:
    return {i.filename for i in archive.infolist() if i.filename.startswith(prefix) and not i.is_dir()}


def custom_xml(archive: zipfile.ZipFile, ctx: ExtractContext) -> list[Segment]:
    """Text of ``customXml/item*.xml`` data parts, where labelling tools may record a classification.

    One ``metadata`` segment per element with text, named by the element, so a ``<密级>机密</密级>``
    reads like a property.
    """
    segments: list[Segment] = []
    for name in sorted(under(archive, "customXml/")):
        base = name.rsplit("/", 1)[-1]
        if not (base.startswith("item") and base.endswith(".xml")) or base.startswith("itemProps"):
            continue
        root = parse(read_member(archive, archive.getinfo(name), ctx), name)
        for element in root.iter():
            text = (element.text or "").strip()
            if text and isinstance(element.tag, str):
                segments.append(Segment(text=text, origin=origin(ctx, part=Part.METADATA, name=local(element.tag))))
    return segments


def owners(archive: zipfile.ZipFile, rels_dir: str, ctx: ExtractContext) -> dict[str, str]:
    """target member -> the part that points at it, for the parts whose ``.rels`` files are in ``rels_dir``.

    ``owners(archive, "xl/worksheets/_rels/", ctx)["xl/comments1.xml"] == "xl/worksheets/sheet1.xml"``.
    """
    found: dict[str, str] = {}
    for name in sorted(under(archive, rels_dir)):
        if not name.endswith(".rels"):
            continue
        source = posixpath.join(posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[: -len(".rels")])
        root = read_xml(archive, name, ctx)
        for rel in root.iter(f"{{{RELS}}}Relationship") if root is not None else []:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(posixpath.dirname(source), target))
            found[member] = source
    return found


def package_parts(archive: zipfile.ZipFile, ctx: ExtractContext, document: Document, *, root: str,
                  drawing_dirs: tuple[str, ...]) -> None:
    """What every XLSX/PPTX package holds besides its own content, added to ``document``: drawing,
    chart and SmartArt text, the pictures of a picture-only package (OCR, or a warning), properties,
    custom XML and embedded files."""
    from .image import picture_check

    document.segments += drawing_text(archive, tuple(f"{root}{d}/" for d in drawing_dirs), ctx)
    document.issues += picture_check(archive, f"{root}media/", ctx, document.segments)
    document.segments += properties(archive, ctx)
    document.segments += custom_xml(archive, ctx)
    segments, inner = embedded(archive, under(archive, f"{root}embeddings/"), ctx)
    document.segments += segments
    document.issues += inner
