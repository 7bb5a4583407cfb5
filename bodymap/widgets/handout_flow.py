"""The handout's text setting: fonts at a scale, wrapping, and blocks in a vertical flow.

Everything is measured with QFontMetricsF in the page's "dots" (1/300 inch) and drawn as
plain text (never rich text), so a patient's name is printed exactly as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPainter

from bodymap.widgets import map_style as ms
from bodymap.widgets.a4_pdf import PDF_DPI

__all__ = [
    "FONT_FAMILY",
    "PDF_DPI",
    "Block",
    "Box",
    "Custom",
    "Para",
    "Space",
    "Type",
    "draw_flow",
    "elide",
    "family",
    "flow_height",
    "heading",
    "split_flow",
    "wrap",
]

FONT_FAMILY = "DejaVu Sans"  # has Cyrillic; any default font is the fallback
INK = QColor(ms.TEXT)


def family() -> str:
    return FONT_FAMILY if FONT_FAMILY in QFontDatabase.families() else QFont().family()


@dataclass
class Type:
    """The page's fonts at one scale (sizes in points, set as 300 dpi pixels)."""

    scale: float
    fonts: dict[str, QFont] = field(default_factory=dict)

    SIZES: ClassVar[dict[str, tuple[float, bool]]] = {  # name: (points, bold)
        "title": (20, True),
        "subtitle": (11.5, False),
        "patient": (11.5, True),
        "note": (11, True),
        "heading": (12.5, True),
        "body": (10, False),
        "bold": (10, True),
        "small": (8, False),
        "tiny": (7, False),
        "map": (8.5, False),
        "banner": (13, True),
    }

    def __post_init__(self) -> None:
        name_of_family = family()
        for name, (pt, bold) in self.SIZES.items():
            f = QFont(name_of_family)
            f.setPixelSize(max(8, round(pt * PDF_DPI / 72 * self.scale)))
            f.setBold(bold)
            f.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
            for tag in ("liga", "clig"):  # "fi" stays two letters when copied from the PDF
                f.setFeature(QFont.Tag(tag), 0)
            self.fonts[name] = f

    def font(self, name: str) -> QFont:
        return self.fonts[name]

    def dots(self, value: float) -> float:
        return value * self.scale


