"""Russian forms of the headings the protocols cite (``protocols/headings.toml``).

The seed source is an English machine translation; its Russian headings are not available, so
each cited heading has a Russian form in the table (see the file's comment). Pure.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=1)
def _russian_headings() -> dict[str, str]:
    """English heading -> Russian (``protocols/headings.toml``)."""
    import tomllib

    from bodymap.resources import resource_path

    try:
        with open(resource_path("protocols", "headings.toml"), "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    out: dict[str, str] = {}
    for row in data.get("heading", []):
        if isinstance(row, dict) and isinstance(row.get("en"), str):
            out[row["en"]] = str(row.get("ru", row["en"]))
    return out


def russian_heading(heading: str) -> str:
    """The Russian form of a cited heading (the English one when the table lacks it)."""
    return _russian_headings().get(heading, heading)


def russian_cite(part: int | None, ref: str | None, heading: str) -> str:
    """A citation in Russian: ``Часть 4 — Цена``. The heading is our Russian rendering of an
    English one (the source's Russian original is not available), so it is not put in «»:
    «» in Russian text mark only the source's own words."""
    if part is not None:
        return f"Часть {part} — {russian_heading(heading)}"
    if ref is not None:
        return f"{ref} — {russian_heading(heading)}"
    return f"Собственное решение bodymap — {russian_heading(heading)}"
