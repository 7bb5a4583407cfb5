"""What a study drill is, what topic it belongs to, and how an answer is checked (pure).

The builders of every drill kind are :mod:`bodymap.drills` (scenario drills) and
:mod:`bodymap.drill_motion` (the motion drill); both make :class:`Drill` values from the
protocol data. Nothing here imports Qt.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shapely import MultiPolygon, Point, Polygon

from bodymap.i18n import LANGUAGES, tr
from bodymap.plan_types import Plan
from bodymap.vocabulary import ZONES

__all__ = [
    "KINDS",
    "KIND_TOPIC",
    "NEAR_MISS",
    "NO_TOUCH_TOLERANCE",
    "TOPICS",
    "Drill",
    "Option",
    "Texts",
    "check",
    "near_miss",
    "overlay_plan",
]

KINDS: tuple[str, ...] = ("zone", "notouch", "order", "condzone", "contra", "technique",
                          "motion")
#: what a student studies; every drill belongs to exactly one topic (mastery and exam reports
#: count by topic). "contra" is its own topic: when not to massage at all.
TOPICS: tuple[str, ...] = ("zones", "notouch", "order", "conditions", "contra", "motions")
KIND_TOPIC: Mapping[str, str] = {
    "zone": "zones",
    "notouch": "notouch",
    "order": "order",
    "condzone": "conditions",
    "contra": "contra",
    "technique": "motions",
    "motion": "motions",
}
#: a click this close (map units) to a no-touch area counts as inside it (the spine is narrow)
NO_TOUCH_TOLERANCE = 4.0
#: a click this close (map units, beyond the tolerance) to the right place is a near miss: it
#: is still wrong, and the feedback says how close it came (about 8 px at 1366x768)
NEAR_MISS = 14.0

Texts = Mapping[str, str]


def texts(key: str, **fields: Any) -> dict[str, str]:
    """An interface string in every language; ``fields`` values may themselves be per-language."""
    out = {}
    for lang in LANGUAGES:
        values = {k: (v[lang] if isinstance(v, Mapping) else v) for k, v in fields.items()}
        out[lang] = tr(key, lang, **values)
    return out


def data_texts(t: Any) -> dict[str, str]:
    """A schema ``Text`` (``.en``/``.ru``) or a mapping, as ``{"en": .., "ru": ..}``."""
    if isinstance(t, Mapping):
        return {lang: t.get(lang) or t.get("en", "") for lang in LANGUAGES}
    return {lang: getattr(t, lang) for lang in LANGUAGES}


def join_texts(parts: Iterable[Texts], sep: str = ", ") -> dict[str, str]:
    parts = list(parts)
    return {lang: sep.join(p[lang] for p in parts) for lang in LANGUAGES}


def cites(sources: Iterable[Any]) -> tuple[Texts, ...]:
    """Each source's citation in every language (the source article's part and heading, or a
    named outside reference), each once."""
    out: dict[str, Texts] = {}
    for src in sources:
        cited = {lang: src.cite(lang) for lang in LANGUAGES}
        out.setdefault(cited["en"], cited)
    return tuple(out.values())


def unique_texts(items: Iterable[Texts]) -> tuple[Texts, ...]:
    out: dict[str, Texts] = {}
    for t in items:
        out.setdefault(t["en"], t)
    return tuple(out.values())


@dataclass(frozen=True)
class Option:
    """A choice the student can pick (multiple choice) or move (ordering)."""

    id: str
    label: Texts


@dataclass(frozen=True)
class Drill:
    id: str
    kind: str  # one of KINDS
    prompt: Texts
    #: the right answer in plain words
    answer_text: Texts
    #: why, in plain words, and where it comes from
    explanation: Texts
    #: the citations, each in every language (never one of our file names)
    sources: tuple[Texts, ...]
    #: zone: accepted region ids; condzone: the emphasis zones; contra/technique: the option id
    accept: frozenset[str] = frozenset()
    #: order: the right sequence of option ids (options with equal keys are interchangeable)
    order: tuple[str, ...] = ()
    order_keys: Mapping[str, Any] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    #: notouch: the union of the no-touch areas that apply to the step; zone: the zone's area
    #: (for telling a near miss)
    area: Polygon | MultiPolygon | None = field(default=None, compare=False)
    #: the plan the drill is about (what the map shows with the answer), and its step
    plan: Plan | None = field(default=None, compare=False)
    step: int | None = None
    #: region ids to highlight on the map as the right answer (zone, condzone)
    highlight: tuple[str, ...] = ()
    #: the condition the drill is about (scenario drills), and the technique (motion drills,
    #: where-not-to-press steps): what a deck can choose
    condition: str | None = None
    technique: str | None = None

    @property
    def topic(self) -> str:
        return KIND_TOPIC[self.kind]

    def shuffled_options(self, attempt: int = 0) -> tuple[Option, ...]:
        """The options in a stable pseudo-random order; for ``order`` never the right one."""
        opts = list(self.options)
        if len(opts) < 2:
            return tuple(opts)
        seed = zlib.crc32(f"{self.id}#{attempt}".encode())
        keyed = sorted(opts, key=lambda o: zlib.crc32(f"{seed}:{o.id}".encode()))
        if self.kind == "order" and _same_order(self, [o.id for o in keyed]):
            keyed = keyed[1:] + keyed[:1]
            if _same_order(self, [o.id for o in keyed]):
                keyed.reverse()
        return tuple(keyed)


def _same_order(drill: Drill, ids: Sequence[str]) -> bool:
    keys = drill.order_keys
    return [keys.get(i) for i in ids] == [keys.get(i) for i in drill.order]


# ---------------------------------------------------------------------------------------------
# checking an answer


def check(drill: Drill, response: Any) -> bool:
    """Is ``response`` right? Its type depends on the drill's kind:

    * ``zone``: the clicked region id (a half of the asked zone counts);
    * ``notouch``: the clicked point ``(x, y)`` in map units;
    * ``order``: the option ids in the student's order;
    * ``condzone``: the selected zone ids (halves count as their zone);
    * ``contra``, ``technique``, ``motion``: the chosen option id.
    """
    kind = drill.kind
    if kind == "zone":
        return isinstance(response, str) and response in drill.accept
    if kind == "notouch":
        if drill.area is None or response is None:
            return False
        x, y = response
        return bool(drill.area.distance(Point(float(x), float(y))) <= NO_TOUCH_TOLERANCE)
    if kind == "order":
        ids = list(response or ())
        return sorted(ids) == sorted(drill.order) and _same_order(drill, ids)
    if kind == "condzone":
        picked = {_parent_zone(z) for z in (response or ())}
        return picked == set(drill.accept)
    if kind in ("contra", "technique", "motion"):
        return response in drill.accept
    raise ValueError(f"unknown drill kind {kind!r}")


def near_miss(drill: Drill, response: Any, point: tuple[float, float] | None) -> bool:
    """Whether a wrong answer clicked at ``point`` came close to the right place: within
    :data:`NEAR_MISS` map units of the asked zone or of the step's no-touch areas. A click in
    the other half of the asked zone is the wrong side, not a near miss."""
    if point is None or drill.area is None or drill.kind not in ("zone", "notouch"):
        return False
    if check(drill, response):
        return False
    if drill.kind == "zone" and isinstance(response, str) and drill.highlight and \
            _parent_zone(response) == _parent_zone(drill.highlight[0]):
        return False
    distance = float(drill.area.distance(Point(float(point[0]), float(point[1]))))
    return distance <= NEAR_MISS + (NO_TOUCH_TOLERANCE if drill.kind == "notouch" else 0.0)


def _parent_zone(rid: str) -> str:
    for z in ZONES:
        if rid in (z, f"{z}-left", f"{z}-right"):
            return z
    return rid


def overlay_plan(emphasis: Iterable[str] = (), steps: tuple[Any, ...] = (),
                 no_touch: tuple[Any, ...] = ()) -> Plan:
    """A plan of nothing but ``emphasis`` (zone or half ids: the map's highlight), or of
    ``steps`` alone (a technique shown on its own, with its standing no-touch areas)."""
    return Plan(
        condition="",
        session=1,
        course_sessions=1,
        phase="main",
        status="ok",
        reasons=(),
        emphasis_zones=tuple(emphasis),
        no_touch=tuple(no_touch),
        steps=tuple(steps),
        course=(),
        cautions=(),
        sources=(),
        evidence=(),
    )
