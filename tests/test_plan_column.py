"""The plan's column beside the map (issue 21, point 3): the banner's reasons never push the
map off the window (they scroll past a few lines), and a session that cannot go ahead shows
every reason, whole, where its steps would be."""

from __future__ import annotations

from window_helpers import answer, answer_all_no

from bodymap.widgets.panels.banner import DETAIL_LINES


def test_a_blocked_session_lists_every_reason_in_the_steps_pane(make_window, data):
    library, _ = data
    window = make_window(condition="hypertension")
    answer_all_no(window)
    pane = window.parts.steps_pane
    assert pane.empty_text() == ""  # the steps show
    answer(window, "fever", True)
    assert window.plan.status == "blocked"
    assert pane.currentWidget() is pane.empty
    text = pane.empty_text()
    assert library.contraindications["fever"].explanation.en in text
    assert text.startswith("No steps today. Why:") and "No massage" in text
    answer(window, "fever", False)
    assert pane.currentWidget() is window.parts.steps and pane.empty_text() == ""


def test_the_banner_keeps_to_a_few_lines_and_scrolls_the_rest(make_window):
    window = make_window(condition="osteochondrosis-lumbosacral")
    banner = window.parts.banner
    # unanswered screening and a missing finding: more reasons than the banner shows at once
    window.controller.request_profile(conditions=("osteochondrosis-lumbosacral", "hernia"))
    window.parts.panel.hernia_level.setCurrentIndex(3)
    window.parts.panel.hernias.add_button.click()
    lines = banner.details.text().count("\n") + 1
    assert lines > DETAIL_LINES
    area = banner.details_area
    spacing = banner.details.fontMetrics().lineSpacing()
    assert area.height() <= spacing * banner.detail_lines() + 1
    assert area.verticalScrollBar().isVisible()  # the cue that there is more
    assert banner.details.height() > area.height()
    # every reason is still in the banner, and in full where the steps would be
    assert window.parts.steps_pane.empty_text().count("•") == banner.details.text().count("•")
