"""The back's fixed vocabulary: zone ids, halves, sides, the midline and zone names.

One place for what every module used to spell out for itself (BRIEF.md "Conventions"):

* ``ZONES`` (neck to sacrum), ``SIDES``, ``HALVES`` (``<zone>-left``/``<zone>-right``, the
  patient's sides), ``ZONE_IDS`` (zones then halves), ``HERNIA_SIDES``;
* ``MIDLINE_X``: the spine's line in ``assets/zones.svg`` user units. The drawing is a posterior
  view, so the patient's left lies at x < ``MIDLINE_X``;
* :func:`side_of`: the one "which side of the spine" rule (a hernia click, a no-touch area's
  side in words, where a mark's label goes): within ``CENTRAL_BAND`` of the midline is
  ``central``;
* :func:`zone_name`, :func:`zone_names`: a region's display name from the geometry's
  registry (``zones.toml``), the id itself when the registry has none;
* :func:`labelled`: "label: text" with one colon, also when the text names its own subject.

Pure Python: no Qt, no shapely.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bodymap.i18n import LANGUAGES, pick

__all__ = [
    "CENTRAL_BAND",
    "HALVES",
    "HERNIA_SIDES",
    "MIDLINE_X",
    "SIDES",
    "ZONES",
    "ZONE_IDS",
    "halves_of",
    "labelled",
    "parent_of",
    "side_of",
    "zone_name",
    "zone_names",
]

ZONES: tuple[str, ...] = ("collar", "interscapular", "thoracic", "lumbosacral")
SIDES: tuple[str, ...] = ("left", "right")
HALVES: tuple[str, ...] = tuple(f"{zone}-{side}" for zone in ZONES for side in SIDES)
ZONE_IDS: tuple[str, ...] = ZONES + HALVES
HERNIA_SIDES: tuple[str, ...] = ("central", "left", "right")

#: The spine's line, in zones.svg user units (viewBox 0 0 600 900).
MIDLINE_X = 300.0
#: Half width of the band around the midline that counts as central (back units). The spine
#: strip is about 18 units wide and a one-sided hernia site's centre lies 28 units out.
CENTRAL_BAND = 10.0


def side_of(x: float, midline: float = MIDLINE_X) -> str:
    """The patient's side of the spine at ``x``: ``left``, ``right`` or ``central``.

    Posterior view: the patient's left is the viewer's left (x < midline).
    """
    if abs(x - midline) <= CENTRAL_BAND:
        return "central"
    return "left" if x < midline else "right"


def halves_of(zone: str) -> tuple[str, ...]:
    """A zone's two halves; a half is itself; anything else has none."""
    if zone in ZONES:
        return (f"{zone}-left", f"{zone}-right")
    if zone in HALVES:
        return (zone,)
    return ()


def parent_of(region_id: str) -> str:
    """The zone a half belongs to (``thoracic-left`` -> ``thoracic``); other ids unchanged."""
    return region_id.rsplit("-", 1)[0] if region_id in HALVES else region_id


def _names(geometry: Any, region_id: str) -> Mapping[str, str] | None:
    regions = getattr(geometry, "regions", None) or {}
    region = regions.get(region_id)
    return getattr(region, "names", None) or None


def zone_name(geometry: Any, region_id: str, lang: str | None = None) -> str:
    """A region's display name in ``lang`` (default: the current language); the id if unnamed."""
    names = _names(geometry, region_id)
    return pick(names, lang) if names else region_id


def zone_names(geometry: Any, region_id: str) -> dict[str, str]:
    """A region's display name in every interface language (the id where one is missing)."""
    names = _names(geometry, region_id) or {}
    return {lang: names.get(lang) or region_id for lang in LANGUAGES}


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def labelled(label: str, text: str) -> str:
    """``label: text``, never with a second colon. A text that names its own subject ("Hernia
    zone: no vibration or percussion", a safeguard's name) keeps its colon and takes the label
    in brackets after the subject: "Interscapular zone (hernia zone): no vibration ..."; a
    plain text follows the label: "Spine: never pressed on". No label: the text alone."""
    if not label:
        return text
    head, sep, rest = text.partition(": ")
    if sep and rest and len(head) <= 60 and not any(c in head for c in ".;:()?!\"«"):
        return f"{label} ({_lower_first(head)}): {rest}"
    return f"{label}: {_lower_first(text)}"
