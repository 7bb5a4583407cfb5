"""Helpers the side panel, the plan views and the other widgets share: plain-text labels and
the display names of zones, techniques and directions.

Every text that comes from a file (protocols, plan documents) is shown as plain text: labels
use ``Qt.PlainText``, editors ``setPlainText``/``setText`` on plain-text widgets, and the one
rich-text view (:class:`~bodymap.widgets.panels.notes.PlanNotes`) escapes every data string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from bodymap.i18n import language, pick

if TYPE_CHECKING:
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.schema import Text

#: the order of the hernia side choices on the panel (the sides are vocabulary.HERNIA_SIDES)
HERNIA_SIDE_CHOICES = ("left", "right", "central")
# How a contraindication changes the plan, most serious first; colours for the row marker.
ACTION_COLORS = {
    "refer": "#b00020",
    "block": "#d32f2f",
    "clearance": "#c2185b",
    "postpone": "#ef8a00",
    "limit": "#b8860b",
    "exclude-area": "#5e7fa8",
}


def plain_label(text: str = "", parent: QWidget | None = None, *, wrap: bool = True) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setText(text)
    return label


def zones_text(geometry: BackGeometry | None, zones: tuple[str, ...] | list[str]) -> str:
    """Zone names, short: "Whole back", "Whole back, left half" (see planner.zones_label)."""
    from bodymap.planner import zones_label

    return zones_label(geometry, zones, language())


def technique_name(library: Library | None, technique: str, variant: str | None = None) -> str:
    tech = library.techniques.get(technique) if library is not None else None
    if tech is None:
        return technique
    v = tech.variant(variant) if variant else None
    return pick(_text(v.name if v is not None else tech.name))


def direction_name(library: Library | None, direction: str) -> str:
    d = library.directions.get(direction) if library is not None else None
    return pick(_text(d.name)) if d is not None else direction


def _text(t: Text | Mapping[str, str]) -> Mapping[str, str]:
    """A protocol ``Text`` model (``.en``/``.ru``) or a plain mapping, as a mapping."""
    if isinstance(t, Mapping):
        return t
    return {"en": getattr(t, "en", ""), "ru": getattr(t, "ru", "")}



def plan_title(plan: Plan, library: Library | None) -> str:
    """The plan's conditions by name, the lead first: "Hypertension + Scoliosis"."""
    names = [pick(plan.name) if plan.name else plan.condition]
    for cid in tuple(getattr(plan, "conditions", ()))[1:]:
        cond = library.conditions.get(cid) if library is not None else None
        names.append(pick(_text(cond.name)) if cond is not None else cid)
    return " + ".join(names)
