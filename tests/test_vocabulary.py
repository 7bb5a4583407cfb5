"""The one vocabulary: zone ids, sides, the midline rule and zone names (pure, no Qt)."""

from __future__ import annotations

import pytest
from shapely.geometry import Point

from bodymap import geometry as geometry_module
from bodymap import schema, vocabulary
from bodymap.plain import side_of_area
from bodymap.vocabulary import (
    CENTRAL_BAND,
    HALVES,
    MIDLINE_X,
    ZONES,
    halves_of,
    parent_of,
    side_of,
    zone_name,
    zone_names,
)


@pytest.mark.parametrize(
    ("x", "side"),
    [
        (MIDLINE_X, "central"),
        (MIDLINE_X - CENTRAL_BAND, "central"),
        (MIDLINE_X + CENTRAL_BAND, "central"),
        (MIDLINE_X - CENTRAL_BAND - 0.5, "left"),  # posterior view: the patient's left
        (MIDLINE_X + CENTRAL_BAND + 0.5, "right"),
        (20.0, "left"),
        (580.0, "right"),
    ],
)
def test_side_of_the_spine(x, side):
    assert side_of(x) == side


def test_every_hernia_site_is_named_on_its_own_side(geometry):
    """The hernia a click places, and the words that describe it, agree on the side."""
    for side in vocabulary.HERNIA_SIDES:
        site = geometry.hernia_site("L4-L5", side)
        assert side_of_area(site) == side
        assert side_of(site.representative_point().x) == side


def test_a_hernia_site_off_centre_by_less_than_the_band_is_central():
    assert side_of_area(Point(MIDLINE_X + CENTRAL_BAND - 1, 500).buffer(5)) == "central"
    assert side_of_area(None) == "central"


def test_the_core_modules_share_the_vocabulary():
    assert schema.ZONES is ZONES and schema.HALVES is HALVES
    assert geometry_module.ZONES is ZONES and geometry_module.MIDLINE_X == MIDLINE_X
    assert tuple(h for z in ZONES for h in halves_of(z)) == HALVES
    assert halves_of("thoracic-left") == ("thoracic-left",) and halves_of("spine") == ()
    assert parent_of("thoracic-left") == "thoracic" and parent_of("spine") == "spine"


def test_zone_names_come_from_the_geometry_and_fall_back_to_the_id(geometry):
    assert zone_name(geometry, "collar-left", "en") == geometry.regions["collar-left"].names["en"]
    assert zone_name(geometry, "collar-left", "ru") == geometry.regions["collar-left"].names["ru"]
    assert zone_name(geometry, "no-such-place", "ru") == "no-such-place"
    assert zone_name(None, "collar") == "collar"
    names = zone_names(geometry, "thoracic")
    assert names["ru"] == geometry.regions["thoracic"].names["ru"] and set(names) == {"en", "ru"}
