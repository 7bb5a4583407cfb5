"""What the body map shows for a plan and its current step: a pure model (no Qt).

:func:`build_scene` (or :meth:`SceneBuilder.build`, which keeps the dissolved unions between
calls) turns a planner ``Plan``, the index of the current step and the marked pain points into
a :class:`MapScene`: per zone half its state (plain, emphasis, muted); the emphasis as one
dissolved area (no seams where emphasised zones meet); the no-touch areas that apply now and
the technique-specific ones that do not (cautions); the kidneys' style; the scoliosis roles;
the marks (hernia site, lesions, pain points); the landmarks; and the legend's rows.

The scene is computed when the data changes, never per frame. The painter in
``bodymap.widgets.map`` draws it on the screen (cached) and on the handout (vectors), so the
two cannot disagree. :func:`describe_place` says in words what the scene shows at a place
(the map's hover text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import shapely
from shapely.geometry.base import BaseGeometry

from bodymap.i18n import pick, tr
from bodymap.plan_state import PlanState, plan_state
from bodymap.vocabulary import MIDLINE_X, labelled, side_of

if TYPE_CHECKING:
    from bodymap.plan_types import Step

__all__ = [
    "BIG_LANDMARKS",
    "Area",
    "Landmark",
    "LegendRow",
    "MapScene",
    "Mark",
    "Role",
    "SceneBuilder",
    "build_scene",
    "describe_place",
    "dissolve",
]

#: landmarks drawn larger and labelled first (the usual counting points)
BIG_LANDMARKS = frozenset({"C7", "T12", "L5"})
ROLES = ("relax", "strengthen")
#: how far a hernia site's no-entry mark sits beside the site (back units)
MARK_GAP = 12.0


@dataclass(frozen=True)
class Area:
    """A no-touch area of the plan as the map draws it (not the spine or the kidneys)."""

    id: str
    area: BaseGeometry
    zones: tuple[str, ...] = ()
    #: "all" or the techniques it forbids, and the plan's words for it (en, ru)
    techniques: Any = "all"
    text: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Role:
    """Scoliosis: the halves to relax (concave side) or strengthen (convex side)."""

    role: str
    halves: frozenset[str]
    area: BaseGeometry  # dissolved: one outline, no lines inside
    side: str  # the patient's side the role's label goes to


@dataclass(frozen=True)
class Mark:
    """A no-entry sign (hernia site, lesion) or a pain point's star, in back units."""

    kind: str  # hernia | lesion | pain
    x: float
    y: float
    side: str = "central"  # hernia: the side its label goes to (left or right)
    label: str = ""  # hernia: the disc level, "L4-L5"


@dataclass(frozen=True)
class Landmark:
    name: str
    x: float
    y: float
    big: bool


@dataclass(frozen=True)
class LegendRow:
    """One row of the legend: ``key`` names the swatch and the text (``map.legend.<key>``)."""

    key: str
    zone: str = ""  # zone rows: the zone id
    state: str = ""  # zone rows: plain | emphasis | muted
    #: caution_area / active_area rows: the plan's words for the area (its NoTouch text)
    text: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class MapScene:
    plan: Any
    status: str  # none (no plan) | ok | blocked | postponed
    #: what the status means (bodymap.plan_state): the legend's line says it
    state: PlanState
    states: Mapping[str, str]  # half id -> plain | emphasis | muted
    emphasis: frozenset[str]
    emphasis_area: BaseGeometry | None
    kidneys: str  # outline (no plan) | caution | no-touch
    active: tuple[Area, ...]
    caution: tuple[Area, ...]
    roles: tuple[Role, ...]
    marks: tuple[Mark, ...]
    landmarks: tuple[Landmark, ...]
    legend: tuple[LegendRow, ...]
    steps: tuple[Step, ...] = ()
    step_index: int | None = None
    midline: float = MIDLINE_X
    pain_points: tuple[tuple[float, float], ...] = field(default=())
    #: regions beyond the back's zones the plan works too (the buttocks: Part 5, lumbago and
    #: sciatica), from ``plan.beyond_map[].regions``
    beyond: frozenset[str] = frozenset()
    beyond_area: BaseGeometry | None = None  # their dissolved, simplified outline

    @property
    def step(self) -> Step | None:
        return None if self.step_index is None else self.steps[self.step_index]

    def role(self, role: str) -> Role | None:
        return next((r for r in self.roles if r.role == role), None)

    def legend_keys(self) -> list[str]:
        return [row.key for row in self.legend]


def dissolve(polygons: Sequence[BaseGeometry]) -> BaseGeometry:
    """The union of neighbouring polygons as one outline: the hairline slivers left between
    zones that share a border (their edges do not match exactly) are closed, so an outline of
    the union has no lines inside it."""
    union = shapely.union_all(list(polygons))
    return union.buffer(0.5, join_style="mitre").buffer(-0.5, join_style="mitre")


def plan_steps(plan: Any) -> tuple[Step, ...]:
    """The steps the map can show: none unless the plan is ``ok``."""
    if plan is None or getattr(plan, "status", "ok") != "ok":
        return ()
    return tuple(plan.steps)


