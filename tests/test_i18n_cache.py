"""The interface strings' JSON copy (bodymap.i18n): used only while it matches the TOML files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bodymap import i18n


@pytest.fixture
def strings_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "strings"
    shutil.copytree(i18n._STRINGS_DIR, folder, ignore=shutil.ignore_patterns("*.json", "*.tmp"))
    monkeypatch.setattr(i18n, "_STRINGS_DIR", folder)
    monkeypatch.setattr(i18n, "_CACHE", folder / "strings.cache.json")
    i18n.strings.cache_clear()
    yield folder
    i18n.strings.cache_clear()


def test_the_cache_holds_exactly_the_toml_strings(strings_dir: Path) -> None:
    i18n.write_cache()
    files = i18n._string_files()
    assert i18n._read_cache(i18n._source_key(files)) == i18n._parse(files)
    assert i18n.tr("app.name", lang="ru") == i18n._parse(files)["app.name"]["ru"]


def test_an_edited_string_file_wins_over_the_cache(strings_dir: Path) -> None:
    i18n.write_cache()
    path = strings_dir / "common.toml"
    text = path.read_text(encoding="utf-8")
    old = i18n.tr("app.name", lang="en")
    path.write_text(text.replace(f'en = "{old}"', 'en = "Edited name"', 1), encoding="utf-8")
    i18n.strings.cache_clear()
    assert i18n.tr("app.name", lang="en") == "Edited name"


@pytest.mark.parametrize("content", ["", "{", "[]", '{"key": 1}', '{"key": null, "strings": []}',
                                     "\x00" * 100])
def test_a_damaged_cache_is_ignored(strings_dir: Path, content: str) -> None:
    (strings_dir / "strings.cache.json").write_text(content, encoding="utf-8")
    i18n.strings.cache_clear()
    assert i18n.tr("app.name", lang="ru") == i18n._parse(i18n._string_files())["app.name"]["ru"]


def test_a_cache_with_the_right_key_but_bad_entries_is_ignored(strings_dir: Path) -> None:
    import json

    key = i18n._source_key(i18n._string_files())
    (strings_dir / "strings.cache.json").write_text(
        json.dumps({"key": key, "strings": {"app.name": {"en": 5}}}), encoding="utf-8")
    assert i18n._read_cache(key) is None
