"""One plan state for every view (bodymap.plan_state): the banner, the map's legend, the
presentation and the handout say the same thing about a plan, and none of them says "Session
blocked: no massage today" when the screening is merely incomplete or a finding is missing."""

from __future__ import annotations

import pytest
from presentation_fake import PlanOnly

from bodymap import i18n
from bodymap.geometry import load_geometry
from bodymap.handout_text import build_handout
from bodymap.library import load_library
from bodymap.map_scene import build_scene
from bodymap.plan_state import VIEWS, PlanState, plan_state, state_words
from bodymap.planner import Profile, make_plan

GEOMETRY = load_geometry()
LIBRARY = load_library()

#: a patient in each state
PROFILES = {
    PlanState.OK: Profile("hypertension"),
    PlanState.REFER: Profile("back-pain", present=frozenset({"saddle-numbness"})),
    PlanState.BLOCKED: Profile("hypertension", present=frozenset({"fever"})),
    PlanState.POSTPONED: Profile("radiculitis", present=frozenset({"acute-phase"})),
    PlanState.INCOMPLETE: Profile("hypertension", answered=frozenset()),
    PlanState.MISSING: Profile("hernia"),
}
NOT_PLANNED = [s for s in PROFILES if s is not PlanState.OK]


def plan_in(state: PlanState):
    return make_plan(PROFILES[state], LIBRARY, GEOMETRY)


@pytest.mark.parametrize("state", list(PROFILES), ids=str)
def test_plan_state_names_each_case(state):
    assert plan_state(plan_in(state)) is state
    assert plan_state(None) is PlanState.NONE


def test_a_red_flag_outranks_a_block_and_a_block_outranks_missing_answers():
    both = make_plan(Profile("back-pain", present=frozenset({"saddle-numbness", "fever"})),
                     LIBRARY, GEOMETRY)
    assert plan_state(both) is PlanState.REFER
    blocked = make_plan(Profile("hypertension", present=frozenset({"fever"}),
                                answered=frozenset({"fever"})), LIBRARY, GEOMETRY)
    assert plan_state(blocked) is PlanState.BLOCKED
    waiting = make_plan(Profile("hernia", answered=frozenset()), LIBRARY, GEOMETRY)
    assert plan_state(waiting) is PlanState.INCOMPLETE


@pytest.mark.parametrize("state", NOT_PLANNED, ids=str)
def test_every_state_has_its_own_words_in_both_languages(state):
    for lang in i18n.LANGUAGES:
        for view in VIEWS:
            words = state_words(state, view, lang)
            assert words
            others = [state_words(s, view, lang) for s in NOT_PLANNED
                      if s is not state and not {s, state} <= {PlanState.INCOMPLETE,
                                                                 PlanState.MISSING}]
            if view != "stamp":
                assert words not in others, (state, view, lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("state", NOT_PLANNED, ids=str)
def test_banner_legend_presentation_and_handout_agree(state, lang, qtbot):
    """The four views show the words of one state, and never the words of another (the old
    bug: "Session blocked" for an incomplete screening)."""
    from bodymap.widgets.mapview import BodyMapView
    from bodymap.widgets.panels.banner import StatusBanner
    from bodymap.widgets.presentation import PresentationWindow

    plan = plan_in(state)
    i18n.set_language(lang)
    try:
        banner = StatusBanner()
        qtbot.addWidget(banner)
        banner.set_plan(plan, LIBRARY)

        view = BodyMapView(GEOMETRY)
        qtbot.addWidget(view)
        view.resize(1100, 900)
        view.set_playing(False)
        view.set_plan(plan)
        legend = " ".join(view.drawn_texts())

        pres = PresentationWindow(PlanOnly(LIBRARY, GEOMETRY, plan))
        qtbot.addWidget(pres)
        pres.bind()
        pres.resize(1280, 720)

        h = build_handout(plan, geometry=GEOMETRY, library=LIBRARY, lang=lang)
        shown = {
            "banner": banner.title.text(),
            "legend": legend,
            "patient": pres.step_label.text(),
            "handout": h.status_heading,
            "stamp": h.map_labels["banner"],
        }
    finally:
        i18n.set_language("en")

    assert build_scene(GEOMETRY, plan, None).state is state
    assert shown["banner"] == state_words(state, "banner", lang)
    assert state_words(state, "legend", lang) in shown["legend"]
    assert shown["patient"] == state_words(state, "patient", lang)
    assert shown["handout"] == state_words(state, "patient", lang)
    assert shown["stamp"] == state_words(state, "stamp", lang)
    for other in NOT_PLANNED:
        if other is state or {other, state} <= {PlanState.INCOMPLETE, PlanState.MISSING}:
            continue
        for view_name, text in shown.items():
            words = state_words(other, "patient" if view_name == "handout" else
                                view_name if view_name != "stamp" else "stamp", lang)
            if view_name == "stamp" and words == shown["stamp"]:
                continue
            assert words not in text, (state, other, view_name, text)


def test_an_incomplete_screening_is_never_called_blocked():
    plan = plan_in(PlanState.INCOMPLETE)
    h = build_handout(plan, geometry=GEOMETRY, library=LIBRARY, lang="en")
    for text in (h.status_heading, h.map_labels["banner"]):
        assert "blocked" not in text.lower() and "no massage" not in text.lower(), text
