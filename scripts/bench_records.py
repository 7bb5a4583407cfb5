"""The records' figures for ``make bench`` (scripts/bench.py), or alone:
``python scripts/bench_records.py [--db URL]``.

On a generated database of 1,000 patients and 20,000 visits (scripts/make_records.py; a
temporary SQLite file unless ``--db`` names an empty one), in one run:

* ``records_open_ms``: open the patient with 200 visits as the window does: the patient, their
  dated findings and the whole course (``Records.patient``) and the last visit in full, to
  pre-fill today's (``Records.last_visit``). Target: under 100 ms.
* ``records_save_ms``: record one full visit (that day's profile checked against the protocols
  and the drawing, steps, SOAP notes, the plan's snapshot) in one transaction, committed with
  ``synchronous=FULL``. Target: under 20 ms.
* ``records_commit_floor_ms``: one row changed and committed the same way: the disk's fsync,
  under which no save can go.
* ``records_list_ms``: the patient list (1,000 rows with their last visit), for comparison.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def measure(db: str | None = None) -> dict[str, Any]:
    import sqlalchemy as sa
    from bench import _median_ms
    from make_records import draft_for, generate

    from bodymap.geometry import load_geometry
    from bodymap.library import load_library
    from bodymap.planner import Profile, make_plan
    from bodymap.records.store import Records
    from bodymap.records.tables import patients

    with tempfile.TemporaryDirectory(prefix="bodymap-bench-records-") as tmp:
        target = db or str(Path(tmp) / "bench.sqlite")
        t0 = time.perf_counter()
        big = generate(target, 1000, 20_000)
        made_s = time.perf_counter() - t0
        library, geometry = load_library(None), load_geometry()
        records = Records.open(target, library=library, geometry=geometry)
        try:
            opened = records.patient(big)
            assert len(opened.visits) == 200
            open_ms = _median_ms(lambda: (records.patient(big), records.last_visit(big)), 30)
            cid = opened.conditions[0]
            plan = make_plan(Profile(cid, session=3), library, geometry).to_json()
            import random
            from datetime import UTC, datetime

            draft = draft_for(random.Random(2), datetime.now(UTC), 3, plan)
            other = records.patients()[500].id
            save_ms = _median_ms(lambda: records.record_visit(other, draft), 30)

            def floor() -> None:
                with records.db.writing() as con:
                    con.execute(sa.update(patients).where(patients.c.id == other)
                                .values(version=patients.c.version + 1))

            floor_ms = _median_ms(floor, 30)
            list_ms = _median_ms(records.patients, 5, warmup=1)
        finally:
            records.close()
    return {"records_open_ms": round(open_ms, 2), "records_save_ms": round(save_ms, 2),
            "records_commit_floor_ms": round(floor_ms, 2), "records_list_ms": round(list_ms, 2),
            "records_generate_s": round(made_s, 1)}


def checks(result: dict[str, Any]) -> list[tuple[str, bool, str]]:
    return [
        ("open a 200-visit patient < 100 ms", result["records_open_ms"] < 100,
         f"{result['records_open_ms']:.1f} ms"),
        ("save a visit < 20 ms", result["records_save_ms"] < 20,
         f"{result['records_save_ms']:.1f} ms (the disk's commit alone: "
         f"{result['records_commit_floor_ms']:.1f} ms)"),
    ]


def report(result: dict[str, Any]) -> None:
    print(f"records (1,000 patients, 20,000 visits, generated in "
          f"{result['records_generate_s']} s): open a 200-visit patient "
          f"{result['records_open_ms']:.1f} ms; save a visit {result['records_save_ms']:.1f} ms "
          f"(commit floor {result['records_commit_floor_ms']:.1f} ms); patient list "
          f"{result['records_list_ms']:.1f} ms")


def main(argv: list[str]) -> int:
    db = argv[argv.index("--db") + 1] if "--db" in argv else None
    result = measure(db)
    report(result)
    for name, ok, value in checks(result):
        print(f"[{'PASS' if ok else 'FAIL'}] {name}: {value}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