class SceneBuilder:
    """Builds scenes for one geometry, keeping the dissolved unions of zone halves."""

    def __init__(self, geometry: Any) -> None:
        self.geometry = geometry
        #: (sorted halves, simplification) -> their dissolved outline
        self._unions: dict[tuple[tuple[str, ...], float], BaseGeometry] = {}
        minx, _, maxx, _ = geometry.spine_strip().bounds
        self.midline = (minx + maxx) / 2.0

    def halves(self) -> tuple[str, ...]:
        geo = self.geometry
        return tuple(h for z in geo.ZONES for h in geo.halves(z))

    def expand(self, zones: Iterable[str]) -> list[str]:
        """Zone and half ids as the halves the geometry has."""
        geo = self.geometry
        out: list[str] = []
        for z in zones:
            if z in geo.ZONES:
                out.extend(geo.halves(z))
            elif z in geo.regions and geo.regions[z].kind == "half":
                out.append(z)
        return out

    def union(self, halves: Iterable[str], simplify: float = 0.0) -> BaseGeometry:
        key = (tuple(sorted(halves)), simplify)
        geom = self._unions.get(key)
        if geom is None:
            if len(self._unions) > 64:
                self._unions.clear()
            geom = dissolve([self.geometry.polygon(h) for h in key[0]])
            if simplify:
                geom = geom.simplify(simplify)
            self._unions[key] = geom
        return geom

    def build(
        self,
        plan: Any,
        step_index: int | None = None,
        pain_points: Iterable[tuple[float, float]] | None = None,
    ) -> MapScene:
        """What the map shows for ``plan`` at ``step_index``; the painful places marked are
        the plan's own unless ``pain_points`` are given."""
        steps = plan_steps(plan)
        if step_index is not None and not 0 <= step_index < len(steps):
            raise IndexError(f"step {step_index} out of range: the plan has {len(steps)} steps")
        step = None if step_index is None else steps[step_index]
        emphasis = frozenset(self.expand(plan.emphasis_zones)) if plan is not None else frozenset()
        states = {
            h: "plain" if plan is None else "emphasis" if h in emphasis else "muted"
            for h in self.halves()
        }
        active, caution, kidneys_active = self._no_touch(plan, step)
        if plan is None:
            kidneys = "outline"
        elif step is not None and (kidneys_active or step.technique == "vibration"):
            kidneys = "no-touch"  # vibration: the map's own rule if a plan forgot it
        else:
            kidneys = "caution"
        roles = tuple(self._roles(steps))
        if pain_points is None:
            pain_points = getattr(plan, "pain_points", ()) or ()
        pains = tuple((float(x), float(y)) for x, y in pain_points)
        beyond = self._beyond(plan)
        marks = tuple(self._marks(active)) + tuple(Mark("pain", x, y) for x, y in pains)
        scene = MapScene(
            plan=plan,
            status="none" if plan is None else getattr(plan, "status", "ok"),
            state=plan_state(plan),
            states=states,
            emphasis=emphasis,
            emphasis_area=self.union(emphasis) if emphasis else None,
            kidneys=kidneys,
            active=active,
            caution=caution,
            roles=roles,
            marks=marks,
            landmarks=tuple(
                Landmark(name, x, y, name in BIG_LANDMARKS)
                for name, (x, y) in self.geometry.landmarks.items()
            ),
            legend=(),
            steps=steps,
            step_index=step_index,
            midline=self.midline,
            pain_points=pains,
            beyond=beyond,
            beyond_area=self.union(beyond, simplify=0.4) if beyond else None,
        )
        return _with_legend(scene, self.geometry)

    def _beyond(self, plan: Any) -> frozenset[str]:
        regions = self.geometry.regions
        return frozenset(
            r for c in getattr(plan, "beyond_map", ()) or () for r in getattr(c, "regions", ())
            if r in regions and regions[r].kind == "buttock"
        )

    def _no_touch(self, plan: Any, step: Any) -> tuple[tuple[Area, ...], tuple[Area, ...], bool]:
        if plan is None:
            return (), (), False
        active: list[Area] = []
        caution: list[Area] = []
        kidneys = False
        for nt in plan.no_touch:
            now = nt.techniques == "all" or (step is not None and nt.applies_to(step.technique))
            if nt.id == "kidneys":
                kidneys = kidneys or now
            if nt.id in ("spine", "kidneys"):
                continue
            (active if now else caution).append(
                Area(nt.id, nt.area, tuple(nt.zones), nt.techniques, dict(nt.text)))
        return tuple(active), tuple(caution), kidneys

    def _roles(self, steps: Sequence[Any]) -> Iterable[Role]:
        regions = self.geometry.regions
        for role in ROLES:
            halves = frozenset(
                h for s in steps if getattr(s, "role", None) == role for h in self.expand(s.zones)
            )
            if halves:
                side = "left" if any(regions[h].side == "left" for h in halves) else "right"
                yield Role(role, halves, self.union(halves), side)

    def _marks(self, active: Sequence[Area]) -> Iterable[Mark]:
        for nt in active:
            minx, miny, maxx, maxy = nt.area.bounds
            if nt.id.startswith("hernia-site"):
                # the label goes on the site's own side; a central site's to the left
                left = side_of((minx + maxx) / 2, self.midline) != "right"
                x = minx - MARK_GAP if left else maxx + MARK_GAP
                level = nt.zones[0] if nt.zones else ""
                yield Mark("hernia", x, (miny + maxy) / 2, "left" if left else "right", level)
            elif nt.id.startswith("lesion"):
                yield Mark("lesion", nt.area.centroid.x, miny + (maxy - miny) * 0.2 + 4)


