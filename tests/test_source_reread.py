"""The source, read again (issue 17, point 7): the conflicts between its parts said plainly with
both citations, its "about 2-3 minutes" used, "not every day" placed, and the indications that
were missing added as conditions (no zones in the source; a doctor's clearance where an injury
or a stroke is recovered from)."""

from __future__ import annotations

import pytest

from bodymap.planner import Profile, make_plan

NEW = {
    "spondylarthrosis": ('Part 1, "Indications and general rules"',
                         "Часть 1 — Показания и общие правила", False),
    "myositis": ('Part 1, "Indications and general rules"',
                 "Часть 1 — Показания и общие правила", False),
    "traumatic-spine-injury": ('Part 2, "Indications for this massage"',
                               "Часть 2 — Показания к такому массажу", True),
    "stroke-recovery": ('Part 2, "Indications for this massage"',
                        "Часть 2 — Показания к такому массажу", True),
    "fracture-recovery": ('Part 6, "Indications"', "Часть 6 — Показания", True),
}


@pytest.mark.parametrize("cid", sorted(NEW))
def test_the_missing_indications_are_conditions(library, geometry, cid):
    en, ru, clearance = NEW[cid]
    cond = library.conditions[cid]
    assert not cond.zones_from_source and cond.emphasis == []
    assert cond.clearance is clearance
    p = make_plan(Profile(cid, 4), library, geometry)
    assert en in p.sources and ru in p.sources_ru
    note = next(r for r in p.reasons if r.id == "no-zones-in-source")
    assert "gives no zones" in note.text["en"] and "не указывает зон" in note.text["ru"]
    if clearance:
        assert p.status == "blocked" and p.steps == ()
        why = next(r for r in p.reasons if r.id == f"clearance-{cid}")
        assert "doctor" in why.text["en"] and "врач" in why.text["ru"]
        p = make_plan(Profile(cid, 4, cleared=frozenset({cid})), library, geometry)
    assert p.status == "ok" and p.steps


def test_a_spine_injury_is_cleared_on_the_command_line(capsys):
    import json

    from bodymap.cli import main

    assert main(["plan", "--condition", "traumatic-spine-injury", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "blocked"
    assert main(["plan", "--condition", "traumatic-spine-injury", "--cleared",
                 "traumatic-spine-injury", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def _every_plan(library, geometry):
    for cid in ("hypertension", "osteochondrosis-cervical", "stress", "radiculitis"):
        yield make_plan(Profile(cid, 9), library, geometry)


def test_part_1s_fifteen_minutes_and_part_4s_longer_sessions_are_said_to_conflict(
        library, geometry):
    for p in _every_plan(library, geometry):
        note = next(c for c in p.evidence if "contradicts itself" in c.text["en"])
        assert "no more than 15 minutes" in note.text["en"]
        assert "40" in note.text["en"] and "противоречит" in note.text["ru"]
        assert any(s.startswith('Part 1, "Methodology"') for s in note.sources)
        assert any(s.startswith('Part 4, "Price"') for s in note.sources)
        assert any(s.startswith("Часть 1 — Методика") for s in note.sources_ru)
    # no load text rewrites Part 1 as "a short back session is up to 15 minutes"
    for cond in library.conditions.values():
        assert "short back session is up to 15" not in cond.course.load.en


def test_when_sessions_are_daily_and_when_not_every_day(library, geometry):
    for p in _every_plan(library, geometry):
        daily = next(c for c in p.cautions if "every day" in c.text["en"])
        assert "not every day" in daily.text["en"] and "general massage" in daily.text["en"]
        assert "не каждый день" in daily.text["ru"]
        assert any(s.startswith('Part 4, "Kinds"') for s in daily.sources)
