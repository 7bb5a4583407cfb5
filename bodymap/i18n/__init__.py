"""English and Russian interface strings, switchable at run time.

Strings are data: one TOML file per area in ``bodymap/i18n/strings/`` (``common.toml``,
``map.toml``, ``app.toml``, ``study.toml`` ...), each a table of keys with ``en`` and ``ru``::

    [menu.file]
    en = "&File"
    ru = "&Файл"

Why not Qt Linguist (.ts/.qm)? The strings are shared by the pure core (plan captions, the
command line, the handout) which must not import Qt, and a plain table lets a test prove that
no string is missing in either language (tests/test_i18n.py).

Widgets call :func:`tr` and re-apply their texts when :func:`on_language_changed` listeners fire.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path

LANGUAGES: tuple[str, ...] = ("en", "ru")
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
_STRINGS_DIR = Path(__file__).resolve().parent / "strings"

_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


@lru_cache(maxsize=1)
def strings() -> Mapping[str, Mapping[str, str]]:
    """Every interface string: ``key -> {"en": ..., "ru": ...}`` (keys are dotted paths)."""
    table: dict[str, dict[str, str]] = {}
    for path in sorted(_STRINGS_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        _flatten(data, "", table, path)
    return table


def _flatten(node: Mapping, prefix: str, out: dict[str, dict[str, str]], path: Path) -> None:
    if any(lang in node for lang in LANGUAGES) and all(isinstance(v, str) for v in node.values()):
        if prefix in out:
            raise ValueError(f"{path.name}: string key '{prefix}' is defined twice")
        out[prefix] = dict(node)
        return
    for key, value in node.items():
        if isinstance(value, Mapping):
            _flatten(value, f"{prefix}.{key}" if prefix else key, out, path)


def language() -> str:
    return _current


def set_language(lang: str) -> None:
    """Switch the interface language and notify every listener (widgets retranslate)."""
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    if lang == _current:
        return
    _current = lang
    for listener in list(_listeners):
        listener(lang)


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Register a listener; returns a function that unregisters it."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def tr(key: str, lang: str | None = None, **fields: object) -> str:
    """The string ``key`` in the current (or given) language, with ``{fields}`` filled in.

    A missing key is a programming error caught by tests; at run time it shows the key itself
    rather than crashing a patient presentation.
    """
    entry = strings().get(key)
    if entry is None:
        return key
    text = entry.get(lang or _current) or entry.get(DEFAULT_LANGUAGE, key)
    return text.format(**fields) if fields else text


def pick(texts: Mapping[str, str], lang: str | None = None) -> str:
    """Choose from a data text ``{"en": ..., "ru": ...}`` (protocol files, zone names)."""
    lang = lang or _current
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
