"""English and Russian interface strings, switchable at run time.

Strings are data: one TOML file per area in ``bodymap/i18n/strings/`` (``common.toml``,
``map.toml``, ``app.toml``, ``study.toml`` ...), each a table of keys with ``en`` and ``ru``::

    [menu.file]
    en = "&File"
    ru = "&Файл"

A string that counts something has plural forms, chosen by its ``n`` field with the CLDR rules
(English: one, other; Russian: one, few, many, other)::

    [app.recent_gone]
    en.one = "{n} recent file no longer exists"
    en.other = "{n} recent files no longer exist"
    ru.one = "{n} недавний файл больше не существует"
    ru.few = "{n} недавних файла больше не существуют"
    ru.many = "{n} недавних файлов больше не существуют"
    ru.other = "{n} недавнего файла больше не существуют"

Numbers given as fields are written the language's way: ``5.5`` in English, ``5,5`` in Russian
(the decimal comma); :func:`number` does the same for text built outside :func:`tr`.

Why not Qt Linguist (.ts/.qm)? The strings are shared by the pure core (plan captions, the
command line, the handout) which must not import Qt, and a plain table lets a test prove that
no string is missing in either language (tests/test_i18n.py).

Widgets call :func:`tr` and re-apply their texts when :func:`on_language_changed` listeners fire.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TypeGuard

LANGUAGES: tuple[str, ...] = ("en", "ru")
LANGUAGE_NAMES: Mapping[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
_STRINGS_DIR = Path(__file__).resolve().parent / "strings"

_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


#: the strings read once into JSON (``python -m bodymap.i18n``; the Makefile keeps it current):
#: read instead of the TOML files while its key (bodymap.startup_cache: the package's source,
#: this code that flattens them included, and the TOML files' bytes) matches; any problem with
#: it (missing, a pipe, damaged, foreign, stale) and the TOML files are read
_CACHE = _STRINGS_DIR / "strings.cache.json"
_CACHE_MAX_BYTES = 4 * 1024 * 1024


def _string_files() -> list[Path]:
    return sorted(_STRINGS_DIR.glob("*.toml"))


def _source_key(files: list[Path]) -> str:
    from bodymap import startup_cache

    return startup_cache.key("strings", ((path.name, path) for path in files))


def _read_cache(key: str) -> dict[str, Entry] | None:
    from bodymap import startup_cache

    table = startup_cache.read_json(_CACHE, key, _CACHE_MAX_BYTES)
    if not isinstance(table, dict):
        return None
    if not all(isinstance(e, dict) and _is_entry(e) for e in table.values()):
        return None
    return table


def _parse(files: list[Path]) -> dict[str, Entry]:
    import tomllib

    table: dict[str, Entry] = {}
    for path in files:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        _flatten(data, "", table, path)
    return table


@lru_cache(maxsize=1)
def strings() -> Mapping[str, Entry]:
    """Every interface string: ``key -> {"en": ..., "ru": ...}`` (keys are dotted paths)."""
    files = _string_files()
    try:
        cached = _read_cache(_source_key(files))
    except Exception:  # a string file that cannot be read: _parse names it
        cached = None
    return cached if cached is not None else _parse(files)


def write_cache() -> Path:
    """Read the TOML files afresh and store them as :data:`_CACHE` (atomically)."""
    from bodymap import startup_cache

    files = _string_files()
    return startup_cache.write_json(
        _CACHE, _source_key(files), _parse(files),
        "made by `python -m bodymap.i18n`; used only while 'key' matches the TOML files and "
        "bodymap's source")


#: CLDR plural categories each language needs (https://cldr.unicode.org, "Language Plural Rules")
PLURAL_FORMS: Mapping[str, tuple[str, ...]] = {
    "en": ("one", "other"),
    "ru": ("one", "few", "many", "other"),
}

Entry = Mapping[str, str | Mapping[str, str]]  # lang -> text, or lang -> {plural category -> text}


def plural_category(n: float, lang: str) -> str:
    """The CLDR plural category of ``n`` in ``lang`` ("one", "few", "many" or "other")."""
    if lang == "ru":
        if n != int(n):
            return "other"  # fractions: "1,5 минуты"
        i = abs(int(n))
        if i % 10 == 1 and i % 100 != 11:
            return "one"
        if 2 <= i % 10 <= 4 and not 12 <= i % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def number(value: float, lang: str | None = None) -> str:
    """``value`` as people of ``lang`` write it: no trailing ``.0``; a decimal comma in Russian."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return text.replace(".", ",") if (lang or _current) == "ru" else text


def _is_entry(node: Mapping[str, object]) -> TypeGuard[Entry]:
    def text_or_forms(v: object) -> bool:
        return isinstance(v, str) or (
            isinstance(v, Mapping) and all(isinstance(f, str) for f in v.values()))

    return any(lang in node for lang in LANGUAGES) and all(map(text_or_forms, node.values()))


def _flatten(node: Mapping[str, object], prefix: str, out: dict[str, Entry], path: Path) -> None:
    if _is_entry(node):
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

    A string with plural forms takes the form for its ``n`` field; float fields are written
    with the language's decimal separator (:func:`number`).

    A missing key is a programming error caught by tests; at run time it shows the key itself
    rather than crashing a patient presentation.
    """
    entry = strings().get(key)
    if entry is None:
        return key
    lang = lang or _current
    text = entry.get(lang) or entry.get(DEFAULT_LANGUAGE, key)
    if isinstance(text, Mapping):
        n = fields.get("n")
        category = plural_category(n, lang) if isinstance(n, (int, float)) else "other"
        text = text.get(category) or text["other"]
    if not fields:
        return text
    shown = {k: number(v, lang) if isinstance(v, float) else v for k, v in fields.items()}
    return text.format(**shown)


def forms(entry_text: str | Mapping[str, str]) -> tuple[str, ...]:
    """Every form of one language's text (one for a plain string, each plural form else)."""
    return (entry_text,) if isinstance(entry_text, str) else tuple(entry_text.values())


def pick(texts: Mapping[str, str], lang: str | None = None) -> str:
    """Choose from a data text ``{"en": ..., "ru": ...}`` (protocol files, zone names)."""
    lang = lang or _current
    return texts.get(lang) or texts.get(DEFAULT_LANGUAGE) or next(iter(texts.values()), "")


def placeholders(text: str | Mapping[str, str]) -> set[str]:
    """The ``{fields}`` of a text, or of every plural form together."""
    return {name for form in forms(text) for _, name, _, _ in string.Formatter().parse(form)
            if name}
