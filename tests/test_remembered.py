# ruff: noqa: F811  (fixtures imported from test_mainwindow are used as arguments)
"""What the window remembers between runs: every condition of the last plan (lead first), and
the height the user gave the bottom docks (session player, course)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from test_mainwindow import Prompts, answer, answer_all_no, data, env, make_window  # noqa: F401

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs
from bodymap.widgets.layout import BOTTOM_HEIGHT

LEAD, HERNIA = "osteochondrosis-lumbosacral", "hernia"


def ini(tmp_path: Path, text: str) -> QSettings:
    """Settings as a hand-edited (or an older version's) INI file holds them."""
    path = tmp_path / "edited.ini"
    path.write_text(text, encoding="utf-8")
    return QSettings(str(path), QSettings.Format.IniFormat)


def status(window) -> str:
    return window.statusBar().currentMessage()


# ---------------------------------------------------------------------------------------------
# the last plan's conditions


def test_every_condition_of_the_last_plan_comes_back(make_window, env):
    window = make_window(condition=(LEAD, HERNIA))
    assert window.plan.conditions == (LEAD, HERNIA)
    window.close()
    again = make_window()  # no condition on the command line: the last plan's
    assert again.panel.conditions() == (LEAD, HERNIA)
    assert again.document().conditions == (LEAD, HERNIA)
    assert again.plan.conditions == (LEAD, HERNIA)  # the hernia's safeguards with it
    assert again.panel.conditions_box.further_list.item(0).data(Qt.ItemDataRole.UserRole) \
        == HERNIA
    # the hernia's safeguards came back too: no session until its level is known, then its
    # site is not to be touched (the lead alone would have planned a session at once)
    answer_all_no(again)
    assert again.plan.status == "blocked"
    assert "hernia-level" in [r.id for r in again.plan.reasons]
    again.panel.add_hernia("L4-L5", stage="initial")
    assert again.plan.status == "ok"
    assert "hernia-site" in [n.id[:11] for n in again.plan.no_touch]


def test_the_command_line_wins_over_the_remembered_conditions(make_window, env):
    make_window(condition=(LEAD, HERNIA)).close()
    again = make_window(condition="hypertension")
    assert again.panel.conditions() == ("hypertension",)
    again.close()
    assert prefs.last_conditions(env) == (("hypertension",), True)


def test_the_remembered_list_follows_the_picker(make_window, env):
    window = make_window(condition=LEAD)
    window.panel.conditions_box.add_condition(HERNIA)
    assert prefs.last_conditions(env) == ((LEAD, HERNIA), True)
    window.panel.conditions_box.remove_selected()
    assert prefs.last_conditions(env) == ((LEAD,), True)
    # the lead is also kept where the previous version reads it
    window.panel.conditions_box.add_condition(HERNIA)
    assert prefs.get_str(env, prefs.LAST_CONDITION) == LEAD


def test_settings_of_the_previous_version_give_their_lead(make_window, tmp_path):
    settings = ini(tmp_path, f"[plan]\nlast_condition={LEAD}\n")
    window = make_window(settings=settings)
    assert window.panel.conditions() == (LEAD,)
    assert status(window) == ""
    window.panel.conditions_box.add_condition(HERNIA)
    window.close()
    again = make_window(settings=settings)
    assert again.panel.conditions() == (LEAD, HERNIA)


def test_a_lead_changed_later_by_the_previous_version_wins(make_window, tmp_path):
    """An older copy of the app writes only the lead: the list no longer goes with it."""
    settings = ini(tmp_path, f"[plan]\nlast_conditions={LEAD}, {HERNIA}\n"
                             "last_condition=hypertension\n")
    window = make_window(settings=settings)
    assert window.panel.conditions() == ("hypertension",)


def test_unknown_remembered_ids_are_left_out_and_named(make_window, tmp_path):
    settings = ini(tmp_path, f"[plan]\nlast_conditions={LEAD}, gone-away, {HERNIA}\n"
                             f"last_condition={LEAD}\n")
    window = make_window(settings=settings)
    assert window.panel.conditions() == (LEAD, HERNIA)
    assert status(window) == tr("status.unknown_condition", id="gone-away")


def test_an_unknown_remembered_lead_gives_way_to_the_next(make_window, tmp_path):
    settings = ini(tmp_path, f"[plan]\nlast_conditions=gone-away, {HERNIA}\n"
                             "last_condition=gone-away\n")
    window = make_window(settings=settings)
    assert window.panel.conditions() == (HERNIA,)
    assert "gone-away" in status(window)


HUGE = ", ".join(f"c{i}" for i in range(100_000))
DICT = r"@Variant(\0\0\0\b\0\0\0\x1\0\0\0\x2\0k\0\0\0\x2\0\0\0\x1)"


@pytest.mark.parametrize(("stored", "expected", "readable"), [
    ("@ByteArray(hernia)", (LEAD,), False),  # a wrong type
    (DICT, (LEAD,), False),  # another wrong type
    ("42", (LEAD,), True),  # a lead that is not the remembered lead: the older copy's
    ("", (LEAD,), True),  # empty: nothing remembered but the lead
    ("@Invalid()", (LEAD,), True),  # how QSettings writes an empty list
    (HUGE, (LEAD,), False),  # more than a plan can have
    ("x" * 100_000, (LEAD,), False),  # not an id
    (f"{LEAD}, , {HERNIA}", (LEAD,), False),  # an empty id
    (f"{LEAD}, {HERNIA}, {HERNIA}, {LEAD}", (LEAD, HERNIA), True),  # repeated: once
    (f"  {LEAD} ,{HERNIA}  ", (LEAD, HERNIA), True),
])
def test_a_malformed_remembered_list_gives_a_sensible_default(make_window, tmp_path, stored,
                                                              expected, readable):
    settings = ini(tmp_path, f"[plan]\nlast_conditions={stored}\nlast_condition={LEAD}\n")
    assert prefs.last_conditions(settings) == (expected, readable)
    window = make_window(settings=settings)
    assert window.is_ready()
    assert window.panel.conditions() == expected
    unreadable = tr("status.last_conditions_unreadable", path=settings.fileName(),
                    setting=prefs.LAST_CONDITIONS)
    assert (unreadable in status(window)) is not readable
    window.close()  # and the next run reads back a list the app wrote
    assert prefs.last_conditions(settings) == (expected, True)


@pytest.mark.parametrize("text", [
    "[plan]\nlast_conditions=@ByteArray(x)\n",  # nothing to fall back on
    "[plan]\nlast_condition=@ByteArray(x)\n",
    "[plan]\nlast_condition=" + "y" * 100_000 + "\n",
    "[plan]\nlast_condition=\nlast_conditions=\n",
    "[plan]\nlast_conditions=gone-away\nlast_condition=gone-away\n",
])
def test_without_a_usable_remembered_condition_the_window_starts_empty(make_window, tmp_path,
                                                                       text):
    window = make_window(settings=ini(tmp_path, text))
    assert window.is_ready()
    assert window.panel.conditions() == () and window.plan is None
    assert len(status(window)) < 400  # a long stored id is not poured into the status bar


def test_the_remembered_list_is_no_longer_than_a_plans():
    from bodymap.document import MAX_CONDITIONS

    assert prefs.MAX_LAST_CONDITIONS == MAX_CONDITIONS


def test_the_unreadable_message_is_in_both_languages():
    for lang in ("en", "ru"):
        text = tr("status.last_conditions_unreadable", lang=lang, path="/x/bodymap.ini",
                  setting=prefs.LAST_CONDITIONS)
        assert "/x/bodymap.ini" in text and prefs.LAST_CONDITIONS in text
    assert tr("status.last_conditions_unreadable", lang="ru", path="", setting="") != \
        tr("status.last_conditions_unreadable", lang="en", path="", setting="")


# ---------------------------------------------------------------------------------------------
# the bottom docks' height


def bottom(window) -> tuple[int, int]:
    return window.player_dock.height(), window.course_dock.height()


def open_plan(window, qtbot, height: int | None) -> None:
    """Answer the screening (the plan appears) and wait until the docks are ``height`` tall
    (None: open, at any height)."""
    answer_all_no(window)
    if height is None:
        qtbot.waitUntil(lambda: min(bottom(window)) > 150, timeout=3000)
    else:
        qtbot.waitUntil(lambda: bottom(window) == (height, height), timeout=3000)


def drag_bottom_docks(window, qtbot, height: int) -> None:
    """What dragging the separator above the docks does: both get ``height``."""
    window.resizeDocks([window.player_dock, window.course_dock], [height, height],
                       Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: bottom(window) == (height, height), timeout=3000)


def first_question(window) -> str:
    return next(iter(window.panel.checklist.questions))


def screening_incomplete(window) -> None:
    answer(window, first_question(window), None)


def red_flag(window) -> None:
    answer(window, first_question(window), True)


def no_condition(window) -> None:
    window.panel.set_conditions(())


def plan_back(window) -> None:
    if not window.panel.conditions():
        window.panel.set_conditions(("hypertension",))
    answer(window, first_question(window), False)
    answer_all_no(window)


@pytest.mark.parametrize("go_away", [screening_incomplete, red_flag, no_condition])
def test_the_users_height_stays_when_the_plan_comes_back(make_window, qtbot, go_away):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, None)
    drag_bottom_docks(window, qtbot, 380)
    go_away(window)
    assert window.controller.playable_plan() is None
    qtbot.waitUntil(lambda: window.player_dock.height() < 100, timeout=3000)  # compact
    plan_back(window)
    assert window.controller.playable_plan() is not None
    qtbot.waitUntil(lambda: bottom(window) == (380, 380), timeout=3000)
    # again, with a smaller height of the user's own
    drag_bottom_docks(window, qtbot, 200)
    go_away(window)
    qtbot.waitUntil(lambda: window.player_dock.height() < 100, timeout=3000)
    plan_back(window)
    qtbot.waitUntil(lambda: bottom(window) == (200, 200), timeout=3000)


