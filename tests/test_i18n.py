"""Every interface string exists in English and Russian, with the same placeholders."""

import pytest

from bodymap import i18n


def test_every_string_has_both_languages():
    missing = [
        f"{key} [{lang}]"
        for key, entry in i18n.strings().items()
        for lang in i18n.LANGUAGES
        if not entry.get(lang, "").strip()
    ]
    assert not missing, "strings missing a translation: " + ", ".join(missing)


def test_placeholders_match_between_languages():
    bad = [
        key
        for key, entry in i18n.strings().items()
        if i18n.placeholders(entry["en"]) != i18n.placeholders(entry["ru"])
    ]
    assert not bad, "placeholders differ between en and ru: " + ", ".join(bad)


def test_russian_strings_are_not_english_copies():
    # A Russian string identical to the English one is usually a forgotten translation.
    allowed = {"app.name"}
    same = [
        key
        for key, entry in i18n.strings().items()
        if key not in allowed
        and entry["en"] == entry["ru"]
        and any(c.isalpha() for c in entry["en"])
    ]
    assert not same, "untranslated (ru == en): " + ", ".join(same)


def test_switching_language_notifies_listeners_and_changes_text():
    seen = []
    remove = i18n.on_language_changed(seen.append)
    try:
        i18n.set_language("ru")
        assert i18n.tr("app.disclaimer").startswith("Схематическое")
        i18n.set_language("en")
        assert i18n.tr("app.disclaimer").startswith("A schematic")
    finally:
        remove()
        i18n.set_language("en")
    assert seen == ["ru", "en"]


def test_unknown_language_is_rejected():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("de")
