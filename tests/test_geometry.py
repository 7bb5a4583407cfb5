"""bodymap.geometry: the back's regions, landmarks, levels and hit-testing (no Qt).

Tolerances (also listed in docs/geometry.md):
- two zone halves overlap by less than 0.5% of the smaller one's area;
- the halves cover at least 97% of the outline between the collar's top and the S1 level;
- each left half mirrored about x = 300 matches its right half: symmetric difference < 3% of
  its area.
Hit-test speed is measured by scripts/bench.py (as ratios in one run), not by a timed test.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely import affinity
from shapely.geometry import MultiPolygon, Point, Polygon, box

from bodymap.errors import DataFileError
from bodymap.geometry import (
    LANDMARK_ORDER,
    MIDLINE_X,
    REQUIRED_REGIONS,
    ZONES,
    BackGeometry,
    UnknownRegionError,
    load_geometry,
)
from bodymap.resources import resource_path

SVG = resource_path("assets", "zones.svg")
HALVES = [f"{zone}-{side}" for zone in ZONES for side in ("left", "right")]


@pytest.fixture(scope="module")
def geo() -> BackGeometry:
    return load_geometry()


def mirror(poly):
    return affinity.scale(poly, xfact=-1.0, yfact=1.0, origin=(MIDLINE_X, 0.0))


# -- ids and shapes -------------------------------------------------------------------------------
def test_every_required_id_exists(geo):
    for rid in (*REQUIRED_REGIONS, *ZONES):
        assert rid in geo.regions, rid
    assert tuple(geo.landmarks) == LANDMARK_ORDER
    assert geo.halves("collar") == ("collar-left", "collar-right")
    assert geo.source == SVG


def test_registry_kinds_sides_parents_and_names(geo):
    for zone in ZONES:
        assert geo.regions[zone].kind == "zone"
        for side, rid in zip(("left", "right"), geo.halves(zone), strict=True):
            region = geo.regions[rid]
            assert (region.kind, region.side, region.parent) == ("half", side, zone)
    assert geo.regions["spine"].kind == "spine"
    assert geo.regions["kidney-left"].kind == "kidney"
    assert geo.regions["scapula-right"].side == "right"
    for region in geo.regions.values():
        assert region.names["en"].strip() and region.names["ru"].strip(), region.id
        assert re.search("[а-яА-Я]", region.names["ru"]), region.id
    assert geo.regions["collar-left"].names["ru"] == "Воротниковая зона (левая половина)"


def test_regions_are_valid_polygons_with_area(geo):
    for rid, region in geo.regions.items():
        assert isinstance(region.polygon, Polygon), rid
        assert region.polygon.is_valid, rid
        assert region.polygon.area > 100, rid
        assert geo.polygon(rid) is region.polygon


def test_parent_is_union_of_halves(geo):
    for zone in ZONES:
        left, right = (geo.polygon(h) for h in geo.halves(zone))
        union = left.union(right)
        assert geo.polygon(zone).symmetric_difference(union).area < 1e-6 * union.area + 1e-6


def test_unknown_region_id(geo):
    with pytest.raises(UnknownRegionError, match="neck"):
        geo.polygon("neck")
    with pytest.raises(KeyError):
        geo.polygon("neck")
    with pytest.raises(ValueError, match="expected one of collar"):
        geo.halves("collar-left")


def test_bounds_are_the_outline_inside_the_viewbox(geo):
    x0, y0, x1, y1 = geo.bounds
    assert 0 <= x0 < 300 < x1 <= 600 and 0 <= y0 < y1 <= 900
    assert geo.bounds == geo.polygon("outline").bounds


def test_everything_lies_inside_the_outline(geo):
    outline = geo.polygon("outline").buffer(0.5)
    for rid, region in geo.regions.items():
        assert outline.contains(region.polygon), rid


# -- tiling ---------------------------------------------------------------------------------------
def test_halves_overlap_by_at_most_a_sliver(geo):
    for a, b in itertools.combinations(HALVES, 2):
        pa, pb = geo.polygon(a), geo.polygon(b)
        overlap = pa.intersection(pb).area
        assert overlap < 0.005 * min(pa.area, pb.area), (a, b, overlap)


def test_halves_cover_the_back_from_neck_base_to_sacrum(geo):
    top = geo.polygon("collar").bounds[1]
    s1 = geo.level_y("S1")
    band = geo.polygon("outline").intersection(box(0, top, 600, s1))
    covered = shapely.union_all([geo.polygon(h) for h in HALVES]).intersection(band).area
    assert covered >= 0.97 * band.area, covered / band.area


def test_zones_run_top_to_bottom(geo):
    def centre_y(rid: str) -> float:
        return geo.polygon(rid).centroid.y

    assert centre_y("collar") < centre_y("interscapular") < centre_y("lumbosacral")
    assert centre_y("thoracic") < centre_y("lumbosacral")
    assert geo.polygon("collar").bounds[1] < geo.level_y("C7")
    assert geo.polygon("lumbosacral").bounds[3] > geo.level_y("S1")
    # interscapular lies between the shoulder blades, roughly T2..T7
    _, y0, _, y1 = geo.polygon("interscapular").bounds
    assert abs(y0 - geo.level_y("T2-T3")) < 25 and abs(y1 - geo.level_y("T7")) < 25


@pytest.mark.parametrize(
    "left",
    [*(h for h in HALVES if h.endswith("-left")), "scapula-left"],
)
def test_left_and_right_mirror(geo, left):
    right = left.replace("-left", "-right")
    mirrored = mirror(geo.polygon(left))
    target = geo.polygon(right)
    assert mirrored.symmetric_difference(target).area / target.area < 0.03


def test_outline_is_symmetric(geo):
    outline = geo.polygon("outline")
    assert mirror(outline).symmetric_difference(outline).area / outline.area < 0.03


def test_halves_sit_on_their_side(geo):
    for rid in (*HALVES, "kidney-left", "kidney-right", "scapula-left", "scapula-right"):
        x0, _, x1, _ = geo.polygon(rid).bounds
        if rid.endswith("-left"):
            assert x1 <= MIDLINE_X + 0.01, rid
        else:
            assert x0 >= MIDLINE_X - 0.01, rid


# -- landmarks and features -----------------------------------------------------------------------
def test_landmarks_run_down_the_midline(geo):
    ys = [geo.landmarks[name][1] for name in LANDMARK_ORDER]
    assert all(a < b for a, b in itertools.pairwise(ys))
    for name, (x, _) in geo.landmarks.items():
        assert abs(x - MIDLINE_X) < 1, name
    gaps = dict(zip(LANDMARK_ORDER[1:], (b - a for a, b in itertools.pairwise(ys)), strict=True))
    # lumbar vertebrae are taller than the cervical and upper thoracic ones
    assert min(gaps[f"L{i}"] for i in range(2, 6)) > gaps["T1"]
    assert min(gaps[f"L{i}"] for i in range(2, 6)) > max(gaps[f"T{i}"] for i in range(1, 6))


def test_kidneys_beside_the_spine_at_lower_thoracic_upper_lumbar_level(geo):
    spine = geo.polygon("spine")
    t11, l3 = geo.level_y("T11"), geo.level_y("L3")
    for side, sign in (("left", -1), ("right", 1)):
        kidney = geo.polygon(f"kidney-{side}")
        c = kidney.centroid
        assert t11 < c.y < l3, side
        assert 45 <= sign * (c.x - MIDLINE_X) <= 70, side
        assert not kidney.intersects(spine), side
    area = geo.kidney_area()
    assert isinstance(area, MultiPolygon) and len(area.geoms) == 2


def test_scapulae_on_their_sides_beside_the_interscapular_zone(geo):
    for side, sign in (("left", -1), ("right", 1)):
        scapula = geo.polygon(f"scapula-{side}")
        x0, y0, x1, y1 = scapula.bounds
        medial = MIDLINE_X - x1 if side == "left" else x0 - MIDLINE_X
        assert 55 <= medial <= 80, side
        assert sign * (scapula.centroid.x - MIDLINE_X) > 80, side
        assert abs(y0 - geo.level_y("T2")) < 25 and abs(y1 - geo.level_y("T7")) < 25, side


def test_spine_strip_covers_every_landmark(geo):
    strip = geo.spine_strip()
    for name, (x, y) in geo.landmarks.items():
        assert strip.contains(Point(x, y)), name
    x0, y0, x1, y1 = strip.bounds
    assert 14 <= x1 - x0 <= 18
    assert y0 <= geo.level_y("C7") and y1 > geo.level_y("S1") + 50  # down to the coccyx


def test_spine_strip_margin(geo):
    wide = geo.spine_strip(6)
    assert wide.contains(geo.spine_strip())
    assert wide.bounds[2] - wide.bounds[0] == pytest.approx(
        geo.spine_strip().bounds[2] - geo.spine_strip().bounds[0] + 12, abs=0.1
    )
    assert geo.spine_strip(6) is wide  # cached
    with pytest.raises(ValueError, match="margin"):
        geo.spine_strip(-1)


# -- hit-testing ----------------------------------------------------------------------------------
def test_zone_at_each_half(geo):
    for rid in HALVES:
        p = geo.polygon(rid).representative_point()
        assert geo.zone_at(p.x, p.y) == rid
        assert rid in geo.features_at(p.x, p.y)


def test_zone_at_outside(geo):
    assert geo.zone_at(5, 5) is None
    assert geo.zone_at(300, 880) is None  # below the lumbosacral zone
    assert geo.features_at(5, 5) == []


def test_features_at_puts_the_spine_first_on_the_midline(geo):
    for name, (x, y) in geo.landmarks.items():
        features = geo.features_at(x, y)
        assert features[0] == "spine", name
        assert geo.zone_at(x, y) is not None, name


def test_features_at_order_most_specific_first(geo):
    kidney = geo.polygon("kidney-left").representative_point()
    features = geo.features_at(kidney.x, kidney.y)
    assert features[0] == "kidney-left"
    assert features[-1] == "outline"
    half = next(f for f in features if geo.regions[f].kind == "half")
    assert features.index(half) < features.index(geo.regions[half].parent)
    scapula = geo.polygon("scapula-right").representative_point()
    assert geo.features_at(scapula.x, scapula.y)[0] == "scapula-right"


@settings(max_examples=300, deadline=None)
@given(st.floats(0, 600), st.floats(0, 900))
def test_hit_tests_agree_with_shapely(x, y):
    geo = load_geometry()
    features = geo.features_at(x, y)
    expected = [rid for rid, r in geo.regions.items() if r.polygon.intersects(Point(x, y))]
    assert sorted(features) == sorted(expected)
    half = geo.zone_at(x, y)
    if half is None:
        assert not any(geo.regions[f].kind == "half" for f in features)
    else:
        assert half in features


# -- levels and hernia sites ----------------------------------------------------------------------
def test_level_y(geo):
    assert geo.level_y("L4") == geo.landmarks["L4"][1]
    assert geo.level_y("L4-L5") == pytest.approx((geo.level_y("L4") + geo.level_y("L5")) / 2)
    for level in ("C7-T1", "T12-L1", "L5-S1"):
        upper, lower = level.split("-")
        assert geo.level_y(upper) < geo.level_y(level) < geo.level_y(lower)
    assert geo.level_y(" l4-l5 ") == geo.level_y("L4-L5")
    assert geo.level_y("L4–L5") == geo.level_y("L4-L5")  # en dash
    assert len(geo.disc_levels) == len(LANDMARK_ORDER) - 1
    assert geo.disc_levels[0] == "C2-C3" and geo.disc_levels[-1] == "L5-S1"


@pytest.mark.parametrize("level", ["L6", "X1", "", "L4-L6", "L3-L5", "L5-L4", "L4-", "4-5"])
def test_level_y_rejects_bad_levels(geo, level):
    with pytest.raises(ValueError) as info:
        geo.level_y(level)
    message = str(info.value)
    assert repr(level) in message and "\n" not in message
    assert "L4-L5" in message or "adjacent" in message


def test_non_adjacent_level_suggests_the_disc(geo):
    with pytest.raises(ValueError, match="did you mean 'L3-L4'"):
        geo.level_y("L3-L5")


def test_nearest_level_snaps_to_discs(geo):
    for level in geo.disc_levels:
        y = geo.level_y(level)
        assert geo.nearest_level(y) == level
        upper = level.split("-")[0]
        assert geo.nearest_level(y - 0.4 * (y - geo.level_y(upper))) == level
    assert geo.nearest_level(0) == "C2-C3"
    assert geo.nearest_level(900) == "L5-S1"
    # a vertebra's own height lies halfway between its two discs: either neighbour is right
    assert geo.nearest_level(geo.level_y("L4") + 1) == "L4-L5"
    assert geo.nearest_level(geo.level_y("L4") - 1) == "L3-L4"


@pytest.mark.parametrize("level", ["L4-L5", "L5-S1", "C7-T1", "T6-T7", "L3"])
def test_hernia_site_placement(geo, level):
    y = geo.level_y(level)
    central = geo.hernia_site(level)
    left = geo.hernia_site(level, "left")
    right = geo.hernia_site(level, "right")
    for site in (central, left, right):
        assert isinstance(site, Polygon) and site.is_valid
        x0, y0, x1, y1 = site.bounds
        assert x1 - x0 == pytest.approx(40, abs=1) and y1 - y0 == pytest.approx(28, abs=1)
        assert site.centroid.y == pytest.approx(y, abs=0.01)
    assert central.centroid.x == pytest.approx(MIDLINE_X, abs=0.01)
    assert central.contains(Point(MIDLINE_X, y))
    assert left.centroid.x < MIDLINE_X - 15 and left.bounds[2] <= MIDLINE_X
    assert right.centroid.x > MIDLINE_X + 15 and right.bounds[0] >= MIDLINE_X
    assert mirror(left).symmetric_difference(right).area < 1.0
    # a paravertebral site lies in that side's half of the back
    half = geo.zone_at(left.centroid.x, left.centroid.y)
    assert half is None or half.endswith("-left")


def test_hernia_site_rejects_bad_side(geo):
    with pytest.raises(ValueError, match="central, left, right"):
        geo.hernia_site("L4-L5", "middle")
    with pytest.raises(ValueError, match="L9"):
        geo.hernia_site("L9")


# -- loading and errors ---------------------------------------------------------------------------
def test_default_geometry_is_cached():
    assert load_geometry() is load_geometry()


def test_explicit_path_loads_the_same_geometry(geo):
    other = load_geometry(SVG)
    assert other is not geo
    assert other.landmarks == geo.landmarks


def test_physical_size_does_not_change_user_units(tmp_path, geo):
    text = SVG.read_text(encoding="utf-8").replace(
        'width="600" height="900"', 'width="150mm" height="225mm"', 1
    )
    assert 'width="150mm"' in text
    copy = tmp_path / "zones.svg"
    copy.write_text(text, encoding="utf-8")
    scaled = load_geometry(copy)
    for name, (x, y) in geo.landmarks.items():
        assert scaled.landmarks[name] == pytest.approx((x, y), abs=1e-6)
    assert scaled.polygon("collar-left").area == pytest.approx(
        geo.polygon("collar-left").area, rel=1e-6
    )


def test_missing_file(tmp_path):
    missing = tmp_path / "nowhere.svg"
    with pytest.raises(DataFileError) as info:
        load_geometry(missing)
    assert "nowhere.svg" in str(info.value) and "\n" not in str(info.value)


def test_malformed_xml(tmp_path):
    bad = tmp_path / "broken.svg"
    bad.write_text(SVG.read_text(encoding="utf-8")[:2000], encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_geometry(bad)
    assert "broken.svg" in str(info.value) and "XML" in str(info.value)


def _without_id(rid: str) -> str:
    text = SVG.read_text(encoding="utf-8")
    new = text.replace(f' id="{rid}"', "", 1)
    assert new != text
    return new


@pytest.mark.parametrize("rid", ["collar-left", "spine", "kidney-right", "outline", "T5", "S1"])
def test_missing_id_names_the_file_and_the_id(tmp_path, rid):
    copy = tmp_path / "zones-edited.svg"
    copy.write_text(_without_id(rid), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_geometry(copy)
    message = str(info.value)
    assert str(copy) in message
    assert f"required element id '{rid}' is missing" in message


def test_region_that_is_not_an_area(tmp_path):
    text = SVG.read_text(encoding="utf-8")
    text, n = re.subn(r'(<path id="kidney-left" d=")[^"]*"', r'\1M240,500 L250,520 L260,540"', text)
    assert n == 1
    copy = tmp_path / "zones.svg"
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_geometry(copy)
    assert "kidney-left" in str(info.value) and str(copy) in str(info.value)


def test_region_on_the_wrong_side(tmp_path):
    text = SVG.read_text(encoding="utf-8")
    text = text.replace('id="kidney-left"', 'id="kidney-tmp"', 1)
    text = text.replace('id="kidney-right"', 'id="kidney-left"', 1)
    text = text.replace('id="kidney-tmp"', 'id="kidney-right"', 1)
    copy = tmp_path / "zones.svg"
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"kidney-.* wrong side"):
        load_geometry(copy)


def test_landmarks_out_of_order(tmp_path):
    text = SVG.read_text(encoding="utf-8")
    text = text.replace('id="T4"', 'id="TMP"', 1).replace('id="T5"', 'id="T4"', 1)
    text = text.replace('id="TMP"', 'id="T5"', 1)
    copy = tmp_path / "zones.svg"
    copy.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="landmark id 'T5'"):
        load_geometry(copy)


def test_registry_beside_the_svg_is_validated(tmp_path):
    registry = resource_path("assets", "zones.toml").read_text(encoding="utf-8")
    copy = tmp_path / "zones.svg"
    copy.write_text(SVG.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zones.toml").write_text(
        registry.replace('kind = "kidney"', 'kind = "organ"', 1), encoding="utf-8"
    )
    with pytest.raises(DataFileError) as info:
        load_geometry(copy)
    message = str(info.value)
    assert "zones.toml" in message and "regions.kidney-left.kind" in message
    (tmp_path / "zones.toml").write_text("regions = [", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid TOML"):
        load_geometry(copy)


def test_geometry_module_never_imports_qt():
    code = (
        "import sys\n"
        "import bodymap.geometry as g\n"
        "g.load_geometry()\n"
        "qt = ('PySide6', 'shiboken6', 'pyqtgraph')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in qt]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])
