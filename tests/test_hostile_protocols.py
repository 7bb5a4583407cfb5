"""Issue 11: protocol files are strict and one bad user file never breaks the rest.

Every case runs the real command line in process (``bodymap.cli.main``) with a user folder
(``BODYMAP_USER_DIR``) holding the hostile file: one clean line naming the file and the field,
never a traceback, and every other condition still there.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from bodymap.cli import main
from bodymap.library import load_library

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "protocols" / "conditions" / "hypertension.toml").read_text(encoding="utf-8")
FIRST_STEP_END = BASE.index("[[step]]", BASE.index("[[step]]") + 1)
SECOND_STEP = BASE[FIRST_STEP_END:BASE.index("[[step]]", FIRST_STEP_END + 1)]


def variant(old: str, new: str, *, name: str = "mine") -> str:
    """The shipped hypertension file as the user's ``name`` condition, ``old`` -> ``new`` once."""
    assert old in BASE, old
    return BASE.replace(old, new, 1).replace('id = "hypertension"', f'id = "{name}"', 1)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def user(tmp_path, monkeypatch):
    folder = tmp_path / "user"
    (folder / "protocols").mkdir(parents=True)
    monkeypatch.setenv("BODYMAP_USER_DIR", str(folder))
    return folder / "protocols"


def no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text and "Error:" not in text.replace("error:", ""), text


# --- strict types (defects 8 and 9) ------------------------------------------------------------

WRONG = [
    ("minutes = 2\n", 'minutes = "3"\n', "step[1].minutes", "a number"),
    ("minutes = 2\n", "minutes = true\n", "step[1].minutes", "a number"),
    ("intensity = 1\n", "intensity = true\n", "step[1].intensity", "a whole number"),
    ("intensity = 1\n", "intensity = 1.0\n", "step[1].intensity", "a whole number"),
    ("zones_from_source = true", 'zones_from_source = "yes"', "zones_from_source",
     "true or false"),
    ("sessions = 10", 'sessions = "10"', "course.sessions", "a whole number"),
    ("minutes = 2\n", "minutes = 5e-324\n", "step[1].minutes", "at least 0.1"),
    ("minutes = 2\n", "minutes = nan\n", "step[1].minutes", "a finite number"),
    ("minutes = 2\n", "minutes = inf\n", "step[1].minutes", "a finite number"),
    ("minutes = [10, 12]", 'minutes = [10, "12"]', "course.phases[1].minutes[2]", "a number"),
    ("minutes = 2\n", "minutes = " + "9" * 5000 + "\n", None, "too many digits"),
    (SECOND_STEP, SECOND_STEP * 4000, "step", "at most 40 entries"),
]


@pytest.mark.parametrize(("old", "new", "field", "expected"), WRONG,
                         ids=[f"{i}-{w[3]}" for i, w in enumerate(WRONG)])
