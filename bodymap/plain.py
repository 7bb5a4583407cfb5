"""A plan's steps and no-touch areas in a patient's words (pure: no Qt).

The presentation mode shows these captions to a patient, large; the handout prints the same
wording for its steps. A caption says what the hands do, where, which way and how firmly::

    Small warming circles with the palms or fingertips on your lower back, from the spine out
    towards your sides. With moderate pressure.

The words are data: ``plain`` texts of the techniques, variants and directions
(``protocols/techniques.toml``), ``plain_*`` names of the regions (``assets/zones.toml``), and
the joining words in ``bodymap/i18n/strings/plain.toml``. Every missing text falls back to the
registry's own name, so a caption is never empty. This is wording only: the facts (which
technique, which zones, which way, how firmly, which scoliosis side) are the plan's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from bodymap.findings import level_name
from bodymap.i18n import LANGUAGES, language, pick, tr
from bodymap.vocabulary import SIDES, ZONES, side_of

__all__ = [
    "ZONES",
    "firmness",
    "plain_avoid",
    "plain_caption",
    "plain_direction",
    "plain_no_touch",
    "plain_technique",
    "plain_where",
    "plain_zone_name",
    "side_of_area",
]



# ---------------------------------------------------------------------------------------------
# small helpers


def _lang(lang: str | None) -> str:
    lang = lang or language()
    return lang if lang in LANGUAGES else "en"


def _texts(t: Any) -> Mapping[str, str]:
    """A bilingual text: a ``Text`` model (``.en``/``.ru``), a mapping, or nothing."""
    if t is None:
        return {}
    if isinstance(t, Mapping):
        return {k: v for k, v in t.items() if isinstance(v, str) and v.strip()}
    out = {}
    for lang in LANGUAGES:
        value = getattr(t, lang, None)
        if isinstance(value, str) and value.strip():
            out[lang] = value
    return out


def _first(lang: str, *candidates: Any) -> str:
    """The first candidate text that has ``lang`` (else English) filled in."""
    for c in candidates:
        texts = _texts(c)
        if texts:
            return pick(texts, lang)
    return ""


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _lower_first(text: str) -> str:
    """"Light stroking" -> "light stroking" (but "L4-L5" stays as it is)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _join(items: Sequence[str], lang: str) -> str:
    """"a", "b", "c" -> "a, b and c" ("a, b и c")."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {tr('plain.and', lang)} " + items[-1]


def _parent_and_side(zone: str) -> tuple[str, str | None]:
    for side in SIDES:
        if zone.endswith("-" + side):
            return zone[: -len(side) - 1], side
    return zone, None


# ---------------------------------------------------------------------------------------------
# the pieces


def plain_technique(library: Any, technique: str, variant: str | None, lang: str | None = None
                    ) -> str:
    """What the hands do, lower case: "small warming circles with the palms or fingertips".

    The variant's ``plain`` text, else the technique's, else the variant's or technique's name.
    """
    lang = _lang(lang)
    tech = (getattr(library, "techniques", None) or {}).get(technique)
    if tech is None:
        return technique.replace("-", " ")
    var = tech.variant(variant) if variant and hasattr(tech, "variant") else None
    text = _first(
        lang,
        getattr(var, "plain", None),
        getattr(tech, "plain", None),
        getattr(var, "name", None),
        getattr(tech, "name", None),
    )
    return _lower_first(text) if text else technique.replace("-", " ")


def plain_direction(library: Any, direction: str, lang: str | None = None) -> str:
    """Which way the hands go: "from the spine out towards your sides"."""
    lang = _lang(lang)
    d = (getattr(library, "directions", None) or {}).get(direction)
    text = _first(lang, getattr(d, "plain", None), getattr(d, "name", None))
    return _lower_first(text) if text else direction.replace("-", " ")


def _region(geometry: Any, region_id: str) -> Any:
    return (getattr(geometry, "regions", None) or {}).get(region_id)


def plain_zone_name(region_id: str, geometry: Any, lang: str | None = None) -> str:
    """A region in everyday words, lower case: "your lower back", "поясница слева"."""
    lang = _lang(lang)
    region = _region(geometry, region_id)
    text = _first(lang, getattr(region, "plain_names", None), getattr(region, "names", None))
    return _lower_first(text) if text else region_id.replace("-", " ")


def _zone_where(region_id: str, geometry: Any, lang: str) -> str:
    """A region as a place where the hands work: "on your lower back", "между лопатками"."""
    region = _region(geometry, region_id)
    text = _first(lang, getattr(region, "plain_where", None))
    return text or plain_zone_name(region_id, geometry, lang)


def plain_where(zones: Iterable[str], geometry: Any, lang: str | None = None) -> str:
    """Where the hands work: "over your whole back", "on your neck and shoulders",
    "between your shoulder blades and on your middle back (right side only)".

    All four zones (whole or both halves) are the whole back; all four on one side, that side
    of the back; both halves of a zone, the zone. Places run from the neck down.
    """
    lang = _lang(lang)
    ids = list(dict.fromkeys(zones))
    sides: dict[str, set[str]] = {}  # parent zone -> the sides worked
    others: list[str] = []  # ids that are not zones or halves (kept as they are)
    for z in ids:
        parent, side = _parent_and_side(z)
        if parent in ZONES:
            sides.setdefault(parent, set()).update((side,) if side else SIDES)
        else:
            others.append(z)
    if not others and set(sides) == set(ZONES):
        worked = {frozenset(s) for s in sides.values()}
        if worked == {frozenset(SIDES)}:
            return tr("plain.whole_back", lang)
        if len(worked) == 1 and len(next(iter(worked))) == 1:
            return tr(f"plain.whole_side.{next(iter(next(iter(worked))))}", lang)
    ordered = [z for z in ZONES if z in sides]
    one_side = {next(iter(s)) for s in sides.values() if len(s) == 1}
    halves_only = all(len(s) == 1 for s in sides.values())
    if len(ordered) > 1 and halves_only and len(one_side) == 1 and not others:
        side = next(iter(one_side))
        places = _join([_zone_where(z, geometry, lang) for z in ordered], lang)
        return f"{places} {tr(f'plain.one_side.{side}', lang)}"
    names = []
    for z in ordered:
        s = sides[z]
        names.append(_zone_where(z if len(s) == 2 else f"{z}-{next(iter(s))}", geometry, lang))
    names += [_zone_where(z, geometry, lang) for z in others]
    return _join(names, lang)


def firmness(intensity: int | float, lang: str | None = None) -> str:
    """How firmly, in everyday words: 1 "Very gently", 2 "Gently", 3 "With moderate
    pressure", 4-5 "Firmly" (capitalised: it opens the caption's second sentence). Very light
    and light are two words: a patient sees the pressure rise from one to the other."""
    n = round(float(intensity))
    key = ("very_gentle" if n <= 1 else "gentle" if n == 2 else "moderate" if n == 3
           else "firm")
    return tr(f"plain.firmness.{key}", _lang(lang))


def plain_caption(step: Any, library: Any, geometry: Any, lang: str | None = None) -> str:
    """One step for the patient, in one or two short sentences: what the hands do, where,
    which way; then how firmly and, with scoliosis, which side it is for."""
    lang = _lang(lang)
    what = plain_technique(library, step.technique, getattr(step, "variant", None), lang)
    where = plain_where(getattr(step, "zones", ()) or (), geometry, lang)
    direction = plain_direction(library, step.direction, lang)
    first = " ".join(p for p in (what, where) if p)
    first = _upper_first(f"{first}, {direction}." if direction else f"{first}.")
    second = firmness(getattr(step, "intensity", 1) or 1, lang)
    role = getattr(step, "role", None)
    if role in ("relax", "strengthen"):
        second += ", " + tr(f"plain.role.{role}", lang)
    return f"{first} {second}."


# ---------------------------------------------------------------------------------------------
# what we avoid


def side_of_area(area: Any) -> str:
    """The patient's side of an area's centre (:func:`bodymap.vocabulary.side_of`)."""
    try:
        x = float(area.centroid.x)
    except (AttributeError, TypeError, ValueError):
        return "central"
    return side_of(x)


def plain_no_touch(no_touch: Any, lang: str | None = None, geometry: Any = None) -> str:
    """One no-touch area of a plan (a ``planner.NoTouch``) as a line of "what we avoid".

    ``geometry`` names a lesioned zone in everyday words (default: the shipped back). An area
    this module does not know is told in the rule's own text.
    """
    lang = _lang(lang)
    nid = str(getattr(no_touch, "id", ""))
    zones = tuple(getattr(no_touch, "zones", ()) or ())
    if nid == "spine":
        return tr("plain.avoid.spine", lang)
    if nid == "kidneys":
        return tr("plain.avoid.kidneys", lang)
    if nid.startswith("hernia-site"):
        side = tr(f"handout.side.{side_of_area(getattr(no_touch, 'area', None))}", lang)
        where = f"{level_name(zones[0], lang)}, {side}" if zones else side  # Th6-Th7 in Russian
        return tr("plain.avoid.hernia", lang, where=where)
    if nid.startswith("lesion-") and zones:
        if geometry is None:
            from bodymap.geometry import load_geometry

            geometry = load_geometry()
        return tr("plain.avoid.lesion", lang,
                  zone=_upper_first(plain_zone_name(zones[0], geometry, lang)))
    if nid.startswith("pain-point"):
        return tr("plain.avoid.pain_point", lang)
    if nid == "thoracic-spine-no-vibration":
        return tr("plain.avoid.thoracic_spine", lang)
    if nid == "hernia-zone-no-vibration":
        return tr("plain.avoid.hernia_zone", lang)
    text = _first(lang, getattr(no_touch, "text", None))
    return text or nid


def plain_avoid(no_touch: Iterable[Any], lang: str | None = None, geometry: Any = None
                ) -> tuple[str, ...]:
    """Every no-touch area of a plan as a "what we avoid" line, without repeats."""
    return tuple(dict.fromkeys(plain_no_touch(n, lang, geometry) for n in no_touch))
