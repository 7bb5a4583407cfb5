"""`bodymap screenshot` with the findings and answers `plan` takes (issue 21, point 5): the
picture shows the patient's real plan, and a bad value is refused as `plan` refuses it."""

from __future__ import annotations

import argparse

import pytest
import shapely
from PySide6.QtGui import QColor, QImage
from test_screenshot import run_cli

from bodymap import i18n

HERNIA = "L4-L5:left"


@pytest.fixture(scope="module")
def hernia_shots(tmp_path_factory):
    """The same patient with and without the hernia, every screening question answered."""
    out = tmp_path_factory.mktemp("findings")
    made = {}
    for name, extra in {"hernia": ["--hernia", HERNIA], "none": []}.items():
        path = out / f"{name}.png"
        result = run_cli("screenshot", "--out", str(path), "--size", "1366x768",
                         "--condition", "osteochondrosis-lumbosacral", "--screening", "no",
                         *extra)
        assert result.returncode == 0, result.stderr
        made[name] = QImage(str(path))
    return made


def hernia_site(geometry, library):
    """The hernia site's no-touch area (back units), as the planner places it."""
    from bodymap.commands import parse_hernia
    from bodymap.planner import Profile, make_plan

    plan = make_plan(Profile("osteochondrosis-lumbosacral", hernias=(parse_hernia(HERNIA),)),
                     library, geometry)
    return next(nt.area for nt in plan.no_touch if nt.id.startswith("hernia-site"))


def no_touch_share(image: QImage, area, geometry) -> float:
    """The share of points on a grid over ``area`` (clear of the spine's own hatching) whose
    pixel is no-touch red: the pale red fill, its red hatching or a blend of the two (no zone
    fill, the background or an outline is red)."""
    from bodymap.widgets.screenshot import map_transform

    scale, x0, y0 = map_transform(image)
    inner = area.difference(geometry.spine_strip(4.0)).buffer(-1.0)
    minx, miny, maxx, maxy = inner.bounds
    hits = total = 0
    for i in range(12):
        for j in range(12):
            x, y = minx + (maxx - minx) * (i + 0.5) / 12, miny + (maxy - miny) * (j + 0.5) / 12
            if not inner.contains(shapely.Point(x, y)):
                continue
            c = QColor(image.pixel(round(x0 + scale * x), round(y0 + scale * y)))
            total += 1
            hits += c.red() - max(c.green(), c.blue()) >= 25
    assert total >= 10, "the grid must fall inside the hernia site"
    return hits / total


def test_the_screenshot_shows_the_hernia_site_as_no_touch(hernia_shots, geometry, library):
    area = hernia_site(geometry, library)
    assert no_touch_share(hernia_shots["hernia"], area, geometry) >= 0.9
    assert no_touch_share(hernia_shots["none"], area, geometry) <= 0.05


def parse(*argv: str) -> argparse.Namespace:
    from bodymap.cli import build_parser

    return build_parser().parse_args(["screenshot", "--out", "x.png", *argv])


def test_screening_no_answers_every_question_and_the_window_asks_nothing(make_window, data):
    """The document the command builds, shown in the window: no question is left to ask,
    the hernia is placed, the plan is the patient's (the banner does not ask to screen)."""
    from bodymap.commands import document_from_args
    from bodymap.widgets.screenshot import _apply_profile

    library, geometry = data
    doc = document_from_args(parse("--condition", "osteochondrosis-lumbosacral", "--hernia",
                                   HERNIA + ",stage=initial", "--screening", "no"),
                             library, geometry)
    window = make_window()
    _apply_profile(window, doc.conditions, None, doc)
    assert window.plan.status == "ok"
    assert not [r for r in window.plan.reasons if r.kind == "unanswered"]
    assert any(nt.id.startswith("hernia-site-L4-L5") for nt in window.plan.no_touch)
    status = window.parts.panel.screening_status.text()
    assert status == i18n.tr("panel.screening_done", n=len(library.contraindications)), status


def test_without_screening_only_contra_is_answered(data):
    """--contra's questions are answered "yes"; without --screening no the rest stay open,
    so the window asks them (fail closed)."""
    from bodymap.commands import document_from_args

    library, geometry = data
    doc = document_from_args(parse("--condition", "back-pain", "--contra", "varicose-veins"),
                             library, geometry)
    assert doc.profile.answered == ("varicose-veins",) == doc.profile.present
    doc = document_from_args(parse("--condition", "back-pain", "--contra", "varicose-veins",
                                   "--screening", "no"), library, geometry)
    assert set(doc.profile.answered) == set(library.contraindications)
    assert doc.profile.present == ("varicose-veins",)


@pytest.mark.parametrize("bad", [
    ["--contra", "nope"],
    ["--lesion", "nope"],
    ["--hernia", "X9-X1"],
    ["--hernia", "L4-L5:up"],
    ["--hernia", "L4-L5,stage=late"],
    ["--hernia", "L4-L5", "--hernia", "L4-L5"],
    ["--scoliosis", "convex=up,grade=2"],
    ["--scoliosis", "convex=left,grade=9"],
    ["--pain", "1,x"],
    ["--pain", "9999,9999"],
    ["--cleared", "nope"],
])
def test_bad_findings_are_refused_as_plan_refuses_them(tmp_path, bad):
    """One line, exit 2, no picture, and word for word what `plan` says."""
    condition = ["--condition", "back-pain"]
    shot = run_cli("screenshot", "--out", "x.png", *condition, *bad, cwd=tmp_path)
    plan = run_cli("plan", *condition, *bad, cwd=tmp_path)
    assert shot.returncode == plan.returncode == 2
    lines = shot.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bodymap: error:"), shot.stderr
    assert shot.stderr == plan.stderr
    assert not list(tmp_path.glob("*.png"))


@pytest.mark.parametrize(("bad", "words"), [
    (["--screening", "yes"], "--screening"),
    (["--hernia", "L4-L5"], "--hernia without a condition"),
])
def test_bad_screening_or_findings_without_a_condition(tmp_path, bad, words):
    result = run_cli("screenshot", "--out", "x.png", *bad, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bodymap: error:") and words in lines[0]
    assert not list(tmp_path.glob("*.png"))
