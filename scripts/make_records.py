"""Generate a records database for the benchmark: 1,000 patients and 20,000 visits.

``python scripts/make_records.py --db PATH|URL [--patients N] [--visits N] [--seed N]``

Patient 1 has a course of 200 visits (the bench opens it); the other visits are spread over
the other patients. Every visit is as full as a recorded one: that day's profile (conditions,
findings, screening answers, pain points), steps with outcomes and reasons, reaction, SOAP
notes and the plan's snapshot (made by the planner once per condition and session). The rows
pass through the records' own checks (``Records.visit_values``) and are written in a few
transactions. Invented names only ("Patient 17"): no personal data.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONDITIONS = ("osteochondrosis-lumbosacral", "hypertension", "back-pain", "stress",
              "osteochondrosis-cervical", "headache")
BIG_COURSE = 200


def draft_for(rng: random.Random, at: Any, session: int, plan: dict[str, Any]) -> Any:
    """One visit's draft: realistic sizes, invented text."""
    from bodymap.records.model import Moment, Soap, StepOutcome, VisitDraft

    steps = []
    for i, step in enumerate(plan.get("steps", [])):
        outcome = rng.choices(("done", "shortened", "skipped"), (8, 1, 1))[0]
        steps.append(StepOutcome(i, step["technique"], outcome,
                                 None if outcome == "done" else round(rng.uniform(0, 3), 1),
                                 "" if outcome == "done" else "patient asked to stop"))
    points = [[round(rng.uniform(200, 400), 1), round(rng.uniform(300, 700), 1)]
              for _ in range(rng.randint(0, 3))]
    return VisitDraft(
        session=session, at=Moment.of(at),
        profile={"pain_points": points, "present": [], "answered": None},
        pain_before=rng.randint(3, 9), pain_after=rng.randint(0, 6),
        steps=tuple(steps), reaction="relaxed, slight redness over the lower back",
        notes="tolerated well; advised a warm shower and rest",
        soap=Soap("stiffness after a day at the desk, worse in the evening",
                  "tight paraspinal muscles at L3-L5, no swelling",
                  "improving since the last session", "continue the course as planned"),
        plan=plan,
    )


def plans(sessions: int = 10) -> dict[tuple[str, int], dict[str, Any]]:
    """The planner's plan for each condition and session (computed once, reused)."""
    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.planner import Profile, make_plan

    library, geometry = load_library(None), load_geometry()
    out = {}
    for cid in CONDITIONS:
        course = library.conditions[cid].course.sessions
        for s in range(1, min(sessions, course) + 1):
            out[(cid, s)] = make_plan(Profile(cid, session=s), library, geometry).to_json()
    return out


def generate(db: str, patients: int = 1000, visits: int = 20_000, seed: int = 1) -> int:
    """Fill an empty records database; returns the id of the patient with 200 visits."""
    from bodymap.records.model import Moment
    from bodymap.records.store import Records, insert_findings, insert_patient
    from bodymap.records.tables import visits as visits_table

    rng = random.Random(seed)
    made = plans()
    course = {cid: max(s for c, s in made if c == cid) for cid in CONDITIONS}
    records = Records.open(db)
    if records.patients():
        raise SystemExit(f"{db} already holds records: generate into an empty database")
    counts = [BIG_COURSE] + [0] * (patients - 1)
    for _ in range(visits - BIG_COURSE):
        counts[rng.randrange(1, patients)] += 1
    now = datetime.now(UTC)
    big_id = 0
    chunk = 100
    for start in range(0, patients, chunk):
        with records.db.writing() as con:
            for i in range(start, min(start + chunk, patients)):
                cid = CONDITIONS[i % len(CONDITIONS)]
                values = records.patient_values(f"Patient {i + 1}", 1940 + i % 60, "",
                                                field="patient")
                first = now - timedelta(days=730)
                pid = insert_patient(con, values, Moment.of(first))
                insert_findings(con, pid, Moment.of(first), [cid], {})
                big_id = big_id or pid
                rows = []
                for k in range(counts[i]):
                    at = first + timedelta(days=k * 700 / max(counts[i], 1), hours=9)
                    session = 1 + k % course[cid]
                    draft = draft_for(rng, at, session, made[(cid, session)])
                    rows.append(dict(records.visit_values(draft, [cid], {}), patient_id=pid))
                if rows:
                    con.execute(visits_table.insert(), rows)
    records.close()
    return big_id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a new SQLite file or a PostgreSQL URL")
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--visits", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    big = generate(args.db, args.patients, args.visits, args.seed)
    print(f"{args.db}: {args.patients} patients, {args.visits} visits "
          f"(patient {big} has {BIG_COURSE}) in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
