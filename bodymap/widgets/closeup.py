"""The technique close-up: one patch of back with its spine, the hand moving with its contact,
pressure and tempo (:class:`MotionPatch`), and beside it the seed's description with its
citation (:class:`TechniqueCloseUp`).

Reusable API (the technique library, the player's "Show me", the study drills)::

    view = TechniqueCloseUp(library, show_caption=False)   # the animation alone: no name
    view.set_technique("kneading", "deep-kneading")         # or view.set_step(plan_step)
    view.set_show_caption(True)                             # name, cues, text and sources

The animation is one ``QVariantAnimation`` named ``techniqueCloseUpAnimation``; it runs only
while the patch is visible and playing (``hideEvent`` stops it). Its durations come from the
motion (``Demo.seconds``) times :attr:`MotionPatch.MS_PER_SECOND`, a class constant tests
shorten.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractAnimation,
    QEvent,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QVariantAnimation,
)
from PySide6.QtGui import (
    QColor,
    QHideEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap import i18n
from bodymap.i18n import pick, tr
from bodymap.motion_demo import Demo, demo, demo_for_step
from bodymap.widgets import map_style as S  # noqa: N812
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.accessible import name as a11y_name
from bodymap.widgets.closeup_paint import (
    PatchPens,
    Runs,
    paint_faint,
    paint_guide,
    paint_hand_at,
    paint_skin,
    paint_track,
    patch_transform,
    pressure_marks,
)
from bodymap.widgets.panels.common import _text

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.plan_types import Step

__all__ = ["MotionPatch", "TechniqueCloseUp", "cue_rows", "technique_html"]


class MotionPatch(QWidget):
    """The animated patch: the skin, the spine (never touched), the guide, the whole pass
    faint, the trail behind the hand by its pressure, and the hand's glyph; under it the
    pressure's bars, the tempo and a beat light that flashes with each cycle of the motion."""

    #: milliseconds of animation per second of the motion's own time (tests shorten it)
    MS_PER_SECOND = 1000
    #: slow motion plays at this share of the speed
    SLOW = 0.25
    #: the trail behind the hand: this many cycles of the motif (a glide: a share of the pass)
    TRAIL_CYCLES = 1.6
    TRAIL_GLIDE = 0.35
    #: the strip under the patch (pressure, tempo, beat), in pixels
    STRIP_PX = 36

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("motionPatch")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(220, 250)
        self._demo: Demo | None = None
        self._runs: Runs | None = None
        self._static: QPixmap | None = None
        self._static_key: tuple[object, ...] = ()
        self._pens: PatchPens | None = None
        self._phase = 0.0
        self._frames = 0
        self._want = True
        self._slow = False
        self._hand = QRectF()
        self._anim = QVariantAnimation(self)
        self._anim.setObjectName("techniqueCloseUpAnimation")
        self._anim.setStartValue(0.0)
        self._anim.setEndValue(1.0)
        self._anim.setLoopCount(-1)
        self._anim.valueChanged.connect(self._on_value)

    # -------------------------------------------------------------------------- public API
    def set_demo(self, value: Demo | None) -> None:
        """Show ``value`` (None: an empty patch) from the start of its pass."""
        self._demo = value
        self._runs = Runs(value) if value is not None else None
        self._static = None
        self._phase = 0.0
        self._anim.stop()
        self._sync()
        self.update()

    def demo(self) -> Demo | None:
        return self._demo

    def set_playing(self, playing: bool) -> None:
        self._want = bool(playing)
        self._sync()

    def is_playing(self) -> bool:
        return self._anim.state() == QAbstractAnimation.State.Running

    def set_slow(self, slow: bool) -> None:
        """Slow motion (a quarter of the speed), keeping the hand where it is."""
        if slow != self._slow:
            self._slow = slow
            if self.is_playing():
                self._anim.stop()
                self._sync()

    def loop_ms(self) -> int:
        """One pass of the hand, in milliseconds, at the current speed."""
        if self._demo is None:
            return 0
        ms = self._demo.seconds * self.MS_PER_SECOND / (self.SLOW if self._slow else 1.0)
        return max(1, round(ms))

    def set_phase(self, t: float) -> None:
        """Put the hand ``t`` (0..1) through its pass, running or not."""
        t = float(t) % 1.0
        if self.is_playing():
            self._anim.setCurrentTime(int(t * self._anim.duration()))
        else:
            self._phase = t
            self.update()

    def phase(self) -> float:
        return self._phase

    def frame_count(self) -> int:
        return self._frames

    def hand_rect(self) -> QRectF:
        """Where the hand's glyph was last drawn (widget pixels)."""
        return QRectF(self._hand)

    def head_point(self) -> QPointF:
        """The point of the skin the hand is at now (widget pixels)."""
        if self._demo is None:
            return QPointF()
        x, y = self._demo.track.points[self._demo.head(self._phase)]
        return patch_transform(self._patch_rect()).map(QPointF(float(x), float(y)))

    def sizeHint(self) -> QSize:
        return QSize(420, 450)

    # ------------------------------------------------------------------------- Qt events
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._sync()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._anim.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._static = None

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kinds = (QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.LanguageChange,
                 QEvent.Type.DevicePixelRatioChange)
        if event.type() in kinds:
            self.refresh()

    def refresh(self) -> None:
        """Draw the static layer again (the words under the patch, the palette)."""
        self._static = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.drawPixmap(0, 0, self._ensure_static())
        d = self._demo
        if d is not None and self._runs is not None and self._pens is not None:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.setTransform(patch_transform(self._patch_rect()))
            head = d.head(self._phase)
            tail = d.track.at(max(0.0, self._phase - self._trail_window()))
            paint_track(p, self._runs, self._pens, tail, head)
            self._hand = paint_hand_at(p, d, head, self._glyph_px())
            p.resetTransform()
            self._paint_beat(p)
        p.end()
        self._frames += 1

    # ------------------------------------------------------------------------- internals
    def _sync(self) -> None:
        run = self._want and self.isVisible() and self._demo is not None
        if run and not self.is_playing():
            self._anim.setDuration(self.loop_ms())
            self._anim.start()
            self._anim.setCurrentTime(int(self._phase * self._anim.duration()))
        elif not run and self.is_playing():
            self._anim.stop()

    def _on_value(self, value: float) -> None:  # the animation's phase, 0..1
        self._phase = float(value)
        self.update()

    def _trail_window(self) -> float:
        d = self._demo
        if d is None:
            return 0.0
        if d.motion == "glide":
            return self.TRAIL_GLIDE
        return min(0.5, self.TRAIL_CYCLES / max(1, d.beats()))

    def _patch_rect(self) -> QRectF:
        side = max(10.0, min(self.width() - 8.0, self.height() - self.STRIP_PX - 8.0))
        return QRectF((self.width() - side) / 2.0, 4.0, side, side)

    def _glyph_px(self) -> float:
        return max(40.0, self._patch_rect().width() * 0.17)

    def _ensure_static(self) -> QPixmap:
        dpr = self.devicePixelRatioF()
        key = (self.width(), self.height(), dpr, None if self._demo is None else self._demo.key())
        if self._static is not None and key == self._static_key:
            return self._static
        pixmap = QPixmap(round(self.width() * dpr), round(self.height() * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(self.palette().color(self.backgroundRole()))
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self._patch_rect()
        t = patch_transform(rect)
        px = t.m11()
        p.setTransform(t)
        paint_skin(p, px)
        d = self._demo
        if d is not None and self._runs is not None:
            self._pens = PatchPens(d, px, dpr)
            paint_guide(p, d, self._pens.colour, px)
            paint_faint(p, self._runs, self._pens)
            p.resetTransform()
            self._paint_strip(p)
        p.end()
        self._static, self._static_key = pixmap, key
        return pixmap

    def _strip_rect(self) -> QRectF:
        rect = self._patch_rect()
        return QRectF(rect.left(), rect.bottom() + 4, rect.width(), self.STRIP_PX - 6)

    def _paint_strip(self, p: QPainter) -> None:
        d = self._demo
        assert d is not None and self._pens is not None
        strip = self._strip_rect()
        text = self.palette().color(self.foregroundRole())
        h = strip.height()
        pressure_marks(p, QRectF(strip.left(), strip.top() + 2, h * 1.1, h - 4), d.pressure,
                       text)
        p.setPen(text)
        words = (f"{tr('motion.cue.pressure')} {tr(f'motion.pressure.{d.pressure}')} · "
                 f"{tr('motion.cue.tempo')} {tr(f'map.tempo.{d.tempo}')}")
        box = QRectF(strip.left() + h * 1.4, strip.top(), strip.width() - h * 2.6, h)
        flags = int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
                    | Qt.TextFlag.TextWordWrap)
        font = p.font()
        while (p.boundingRect(box, flags, words).height() > box.height()
               and font.pointSizeF() > 6.5):  # two lines, smaller, where it is narrow
            font.setPointSizeF(font.pointSizeF() * 0.9)
            p.setFont(font)
        p.drawText(box, flags, words)

    def _paint_beat(self, p: QPainter) -> None:
        """A light at the strip's right end, lit at the start of each cycle of the motif."""
        d = self._demo
        if d is None:
            return
        strip = self._strip_rect()
        r = strip.height() * 0.32
        centre = QPointF(strip.right() - r - 2, strip.center().y())
        frac = (self._phase * max(1, d.beats())) % 1.0
        colour = QColor(S.TEMPO_COLOURS.get(d.tempo, S.TEMPO_COLOURS["moderate"]))
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(colour)
        p.setBrush(colour if frac < 0.25 else Qt.BrushStyle.NoBrush)
        p.drawEllipse(centre, r, r)


def cue_rows(d: Demo) -> list[tuple[str, str]]:
    """The four cues of a demo as (label, words) rows, in the current language."""
    return [
        (tr("motion.cue.contact"), tr(f"motion.contact.{d.contact}")),
        (tr("motion.cue.path"), tr(f"motion.path.{d.motion}")),
        (tr("motion.cue.pressure"), tr(f"motion.pressure.{d.pressure}")),
        (tr("motion.cue.tempo"), tr(f"map.tempo.{d.tempo}")),
    ]


def technique_html(library: Library, d: Demo, *, compact: bool = False) -> str:
    """The seed's description of the demo's technique (in our words) with its citations."""
    esc = html.escape
    tech = library.techniques[d.technique]
    v = tech.variant(d.variant)
    parts = []
    if v is not None:
        parts.append(f"<p><i>{esc(tr('closeup.variant_of', name=pick(_text(tech.name))))}"
                     f"</i><br>{esc(pick(_text(v.does)))}</p>")
    rows = "".join(f"<tr><td><b>{esc(a)}</b>&nbsp;</td><td>{esc(b)}</td></tr>"
                   for a, b in cue_rows(d))
    parts.append(f"<table>{rows}</table>")
    if not compact:
        parts.append(f"<h4>{esc(tr('closeup.what'))}</h4><p>{esc(pick(_text(tech.does)))}</p>")
        parts.append(f"<h4>{esc(tr('closeup.how'))}</h4><p>{esc(pick(_text(tech.how)))}</p>")
    if d.rhythmic:
        parts.append(f"<p><i>{esc(tr('motion.rhythm_note'))}</i></p>")
    if d.motion == "press":
        parts.append(f"<p><i>{esc(tr('motion.squeeze_note'))}</i></p>")
    sources = (v or tech).sources
    lang = i18n.language()
    parts.append(f"<p><small>{esc(tr('closeup.source'))} "
                 f"{esc('; '.join(s.cite(lang) for s in sources))}</small></p>")
    return "".join(parts)


class TechniqueCloseUp(RetranslatesOnLanguageChange, QWidget):
    """A technique's close-up: the animated patch, play and slow-motion buttons, and (with
    ``show_caption``) its name, its four cues, the seed's description and the sources.
    ``compact``: the caption goes under the patch, cues and sources only (the compare view).
    Without the caption nothing names the technique, not even the accessible name."""

    def __init__(self, library: Library, parent: QWidget | None = None, *,
                 show_caption: bool = True, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("techniqueCloseUp")
        self.library = library
        self._compact = compact
        self._caption = show_caption
        self._current: tuple[str, str | None] | None = None
        self._row: QHBoxLayout | None = None
        self._side: QVBoxLayout | None = None
        self.patch = MotionPatch(self)
        self.title = QLabel(self)
        self.title.setObjectName("closeUpTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QTextBrowser(self)
        self.text.setObjectName("closeUpText")
        self.text.setOpenLinks(False)
        self.play = QToolButton(self)
        self.play.setObjectName("closeUpPlay")
        self.play.setCheckable(True)
        self.play.setChecked(True)
        self.play.toggled.connect(self._on_play)
        self.slow = QToolButton(self)
        self.slow.setObjectName("closeUpSlow")
        self.slow.setCheckable(True)
        self.slow.toggled.connect(self.patch.set_slow)
        self._build()
        self.set_show_caption(show_caption)
        self.retranslate()

    def _build(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.play)
        controls.addWidget(self.slow)
        controls.addStretch(1)
        left = QVBoxLayout()
        if self._compact:
            left.addWidget(self.title)
        left.addWidget(self.patch, 1)
        left.addLayout(controls)
        if self._compact:
            self.text.setMaximumHeight(170)
            left.addWidget(self.text)
            QHBoxLayout(self).addLayout(left)
            return
        right = self._side = QVBoxLayout()
        right.addWidget(self.title)
        right.addWidget(self.text, 1)
        row = self._row = QHBoxLayout(self)
        row.addLayout(left, 3)
        row.addLayout(right, 2)

    # -------------------------------------------------------------------------- public API
    def set_technique(self, technique: str, variant: str | None = None, *,
                      direction: str | None = None, intensity: int = 3,
                      role: str | None = None) -> None:
        """Show ``technique`` (``variant``) moving ``direction`` at ``intensity``."""
        self._current = (technique, variant)
        self.patch.set_demo(demo(self.library, technique, variant, direction=direction,
                                 intensity=intensity, role=role))
        self._show_text()

    def set_step(self, step: Step) -> None:
        """Show a plan step's technique as the step does it (direction, intensity, role)."""
        self._current = (step.technique, step.variant)
        self.patch.set_demo(demo_for_step(self.library, step))
        self._show_text()

    def set_library(self, library: Library) -> None:
        self.library = library
        d = self.patch.demo()
        if d is not None and d.technique in library.techniques:
            self.set_technique(d.technique, d.variant, direction=d.direction)
        else:
            self._current = None
            self.patch.set_demo(None)
            self._show_text()

    def current(self) -> tuple[str, str | None] | None:
        """(technique, variant) shown, or None."""
        return self._current

    def demo(self) -> Demo | None:
        return self.patch.demo()

    def set_show_caption(self, shown: bool) -> None:
        """Show or hide everything that names the technique (a drill hides it)."""
        self._caption = bool(shown)
        self.title.setVisible(self._caption)
        self.text.setVisible(self._caption)
        if self._row is not None and self._side is not None:  # no caption: the patch's room
            self._row.setStretchFactor(self._side, 2 if self._caption else 0)
        self._show_text()

    def show_caption(self) -> bool:
        return self._caption

    def set_playing(self, playing: bool) -> None:
        self.play.setChecked(playing)

    def retranslate(self) -> None:
        self.play.setToolTip(tr("closeup.play_tip"))
        self.slow.setText(tr("closeup.slow"))
        self.slow.setToolTip(tr("closeup.slow_tip"))
        a11y_name(self.slow, tr("closeup.slow"))
        self._on_play(self.play.isChecked())
        self.patch.refresh()
        self._show_text()

    # ------------------------------------------------------------------------- internals
    def _on_play(self, playing: bool) -> None:
        self.play.setText(tr("player.pause") if playing else tr("player.play"))
        a11y_name(self.play, self.play.text())
        self.patch.set_playing(playing)

    def _name(self) -> str:
        d = self.patch.demo()
        if d is None:
            return ""
        tech = self.library.techniques[d.technique]
        v = tech.variant(d.variant)
        return pick(_text(v.name if v is not None else tech.name))

    def _show_text(self) -> None:
        d = self.patch.demo()
        if d is None or not self._caption:
            self.title.clear()
            self.text.clear()
            a11y_name(self.patch, tr("closeup.a11y_anonymous"))
            a11y_name(self.text, tr("closeup.a11y_anonymous"))
            return
        name = self._name()
        self.title.setText(name)
        self.text.setHtml(technique_html(self.library, d, compact=self._compact))
        a11y_name(self.patch, tr("closeup.a11y", name=name))
        a11y_name(self.text, tr("closeup.a11y", name=name))
