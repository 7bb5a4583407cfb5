"""The command line: plan, conditions, contraindications, validate (in process + one real run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def plan_json(capsys, *argv):
    code, out, err = run(capsys, "plan", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_plan_json(capsys):
    d = plan_json(capsys, "--condition", "hypertension")
    assert d["condition"] == "hypertension" and d["session"] == 1 and d["status"] == "ok"
    assert d["emphasis_zones"] == ["collar"] and d["phase"] == "introductory"
    assert d["steps"][0]["technique"] == "stroking" and d["steps"][-1]["technique"] == "stroking"
    assert d["note"].startswith("Schematic guide")


def test_plan_options(capsys):
    d = plan_json(capsys, "--condition", "hernia", "--session", "5", "--hernia",
                  "l4-l5:left,stage=initial",
                  "--lesion", "thoracic-right", "collar", "--contra", "anticoagulants")
    assert d["status"] == "ok"
    ids = [n["id"] for n in d["no_touch"]]
    assert ids == ["spine", "kidneys", "hernia-site-L4-L5-left", "lesion-collar",
                   "lesion-thoracic-right", "thoracic-spine-no-vibration",
                   "hernia-zone-no-vibration"]
    assert all(s["intensity"] <= 2 for s in d["steps"])
    d = plan_json(capsys, "--condition", "scoliosis", "--session", "6",
                  "--scoliosis", "convex=left,grade=2")
    assert {s["role"] for s in d["steps"]} == {None, "relax", "strengthen"}


def test_contra_is_the_complete_answer(capsys):
    # nothing listed: every question answered "no" -> ok; listed blocking one -> blocked
    assert plan_json(capsys, "--condition", "stress")["status"] == "ok"
    d = plan_json(capsys, "--condition", "stress", "--contra", "fever", "--contra", "pregnancy")
    assert d["status"] == "blocked" and d["steps"] == []
    assert [r["id"] for r in d["reasons"] if r["kind"] == "block"] == ["fever", "pregnancy"]
    d = plan_json(capsys, "--condition", "radiculitis", "--contra", "acute-phase")
    assert d["status"] == "postponed"


def test_plan_text(capsys):
    code, out, _ = run(capsys, "plan", "--condition", "gastritis")
    assert code == 0
    assert "Status: OK" in out and "gives no zones" in out and "Schematic guide" in out
    assert "Do not touch:" in out and "spine (all)" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["plan", "--condition", "flu"], "unknown condition 'flu'"),
        (["plan", "--condition", "hernia", "--hernia", "Q1-Q2"], "unknown hernia level"),
        (["plan", "--condition", "hernia", "--hernia", "L4-L5:up"], "side 'up'"),
        (["plan", "--condition", "scoliosis", "--scoliosis", "convex=up,grade=2"], "convex side"),
        (["plan", "--condition", "scoliosis", "--scoliosis", "grade=9,convex=left"], "grade '9'"),
        (["plan", "--condition", "scoliosis", "--scoliosis", "bent"], "malformed"),
        (["plan", "--condition", "stress", "--contra", "sneezing"], "unknown contraindication"),
        (["plan", "--condition", "stress", "--lesion", "elbow"], "unknown zone 'elbow'"),
        (["plan", "--condition", "stress", "--session", "99"], "session 99"),
    ],
)
def test_bad_values_exit_2_with_one_line(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert needle in err and err.count("\n") == 1 and "Traceback" not in err


def test_non_numeric_session_is_an_argparse_error(capsys):
    # main() returns argparse's exit code (the console script passes it to sys.exit)
    assert main(["plan", "--condition", "stress", "--session", "two"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_conditions_and_contraindications(capsys):
    code, out, _ = run(capsys, "conditions", "--json")
    rows = json.loads(out)
    assert code == 0 and len(rows) == 19
    assert {r["id"] for r in rows if not r["zones_from_source"]} == {
        "gastritis", "intestinal-hypotonia", "headache", "stress", "posture-disorders",
        "hypotension", "sedentary-prophylaxis",
    }
    code, out, _ = run(capsys, "conditions")
    assert "osteochondrosis-cervical" in out and "(no zones in the source)" in out
    code, out, _ = run(capsys, "contraindications", "--json")
    rows = json.loads(out)
    assert rows[0]["action"] == "refer"  # red flags first
    assert {r["action"] for r in rows} == {"refer", "block", "clearance", "postpone", "limit",
                                           "exclude-area"}
    code, out, _ = run(capsys, "contraindications")
    assert code == 0 and "saddle-numbness" in out


def test_validate_default_includes_user_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path))
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.strip().endswith("files OK")
    (tmp_path / "protocols").mkdir()
    (tmp_path / "protocols" / "mine.toml").write_text("id = 3\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert "mine.toml, field 'id'" in out and "mine.toml, field 'course'" in out


def test_plan_warns_about_skipped_user_files(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path))
    (tmp_path / "protocols").mkdir()
    (tmp_path / "protocols" / "broken.toml").write_bytes(b"\xff\xfe\x00")
    code, out, err = run(capsys, "plan", "--condition", "stress", "--json")
    assert code == 0 and json.loads(out)["status"] == "ok"
    assert "skipped" in err and "broken.toml" in err


def test_entry_point_subprocess(tmp_path):
    env = {"BODYMAP_USER_DIR": str(tmp_path), "PATH": "", "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run(
        [sys.executable, "main.py", "plan", "--condition", "radiculitis", "--session", "8",
         "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    d = json.loads(proc.stdout)
    assert d["condition"] == "radiculitis" and d["session"] == 8 and d["phase"] == "main"
    assert "PySide6" not in proc.stderr
    bad = subprocess.run([sys.executable, "main.py", "plan", "--condition", "nope"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60, env=env)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("environ", "ctype"),
    [({}, "C.UTF-8"), ({"LANG": "C"}, "C.UTF-8"), ({"LC_CTYPE": "POSIX"}, "C.UTF-8"),
     ({"LANG": "ru_RU.UTF-8"}, None), ({"LC_CTYPE": "en_GB.UTF-8"}, "en_GB.UTF-8"),
     ({"LC_ALL": "C"}, None)],
)
def test_a_bare_c_locale_asks_for_utf8_as_python_does(environ, ctype):
    # A cleared environment (env -i, a frozen bundle) would make Qt warn about a non-UTF-8
    # locale at start; a user's own locale is left alone.
    from bodymap.cli import utf8_locale

    utf8_locale(environ)
    assert environ.get("LC_CTYPE") == ctype