def wrap(text: str, font: QFont, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (words first, then characters)."""
    fm = QFontMetricsF(font)
    width = max(1.0, width)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if fm.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while fm.horizontalAdvance(word) > width and len(word) > 1:  # one over-long word
                cut = len(word) - 1
                while cut > 1 and fm.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def elide(text: str, font: QFont, width: float) -> str:
    """``text`` shortened to ``width`` with a trailing "…" (always ends with "…")."""
    fm = QFontMetricsF(font)
    base = text.rstrip(" .,;:…")
    while base and fm.horizontalAdvance(base + "…") > width:
        base = base[:-1]
    return base.rstrip(" .,;:") + "…"


class Block:
    """Something in a vertical flow: measured for a width, then drawn at (x, y)."""

    splittable = False

    def height(self, width: float) -> float:
        raise NotImplementedError

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        raise NotImplementedError


class Para(Block):
    splittable = True
    #: a heading (:func:`heading`): never left alone at the bottom of a column
    isheading = False

    def __init__(
        self,
        text: str,
        font: QFont,
        colour: QColor = INK,
        *,
        indent: float = 0.0,
        bullet: str = "",
        before: float = 0.0,
        max_lines: int | None = None,
        align_right: bool = False,
        keep_with_next: bool = False,
    ) -> None:
        self.text, self.font, self.colour = text, font, colour
        self.indent, self.bullet, self.before = indent, bullet, before
        self.max_lines, self.align_right = max_lines, align_right
        self.keep_with_next = keep_with_next
        self._lines: list[str] | None = None
        self._width = -1.0
        #: a part of a paragraph split across pages: exactly these lines
        self.fixed: list[str] | None = None

    def split(self, width: float, room: float) -> tuple[Para | None, Para]:
        """The lines that fit in ``room`` and the rest, as two paragraphs (None: not even
        one line fits). No line is shortened: the rest goes on the next page."""
        lines = self.lines(width)
        keep = int((room - self.before) // self.line_height)
        # no line left alone at the foot of a page or at the top of the next (a paragraph of
        # three lines or fewer moves on whole)
        keep = min(keep, len(lines) - 2)
        if keep < 2:
            return None, self
        head, tail = self._part(lines[:keep]), self._part(lines[keep:])
        head.before = self.before
        tail.bullet = ""  # the bullet stays with the first line
        return head, tail

    def _part(self, lines: list[str]) -> Para:
        part = Para(self.text, self.font, self.colour, indent=self.indent, bullet=self.bullet,
                    align_right=self.align_right)
        part.fixed = lines
        return part

    @property
    def line_height(self) -> float:
        return QFontMetricsF(self.font).lineSpacing()

    def lines(self, width: float) -> list[str]:
        if self.fixed is not None:
            return self.fixed
        if self._lines is None or self._width != width:
            lines = wrap(self.text, self.font, width - self.indent)
            if self.max_lines and len(lines) > self.max_lines:
                lines = lines[: self.max_lines]
                lines[-1] = elide(lines[-1] + " …", self.font, width - self.indent)
            self._lines, self._width = lines, width
        lines = self._lines
        return lines

    def height(self, width: float) -> float:
        return self.before + len(self.lines(width)) * self.line_height

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        fm = QFontMetricsF(self.font)
        painter.setFont(self.font)
        painter.setPen(self.colour)
        y += self.before
        if self.bullet:
            painter.drawText(QPointF(x, y + fm.ascent()), self.bullet)
        for line in self.lines(width):
            lx = x + self.indent
            if self.align_right:
                lx = x + width - fm.horizontalAdvance(line)
            painter.drawText(QPointF(lx, y + fm.ascent()), line)
            y += fm.lineSpacing()


class Space(Block):
    def __init__(self, dots: float) -> None:
        self.dots = dots

    def height(self, width: float) -> float:
        return self.dots

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        pass


class Custom(Block):
    def __init__(
        self,
        height: Callable[[float], float],
        draw: Callable[[QPainter, float, float, float], None],
    ) -> None:
        self._height, self._draw = height, draw

    def height(self, width: float) -> float:
        return self._height(width)

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        self._draw(painter, x, y, width)


class Box(Block):
    """A flow inside a tinted box with a coloured bar on the left (the note, the stop sign)."""

    def __init__(self, blocks: list[Block], fill: QColor, bar: QColor, pad: float) -> None:
        self.blocks, self.fill, self.bar, self.pad = blocks, fill, bar, pad

    def inner(self, width: float) -> float:
        return width - 2 * self.pad - self.pad * 0.6

    def height(self, width: float) -> float:
        return flow_height(self.blocks, self.inner(width)) + 2 * self.pad

    def draw(self, painter: QPainter, x: float, y: float, width: float) -> None:
        h = self.height(width)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.fill)
        painter.drawRoundedRect(QRectF(x, y, width, h), self.pad * 0.6, self.pad * 0.6)
        painter.setBrush(self.bar)
        painter.drawRect(QRectF(x, y, self.pad * 0.6, h))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        draw_flow(painter, self.blocks, x + self.pad * 1.6, y + self.pad, self.inner(width))


def flow_height(blocks: Sequence[Block], width: float) -> float:
    return sum(b.height(width) for b in blocks)


def draw_flow(painter: QPainter, blocks: Sequence[Block], x: float, y: float, w: float) -> float:
    for b in blocks:
        b.draw(painter, x, y, w)
        y += b.height(w)
    return y


def split_flow(blocks: Sequence[Block], width: float, room: float
               ) -> tuple[list[Block], list[Block]]:
    """The blocks that fit in ``room``, and the rest for the next page: nothing is dropped or
    shortened. A paragraph (also inside a box) splits between lines; a heading never ends a
    page (it moves on with what follows it); other blocks move on whole."""
    head: list[Block] = []
    used = 0.0
    for i, b in enumerate(blocks):
        h = b.height(width)
        if used + h <= room:
            head.append(b)
            used += h
            continue
        rest = list(blocks[i + 1:])
        first: Block | None = None
        if isinstance(b, Para) and not getattr(b, "isheading", False):
            first, tail = b.split(width, room - used)
            rest.insert(0, tail)
        elif isinstance(b, Box):
            inner, after = split_flow(b.blocks, b.inner(width), room - used - 2 * b.pad)
            if _has_text(inner):
                first = Box(inner, b.fill, b.bar, b.pad)
                after = _without_leading_space(after)
                rest.insert(0, Box(after, b.fill, b.bar, b.pad) if after else Space(0))
            else:
                rest.insert(0, b)
        else:
            rest.insert(0, b)
        if first is not None:
            head.append(first)
        # a heading (and the space before it) never ends a page, nor a line that belongs with
        # the next (a step's name with its description)
        while head and (isinstance(head[-1], Space) or _stays_with_next(head[-1])):
            rest.insert(0, head.pop())
        return head, _without_leading_space(rest)
    return head, []


def _stays_with_next(block: Block) -> bool:
    return bool(getattr(block, "isheading", False) or getattr(block, "keep_with_next", False))


def _has_text(blocks: Sequence[Block]) -> bool:
    return any(not isinstance(b, Space) and not getattr(b, "isheading", False) for b in blocks)


def _without_leading_space(blocks: list[Block]) -> list[Block]:
    while blocks and isinstance(blocks[0], Space):
        blocks = blocks[1:]
    return blocks


def heading(text: str, t: Type, before: float = 0.0) -> Para:
    p = Para(text, t.font("heading"), INK, before=before)
    p.isheading = True
    return p
