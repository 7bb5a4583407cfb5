"""Pictures of the map for the Anki export, rendered offscreen, and the export command.

Each map question gets two pictures drawn by the study map itself (the same
:class:`~bodymap.widgets.study.map.StudyMapView` the student answers on, never shown): the
question as asked (no legend: it would name the zones; no answer) and the answer as the
feedback shows it (the zone highlighted, the step's no-touch areas, the emphasis zones; for a
technique, its strokes caught mid-motion). A motion card's picture is a frame of the close-up
the card plays (:class:`~bodymap.widgets.closeup.MotionPatch`: the hand's glyph, the path
behind it, pressure and tempo; no name), on both sides. Questions answered on the panel
(order, contraindications) have no picture.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QIODevice

from bodymap.anki_export import export_apkg
from bodymap.drill_base import Drill, overlay_plan
from bodymap.errors import DataFileError
from bodymap.i18n import tr
from bodymap.motion_demo import demo_for_step
from bodymap.widgets.closeup import MotionPatch
from bodymap.widgets.study.decks import deck_title
from bodymap.widgets.study.map import StudyMapView

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from bodymap.anki_export import AnkiExport
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.widgets.study.widget import StudyWidget

__all__ = ["MapPictures", "export_deck"]

#: the pictures' size in pixels (portrait, as the back is)
SIZE = (520, 640)
#: a motion card's close-up: the square patch and the strip of pressure and tempo under it
CLOSEUP_SIZE = (520, 560)
#: where a technique's strokes are caught (0..1 of the animation's loop)
PHASE = 0.45


class MapPictures:
    """``pictures(drill, lang) -> (question PNG, answer PNG)`` from one offscreen map."""

    def __init__(self, geometry: BackGeometry, library: Library) -> None:
        self.library = library
        self.map = StudyMapView(geometry)
        self.map.resize(*SIZE)
        self.map.set_quiet(True)
        self.patch = MotionPatch()
        self.patch.set_playing(False)
        self.patch.resize(*CLOSEUP_SIZE)

    def __call__(self, drill: Drill, lang: str) -> tuple[bytes | None, bytes | None]:
        """The pictures, labelled in the interface's language (the export's, ``lang``)."""
        if drill.kind in ("order", "contra"):
            return None, None
        if drill.kind == "motion":
            frame = self.closeup_frame(drill)
            return frame, frame
        return self._question(drill), self._answer(drill)

    def closeup_frame(self, drill: Drill) -> bytes:
        """The motion card's close-up, the hand ``PHASE`` through its pass."""
        if drill.plan is None or drill.step is None:
            raise ValueError(f"the motion card {drill.id} has no step to show")
        self.patch.set_demo(demo_for_step(self.library, drill.plan.steps[drill.step]))
        self.patch.set_phase(PHASE)
        return _png(self.patch)

    def _question(self, drill: Drill) -> bytes:
        m = self.map
        m.set_legend_visible(False)
        if drill.kind == "technique":
            m.set_plan(drill.plan)
            m.set_step(0)
            m.set_phase(PHASE)
        else:
            m.set_plan(overlay_plan() if drill.kind == "condzone" else None)
        return _png(self.map)

    def _answer(self, drill: Drill) -> bytes:
        m = self.map
        m.set_legend_visible(drill.kind != "technique")
        if drill.kind in ("zone", "condzone"):
            m.set_plan(overlay_plan(drill.highlight))
        else:
            m.set_plan(drill.plan)
            m.set_step(drill.step)
            m.set_phase(PHASE)
        return _png(self.map)

    def close(self) -> None:
        self.map.set_playing(False)
        self.map.deleteLater()
        self.patch.deleteLater()


def _png(widget: QWidget) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    widget.grab().save(buffer, "PNG")
    return bytes(buffer.data().data())


def export_deck(study: StudyWidget, path: str | None = None) -> AnkiExport | None:
    """Export the deck being studied as an Anki package, in the interface's language; asks
    where unless ``path`` is given. Returns the :class:`~bodymap.anki_export.AnkiExport`."""
    from bodymap import i18n

    lang = i18n.language()
    title = deck_title(study.deck)
    if path is None:
        slug = re.sub(r"[^\w-]+", "-", title, flags=re.UNICODE).strip("-") or "deck"
        path = study.prompter.choose_save_file(
            tr("study.anki.title"), f"bodymap-{slug}.apkg",
            tr("study.anki.filter"))
        if not path:
            return None
        if not path.lower().endswith(".apkg"):
            path += ".apkg"
    pictures = MapPictures(study.geometry_model, study.library)
    try:
        result = export_apkg(study.deck_cards(), path, lang=lang,
                             deck_title=f"bodymap::{title}",
                             images=pictures)
    except DataFileError as exc:
        study.prompter.error(tr("study.anki.title"), tr("study.anki.failed", error=str(exc)))
        return None
    finally:
        pictures.close()
    study.prompter.inform(tr("study.anki.title"), tr(
        "study.anki.done", notes=result.notes, media=result.media, path=str(result.path)))
    return result