def _with_legend(scene: MapScene, geometry: Any) -> MapScene:
    rows = [LegendRow("title")]
    if scene.status not in ("none", "ok"):
        rows.append(LegendRow("status"))
    rows.append(LegendRow("zones"))
    for zone in geometry.ZONES:
        halves = geometry.halves(zone)
        state = "plain"
        if scene.plan is not None:
            state = "emphasis" if any(h in scene.emphasis for h in halves) else "muted"
        rows.append(LegendRow("zone", zone, state))
    if scene.plan is not None and scene.emphasis:
        rows += [LegendRow("emphasis"), LegendRow("muted")]
    rows.append(LegendRow("no_touch"))
    rows.append(LegendRow("kidneys_now" if scene.kidneys == "no-touch" else "kidneys"))
    rows += _area_rows(scene)
    kinds = {m.kind for m in scene.marks}
    rows += [LegendRow(k) for k in ("hernia", "lesion") if k in kinds]
    rows += [LegendRow(r.role) for r in scene.roles]
    if scene.beyond:
        rows.append(LegendRow("buttock"))
    if "pain" in kinds:
        rows.append(LegendRow("pain"))
    return MapScene(**{**scene.__dict__, "legend": tuple(rows)})


def _area_rows(scene: MapScene) -> list[LegendRow]:
    """One row per technique-specific area drawn: dashed while another technique is current
    (``caution_area``), hatched while a step it restricts is (``active_area``); each in the
    plan's own words ("Thoracic spine: no vibration"), each text once."""
    rows: list[LegendRow] = []
    seen: set[str] = set()
    for key, areas in (("active_area", scene.active), ("caution_area", scene.caution)):
        for a in areas:
            words = a.text.get("en", a.id)
            if a.techniques == "all" or a.id.startswith("lesion") or words in seen:
                continue
            seen.add(words)
            rows.append(LegendRow(key, text=a.text or {"en": a.id, "ru": a.id}))
    return rows


def build_scene(
    geometry: Any,
    plan: Any,
    step_index: int | None = None,
    pain_points: Iterable[tuple[float, float]] | None = None,
) -> MapScene:
    """The scene for ``plan`` with step ``step_index`` current (None: no step)."""
    return SceneBuilder(geometry).build(plan, step_index, pain_points)


# ------------------------------------------------------------------------------- hover text


def describe_place(scene: MapScene, geometry: Any, features: Sequence[str]) -> str:
    """Plain text about a place (the ids under it, most specific first): its name, and what
    the plan does there."""
    plan = scene.plan
    lines: list[str] = []
    no_touch = {nt.id: nt for nt in (plan.no_touch if plan is not None else ())}
    for f in features:
        if f in no_touch and f not in ("spine", "kidneys"):
            lines.append(labelled(tr("map.hover.no_touch"), pick(no_touch[f].text)))
    if "spine" in features:
        lines.append(tr("map.hover.spine"))
    kidney = next((f for f in features if f.startswith("kidney-")), None)
    if kidney:
        lines.append(pick(geometry.regions[kidney].names) + ": " + tr("map.hover.kidney"))
    scapula = next((f for f in features if f.startswith("scapula-")), None)
    half = next((f for f in features if f in scene.states), None)
    buttock = next((f for f in features if f in scene.beyond), None)
    if buttock and not half:
        lines += [pick(geometry.regions[buttock].names), tr("map.hover.buttock")]
    if half:
        lines.insert(0, pick(geometry.regions[half].names))
        if scapula:
            lines.insert(1, pick(geometry.regions[scapula].names))
        if plan is not None:
            lines.extend(_plan_here(scene, geometry, half))
    elif scapula:
        lines.insert(0, pick(geometry.regions[scapula].names))
    return "\n".join(lines)


def _plan_here(scene: MapScene, geometry: Any, half: str) -> list[str]:
    plan = scene.plan
    out = [tr("map.hover.emphasis" if half in scene.emphasis else "map.hover.muted")]
    parent = geometry.regions[half].parent
    for nt in plan.no_touch:
        if half in nt.zones or parent in nt.zones:
            out.append(labelled(tr("map.hover.no_touch"), pick(nt.text)))
    steps = [
        f"{i + 1}. {tr(f'map.technique.{s.technique}')}"
        + (f" ({tr('map.hover.role_' + s.role)})" if s.role else "")
        for i, s in enumerate(scene.steps)
        if half in s.zones or parent in s.zones
    ]
    if steps:
        out.append(tr("map.hover.steps", steps=", ".join(steps)))
    elif getattr(plan, "status", "ok") == "ok":
        out.append(tr("map.hover.no_steps"))
    return out

