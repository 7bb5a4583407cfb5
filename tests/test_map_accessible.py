"""A screen reader reaches the map's zones (issue 21, point 4): the map is a named graphic whose
children are the zone halves and the no-touch areas, named in the current language, with their
state and their place on the screen; names follow the plan and the language, and the keyboard
cursor's moves are announced as focus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible

from bodymap import i18n
from bodymap.findings import Hernia
from bodymap.planner import Profile, make_plan
from bodymap.vocabulary import labelled
from bodymap.widgets.map import accessible

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description
EV = QAccessible.Event


@pytest.fixture
def plans(library, geometry):
    lead = "osteochondrosis-lumbosacral"
    return {
        "hernia": make_plan(Profile(lead, hernias=(Hernia("L4-L5", "left", "initial"),)),
                            library, geometry),
        "plain": make_plan(Profile(lead), library, geometry),
    }


@pytest.fixture
def view(qtbot, geometry, plans):
    from bodymap.widgets.mapview import BodyMapView

    v = BodyMapView(geometry)
    qtbot.addWidget(v)
    v.resize(900, 900)
    v.set_plan(plans["hernia"])
    v.show()
    qtbot.waitExposed(v)
    yield v
    i18n.set_language("en")


@pytest.fixture
def events(monkeypatch):
    """What the map tells assistive technology, as (event, child index) pairs (Qt sends
    nothing on the offscreen platform, where no assistive technology listens)."""
    sent: list[tuple[QAccessible.Event, int]] = []
    monkeypatch.setattr(accessible, "active", lambda: True)
    monkeypatch.setattr(accessible, "update", lambda e: sent.append((e.type(), e.child())))
    return sent


def children(view) -> list:
    iface = QAccessible.queryAccessibleInterface(view)
    return [iface.child(i) for i in range(iface.childCount())]


def by_name(view, name: str):
    return next(c for c in children(view) if c.text(NAME) == name)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_map_is_a_named_graphic_of_zone_halves_and_no_touch_areas(view, geometry, plans,
                                                                         lang):
    i18n.set_language(lang)
    iface = QAccessible.queryAccessibleInterface(view)
    assert iface.role() == QAccessible.Role.Graphic
    assert iface.text(NAME).startswith(i18n.tr("map.a11y.name"))
    halves = [h for z in geometry.ZONES for h in geometry.halves(z)]
    kids = children(view)
    assert len(kids) == len(halves) + len(plans["hernia"].no_touch)
    names = [c.text(NAME) for c in kids]
    assert sorted(names[:8]) == sorted(i18n.pick(geometry.regions[h].names) for h in halves)
    assert all(c.role() == QAccessible.Role.Graphic and c.parent() is iface for c in kids)
    assert [iface.indexOfChild(c) for c in kids] == list(range(len(kids)))

    lumbar = by_name(view, i18n.pick(geometry.regions["lumbosacral-left"].names))
    said = lumbar.text(DESCRIPTION)
    assert i18n.tr("map.hover.emphasis") in said  # the plan's focus
    hernia = i18n.tr("map.a11y.hernia", level="L4-L5", side=i18n.tr("map.a11y.side_left"))
    assert labelled(i18n.tr("map.hover.no_touch"), hernia) in said  # where not to touch
    collar = by_name(view, i18n.pick(geometry.regions["collar-left"].names))
    assert i18n.tr("map.hover.muted") in collar.text(DESCRIPTION)

    site = by_name(view, hernia)
    assert site.text(DESCRIPTION).startswith(i18n.tr("map.a11y.no_touch", text=""))
    spine = by_name(view, i18n.pick(geometry.regions["spine"].names))
    assert spine.text(DESCRIPTION).startswith(i18n.tr("map.a11y.no_touch", text=""))


def screen_point(view, x: float, y: float) -> QPoint:
    at = view.back_to_widget(x, y)
    return view.mapToGlobal(QPoint(round(at.x()), round(at.y())))


def test_each_child_has_its_bounds_on_the_screen(view, geometry):
    """Each half's rectangle holds its own middle and not another half's; the hernia site's
    rectangle is small and lies on its half's side of the spine."""
    halves = [h for z in geometry.ZONES for h in geometry.halves(z)]
    iface = QAccessible.queryAccessibleInterface(view)
    for half in halves:
        rect = by_name(view, i18n.pick(geometry.regions[half].names)).rect()
        pt = geometry.polygon(half).representative_point()
        assert rect.contains(screen_point(view, pt.x, pt.y)), half
        other = geometry.polygon(half.replace("left", "X").replace("right", "left")
                                 .replace("X", "right")).representative_point()
        assert not rect.contains(screen_point(view, other.x, other.y)), half
        found = iface.childAt(*screen_point(view, pt.x, pt.y).toTuple())
        assert found is not None and found.text(NAME) == by_name(
            view, i18n.pick(geometry.regions[half].names)).text(NAME)
    site = by_name(view, i18n.tr("map.a11y.hernia", level="L4-L5",
                                 side=i18n.tr("map.a11y.side_left"))).rect()
    whole = iface.rect()
    assert site.width() * site.height() < whole.width() * whole.height() / 50
    assert site.center().x() < screen_point(view, view.scene().midline, 0).x()


