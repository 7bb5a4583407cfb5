"""A second copy of bodymap writing records, for the process tests (run as a script).

``records_worker.py DB visits PATIENT_ID COUNT TAG``: record COUNT visits of the patient,
printing ``saved <visit id>`` after each commit. ``records_worker.py DB imports FIRST COUNT``:
import COUNT patients (each with VISITS visits), printing ``saved <patient name>`` after each.
A line is printed only once its change is committed: whatever it printed must survive kill -9.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

VISITS = 5


def patient_file(name: str) -> dict:
    return {
        "format": "bodymap-patient", "version": 1,
        "patient": {"name": name, "conditions": ["hypertension"], "findings": {}},
        "visits": [{"date": f"2025-03-{day:02d}T10:00:00+03:00", "session": day,
                    "pain_before": 6, "pain_after": 3, "notes": f"visit {day} of {name}",
                    "pain_points": [[250.0, 640.0]]} for day in range(1, VISITS + 1)],
    }


def main(argv: list[str]) -> int:
    from bodymap.records.exchange import import_patient
    from bodymap.records.model import Soap, VisitDraft
    from bodymap.records.store import Records

    db, action, first, count = argv[0], argv[1], int(argv[2]), int(argv[3])
    records = Records.open(db)
    if action == "visits":
        tag = argv[4]
        for i in range(count):
            visit = records.record_visit(first, VisitDraft(
                session=1 + i % 10, profile={"pain_points": [[250.0, 640.0]]},
                pain_before=i % 11, pain_after=(i + 3) % 11, notes=f"{tag} {i}",
                soap=Soap("s" * 200, "o" * 200, "a", "p")))
            print(f"saved {visit.id}", flush=True)
    else:
        for i in range(first, first + count):
            name = f"Patient {i}"
            import_patient(records, patient_file(name))
            print(f"saved {name}", flush=True)
    records.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
