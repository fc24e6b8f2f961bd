"""WordprocessingML stories -> segments: one segment per paragraph and text channel (a table row's
visible text is one segment, a line per paragraph of its cells).

A *story* is a part's element tree (body, a header, a footnote, a text box). Its paragraphs are
read in order, nested tables included; each paragraph's runs are joined before matching, and its
text is split into channels by where a reader would find it:

- the visible text (what Word shows with revisions accepted) -> the story's part (body, table, header…);
- tracked insertions (``w:ins``, ``w:moveTo``) -> also ``revision-inserted``, so the finding names them;
- tracked deletions (``w:del``/``w:delText``, ``w:moveFrom``) -> ``revision-deleted`` only;
- hidden runs (``w:vanish`` directly or through a character style), and runs a reader cannot see
  (white without highlight or shading, under 1.5 pt) -> ``hidden`` only;
- field instructions (``w:instrText``) -> ``attribute`` named 域代码.

Text boxes (``w:txbxContent``, VML and DrawingML; the ``mc:Fallback`` copy of a DrawingML shape is
skipped so a box is read once) and VML WordArt (``v:textpath``, the usual watermark) are separate
``textbox`` stories. Symbol-font characters (``w:sym``, or text in a Wingdings/Symbol run) keep their
private-use code point (U+F0xx), which ``normalize.fold`` maps to ★ where it is a star; the Wingdings
star (F0AB) is given as ★ directly, so it is not mistaken for an obfuscating private-use character.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from ..models import Part, Segment
from .base import ExtractContext
from .ooxml import local, origin

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_OFF = ("0", "false", "off")
_SYMBOL_FONTS = ("wingdings", "wingdings 2", "wingdings 3", "symbol", "webdings")
#: Wingdings draws U+F0AB as a black star: the star of 机密★10年 inserted with Insert > Symbol
_WINGDINGS_STAR = 0xF0AB
#: run sizes are in half-points; 3 is 1.5 pt, too small to read when printed or on screen
_TINY_HALF_POINTS = 3
_TIME_CHECK_PARAGRAPHS = 500
_SKIP_IN_RUN = frozenset(("rPr", "drawing", "pict", "object", "AlternateContent", "footnoteReference",
                          "endnoteReference", "commentReference", "fldChar", "lastRenderedPageBreak"))
#: ``Fallback`` is the older copy of an ``mc:AlternateContent`` choice: reading both would double the text
_SKIP_BLOCK = frozenset(("sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr", "pPr", "bookmarkStart",
                         "bookmarkEnd", "proofErr", "permStart", "permEnd", "Fallback"))
_SKIP_IN_PARAGRAPH = frozenset(("pPr", "bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart",
                                "commentRangeEnd", "permStart", "permEnd", "Fallback"))


@cache
def w(name: str) -> str:
    return f"{{{W}}}{name}"


def _on(element: etree._Element | None) -> bool:
    return element is not None and (element.get(w("val")) or "true").lower() not in _OFF


@dataclass
class Channels:
    visible: list[str] = field(default_factory=list)
    inserted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)


@dataclass
class StoryReader:
    """Reads stories of one document; ``hidden_styles`` are character styles that hide their runs."""

    ctx: ExtractContext
    hidden_styles: frozenset[str] = frozenset()

    def story(self, root: etree._Element, part: Part, name: str | None, start: int = 1) -> list[Segment]:
        """Segments of every paragraph under ``root``; paragraph numbers count from ``start``.

        The visible text of a table row is one segment, one line per paragraph of its cells (line
        ``k`` of it is paragraph ``line + k``), so a mark split across cells is one text in the compact
        view while a mark alone in its cell is still alone on its line. Other channels stay per paragraph.
        """
        segments: list[Segment] = []
        row: _Row | None = None
        for number, (paragraph, tr) in enumerate(blocks(root), start):
            if number % _TIME_CHECK_PARAGRAPHS == 0:
                self.ctx.check_time()
            where = Part.TABLE if tr is not None and part is Part.BODY else part
            found = self.paragraph(paragraph, where, name, number)
            if row is not None and row.element is not tr:
                segments += row.segments(self.ctx, name)
                row = None
            if tr is None:
                segments += found
                continue
            if row is None:
                row = _Row(tr, where, number)
            row.add(found)
        if row is not None:
            segments += row.segments(self.ctx, name)
        return segments

    def paragraph(self, paragraph: etree._Element, part: Part, name: str | None, number: int) -> list[Segment]:
        channels = Channels()
        self._walk(paragraph, channels, inserted=False, deleted=False)
        found: list[Segment] = []
        for where, pieces in (
            (part, channels.visible),
            (Part.REVISION_INSERTED, channels.inserted),
            (Part.REVISION_DELETED, channels.deleted),
            (Part.HIDDEN, channels.hidden),
            (Part.ATTRIBUTE, channels.instructions),
        ):
            text = "".join(pieces)
            if text.strip():
                label = "域代码" if where is Part.ATTRIBUTE else name
                found.append(Segment(text=text, origin=origin(self.ctx, part=where, name=label, line=number,
                                                              paragraph=number)))
        return found

    def _walk(self, element: etree._Element, out: Channels, *, inserted: bool, deleted: bool) -> None:
        for child in element:
            kind = local(child.tag)
            if kind == "r":
                self._run(child, out, inserted=inserted, deleted=deleted)
            elif kind in ("del", "moveFrom"):
                self._walk(child, out, inserted=inserted, deleted=True)
            elif kind in ("ins", "moveTo"):
                self._walk(child, out, inserted=True, deleted=deleted)
            elif kind == "fldSimple":
                out.instructions.append(child.get(w("instr")) or "")
                self._walk(child, out, inserted=inserted, deleted=deleted)
            elif kind and kind not in _SKIP_IN_PARAGRAPH:
                self._walk(child, out, inserted=inserted, deleted=deleted)  # hyperlink, fldSimple, sdt, smartTag…

    def _run(self, run: etree._Element, out: Channels, *, inserted: bool, deleted: bool) -> None:
        properties = run.find(w("rPr"))
        hidden, symbol_font = False, ""
        if properties is not None:
            style = properties.find(w("rStyle"))
            hidden = _on(properties.find(w("vanish"))) or _invisible(properties) or (
                style is not None and style.get(w("val")) in self.hidden_styles
            )
            fonts = properties.find(w("rFonts"))
            if fonts is not None:
                font = fonts.get(w("ascii")) or fonts.get(w("hAnsi")) or ""
                symbol_font = font if font.lower() in _SYMBOL_FONTS else ""
        text = "".join(self._run_text(run, symbol_font, out))
        if not text:
            return
        if deleted:
            out.deleted.append(text)
        elif hidden:
            out.hidden.append(text)
        else:
            out.visible.append(text)
            if inserted:
                out.inserted.append(text)

    def _run_text(self, run: etree._Element, symbol_font: str, out: Channels) -> Iterator[str]:
        for child in run:
            kind = local(child.tag)
            if kind in ("t", "delText"):
                text = child.text or ""
                yield _to_symbol_plane(text, symbol_font) if symbol_font else text
            elif kind == "sym":
                yield symbol_char(child.get(w("char")) or "", child.get(w("font")) or "")
            elif kind == "tab" or kind == "ptab":
                yield "\t"
            elif kind in ("br", "cr"):
                yield "\n"
            elif kind == "noBreakHyphen":
                yield "-"
            elif kind in ("instrText", "delInstrText"):
                out.instructions.append(child.text or "")


@dataclass
class _Row:
    """The paragraphs of one table row being gathered into one visible segment."""

    element: etree._Element
    part: Part
    first: int
    lines: list[str] = field(default_factory=list)
    others: list[Segment] = field(default_factory=list)

    def add(self, found: list[Segment]) -> None:
        visible = [s.text for s in found if s.origin.part is self.part]
        self.lines.append(visible[0] if visible else "")
        self.others += [s for s in found if s.origin.part is not self.part]

    def segments(self, ctx: ExtractContext, name: str | None) -> list[Segment]:
        filled = [k for k, line in enumerate(self.lines) if line.strip()]
        if not filled:
            return self.others
        number = self.first + filled[0]
        text = "\n".join(self.lines[filled[0] : filled[-1] + 1])
        row = Segment(text=text, origin=origin(ctx, part=self.part, name=name, line=number, paragraph=number))
        return [row, *self.others]


def _invisible(properties: etree._Element) -> bool:
    """White text without a highlight or shading behind it, or text under 1.5 pt: there, but not seen."""
    size = properties.find(w("sz"))
    if size is not None and (size.get(w("val")) or "").isdigit() and int(size.get(w("val")) or "0") <= _TINY_HALF_POINTS:
        return True
    color = properties.find(w("color"))
    if color is None or (color.get(w("val")) or "").upper() not in ("FFFFFF", "WHITE"):
        return False
    return properties.find(w("highlight")) is None and properties.find(w("shd")) is None


def symbol_char(code: str, font: str = "") -> str:
    """The character of a ``w:sym``: symbol fonts live at U+F000-U+F0FF; the Wingdings star becomes ★."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    if value < 0x100:
        value += 0xF000
    if value == _WINGDINGS_STAR and font.lower() == "wingdings":
        return "★"
    return chr(value) if 0 < value < 0x110000 else ""


