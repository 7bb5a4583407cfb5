"""The body map's colours. Screen and handout both paint with them, through the same layers
(:mod:`bodymap.widgets.map`); sizes and pen widths live with the layer that draws them.

Calm, distinct colours for the four zones (a darker tone for the patient's left half, a
lighter one for the right), a warm gold glow for a plan's emphasis, washed-out greys for the
rest, red reserved for no-touch areas, and one colour per stroke tempo.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

#: zone -> (left half, right half): blue, mint, sand, lavender
ZONE_COLOURS: dict[str, tuple[str, str]] = {
    "collar": ("#93bce4", "#b3d1ee"),
    "interscapular": ("#8fd3ba", "#b2e2cf"),
    "thoracic": ("#ecd08f", "#f4e1b0"),
    "lumbosacral": ("#c3aee2", "#d6c8ec"),
}
BACKGROUND = "#fbfaf7"
SKIN = "#f4e7de"
SKIN_EDGE = "#8c6b5c"
HEAD = "#d8ccc3"
ZONE_EDGE = "#6f6a64"
SCAPULA_EDGE = "#7a6a5e"
KIDNEY_EDGE = "#a0524f"
SPINE_FILL = "#fff6f2"
LANDMARK = "#4a3f38"
TEXT = "#2b2724"
TEXT_SOFT = "#6b625b"

MUTED_BASE = "#e6e3de"
MUTED_MIX = 0.82  # how far a non-emphasis zone is washed toward MUTED_BASE

GLOW = "#f0a500"  # emphasis glow (gold)
NO_TOUCH = "#d62828"  # no-touch hatching and outline
NO_TOUCH_FILL = QColor(250, 214, 214)  # opaque: reads as "no" over any zone colour
# The line colours below were chosen to stay apart (CIEDE2000 > 12) from each other, from the
# emphasis GLOW and from NO_TOUCH red for normal vision, deuteranopia and protanopia
# (tests/test_colour_access.py); an orange "strengthen" read as no-touch red to a deuteranope.
CAUTION = "#208080"  # teal: technique-specific no-go areas while another technique is current
RELAX = "#2f74c0"  # scoliosis: relax the concave side
STRENGTHEN = "#c02060"  # crimson: scoliosis, strengthen the convex side
PAIN = "#7d2fb3"
BEYOND = "#4e342e"  # dark brown: work beyond the back's zones (the buttocks, Part 5)
BEYOND_FILL = QColor(78, 52, 46, 60)  # a soft tint of it over the skin
SELECT = "#1b1b1b"
FOCUS = "#1b1b1b"  # the keyboard cursor's ring and the focus frame (dark on any zone)

#: stroke tempo -> trail colour (calming slow blue, moderate teal-green, toning violet)
TEMPO_COLOURS: dict[str, str] = {
    "calming": "#0d4fa3",
    "moderate": "#0a7a55",
    "toning": "#8a1fb8",
}


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
    )


def zone_colour(half_id: str, state: str = "plain") -> QColor:
    """Fill of a zone half: ``plain`` (no plan), ``emphasis`` or ``muted``."""
    zone, _, side = half_id.rpartition("-")
    left, right = ZONE_COLOURS.get(zone, ("#dddddd", "#e8e8e8"))
    base = QColor(left if side == "left" else right)
    if state == "muted":
        return _mix(base, QColor(MUTED_BASE), MUTED_MIX)
    if state == "emphasis":
        h, s, v = base.hsvHueF(), base.hsvSaturationF(), base.valueF()
        return QColor.fromHsvF(h, min(1.0, s * 1.7), v * 0.96)
    return base
