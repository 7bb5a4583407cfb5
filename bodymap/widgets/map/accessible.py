"""The map as assistive technology sees it (issue 21, point 4).

A plain QWidget is one unnamed "client" to Qt's accessibility (a "filler" over AT-SPI, what
Orca reads) with no children: the zones are painted, not widgets. Names given with
``setAccessibleName`` (``bodymap.widgets.accessible``, the keyboard cursor's name) reach it,
but nothing says what is on the map.

:class:`MapAccessible` (registered with :func:`install`, a ``QAccessible`` factory) makes every
:class:`~bodymap.widgets.map.view.BodyMapView` a *graphic* with the map's name and, as its
children, the eight zone halves (in the keyboard's reading order) and then the plan's no-touch
areas. Each child is named in the current language, says its state in its description (a
focus of this plan or not, what must not be done there; a no-touch area what it forbids) and
has its bounds on the screen. :func:`announce_children` tells assistive technology when names
change (the plan, the language); :func:`announce_focus` when the keyboard cursor moves to a
half.

A study quiz must not give its answer away: while the map is *quiet* the halves are named by
their place only ("row 2 of 4, patient's left half") and say nothing more; while it is
*guarded* (where-not-to-press questions) the no-touch areas are not listed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, QPointF, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QWindow
from PySide6.QtWidgets import QAccessibleWidget

from bodymap import i18n
from bodymap.vocabulary import labelled

if TYPE_CHECKING:
    from bodymap.plan_types import Plan
    from bodymap.widgets.map.view import BodyMapView

__all__ = ["MapAccessible", "MapPart", "announce_children", "announce_focus", "install",
           "parts_of"]

_TEXT = QAccessible.Text
_ROLE = QAccessible.Role
_EVENT = QAccessible.Event


@dataclass(frozen=True)
class PartInfo:
    """One child of the map: what it is called and says, and its area in back units."""

    key: str  # a half's id, or the no-touch entry's id
    kind: str  # half | no-touch
    name: str
    description: str
    bounds: tuple[float, float, float, float]  # minx, miny, maxx, maxy (back units)


def _quiet(view: Any) -> bool:
    return bool(getattr(view, "_quiet", False))


def _guarded(view: Any) -> bool:
    return bool(getattr(view, "_guarded", False))


def parts_of(view: BodyMapView) -> list[PartInfo]:
    """The map's children now: the halves in reading order, then the no-touch areas."""
    from bodymap.map_scene import describe_place

    geo = view.geometry_model
    keys = view._keys
    rows = keys.rows()
    quiet, guarded = _quiet(view), _guarded(view)
    scene = view.scene()
    plan = view.plan()
    parts: list[PartInfo] = []
    for r, row in enumerate(rows):
        for half in row:
            bounds = tuple(geo.polygon(half).bounds)
            if quiet:
                side = geo.regions[half].side
                name = i18n.tr("map.a11y.position", row=r + 1, rows=len(rows),
                               side=i18n.tr(f"map.a11y.{side}"))
                parts.append(PartInfo(half, "half", name, "", bounds))
                continue
            lines = describe_place(scene, geo, (half,)).split("\n")[1:]
            lines[1:1] = _areas_inside(plan, geo, half)
            if guarded:  # what must not be touched is the question's answer
                lines = [ln for ln in lines if not _is_no_touch_line(ln)]
            if plan is None:
                lines = [i18n.tr("map.a11y.no_plan")]
            parts.append(PartInfo(half, "half", i18n.pick(geo.regions[half].names),
                                  "\n".join(lines), bounds))
    if quiet or guarded or plan is None:
        return parts
    for nt in plan.no_touch:
        if nt.area is None or nt.area.is_empty:
            continue
        parts.append(PartInfo(nt.id, "no-touch", _area_name(nt, geo), _area_description(nt),
                              tuple(nt.area.bounds)))
    return parts


