"""The study mode's pictures in docs/: the deck chooser, an exam report and the motion drill,
English and Russian, at 1366x768 (the window as it opens there), rendered without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/study_screenshots.py [OUT_DIR]

A made-up student (a few days of reviews, one deck) in a temporary folder; a fixed clock, so
the pictures only change when the study mode does. Nothing of the user's is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
SIZE = (1366, 740)  # 1366x768 less the window's title bar
MOTION_CARD = "motion:rubbing/circular-rubbing"


class Clock:
    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> datetime:
        return self.t


def main(out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from bodymap import i18n
    from bodymap.decks import Deck
    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.study import ProgressStore
    from bodymap.widgets.prompts import Prompter
    from bodymap.widgets.study import StudyWidget

    library, geometry = load_library(None), load_geometry()
    out.mkdir(parents=True, exist_ok=True)
    for lang in ("en", "ru"):
        i18n.set_language(lang)
        clock = Clock()
        with tempfile.TemporaryDirectory() as tmp:
            store = ProgressStore(Path(tmp) / "study-progress.json")
            w = StudyWidget(library, geometry, store=store, now=clock, prompter=Prompter())
            for i, d in enumerate(w.drills[:40]):
                store.review(d.id, i % 3 != 0, T0 - timedelta(days=3))
            name = "Hernia and sciatica" if lang == "en" else "Грыжа и ишиас"
            store.save_deck(Deck(name, topics=frozenset({"notouch", "conditions", "order"}),
                                 conditions=frozenset({"hernia", "lumbago-sciatica"})), T0)
            store.save()
            w.show()
            app.processEvents()
            w.resize(*SIZE)  # after the first show, which fits the window to the screen
            app.processEvents()
            dialog = w.menus.open_decks()
            dialog.fill(select=name)
            dialog.resize(900, 620)
            app.processEvents()
            dialog.grab().save(str(out / f"study-deck-chooser-{lang}.png"))
            dialog.hide()
            w.exam.start(count=20, minutes=15, seed=5)
            for i in range(16):
                d = w.current_drill()
                w.answer(next(iter(d.accept)) if d.accept and i % 4 else None)
            clock.t = T0 + timedelta(minutes=11, seconds=20)
            w.exam.finish()
            app.processEvents()
            w.grab().save(str(out / f"study-exam-report-{lang}.png"))
            motion_drill(w, app, out / f"study-motion-drill-{lang}.png")
            w.close()
            w.deleteLater()
            app.processEvents()
    i18n.set_language("en")


def motion_drill(w: Any, app: Any, path: Path) -> None:
    """The motion drill asking for circular rubbing (deep kneading among the options), the
    close-up's hand caught a little before the middle of its pass."""
    w.start_session(kinds=("motion",))
    for _ in range(30):
        d = w.current_drill()
        if d is None or d.id == MOTION_CARD:
            break
        w.answer(next(iter(d.accept)))  # the cards before it, answered right
        w.next_card()
    if d is None or d.id != MOTION_CARD:
        raise SystemExit(f"{MOTION_CARD} was not asked")
    app.processEvents()
    w.card().closeup.patch.set_phase(0.45)
    w.grab().save(str(path))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs")
