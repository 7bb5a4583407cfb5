"""Dates and times the way the chosen interface language writes them (``QLocale``).

:func:`interface_locale` is the ``QLocale`` of the interface language: the system's own locale
when it speaks that language (a British user keeps day-month order), otherwise the language's
default country. Times are shown in the local time zone, never as raw UTC ISO stamps.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime

from bodymap import i18n

__all__ = ["format_date", "format_datetime", "format_day", "interface_locale"]

_LANGUAGES = {"en": QLocale.Language.English, "ru": QLocale.Language.Russian}


def interface_locale(lang: str | None = None) -> QLocale:
    """The QLocale of ``lang`` (default: the interface language)."""
    language = _LANGUAGES.get(lang or i18n.language(), QLocale.Language.English)
    system = QLocale.system()
    return system if system.language() == language else QLocale(language)


def _local(when: datetime) -> QDateTime:
    local = when.astimezone() if when.tzinfo is not None else when
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute, local.second))


def _long_date_format(loc: QLocale) -> str:
    """The locale's long date without the weekday ("MMMM d, yyyy", "d MMMM yyyy г."): a
    weekday's case would not fit "from …" in Russian, and the date says the day."""
    pattern = loc.dateFormat(QLocale.FormatType.LongFormat)
    return re.sub(r"d{4}[^dMy]*", "", pattern).strip(" ,") or pattern


def format_datetime(when: datetime, lang: str | None = None) -> str:
    """"December 7, 2026, 3:04 PM", «7 декабря 2026 г., 15:04» (local time): the interface
    language's way."""
    loc = interface_locale(lang)
    moment = _local(when)
    return (f"{loc.toString(moment.date(), _long_date_format(loc))}, "
            f"{loc.toString(moment.time(), QLocale.FormatType.ShortFormat)}")


def format_date(day: date, lang: str | None = None) -> str:
    """A date in the interface language's short format ("07.12.2026", "12/7/26")."""
    return interface_locale(lang).toString(QDate(day.year, day.month, day.day),
                                           QLocale.FormatType.ShortFormat)


def format_day(day: date, lang: str | None = None) -> str:
    """A day of the year, short, for axis labels ("7 Dec", «7 дек.»)."""
    return interface_locale(lang).toString(QDate(day.year, day.month, day.day), "d MMM")