def _areas_inside(plan: Any, geo: Any, half: str) -> list[str]:
    """No-touch areas placed inside a half rather than named by zone (a hernia site sits at
    its disc level): "Do not touch: hernia site L4-L5, patient's left"."""
    if plan is None:
        return []
    polygon = geo.polygon(half)
    parent = geo.regions[half].parent
    out = []
    for nt in plan.no_touch:
        if nt.id in ("spine", "kidneys") or half in nt.zones or parent in nt.zones:
            continue  # the spine lies between the halves; zones are named by the hover text
        if nt.area is not None and nt.area.intersection(polygon).area > 0.05 * nt.area.area:
            what = _area_name(nt, geo) if nt.techniques == "all" else i18n.pick(nt.text)
            out.append(labelled(i18n.tr("map.hover.no_touch"), what))
    return out


def _is_no_touch_line(line: str) -> bool:
    return line.startswith(i18n.tr("map.hover.no_touch"))


def _area_name(nt: Any, geo: Any) -> str:
    """A no-touch area's short name: the spine, the kidney areas, a hernia site with its level
    and side, a lesion's zone half, or the first words of the plan's own text."""
    if nt.id == "spine" and "spine" in geo.regions:
        return i18n.pick(geo.regions["spine"].names)
    if nt.id == "kidneys":
        return i18n.tr("map.a11y.kidneys")
    if nt.id.startswith("hernia-site") and nt.zones:
        side = nt.id.rsplit("-", 1)[-1]
        side = side if side in ("left", "right", "central") else "central"
        return i18n.tr("map.a11y.hernia", level=nt.zones[0],
                       side=i18n.tr(f"map.a11y.side_{side}"))
    if nt.id.startswith("lesion") and nt.zones and nt.zones[0] in geo.regions:
        return i18n.tr("map.a11y.lesion", zone=i18n.pick(geo.regions[nt.zones[0]].names))
    text = i18n.pick(nt.text) or nt.id
    return text.split(":", 1)[0].strip() if ":" in text else text


def _area_description(nt: Any) -> str:
    text = i18n.pick(nt.text) or nt.id
    if nt.techniques == "all":
        return i18n.tr("map.a11y.no_touch", text=text)
    names = ", ".join(i18n.tr(f"map.technique.{t}") for t in nt.techniques)
    return i18n.tr("map.a11y.no_touch_during", techniques=names, text=text)


class MapPart(QAccessibleInterface):
    """Child ``index`` of a map's :class:`MapAccessible`: it reads the map's parts each time,
    so it is never stale; past the current count it is not valid.

    Its ``object()`` is a plain QObject, a child of the view, made for it: Qt's cache of
    interfaces deletes the part when that object goes, i.e. with the view, so assistive
    technology can never reach a part whose map is gone."""

    def __init__(self, owner: MapAccessible, index: int, view: QObject) -> None:
        super().__init__()
        self.owner, self.index = owner, index
        self.anchor = QObject(view)
        self.anchor.setObjectName(f"mapPart{index}")

    def info(self) -> PartInfo | None:
        parts = self.owner.parts()
        return parts[self.index] if self.index < len(parts) else None

    def isValid(self) -> bool:
        return self.owner.isValid() and self.info() is not None

    def object(self) -> QObject:
        return self.anchor

    def window(self) -> QWindow:
        return self.owner.window()

    def relations(self, match: QAccessible.RelationFlag | None = None
                  ) -> list[tuple[QAccessibleInterface, QAccessible.RelationFlag]]:
        return []

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def parent(self) -> QAccessibleInterface:
        return self.owner

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def text(self, t: QAccessible.Text) -> str:
        info = self.info()
        if info is None:
            return ""
        if t == _TEXT.Name:
            return info.name
        if t == _TEXT.Description:
            return info.description
        return ""

    def setText(self, t: QAccessible.Text, text: str) -> None:
        pass

    def rect(self) -> QRect:
        info = self.info()
        view = self.owner.view()
        if info is None or view is None:
            return QRect()
        minx, miny, maxx, maxy = info.bounds
        a, b = view.back_to_widget(minx, miny), view.back_to_widget(maxx, maxy)
        top_left = view.mapToGlobal(QPoint(int(a.x()), int(a.y())))
        bottom_right = view.mapToGlobal(QPoint(int(b.x() + 0.999), int(b.y() + 0.999)))
        return QRect(top_left, bottom_right)

    def role(self) -> QAccessible.Role:
        return _ROLE.Graphic

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        info = self.info()
        view = self.owner.view()
        if info is None or view is None:
            state.invalid = True
            return state
        state.invisible = not view.isVisible()
        if info.kind == "half":
            state.focusable = True
            state.focused = view.hasFocus() and view.keyboard_zone() == info.key
        return state


