"""Dates and times the user reads (issue 20, point 7): local time, in the interface language's
way (QLocale), never a raw UTC ISO stamp."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from window_helpers import Prompts

from bodymap import i18n
from bodymap.widgets.dates import format_datetime, format_day, interface_locale


@pytest.fixture
def moscow(monkeypatch):
    """The local time zone three hours east of UTC (POSIX rule: no zone database needed)."""
    monkeypatch.setenv("TZ", "MSK-3")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_utc_moment_is_shown_in_local_time_the_languages_way(qapp, moscow):
    moment = datetime(2026, 12, 7, 13, 4, tzinfo=UTC)
    english, russian = format_datetime(moment, "en"), format_datetime(moment, "ru")
    assert "16:04" in russian or "4:04" in english  # local: UTC+3
    assert "декабря 2026" in russian and "16:04" in russian
    assert "December" in english and "2026" in english
    for text in (english, russian):
        assert "T13" not in text and "+00:00" not in text and "13:04" not in text


def test_the_locale_follows_the_chosen_language(qapp):
    assert interface_locale("ru").language() == interface_locale("ru").Language.Russian
    assert interface_locale("en").language() == interface_locale("en").Language.English
    assert format_day(date(2026, 12, 7), "ru") != format_day(date(2026, 12, 7), "en")


def test_the_recovery_question_says_when_in_local_time(make_window, qtbot, moscow):
    window = make_window()
    window.parts.panel.name_edit.setText("Olga")
    autosave = window.documents.autosave_now()
    assert autosave is not None
    stamp = window.documents.store().pending()  # what a later start finds
    window.hide()  # a crash: the autosave stays
    saved_at = next(r.saved_at for r in stamp)
    assert "T" in saved_at  # stored as UTC ISO 8601, as before
    window.set_language("ru")
    prompts = Prompts()
    make_window(prompts=prompts)
    (_title, text, _choices), = [a for a in prompts.asked if "recover" in a[2]]
    assert format_datetime(datetime.fromisoformat(saved_at), "ru") in text
    assert saved_at not in text and "+00:00" not in text


def test_the_study_summary_follows_the_languages_locale(qtbot, moscow):
    from bodymap.widgets.study.summary import SummaryPage

    page = SummaryPage()
    qtbot.addWidget(page)
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    due = now + timedelta(days=2, hours=3)
    summary = SimpleNamespace(answered=3, right=2, wrong=1, next_due=due, due_within_day=4,
                              to_review=())
    try:
        for lang in ("en", "ru"):
            i18n.set_language(lang)
            page.show_summary(summary, [], lambda: now)
            assert format_datetime(due, lang) in page.next_due.text()
            assert due.isoformat()[:10] not in page.next_due.text()
    finally:
        i18n.set_language("en")
