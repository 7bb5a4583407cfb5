"""The course records' pictures in docs/: the patient list, the course view and the comparison
of two visits, at 1920x1080 and 1366x768, rendered without a display.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/records_screenshots.py [OUT_DIR]
        [--lang en|ru|both] [--keep-db PATH] [--visit]

OUT_DIR defaults to docs/: records-{patients,course,compare}-{1920x1080,1366x768}-{en,ru}.png.

Everything comes from a demo records database made here, in a temporary folder, of invented
patients (made-up names and courses: no personal data); the user's own records and settings are
never read or written. ``demo_records`` is also what the tests use for a realistic course.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((1920, 1080), (1366, 768))
#: invented patients: (name, year of birth, conditions, visits so far, first pain)
PATIENTS = (
    ("Anna K.", 1978, ("osteochondrosis-lumbosacral",), 7, 7),
    ("Boris T.", 1965, ("hypertension",), 4, 4),
    ("Clara M.", 1990, ("back-pain", "stress"), 10, 6),
    ("Dmitri S.", 1983, ("osteochondrosis-cervical",), 2, 5),
    ("Elena V.", None, ("lumbago-sciatica",), 12, 8),
    ("Farid N.", 1972, ("scoliosis",), 0, 0),
    ("Galina P.", 1958, ("osteochondrosis-thoracic",), 5, 6),
)
#: where it hurt, visit by visit (back units of zones.svg): the lower back easing, a spot
#: between the shoulder blades that came and went
PAIN_COURSE = (
    ((250.0, 640.0), (350.0, 650.0), (300.0, 700.0), (265.0, 320.0)),
    ((255.0, 645.0), (345.0, 655.0), (300.0, 700.0)),
    ((255.0, 650.0), (345.0, 650.0), (270.0, 330.0)),
    ((260.0, 650.0), (340.0, 660.0)),
    ((340.0, 660.0), (275.0, 325.0)),
    ((335.0, 665.0),),
)


def demo_records(db: Path, library: Any, geometry: Any, now: datetime | None = None) -> Any:
    """A records database of invented patients with their courses; returns the Records."""
    from bodymap.document import PlanDocument
    from bodymap.planner import make_plan
    from bodymap.records.model import Moment, Soap, StepOutcome, VisitDraft
    from bodymap.records.store import Records

    records = Records.open(str(db), library=library, geometry=geometry)
    today = (now or datetime.now().astimezone()).replace(hour=10, minute=0, second=0,
                                                         microsecond=0)
    for n, (name, born, conditions, count, first_pain) in enumerate(PATIENTS):
        start = today - timedelta(days=3 * count + 2 + n)
        patient = records.add_patient(name, list(conditions), birth_year=born,
                                      at=Moment.of(start - timedelta(days=1)))
        answered = tuple(sorted(library.contraindications))
        total = library.conditions[conditions[0]].course.sessions
        for i in range(count):
            session = min(i + 1, total)
            doc = PlanDocument.new(conditions, session=session, answered=answered)
            plan = make_plan(doc.to_profile(), library, geometry)
            steps = []
            for k, step in enumerate(plan.steps):
                outcome = "done"
                reason = ""
                if (i + n) % 4 == 2 and k == len(plan.steps) // 2:
                    outcome, reason = "shortened", "the patient felt light-headed"
                elif (i + n) % 5 == 3 and k == 1:
                    outcome, reason = "skipped", "skin reddened from the previous session"
                steps.append(StepOutcome(k, step.technique, outcome,  # type: ignore[arg-type]
                                         reason=reason))
            before = max(0, first_pain - (i * 2) // 3 + (1 if i == 3 else 0))
            after = max(0, before - 2 - (i % 2))
            points = PAIN_COURSE[min(i, len(PAIN_COURSE) - 1)] if n % 2 == 0 else \
                PAIN_COURSE[min(i + 2, len(PAIN_COURSE) - 1)][:2]
            at = start + timedelta(days=3 * i, hours=(n % 3))
            records.record_visit(patient.id, VisitDraft(
                session=session, at=Moment.of(at),
                profile={"present": [], "answered": list(answered),
                         "pain_points": [list(p) for p in points],
                         "lesions": ["lumbosacral-left"] if i == 1 and n == 0 else []},
                pain_before=before, pain_after=after, steps=tuple(steps),
                reaction="relaxed; warm and slightly red over the worked area",
                soap=Soap("stiff in the mornings", "tight muscles beside the lower spine",
                          "easing", "continue as planned"),
                plan=plan.to_json()), sign=i < count - 1)
    return records


def main(out: Path, langs: tuple[str, ...], keep_db: Path | None,
         visit_too: bool = False) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    tmp = Path(tempfile.mkdtemp(prefix="bodymap-records-shots-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(tmp / var.lower())
    os.environ["BODYMAP_USER_DIR"] = str(tmp / "user")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from bodymap import i18n
    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.widgets import settings as prefs
    from bodymap.widgets.language import install_language_bridge
    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.prompts import Prompter

    install_language_bridge()
    library, geometry = load_library(None), load_geometry()
    db = keep_db or tmp / "demo.sqlite"
    demo_records(db, library, geometry).close()
    out.mkdir(parents=True, exist_ok=True)
    for lang in langs:
        for width, height in SIZES:
            settings = QSettings(str(tmp / f"settings-{lang}-{width}.ini"),
                                 QSettings.Format.IniFormat)
            settings.setValue(prefs.LANGUAGE, lang)
            settings.setValue(prefs.RECORDS_DB, str(db))
            w = MainWindow(library=library, geometry=geometry, settings=settings,
                           prompter=Prompter())
            w.resize(width, height)
            w.show()
            w.ensure_loaded()
            app.processEvents()
            w.resize(width, height)
            w.show_records("patients")
            _settle(app)
            suffix = f"{width}x{height}-{lang}"
            w.grab().save(str(out / f"records-patients-{suffix}.png"))
            rc = w.parts.records
            first = next(p for p in rc.patients() if p.name == "Anna K.")
            rc.request_open_patient(first.id)
            panel = w.parts.panel
            panel.checklist.mark_unanswered_no()
            panel.send_profile()
            w.controller.request_pain_point(330.0, 668.0)
            _settle(app)
            if visit_too:
                w.grab().save(str(out / f"records-visit-{suffix}.png"))
            w.show_records("course")
            _settle(app)
            w.grab().save(str(out / f"records-course-{suffix}.png"))
            w.show_records("compare")
            _settle(app)
            w.grab().save(str(out / f"records-compare-{suffix}.png"))
            w.parts.records.request_close_patient()
            w.documents.mark_recorded()
            w.close()
            w.deleteLater()
            app.processEvents()
    i18n.set_language("en")


def _settle(app: Any) -> None:
    for _ in range(5):
        app.processEvents()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "docs")
    parser.add_argument("--lang", choices=("en", "ru", "both"), default="both")
    parser.add_argument("--keep-db", type=Path, default=None,
                        help="make the demo records database there (and keep it)")
    parser.add_argument("--visit", action="store_true",
                        help="also today's visit form, filled in (records-visit-*.png)")
    args = parser.parse_args()
    main(args.out, ("en", "ru") if args.lang == "both" else (args.lang,), args.keep_db,
         args.visit)