class MapAccessible(QAccessibleWidget):
    """The map: a graphic named as the map, its children the halves and no-touch areas."""

    def __init__(self, view: BodyMapView) -> None:
        super().__init__(view, _ROLE.Graphic)
        self._view = view
        #: child interfaces by index, made once and kept: assistive technology holds them
        self._children: list[MapPart] = []
        self._parts: list[PartInfo] | None = None
        self._parts_key: tuple[object, ...] = ()
        self._parts_plan: Plan | None = None

    def view(self) -> BodyMapView | None:
        return self._view if self.isValid() else None

    def parts(self) -> list[PartInfo]:
        """The parts, worked out again only when the plan, language or quiz mode changed."""
        view = self._view
        key = (i18n.language(), _quiet(view), _guarded(view))
        if self._parts is None or key != self._parts_key or view.plan() is not self._parts_plan:
            self._parts, self._parts_key, self._parts_plan = parts_of(view), key, view.plan()
        return self._parts

    def childCount(self) -> int:
        return len(self.parts())

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        if not 0 <= index < len(self.parts()):
            return None
        while len(self._children) <= index:
            self._children.append(MapPart(self, len(self._children), self._view))
        return self._children[index]

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        for i, part in enumerate(self._children):
            if part is child:
                return i if i < len(self.parts()) else -1
        return -1

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        view = self.view()
        if view is None:
            return None
        local = view.mapFromGlobal(QPoint(x, y))
        bx, by = view.widget_to_back(QPointF(local))
        half = view.geometry_model.zone_at(bx, by)
        index = self.index_of(half) if half else -1
        return self.child(index) if index >= 0 else None

    # the stub returns a QAccessibleInterface; Qt's C++ returns nullptr (None)
    # where there is none, as here
    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        view = self.view()
        if view is None or not view.hasFocus() or view.keyboard_zone() is None:
            return None
        index = self.index_of(view.keyboard_zone())
        return self.child(index) if index >= 0 else None

    def index_of(self, key: str | None) -> int:
        return next((i for i, p in enumerate(self.parts()) if p.key == key), -1)

    def invalidate(self) -> None:
        self._parts = None


def _interface(obj: QObject) -> Any:
    """The map's interface if one was made (asking for it would make one)."""
    iface = QAccessible.queryAccessibleInterface(obj)
    return iface if isinstance(iface, MapAccessible) else None


#: how events reach assistive technology (tests record them here)
update: Callable[[QAccessibleEvent], None] = QAccessible.updateAccessibility


def active() -> bool:
    """Whether assistive technology listens (nothing is sent, and no interface made, when not)."""
    return QAccessible.isActive()


def announce_children(view: BodyMapView) -> None:
    """The names and descriptions of the map's children changed (a plan, the language)."""
    if not active():
        return
    iface = _interface(view)
    if iface is None:
        return
    iface.invalidate()
    update(QAccessibleEvent(view, _EVENT.ObjectReorder))
    for i in range(iface.childCount()):
        for kind in (_EVENT.NameChanged, _EVENT.DescriptionChanged):
            event = QAccessibleEvent(view, kind)
            event.setChild(i)
            update(event)


def announce_focus(view: BodyMapView) -> None:
    """The keyboard cursor is on a half: focus moves to that child."""
    if not active() or not view.hasFocus():
        return
    iface = _interface(view)
    index = iface.index_of(view.keyboard_zone()) if iface is not None else -1
    if index < 0:
        return
    event = QAccessibleEvent(view, _EVENT.Focus)
    event.setChild(index)
    update(event)


def _factory(classname: str, obj: QObject) -> QAccessibleInterface | None:
    from bodymap.widgets.map.view import BodyMapView

    if isinstance(obj, BodyMapView):
        return MapAccessible(obj)
    return None


_installed = False


def install() -> None:
    """Register the map's interface with Qt (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
