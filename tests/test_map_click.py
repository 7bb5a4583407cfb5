"""What a click on the back does in each marking mode (map/layout.click_action)."""

from __future__ import annotations

from bodymap.geometry import load_geometry
from bodymap.widgets.map.layout import click_action

GEO = load_geometry()


def _inside(zone: str) -> tuple[float, float]:
    p = GEO.regions[zone].polygon.representative_point()
    return p.x, p.y


def test_not_marking_a_click_selects_the_zone_under_it() -> None:
    x, y = _inside("lumbosacral-left")
    assert click_action(GEO, 0.0, None, x, y) == ("select", ("lumbosacral-left",))


def test_off_the_back_nothing_happens_in_any_mode() -> None:
    for mode in (None, "hernia", "pain", "lesion"):
        assert click_action(GEO, 0.0, mode, -10_000.0, -10_000.0) is None


def test_a_pain_point_goes_where_the_click_was() -> None:
    x, y = _inside("thoracic-right")
    assert click_action(GEO, 0.0, "pain", x, y) == ("pain", (x, y))


def test_a_lesion_toggles_the_zone_clicked() -> None:
    x, y = _inside("collar-left")
    assert click_action(GEO, 0.0, "lesion", x, y) == ("lesion", ("collar-left",))


def test_a_hernia_takes_the_nearest_disc_level_and_the_keyboards_half() -> None:
    x, y = _inside("lumbosacral-right")
    what, (level, side) = click_action(GEO, 0.0, "hernia", x, y, half="lumbosacral-right")
    assert what == "hernia"
    assert level == GEO.nearest_level(y)
    assert side == GEO.regions["lumbosacral-right"].side
