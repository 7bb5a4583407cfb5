
"""What the window remembers between runs: the plan file open at the last close (never the last
patient's conditions on a blank form), and the height the user gave the bottom docks (session
player, course)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from window_helpers import answer, answer_all_no

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
# the plan file open at the last close


def saved_plan(make_window, tmp_path: Path):
    """A window with a whole patient (two conditions, a hernia, answers, a name), saved."""
    window = make_window(condition=(LEAD, HERNIA))
    answer_all_no(window)
    window.parts.panel.add_hernia("L4-L5", "left", "initial")
    window.parts.panel.name_edit.setText("Olga")
    path = tmp_path / "olga.bodymap.json"
    assert window.documents.save_to(path)
    return window, path


def test_a_restart_opens_the_plan_file_open_at_the_last_close(make_window, tmp_path):
    window, path = saved_plan(make_window, tmp_path)
    doc = window.controller.document()
    window.close()
    again = make_window()  # no condition on the command line: the file that was open
    assert again.controller.document() == doc and again.documents.path == path.resolve()
    assert again.parts.panel.conditions() == (LEAD, HERNIA)
    assert again.parts.panel.name_edit.text() == "Olga"
    # the hernia's safeguards came back with the whole document: its site is not touched
    assert again.plan.status == "ok" and "hernia-site" in [n.id[:11] for n in again.plan.no_touch]
    assert not again.isWindowModified()
    assert tr("status.last_opened", name=path.name) == status(again)


def test_after_new_a_restart_starts_blank(make_window, tmp_path, env):
    window, _path = saved_plan(make_window, tmp_path)
    window.documents.new_document()
    window.close()
    assert prefs.get_str(env, prefs.LAST_DOCUMENT) == ""
    again = make_window()
    doc = again.controller.document()
    assert doc.is_draft and doc.patient_name == "" and again.plan is None
    assert again.parts.panel.conditions() == () and again.parts.panel.name_edit.text() == ""


@pytest.mark.parametrize("text", [
    f"[plan]\nlast_condition={LEAD}\n",  # what versions before this one remembered
    f"[plan]\nlast_conditions={LEAD}, {HERNIA}\nlast_condition={LEAD}\n",
])
def test_a_restart_never_puts_the_last_patients_conditions_on_a_blank_form(make_window,
                                                                          tmp_path, text):
    window = make_window(settings=ini(tmp_path, text))
    assert window.controller.document().is_draft and window.parts.panel.conditions() == ()


@pytest.mark.parametrize("content", [None, "{not json", '{"format": "bodymap-plan"}'])
def test_a_last_file_gone_or_broken_is_named_and_the_window_starts_blank(make_window, tmp_path,
                                                                         content):
    path = tmp_path / "gone.bodymap.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    settings = ini(tmp_path, f"[files]\nlast_document={path}\n")
    window = make_window(settings=settings)
    assert window.controller.document().is_draft and not window.prompter.errors
    assert "gone.bodymap.json" in status(window) and len(status(window)) < 400
    assert prefs.get_str(settings, prefs.LAST_DOCUMENT) == ""  # said once, then forgotten


def test_the_command_line_wins_over_the_last_file(make_window, tmp_path):
    window, _path = saved_plan(make_window, tmp_path)
    window.close()
    again = make_window(condition="hypertension")
    assert again.controller.document().conditions == ("hypertension",)
    assert again.parts.panel.name_edit.text() == "" and again.documents.path is None


def test_recovered_work_wins_over_the_last_file(make_window, tmp_path):
    window, path = saved_plan(make_window, tmp_path)
    window.parts.panel.name_edit.setText("Olga, edited")
    assert window.documents.autosave_now() is not None
    window.hide()  # a crash: no clean close, the autosave stays
    from window_helpers import Prompts

    prompts = Prompts()
    prompts.replies["recover"] = "recover"
    again = make_window(prompts=prompts)
    assert again.controller.document().patient_name == "Olga, edited"
    assert again.documents.path == path.resolve() and again.isWindowModified()


# ---------------------------------------------------------------------------------------------
# the bottom docks' height


def bottom(window) -> tuple[int, int]:
    return window.parts.player_dock.height(), window.parts.course_dock.height()


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
    window.resizeDocks([window.parts.player_dock, window.parts.course_dock], [height, height],
                       Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: bottom(window) == (height, height), timeout=3000)


def first_question(window) -> str:
    return next(iter(window.parts.panel.checklist.questions))


def screening_incomplete(window) -> None:
    answer(window, first_question(window), None)


def red_flag(window) -> None:
    answer(window, first_question(window), True)


def no_condition(window) -> None:
    window.parts.panel.set_conditions(())


def plan_back(window) -> None:
    if not window.parts.panel.conditions():
        window.parts.panel.set_conditions(("hypertension",))
    answer(window, first_question(window), False)
    answer_all_no(window)


@pytest.mark.parametrize("go_away", [screening_incomplete, red_flag, no_condition])
def test_the_users_height_stays_when_the_plan_comes_back(make_window, qtbot, go_away):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, None)
    drag_bottom_docks(window, qtbot, 380)
    go_away(window)
    assert window.controller.playable_plan() is None
    qtbot.waitUntil(lambda: window.parts.player_dock.height() < 100, timeout=3000)  # compact
    plan_back(window)
    assert window.controller.playable_plan() is not None
    qtbot.waitUntil(lambda: bottom(window) == (380, 380), timeout=3000)
    # again, with a smaller height of the user's own
    drag_bottom_docks(window, qtbot, 200)
    go_away(window)
    qtbot.waitUntil(lambda: window.parts.player_dock.height() < 100, timeout=3000)
    plan_back(window)
    qtbot.waitUntil(lambda: bottom(window) == (200, 200), timeout=3000)


def test_reset_layout_brings_back_the_default_height(make_window, qtbot):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    drag_bottom_docks(window, qtbot, 380)
    window.act("reset_layout").trigger()
    qtbot.waitUntil(lambda: bottom(window) == (BOTTOM_HEIGHT, BOTTOM_HEIGHT), timeout=3000)
    screening_incomplete(window)  # and the user's height is forgotten
    qtbot.waitUntil(lambda: window.parts.player_dock.height() < 100, timeout=3000)
    answer_all_no(window)
    qtbot.waitUntil(lambda: bottom(window) == (BOTTOM_HEIGHT, BOTTOM_HEIGHT), timeout=3000)


def restarted(make_window, qtbot):
    """A new window on the same settings, as large as the first (the offscreen screen may
    restore a saved geometry smaller), on the same condition."""
    window = make_window(condition="hypertension")
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: window.height() == 900, timeout=3000)
    return window


def test_the_users_height_survives_a_restart(make_window, qtbot, env):
    window = make_window(condition="hypertension")
    open_plan(window, qtbot, BOTTOM_HEIGHT)
    drag_bottom_docks(window, qtbot, 360)
    window.close()
    assert prefs.get_int(env, prefs.BOTTOM_HEIGHT, *prefs.BOTTOM_HEIGHT_RANGE) == 360
    again = restarted(make_window, qtbot)  # no plan until the screening
    qtbot.waitUntil(lambda: again.parts.player_dock.height() < 100, timeout=3000)
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
    small = make_window(condition="hypertension")
    # as small as the window goes (its plots are made and laid out: their minimum heights
    # count), far too small for 380-pixel docks
    low = max(560, small.minimumSizeHint().height())
    small.resize(1000, low)
    qtbot.waitUntil(lambda: small.height() == low, timeout=3000)
    answer_all_no(small)
    qtbot.waitUntil(lambda: small.controller.playable_plan() is not None
                    and small.parts.player_dock.height() > 100, timeout=3000)
    squeezed = small.parts.player_dock.height()
    assert squeezed < 380
    screening_incomplete(small)
    qtbot.waitUntil(lambda: small.parts.player_dock.height() < 100, timeout=3000)
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
                   f"[window]\nbottom_height={stored}\n")
    settings.setValue(prefs.STATE, state)
    again = make_window(condition="hypertension", settings=settings)
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
