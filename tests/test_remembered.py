# ruff: noqa: F811  (fixtures imported from test_mainwindow are used as arguments)
"""What the window remembers between runs: every condition of the last plan (lead first), and
the height the user gave the bottom docks (session player, course)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from test_mainwindow import Prompts, answer_all_no, data, env, make_window  # noqa: F401

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs

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
    again.panel.set_hernia("L4-L5")
    assert again.plan.status == "ok"
    assert "hernia-site" in [n.id for n in again.plan.no_touch]


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
