"""Characters of a PDF page with position and visibility: the model both page readers fill.

A character is hidden when it is drawn invisible (render mode 3 or 7, or fully transparent) and not
over a picture (then it is a scan's OCR layer, read as visible text), too small to read, white on a page with nothing dark under it, or covered by an opaque box painted
*after* it (a fake redaction), or off the visible page. Paint order (z) tells a cover from cell shading painted *before* it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: render modes that paint nothing: 3 = invisible (OCR layers, hidden text), 7 = clip only
INVISIBLE_MODES = frozenset((3, 7))
#: glyphs shorter than this (points, ascent to descent) are unreadable in print
TINY_HEIGHT = 2.0
#: fill channel value from which a colour counts as white
WHITE = 242
#: an opaque box thinner than this is a rule, border or strike-through line, not a cover
MIN_COVER_SIDE = 3.0
#: a box darker than this (mean channel) makes white text on it readable
DARK = 160

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in top-down page coordinates


@dataclass(frozen=True)
class Char:
    text: str
    box: Box
    hidden: str | None = None  # why it cannot be seen: invisible, white, tiny, covered, off-page
    quadrant: int = 0  # writing direction turned by quadrant x 90 degrees counter-clockwise

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@dataclass
class Paint:
    """A filled path or an image: its paint order, box and, for paths, colour."""

    z: int
    box: Box
    opaque: bool
    mean: float  # mean of the fill colour channels, 0-255 (255 for images)
    image: bool = False


@dataclass
class Style:
    """What the drawing text object says about its characters."""

    z: int
    mode: int
    rgba: tuple[int, int, int, int]
    quadrant: int = 0


@dataclass
class PageContent:
    chars: list[Char] = field(default_factory=list)
    image_area: float = 0.0  # summed area of image objects, points squared
    filled_paths: int = 0  # text converted to outlines shows up as many filled paths and no characters
    covers: list[Paint] = field(default_factory=list)  # opaque filled boxes: candidates for fake redaction
    backgrounds: list[Paint] = field(default_factory=list)  # dark fills and images: white text on them is seen
    _drawn: list[tuple[str, Box, Style]] = field(default_factory=list)

    def add_fill(self, z: int, box: Box, rgb: tuple[int, int, int], opaque: bool) -> None:
        self.filled_paths += 1
        if min(box[2] - box[0], box[3] - box[1]) < MIN_COVER_SIDE:
            return
        paint = Paint(z, box, opaque, sum(rgb) / 3)
        if opaque:
            self.covers.append(paint)
        if paint.mean < DARK:
            self.backgrounds.append(paint)

    def add_image(self, z: int, box: Box) -> None:
        self.image_area += (box[2] - box[0]) * (box[3] - box[1])
        self.backgrounds.append(Paint(z, box, True, 255.0, image=True))

    def add_char(self, text: str, box: Box, style: Style) -> None:
        self._drawn.append((text, box, style))

    def off_page(self, width: float, height: float) -> PageContent:
        """Characters wholly outside the visible page are hidden too (text parked off the page)."""
        self.chars = [
            Char(c.text, c.box, "off-page", c.quadrant)
            if c.hidden is None and (c.box[2] < 0 or c.box[0] > width or c.box[3] < 0 or c.box[1] > height)
            else c
            for c in self.chars
        ]
        return self

    def finish(self) -> PageContent:
        """Classify every character once all paint (covers drawn later included) is known."""
        plain: dict[int, bool] = {}  # per style: nothing can hide its characters but size
        chars: list[Char] = []
        last_cover = max((p.z for p in self.covers), default=-1)
        for text, box, style in self._drawn:
            key = id(style)
            if key not in plain:
                plain[key] = _plain(style, last_cover)
            hidden = ("tiny" if box[3] - box[1] < TINY_HEIGHT else None) if plain[key] else why_hidden(style, box, self)
            chars.append(Char(text, box, hidden, style.quadrant))
        self.chars, self._drawn = chars, []
        return self


def _plain(style: Style, last_cover: int) -> bool:
    """Drawn visibly, not white, and no opaque box is painted after it: only its size can hide it."""
    return style.mode not in INVISIBLE_MODES and style.rgba[3] != 0 and min(style.rgba[:3]) < WHITE and (
        last_cover < style.z
    )


def quadrant(angle: float) -> int:
    """0-3: the writing direction (radians, counter-clockwise) rounded to a multiple of 90 degrees."""
    return round(math.degrees(angle) / 90) % 4 if math.isfinite(angle) else 0


def is_space(code: int) -> bool:
    """Whitespace and non-characters: spacing is rebuilt from positions instead."""
    return code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF)


def _contains(box: Box, x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def why_hidden(style: Style, box: Box, page: PageContent) -> str | None:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    if style.mode in INVISIBLE_MODES or style.rgba[3] == 0:
        # invisible text over a picture painted before it is a scan's OCR layer: the text the reader sees
        ocr = any(p.image and p.z < style.z and _contains(p.box, x, y) for p in page.backgrounds)
        return None if ocr else "invisible"
    if box[3] - box[1] < TINY_HEIGHT:
        return "tiny"
    if any(p.z > style.z and _contains(p.box, x, y) for p in page.covers):
        return "covered"
    r, g, b, _ = style.rgba
    if min(r, g, b) >= WHITE and not any(p.z < style.z and _contains(p.box, x, y) for p in page.backgrounds):
        return "white"
    return None


