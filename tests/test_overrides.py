
"""A user's own protocol file with a shipped id (issue 17, point 4): it may tighten the shipped
condition, never loosen it; a loosening is a validation error naming the field; the override
is named by ``conditions``, ``validate``, the plan's JSON and the window's banner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from window_helpers import answer_all_no

from bodymap.cli import main
from bodymap.library import load_library, validate_paths

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "protocols" / "conditions"


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "user"
    (folder / "protocols").mkdir(parents=True)
    monkeypatch.setenv("BODYMAP_USER_DIR", str(folder))
    return folder / "protocols"


def write(folder: Path, cid: str, edit) -> Path:
    path = folder / f"{cid}.toml"
    path.write_text(edit((SHIPPED / f"{cid}.toml").read_text(encoding="utf-8")),
                    encoding="utf-8")
    return path


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _tighter_hernia(text: str) -> str:
    return text.replace("minutes = [15, 30]", "minutes = [15, 25]").replace(
        "minutes = [30, 30]", "minutes = [25, 25]")


@pytest.mark.parametrize(("cid", "edit", "field"), [
    ("hernia", lambda t: re.sub(r'^needs = "hernia"\n', "", t, flags=re.M), "needs"),
    ("hernia", lambda t: t.replace("intensity = [2, 2]", "intensity = [2, 4]"),
     "course.phases[3].intensity"),
    ("hernia", lambda t: t.replace("minutes = [30, 30]", "minutes = [30, 45]"),
     "course.phases[3].minutes"),
    ("back-pain", lambda t: t[:t.index("[[limit]]")], "limit[1].max_intensity"),
    ("back-pain", lambda t: t.replace("max_share = 0.25", "max_share = 0.6"),
     "limit[1].max_share"),
    ("back-pain", lambda t: t.replace("max_intensity = 2\ndeep = false",
                                      "max_intensity = 2\ndeep = true"), "limit[1].deep"),
    ("hypertension", lambda t: t.replace("exclude = true", "max_intensity = 2"),
     "limit[1].exclude"),
])
def test_a_loosening_override_is_refused_naming_the_field(capsys, user_dir, cid, edit, field):
    path = write(user_dir, cid, edit)
    code, out, _err = run(capsys, "validate", str(user_dir))
    assert code == 1
    assert f"{path}: overrides the shipped {cid}" in out
    assert f"{path}, field '{field}'" in out and "never loosen" in out
    # the library skips the file: the shipped condition stays in force, and says why
    library = load_library()
    assert library.protocol_source(cid) == "shipped"
    assert any(p.field == field for p in library.problems)


def test_a_hernia_override_without_its_gate_never_plans_at_once(capsys, user_dir):
    write(user_dir, "hernia", lambda t: re.sub(r'^needs = "hernia"\n', "", t, flags=re.M))
    code, out, err = run(capsys, "plan", "--condition", "hernia", "--json")
    assert code == 0 and json.loads(out)["status"] == "blocked"  # the level is still asked
    assert "skipped" in err and "field 'needs'" in err


def test_an_override_that_rewrites_the_steps_keeps_every_shipped_cap(capsys, user_dir):
    """Stronger steps, deep kneading and tapping in the file: the plan still has nothing above
    light, no deep variant and no percussion on the hernia's zone."""
    def edit(text: str) -> str:
        text = re.sub(r"^intensity = [12]$", "intensity = 5", text, flags=re.M)
        text = text.replace('variant = "superficial-kneading"', 'variant = "deep-kneading"')
        tap = ('[[step]]\ntechnique = "vibration"\nvariant = "tapping"\nzones = ["emphasis"]\n'
               'direction = "spine-to-sides"\nminutes = 2\nintensity = 5\n'
               'phases = ["main", "final"]\n\n[[step]]\ntechnique = "stroking"\n'
               'variant = "light-stroking"\nzones = ["collar", "interscapular", "thoracic", '
               '"lumbosacral"]\ndirection = "spine-to-sides"\nminutes = 1\nintensity = 1\n\n')
        return text.replace("[[caution]]", tap + "[[caution]]", 1)

    path = write(user_dir, "hernia", edit)
    code, out, _ = run(capsys, "validate", str(path))
    assert code == 0 and "overrides the shipped hernia" in out
    code, out, _ = run(capsys, "plan", "--condition", "hernia", "--hernia",
                       "L4-L5:left,stage=initial", "--session", "9", "--json")
    d = json.loads(out)
    assert d["status"] == "ok" and d["protocol_sources"] == {"hernia": str(path)}
    assert all(s["intensity"] <= 2 for s in d["steps"])
    assert not [s for s in d["steps"] if s["variant"] in ("deep-kneading", "tapping")]


def test_an_override_is_named_everywhere(capsys, user_dir):
    path = write(user_dir, "hernia", _tighter_hernia)
    code, out, _ = run(capsys, "validate", str(user_dir))
    assert code == 0 and f"{path}: overrides the shipped hernia" in out and "1 files OK" in out
    code, out, _ = run(capsys, "conditions")
    line = next(x for x in out.splitlines() if x.startswith("hernia "))
    assert "overrides the shipped hernia" in line and str(path) in line
    code, out, _ = run(capsys, "conditions", "--json")
    row = next(r for r in json.loads(out) if r["id"] == "hernia")
    assert row["source"] == str(path) and row["overrides_shipped"] is True
    code, out, _ = run(capsys, "plan", "--condition", "osteochondrosis-lumbosacral",
                       "--condition", "hernia", "--hernia", "L4-L5:left,stage=initial",
                       "--session", "9", "--json")
    d = json.loads(out)
    assert d["protocol_sources"] == {"osteochondrosis-lumbosacral": "shipped",
                                     "hernia": str(path)}
    assert d["total_minutes"] == 25.0  # the override's tighter course holds


def test_an_override_keeps_the_shipped_cautions(user_dir):
    def edit(text: str) -> str:  # drop every caution of the file
        return re.sub(r"\[\[caution\]\]\n(?:[^\[\n].*\n)*", "", _tighter_hernia(text))

    write(user_dir, "hernia", edit)
    library = load_library()
    shipped = load_library(None)
    assert library.protocol_source("hernia") != "shipped"
    assert {c.text.en for c in shipped.conditions["hernia"].caution} <= {
        c.text.en for c in library.conditions["hernia"].caution}


def test_validating_the_shipped_protocols_names_no_override():
    notes: list[str] = []
    _, problems = validate_paths([ROOT / "protocols"], notes)
    assert problems == [] and notes == []


def test_the_banner_names_an_override(make_window, user_dir):
    path = write(user_dir, "hernia", _tighter_hernia)
    lib, _ = load_library(), None
    window = make_window(condition="hernia", library=lib)
    answer_all_no(window)
    window.parts.panel.add_hernia("L4-L5", "left", "initial")
    assert window.plan.status == "ok"
    text = window.parts.banner.text()
    assert "overrides the shipped one" in text and str(path) in text