def test_reset_layout_brings_back_the_default_height(make_window, qtbot):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    drag_bottom_docks(window, qtbot, 380)
    window.act("reset_layout").trigger()
    qtbot.waitUntil(lambda: bottom(window) == (BOTTOM_HEIGHT, BOTTOM_HEIGHT), timeout=3000)
    screening_incomplete(window)  # and the user's height is forgotten
    qtbot.waitUntil(lambda: window.player_dock.height() < 100, timeout=3000)
    answer_all_no(window)
    qtbot.waitUntil(lambda: bottom(window) == (BOTTOM_HEIGHT, BOTTOM_HEIGHT), timeout=3000)


def restarted(make_window, qtbot):
    """A new window on the same settings, as large as the first (the offscreen screen may
    restore a saved geometry smaller)."""
    window = make_window()
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.height() == 900, timeout=3000)
    return window


def test_the_users_height_survives_a_restart(make_window, qtbot, env):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    drag_bottom_docks(window, qtbot, 360)
    window.close()
    assert prefs.get_int(env, prefs.BOTTOM_HEIGHT, *prefs.BOTTOM_HEIGHT_RANGE) == 360
    again = restarted(make_window, qtbot)  # the last condition; no plan until the screening
    qtbot.waitUntil(lambda: again.player_dock.height() < 100, timeout=3000)
    open_plan(again, qtbot, 360)
    # closed while the docks show nothing: the height is kept all the same
    screening_incomplete(again)
    again.close()
    third = restarted(make_window, qtbot)
    open_plan(third, qtbot, 360)
    # reset, then a restart: the default again
    third.act("reset_layout").trigger()
    third.close()
    assert env.value(prefs.BOTTOM_HEIGHT) is None
    fourth = restarted(make_window, qtbot)
    open_plan(fourth, qtbot, BOTTOM_HEIGHT)


