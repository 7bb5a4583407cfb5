"""Pydantic validation errors in plain words: what a field expected, and where it is
(``step[3].minutes``). Used by :mod:`bodymap.library` for one-line problems naming file and
field; re-exported by :mod:`bodymap.schema`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

#: what a pydantic error type expected, for the one-line messages
_EXPECTED = {
    "missing": "this field to be present",
    "extra_forbidden": "only the documented fields (see docs/protocols.md)",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "a text in quotes",
    "list_type": "a list [ ... ]",
    "tuple_type": "a list of two values [start, end]",
    "model_type": "a table { ... }",
    "model_attributes_type": "a table { ... }",
    "dict_type": "a table { ... }",
    "too_short": "more entries",
    "too_long": "fewer entries",
    "string_too_short": "a non-empty text",
    "string_too_long": "a shorter text",
    "string_pattern_mismatch": "an id of lowercase letters, digits and hyphens",
}


def expected_for(error: ErrorDetails) -> str | None:
    """What a pydantic error (``ValidationError.errors()`` item) expected, in plain words."""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if "expected" in ctx:
        return str(ctx["expected"])
    if kind in _BOUNDED:
        words, key = _BOUNDED[kind]
        return words.format(ctx.get(key))
    return _EXPECTED.get(kind)


#: pydantic error kind -> (what was expected, the context value that fills it in)
_BOUNDED: dict[str, tuple[str, str]] = {
    "greater_than": ("a number greater than {}", "gt"),
    "greater_than_equal": ("a number of at least {}", "ge"),
    "less_than_equal": ("a number of at most {}", "le"),
    "less_than": ("a number below {}", "lt"),
    "too_short": ("at least {} entries", "min_length"),
    "too_long": ("at most {} entries", "max_length"),
    "string_too_long": ("a text of at most {} characters", "max_length"),
}


def field_path(loc: tuple[Any, ...]) -> str:
    """``('step', 2, 'minutes')`` -> ``step[3].minutes`` (entries counted from 1, as people do)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out
