"""The presentation never clips the patient's text (issue 20.5): at 1920x1080 and 1280x720, in
English and Russian, for every step of every shipped condition (and blocked plans with many
reasons), each text label is as tall as its wrapped text needs; text that does not fit at the
smallest size scrolls, with the scroll bar and the "more below" cue shown."""

from __future__ import annotations

import dataclasses

import pytest
from presentation_fake import PlanOnly

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.screening import Reason

GEOMETRY = load_geometry()
LIBRARY = load_library()
SIZES = ((1920, 1080), (1280, 720))


def plans_of(condition: str) -> list:
    cond = LIBRARY.conditions[condition]
    kw: dict = {}
    if cond.needs == "hernia":
        kw["hernias"] = (Hernia("L4-L5", "left", "initial"),)
    if cond.needs == "scoliosis":
        kw["curves"] = (Scoliosis("right", 2),)
    if cond.clearance:
        kw["cleared"] = frozenset({condition})
    first = make_plan(Profile(condition, **kw), LIBRARY, GEOMETRY)
    sessions = sorted({1, first.course_sessions // 2, first.course_sessions})
    return [make_plan(Profile(condition, session=n, **kw), LIBRARY, GEOMETRY) for n in sessions]


@pytest.fixture
def presentation(qtbot):
    from bodymap.widgets.presentation import PresentationWindow

    controller = PlanOnly(LIBRARY, GEOMETRY)
    pres = PresentationWindow(controller)
    qtbot.addWidget(pres)
    pres.bind()
    yield pres, controller
    i18n.set_language("en")


def clipped(pres) -> list[str]:
    """The patient's labels shorter than their text needs, and a hidden overflow."""
    out = []
    for name in pres.FITTED:
        label = getattr(pres, name)
        if label.text() and label.height() < label.heightForWidth(label.width()):
            out.append(f"{name}: {label.height()} < {label.heightForWidth(label.width())}")
    if pres.text_box.height() < pres.text_height():
        out.append(f"box {pres.text_box.height()} < {pres.text_height()}")
    bar = pres.text_scroll.verticalScrollBar()
    if pres.text_box.height() > pres.text_scroll.viewport().height() and not bar.isVisible():
        out.append("overflow without a scroll bar")
    if bar.maximum() > bar.value() and not pres.more_cue.isVisible():
        out.append("more below, but no cue")
    label = pres.disclaimer
    if label.height() < label.heightForWidth(label.width()):
        out.append("disclaimer")
    return out


def show_at(pres, qtbot, size: tuple[int, int]) -> None:
    pres.resize(*size)
    if not pres.isVisible():
        pres.show()
        qtbot.waitExposed(pres)
    qtbot.waitUntil(lambda: pres.size().width() == size[0])


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_step_of_any_condition_is_clipped(presentation, qtbot, lang):
    pres, controller = presentation
    pres.map.setUpdatesEnabled(False)  # the map keeps its place, unpainted: this is about text
    i18n.set_language(lang)
    pres.retranslate()
    found = []
    for size in SIZES:
        show_at(pres, qtbot, size)
        seen: set[tuple] = set()  # the same words at the same size are set the same way
        for condition in sorted(LIBRARY.conditions):
            for plan in plans_of(condition):
                controller.set_plan(plan)
                avoid = pres.avoid_lines()
                for index, step in enumerate(plan.steps):
                    key = (pres.title.text(), pres.caption_for(step), avoid, len(plan.steps))
                    if key in seen:
                        continue
                    seen.add(key)
                    controller.set_step(index)
                    process_events()
                    found += [(size, condition, plan.session, index, c) for c in clipped(pres)]
    assert not found, found[:5]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_blocked_plan_with_many_reasons_is_not_clipped(presentation, qtbot, lang):
    pres, controller = presentation
    present = frozenset({"saddle-numbness", "bladder-bowel", "leg-weakness-both", "fever",
                         "infection", "malignancy", "pregnancy", "tuberculosis"})
    plan = make_plan(Profile("osteochondrosis-lumbosacral", further=("hernia",),
                             hernias=(Hernia("L4-L5", "left", "initial"),), present=present),
                     LIBRARY, GEOMETRY)
    i18n.set_language(lang)
    pres.retranslate()
    controller.set_plan(plan)
    for size in SIZES:
        show_at(pres, qtbot, size)
        process_events()
        assert not clipped(pres), (size, clipped(pres))


def test_text_too_long_for_the_screen_scrolls_with_a_cue(presentation, qtbot):
    """Forty reasons do not fit even at the smallest size: the text scrolls, the cue says so,
    and it goes away at the bottom."""
    pres, controller = presentation
    plan = make_plan(Profile("hypertension", present=frozenset({"fever"})), LIBRARY, GEOMETRY)
    many = tuple(Reason(f"x{i}", "block", {"en": f"Reason number {i} that stops the session.",
                                           "ru": f"Причина номер {i}."}) for i in range(40))
    controller.set_plan(dataclasses.replace(plan, reasons=plan.reasons + many))
    show_at(pres, qtbot, (1280, 720))
    process_events()
    from bodymap.widgets.presentation import MIN_TEXT_SCALE

    assert pres._text_scale == MIN_TEXT_SCALE
    bar = pres.text_scroll.verticalScrollBar()
    assert bar.isVisible() and bar.maximum() > 0
    assert pres.more_cue.isVisible() and pres.more_cue.text() == i18n.tr("present.more")
    assert not clipped(pres)
    bar.setValue(bar.maximum())
    assert not pres.more_cue.isVisible()
    assert "Reason number 39" in pres.caption.text()


def test_short_text_is_set_at_full_size(presentation, qtbot):
    pres, controller = presentation
    controller.set_plan(make_plan(Profile("hypertension"), LIBRARY, GEOMETRY))
    show_at(pres, qtbot, (1920, 1080))
    process_events()
    assert pres._text_scale == 1.0
    assert pres.caption.font().pointSizeF() == pytest.approx(30.0)
    assert not pres.more_cue.isVisible()


def process_events() -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