def _to_symbol_plane(text: str, font: str) -> str:
    return "".join(symbol_char(f"{ord(c):x}", font) if 0x20 < ord(c) < 0x100 else c for c in text)


def blocks(root: etree._Element, row: etree._Element | None = None) -> Iterator[tuple[etree._Element, etree._Element | None]]:
    """Paragraphs under ``root`` in document order, each with the table row (``w:tr``) it sits in, if any;
    never enters a paragraph. A nested table's paragraphs belong to the inner row."""
    for child in root:
        kind = local(child.tag)
        if kind == "p":
            yield child, row
        elif kind == "tr":
            yield from blocks(child, child)
        elif kind and kind not in _SKIP_BLOCK:
            yield from blocks(child, row)


def text_boxes(root: etree._Element) -> list[etree._Element]:
    """Every ``w:txbxContent`` under ``root`` once: the DrawingML choice, not its VML fallback."""
    fallback = f"{{{MC}}}Fallback"
    return [box for box in root.iter(w("txbxContent"))
            if not any(a.tag == fallback for a in box.iterancestors())]


def word_art(root: etree._Element) -> list[str]:
    """Text drawn by VML WordArt (``v:textpath/@string``), the usual way a watermark is inserted."""
    return [el.get("string") or "" for el in root.iter("{urn:schemas-microsoft-com:vml}textpath")
            if not any(a.tag == f"{{{MC}}}Fallback" for a in el.iterancestors())]


def hidden_styles(styles: etree._Element | None) -> frozenset[str]:
    """Ids of character styles whose run properties (or whose base style's) say ``w:vanish``."""
    if styles is None:
        return frozenset()
    based: dict[str, str] = {}
    hidden: set[str] = set()
    for style in styles.iter(w("style")):
        style_id = style.get(w("styleId")) or ""
        base = style.find(w("basedOn"))
        if base is not None:
            based[style_id] = base.get(w("val")) or ""
        properties = style.find(w("rPr"))
        if properties is not None and _on(properties.find(w("vanish"))):
            hidden.add(style_id)
    changed = True
    while changed:
        changed = False
        for style_id, base_id in based.items():
            if base_id in hidden and style_id not in hidden:
                hidden.add(style_id)
                changed = True
    return frozenset(hidden)