def test_wrong_types_and_numbers_are_refused_by_validate(user, capsys, old, new, field,
                                                          expected):
    path = user / "mine.toml"
    path.write_text(variant(old, new), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    no_traceback(out, err)
    first = out.splitlines()[0]
    assert first.startswith(str(path)) and expected in first
    if field is not None:
        assert f"field '{field}'" in first
    assert "less than or equal" not in first, "nan is not 'too big'"


def test_a_refused_file_never_reaches_the_planner(user, capsys):
    (user / "mine.toml").write_text(variant("minutes = 2\n", "minutes = 5e-324\n"))
    code, out, err = run(capsys, "plan", "--condition", "hypertension", "--json")
    assert code == 0 and '"status": "ok"' in out
    assert err.count("\n") == 1 and "skipped" in err and "mine.toml" in err
    code, out, err = run(capsys, "plan", "--condition", "mine")
    assert code == 2 and "unknown condition 'mine'" in err
    no_traceback(out, err)


def test_a_valid_user_file_still_works(user, capsys):
    (user / "mine.toml").write_text(variant("minutes = 2\n", "minutes = 2.5\n"))
    code, out, err = run(capsys, "plan", "--condition", "mine", "--json")
    assert code == 0 and err == ""
    assert '"condition": "mine"' in out


# --- one bad user file (defect 6) --------------------------------------------------------------

HOSTILE = {
    "deep-array.toml": "a = " + "[" * 5000 + "]" * 5000,
    "deep-table.toml": "a = " + "{b = " * 3000 + "1" + "}" * 3000,
    "dotted.toml": "a." * 200 + "b = 1",
    "digits.toml": "id = " + "9" * 5000,
    "bom.toml": "\ufeff" + variant("", "", name="bom"),
    "latin1.toml": None,
    "nul.toml": "id = \0",
}


def _write_hostile(user: Path) -> list[str]:
    names = []
    for name, text in HOSTILE.items():
        if text is None:
            (user / name).write_bytes('id = "é"'.encode("latin-1"))
        else:
            (user / name).write_text(text, encoding="utf-8")
        names.append(name)
    if os.name == "posix":
        os.mkfifo(user / "fifo.toml")
        (user / "zero.toml").symlink_to("/dev/zero")
        (user / "loop-a.toml").symlink_to(user / "loop-b.toml")
        (user / "loop-b.toml").symlink_to(user / "loop-a.toml")
        names += ["fifo.toml", "zero.toml", "loop-a.toml", "loop-b.toml"]
    return [n for n in names if n != "bom.toml"]


@pytest.mark.parametrize("command", ["validate", "conditions", "contraindications", "plan"])
def test_bad_user_files_are_listed_and_skipped_everywhere(user, capsys, command):
    bad = _write_hostile(user)
    argv = [command] + (["--condition", "bom"] if command == "plan" else [])
    started = time.monotonic()
    code, out, err = run(capsys, *argv)
    assert time.monotonic() - started < 20, "no hang"
    no_traceback(out, err)
    listing = out if command == "validate" else err
    for name in bad:
        assert name in listing, f"{name} not named"
    if command == "validate":
        assert code == 1
    else:
        assert code == 0, err
        assert all(line.startswith("bodymap: warning: skipped ") for line in err.splitlines())
    if command == "conditions":
        assert re.search(r"^bom\s", out, re.M), "a file with a byte-order mark is accepted"
        assert re.search(r"^hypertension\s", out, re.M)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_loop_says_loop_not_missing(user, capsys):
    a, b = user / "a.toml", user / "b.toml"
    a.symlink_to(b)
    b.symlink_to(a)
    code, out, _ = run(capsys, "validate", str(a))
    assert code == 1 and "link loop" in out and "does not exist" not in out


def test_two_user_files_with_the_same_id_are_named_both(user, capsys):
    (user / "conditions").mkdir()
    (user / "mine.toml").write_text(variant("", ""))
    (user / "conditions" / "mine.toml").write_text(variant("minutes = 2\n", "minutes = 2.5\n"))
    library = load_library(user)
    assert len(library.problems) == 1
    text = str(library.problems[0])
    assert str(user / "mine.toml") in text and str(user / "conditions" / "mine.toml") in text
    code, _, err = run(capsys, "conditions")
    assert code == 0 and "already defined" in err


def test_file_names_over_the_system_limit(capsys, tmp_path):
    code, out, err = run(capsys, "validate", str(tmp_path / ("x" * 300 + ".toml")))
    assert code == 1 and "too long" in out
    no_traceback(out, err)


@pytest.mark.parametrize(("name", "old", "new"), [
    ("safeguards.toml", "\ndeep = false", "\ndeep = 0"),
    ("safeguards.toml", "\nno_touch = true", '\nno_touch = "yes"'),
    ("techniques.toml", "\ndeep = true ", "\ndeep = 1 "),
])
def test_flags_in_the_registries_are_strict(tmp_path, capsys, name, old, new):
    folder = tmp_path / "protocols"
    folder.mkdir()
    text = (ROOT / "protocols" / name).read_text(encoding="utf-8")
    assert old in text
    (folder / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(capsys, "validate", str(folder / name))
    assert code == 1 and "true or false" in out and str(folder / name) in out, out + err
    no_traceback(out, err)