def test_names_follow_the_language_and_are_announced(view, geometry, events):
    first = children(view)[0]
    assert first.text(NAME) == geometry.regions["collar-left"].names["en"]
    i18n.set_language("ru")
    assert first.text(NAME) == geometry.regions["collar-left"].names["ru"]
    changed = {child for kind, child in events if kind == EV.NameChanged}
    assert set(range(len(children(view)))) <= changed
    assert {child for kind, child in events if kind == EV.DescriptionChanged} >= changed


def test_a_new_plan_changes_the_children_and_is_announced(view, plans, events):
    assert len(children(view)) == 8 + len(plans["hernia"].no_touch)
    view.set_plan(plans["plain"])
    assert len(children(view)) == 8 + len(plans["plain"].no_touch) < 8 + len(
        plans["hernia"].no_touch)
    assert not any("L4-L5" in c.text(NAME) for c in children(view))
    assert (EV.ObjectReorder, -1) in events
    assert {c for k, c in events if k == EV.NameChanged} == set(range(len(children(view))))
    view.set_plan(None)
    assert len(children(view)) == 8
    assert all(c.text(DESCRIPTION) == i18n.tr("map.a11y.no_plan") for c in children(view))


def test_keyboard_focus_moves_are_announced(qtbot, geometry, plans, events):
    """Tab into the map puts focus on the first half; arrows move it; each move is a Focus
    event for that child, which then says it is focused."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

    from bodymap.widgets.mapview import BodyMapView

    form = QWidget()
    lay = QVBoxLayout(form)
    before, view = QPushButton("before"), BodyMapView(geometry)
    lay.addWidget(before)
    lay.addWidget(view)
    qtbot.addWidget(form)
    form.resize(900, 1000)
    view.set_plan(plans["hernia"])
    form.show()
    qtbot.waitExposed(form)
    before.setFocus()
    qtbot.waitUntil(before.hasFocus)
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    qtbot.waitUntil(view.hasFocus)
    iface = QAccessible.queryAccessibleInterface(view)
    assert events[-1] == (EV.Focus, 0)
    assert iface.focusChild().text(NAME) == iface.child(0).text(NAME)
    assert iface.child(0).state().focused
    qtbot.keyClick(view, Qt.Key.Key_Down)
    kind, index = events[-1]
    assert kind == EV.Focus and index > 0
    assert view.keyboard_zone().startswith("interscapular")
    assert iface.child(index).text(NAME) == i18n.pick(
        geometry.regions[view.keyboard_zone()].names)
    assert iface.child(index).state().focused and not iface.child(0).state().focused
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert events[-1] == (EV.Focus, index + 1)
    assert iface.child(index + 1).state().focused


def test_a_quiz_map_does_not_give_the_answer_away(qtbot, geometry, plans):
    """Where a question asks for a zone, the halves are named by their place only; where it
    asks where not to press, no no-touch area is listed."""
    from bodymap.widgets.study.map import StudyMapView

    v = StudyMapView(geometry)
    qtbot.addWidget(v)
    v.resize(600, 800)
    v.set_plan(plans["hernia"])
    v.set_quiet(True)
    names = [c.text(NAME) for c in children(v)]
    assert len(names) == 8
    assert names[0] == i18n.tr("map.a11y.position", row=1, rows=4,
                               side=i18n.tr("map.a11y.left"))
    zone_names = {i18n.pick(r.names) for r in geometry.regions.values()}
    assert not zone_names & set(names)
    assert all(c.text(DESCRIPTION) == "" for c in children(v))
    v.set_quiet(False)
    v.set_guarded(True)
    kids = children(v)
    assert len(kids) == 8
    assert not any(i18n.tr("map.hover.no_touch", text="") in c.text(DESCRIPTION) for c in kids)


def test_the_windows_map_announces_the_plan_it_is_given(make_window, events):
    """The window's map is bound to the session: a new plan reaches assistive technology."""
    from window_helpers import answer_all_no

    window = make_window(condition="osteochondrosis-lumbosacral")
    answer_all_no(window)
    events.clear()
    window.controller.request_hernia("L4-L5", "left")
    names = [c.text(NAME) for c in children(window.parts.map)]
    assert any("L4-L5" in n for n in names)
    assert (EV.ObjectReorder, -1) in events


def test_a_map_that_is_gone_leaves_no_child_for_a_screen_reader_to_reach(qtbot, geometry,
                                                                         plans):
    """A screen reader holds the children by id (AT-SPI object paths): when the map is
    deleted (a study card closes), its children go from Qt's cache with it, so no id leads
    to a part whose map is gone."""
    from bodymap.widgets.mapview import BodyMapView

    v = BodyMapView(geometry)
    v.set_plan(plans["hernia"])
    iface = QAccessible.queryAccessibleInterface(v)
    ids = [QAccessible.uniqueId(iface.child(i)) for i in range(iface.childCount())]
    assert all(QAccessible.accessibleInterface(i) is not None for i in ids)
    del iface
    with qtbot.waitSignal(v.destroyed):
        v.deleteLater()
    assert [QAccessible.accessibleInterface(i) for i in ids] == [None] * len(ids)
