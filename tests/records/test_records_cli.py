"""The command-line contract: ``patients list|import|export`` and ``db check|backup`` with
``--db``, on SQLite and PostgreSQL; bad input is one line, exit 2, the database unchanged."""

from __future__ import annotations

import copy
import json
import os
import stat
from pathlib import Path

import pytest

from bodymap.cli import main

MINIMAL = {
    "format": "bodymap-patient", "version": 1,
    "patient": {"name": "Anna K.", "conditions": ["osteochondrosis-lumbosacral"],
                "findings": {"hernia": {"level": "L4-L5", "side": "left"}}},
    "visits": [
        {"date": "2025-03-04T10:30:00+03:00", "session": 1, "pain_before": 7, "pain_after": 5,
         "notes": "first visit", "pain_points": [[250, 640]]},
        {"date": "2025-03-06", "session": 2, "pain_before": 6, "pain_after": 3,
         "notes": "second", "pain_points": []},
    ],
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, data: object, name: str = "patient.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_import_list_and_export_round_trip(capsys, tmp_path: Path, records_db: str) -> None:
    code, out, err = run(capsys, "patients", "import", str(write(tmp_path, MINIMAL)),
                         "--db", records_db)
    assert (code, err) == (0, "") and out.startswith("imported patient 1: Anna K. (2 visit")
    code, out, _ = run(capsys, "patients", "list", "--json", "--db", records_db)
    listed = json.loads(out)
    assert [(p["name"], p["visits"], p["last_session"]) for p in listed] == [("Anna K.", 2, 2)]
    assert listed[0]["last_visit"].startswith("2025-03-06")
    code, out, _ = run(capsys, "patients", "list", "--db", records_db)
    assert "Anna K." in out and "2 visit(s)" in out

    code, exported, _ = run(capsys, "patients", "export", "1", "--json", "--db", records_db)
    first = json.loads(exported)
    assert first["visits"][0]["date"] == "2025-03-04T10:30:00+03:00"
    assert first["visits"][0]["pain_points"] == [[250.0, 640.0]]
    # into a second, empty database: the same patient, visit by visit
    other = str(tmp_path / "other.sqlite")
    code, _, err = run(capsys, "patients", "import", str(write(tmp_path, first, "x.json")),
                       "--db", other)
    assert code == 0, err
    code, again, _ = run(capsys, "patients", "export", "1", "--json", "--db", other)
    second = json.loads(again)
    first.pop("exported"), second.pop("exported")
    assert second == first


def test_export_to_a_file_is_owner_only(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite")
    run(capsys, "patients", "import", str(write(tmp_path, MINIMAL)), "--db", db)
    out = tmp_path / "anna.json"
    code, printed, _ = run(capsys, "patients", "export", "1", "--json", "--out", str(out),
                           "--db", db)
    assert code == 0 and printed.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["patient"]["name"] == "Anna K."


def test_a_plan_document_imports_as_a_patient_with_no_visits(capsys, tmp_path: Path) -> None:
    from bodymap.document import PlanDocument, save_document

    doc = PlanDocument.new(["scoliosis", "hypertension"], scoliosis=[("right", 2)],
                           pain_points=[(250.0, 640.0)], name="", notes="prefers mornings")
    path = save_document(doc, tmp_path / "ivanova.bodymap.json")
    db = str(tmp_path / "r.sqlite")
    code, out, err = run(capsys, "patients", "import", str(path), "--db", db)
    assert code == 0 and "imported patient 1: ivanova (0 visit(s))" in out
    assert "pain points" in err and "not imported" in err  # said, not silently dropped
    _, exported, _ = run(capsys, "patients", "export", "1", "--json", "--db", db)
    patient = json.loads(exported)["patient"]
    assert patient["conditions"] == ["scoliosis", "hypertension"]
    assert patient["findings"]["scoliosis"][0]["convex"] == "right"
    assert patient["findings"]["scoliosis"][0]["grade"] == 2
    assert patient["notes"] == "prefers mornings"


def _bad(change) -> dict:
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


BAD = {
    "pain above 10": (_bad(lambda d: d["visits"][1].update(pain_after=11)),
                      "visits[1].pain_after"),
    "pain below 0": (_bad(lambda d: d["visits"][0].update(pain_before=-2)),
                     "visits[0].pain_before"),
    "pain quoted": (_bad(lambda d: d["visits"][0].update(pain_before="7")),
                    "visits[0].pain_before"),
    "future date": (_bad(lambda d: d["visits"][1].update(date="2999-01-01")),
                    "is in the future"),
    "unreadable date": (_bad(lambda d: d["visits"][1].update(date="4th of March")),
                        "is not a date"),
    "unknown condition": (_bad(lambda d: d["patient"].update(conditions=["flu"])),
                          "unknown condition 'flu'"),
    "wrong format": (_bad(lambda d: d.update(format="something-else")), "field 'format'"),
    "newer version": (_bad(lambda d: d.update(version=2)), "newer bodymap"),
    "unknown field": (_bad(lambda d: d["visits"][0].update(mood="good")), "visits[0].mood"),
    "not json": ("{not json", "patient.json"),
    "a list": ([], "is not a bodymap patient file"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_line_exit_2_and_changes_nothing(capsys, tmp_path: Path,
                                                         records_db: str, case: str) -> None:
    seed = dict(MINIMAL, patient=dict(MINIMAL["patient"], name="Someone else"))
    assert run(capsys, "patients", "import", str(write(tmp_path, seed, "seed.json")),
               "--db", records_db)[0] == 0
    before = run(capsys, "patients", "export", "1", "--json", "--db", records_db)[1]
    data, words = BAD[case]
    path = tmp_path / "patient.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "patients", "import", str(path), "--db", records_db)
    assert code == 2, err
    assert out == "" and err.count("\n") == 1 and words in err, err
    assert "Traceback" not in err
    assert run(capsys, "patients", "list", "--json", "--db", records_db)[1].count('"id"') == 1
    after = run(capsys, "patients", "export", "1", "--json", "--db", records_db)[1]
    assert json.loads(after)["visits"] == json.loads(before)["visits"]


def test_a_duplicate_patient_is_refused_with_exit_2(capsys, tmp_path: Path,
                                                    records_db: str) -> None:
    path = write(tmp_path, MINIMAL)
    assert run(capsys, "patients", "import", str(path), "--db", records_db)[0] == 0
    code, _, err = run(capsys, "patients", "import", str(path), "--db", records_db)
    assert code == 2 and "already in the records" in err and err.count("\n") == 1
    assert len(json.loads(run(capsys, "patients", "list", "--json", "--db",
                              records_db)[1])) == 1


def test_an_import_is_all_or_nothing(capsys, tmp_path: Path, records_db: str) -> None:
    """The last visit is bad: not even the patient is added."""
    data = _bad(lambda d: d["visits"].append(dict(d["visits"][0], pain_after=12)))
    code, _, err = run(capsys, "patients", "import", str(write(tmp_path, data)),
                       "--db", records_db)
    assert code == 2 and "visits[2].pain_after" in err
    assert json.loads(run(capsys, "patients", "list", "--json", "--db", records_db)[1]) == []


def test_unknown_ids_and_options_are_usage_errors(capsys, tmp_path: Path) -> None:
    db = str(tmp_path / "r.sqlite")
    assert run(capsys, "patients", "export", "7", "--json", "--db", db)[0] == 2
    assert run(capsys, "patients", "export", "seven", "--json", "--db", db)[0] == 2
    code, _, err = run(capsys, "patients", "export", "1", "--pdf", "--db", db)
    assert code == 2 and "--out" in err
    code, _, err = run(capsys, "patients", "list", "--db", "mysql://me@host/x")
    assert code == 2 and "do not run on 'mysql'" in err


def test_db_check_says_ok_in_one_line(capsys, tmp_path: Path, records_db: str) -> None:
    run(capsys, "patients", "import", str(write(tmp_path, MINIMAL)), "--db", records_db)
    code, out, err = run(capsys, "db", "check", "--db", records_db)
    assert (code, err) == (0, "") and out.count("\n") == 1
    assert "ok (1 patient(s), 2 visit(s), schema 0001)" in out


def test_db_check_on_no_records_is_exit_1(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "db", "check", "--db", str(tmp_path / "none.sqlite"))
    assert code == 1 and "no records here yet" in err and err.count("\n") == 1
    assert not (tmp_path / "none.sqlite").exists()  # a check creates nothing


def test_db_backup_writes_an_owner_only_copy(capsys, tmp_path: Path, records_db: str) -> None:
    run(capsys, "patients", "import", str(write(tmp_path, MINIMAL)), "--db", records_db)
    out = tmp_path / "copy.backup"
    code, printed, err = run(capsys, "db", "backup", "--out", str(out), "--db", records_db)
    if code != 0 and "pg_dump is not installed" in err:
        pytest.skip("pg_dump is not installed (the message says how to back up)")
    assert code == 0, err
    assert printed.strip() == str(out) and out.stat().st_size > 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    if records_db.endswith(".sqlite"):  # the copy is itself a sound records database
        assert run(capsys, "db", "check", "--db", str(out))[0] == 0
        code, listed, _ = run(capsys, "patients", "list", "--json", "--db", str(out))
        assert [p["name"] for p in json.loads(listed)] == ["Anna K."]
    else:
        assert out.read_bytes().startswith(b"PGDMP")  # pg_dump's custom format


def test_the_default_database_follows_bodymap_user_dir(capsys, tmp_path: Path,
                                                        monkeypatch) -> None:
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    assert run(capsys, "patients", "import", str(write(tmp_path, MINIMAL)))[0] == 0
    db = tmp_path / "user" / "bodymap.sqlite"
    assert db.exists() and stat.S_IMODE(db.stat().st_mode) == 0o600
    assert os.listdir(tmp_path / "user") == ["bodymap.sqlite"] or (
        set(os.listdir(tmp_path / "user")) <= {"bodymap.sqlite", "bodymap-backups",
                                                "bodymap.sqlite-wal", "bodymap.sqlite-shm"})


def test_backup_on_postgresql_without_pg_dump_says_how(capsys, tmp_path: Path, records_db: str,
                                                       monkeypatch) -> None:
    if not records_db.startswith("postgresql"):
        pytest.skip("pg_dump is PostgreSQL's")
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    code, _, err = run(capsys, "db", "backup", "--out", str(tmp_path / "x.dump"),
                       "--db", records_db)
    assert code == 1 and err.count("\n") == 1
    assert "pg_dump is not installed" in err and "pg_dump --format=custom" in err
    assert not (tmp_path / "x.dump").exists()


def test_an_unreachable_server_is_one_line(capsys, tmp_path: Path) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql://nobody@/bodymap?host={tmp_path}"  # no server listens there
    for args in (["patients", "list"], ["db", "check"]):
        code, out, err = run(capsys, *args, "--db", url)
        assert code == 1 and out == "" and err.count("\n") == 1, err
        assert "cannot be reached" in err and "Traceback" not in err