def test_an_untouched_height_is_not_stored_as_the_users(make_window, qtbot, env):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    window.close()
    assert env.value(prefs.BOTTOM_HEIGHT) is None  # a later default would still apply


def test_a_small_window_does_not_shrink_the_users_height(make_window, qtbot, env):
    """Docks squeezed by a window too small for them keep the user's height for later."""
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    drag_bottom_docks(window, qtbot, 380)
    window.close()
    small = make_window()
    small.resize(1000, 560)
    qtbot.waitUntil(lambda: small.height() == 560, timeout=3000)
    answer_all_no(small)
    qtbot.waitUntil(lambda: small.controller.playable_plan() is not None
                    and small.player_dock.height() > 100, timeout=3000)
    squeezed = small.player_dock.height()
    assert squeezed < 380
    screening_incomplete(small)
    qtbot.waitUntil(lambda: small.player_dock.height() < 100, timeout=3000)
    small.close()
    assert prefs.get_int(env, prefs.BOTTOM_HEIGHT, *prefs.BOTTOM_HEIGHT_RANGE) == 380
    big = restarted(make_window, qtbot)
    open_plan(big, qtbot, 380)


@pytest.mark.parametrize("stored", ["abc", "-5", "0", "99999999999999", "@ByteArray(300)",
                                    "1e3", "３００", "", "@Invalid()"])
def test_a_malformed_stored_height_gives_the_default(make_window, qtbot, env, stored):
    window = make_window(condition="hypertension")
    window.close()  # a saved layout, so that the height is read with it
    state = env.value(prefs.STATE)
    settings = ini(Path(env.fileName()).parent,
                   f"[window]\nbottom_height={stored}\n[plan]\nlast_condition=hypertension\n")
    settings.setValue(prefs.STATE, state)
    again = make_window(settings=settings)
    assert again.is_ready()
    again.resize(1400, 900)
    qtbot.waitUntil(lambda: again.height() == 900, timeout=3000)
    open_plan(again, qtbot, BOTTOM_HEIGHT)


def test_stored_heights_read_back(tmp_path):
    settings = QSettings(str(tmp_path / "h.ini"), QSettings.Format.IniFormat)
    for value, expected in (("300", 300), (" 300 ", 300), (300, 300), ("39", None),
                            ("4001", None), (True, None), ([300], None), ("3" * 40, None)):
        settings.setValue("t/h", value)
        assert prefs.get_int(settings, "t/h", *prefs.BOTTOM_HEIGHT_RANGE) == expected, value
