"""Screen and print maps come from the same painter: the on-screen view and the handout page
show the same colour at every zone's representative point (emphasis, muted, no-touch)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter

from bodymap.handout_text import build_handout
from bodymap.planner import Hernia, Profile, make_plan
from bodymap.widgets import map_style as ms
from bodymap.widgets.mapview import BodyMapView

#: the PNG page: A4 at 150 dpi, painted in 300 dpi dots scaled by one half
PNG_SCALE = 0.5


def _clear_points(geometry, plan):
    """Per zone half, a point well inside it: away from the spine, kidneys, scapulae' edges,
    the no-touch areas and their marks (outlines, labels and signs differ only in size)."""
    keep_off = [geometry.spine_strip(10).buffer(45), geometry.kidney_area().buffer(8)]
    keep_off += [geometry.polygon(s).boundary.buffer(8) for s in ("scapula-left", "scapula-right")]
    # areas for some techniques only (the thoracic band, a hernia's zone: no vibration) are a
    # dashed outline: keep off the outline
    keep_off += [nt.area.buffer(40) if nt.techniques == "all" else nt.area.boundary.buffer(8)
                 for nt in plan.no_touch
                 if nt.id not in ("spine", "kidneys") and not nt.id.startswith("lesion")]
    points = {}
    for zone in geometry.ZONES:
        for half in geometry.halves(zone):
            area = geometry.polygon(half).buffer(-6)
            for off in keep_off:
                area = area.difference(off)
            pt = area.representative_point()
            points[half] = (pt.x, pt.y)
    return points


def _no_touch_points(plan):
    return {nt.id: (nt.area.representative_point().x, nt.area.representative_point().y)
            for nt in plan.no_touch if nt.techniques == "all"}


def _screen(qtbot, geometry, plan) -> tuple[QImage, BodyMapView]:
    view = BodyMapView(geometry)
    qtbot.addWidget(view)
    view.resize(1000, 900)
    view.set_playing(False)
    view.set_plan(plan)
    view.set_step(None)  # paper shows no current step
    return view.grab().toImage(), view


def _page(plan, geometry, library, lang="en") -> tuple[QImage, object]:
    from bodymap.widgets.handout import PAGE_H, PAGE_W, paint_handout

    content = build_handout(plan, geometry=geometry, library=library, lang=lang)
    image = QImage(round(PAGE_W * PNG_SCALE), round(PAGE_H * PNG_SCALE),
                   QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(PNG_SCALE, PNG_SCALE)
    placed = paint_handout(p, content, plan, geometry)
    p.end()
    assert not placed.isEmpty()

    def to_page(x: float, y: float) -> QPointF:
        return QPointF((placed.x() + x * placed.width() / 600) * PNG_SCALE,
                       (placed.y() + y * placed.height() / 900) * PNG_SCALE)

    return image, to_page


def _at(image: QImage, p: QPointF) -> QColor:
    return image.pixelColor(int(p.x()), int(p.y()))


def _lightest(image: QImage, p: QPointF, r: int = 4) -> QColor:
    """The lightest pixel around ``p``: a hatched area's fill between its lines."""
    cx, cy = int(p.x()), int(p.y())
    pixels = [image.pixelColor(cx + dx, cy + dy)
              for dx in range(-r, r + 1) for dy in range(-r, r + 1)]
    return max(pixels, key=lambda c: c.red() + c.green() + c.blue())


def _close(a: QColor, b: QColor, tol: int = 10) -> bool:
    return all(abs(u - v) <= tol for u, v in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _no_touch_colour(c: QColor) -> bool:
    """The pink no-touch fill, the red hatching, or a blend of the two."""
    r, g, b = c.red(), c.green(), c.blue()
    return _close(c, QColor(ms.NO_TOUCH_FILL), 12) or (r > g + 30 and r > b + 30
                                                        and abs(g - b) < 25)


PLANS = {
    "hernia": dict(condition="hernia", session=5, hernias=(Hernia("L4-L5", "left", "initial"),)),
    "lesion": dict(condition="osteochondrosis-widespread", lesions=frozenset({"thoracic-right"})),
    "hypertension": dict(condition="hypertension"),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_screen_and_print_show_the_same_colour_at_every_zone(qtbot, qapp, geometry, library,
                                                              name):
    plan = make_plan(Profile(**PLANS[name]), library, geometry)
    screen, view = _screen(qtbot, geometry, plan)
    page, to_page = _page(plan, geometry, library)
    states = view.scene().states
    assert "emphasis" in states.values()
    assert name == "lesion" or "muted" in states.values()  # widespread: all emphasised
    lesioned = {z for nt in plan.no_touch if nt.id.startswith("lesion") for z in nt.zones}
    for half, (x, y) in _clear_points(geometry, plan).items():
        on_screen = _at(screen, view.back_to_widget(x, y))
        on_paper = _at(page, to_page(x, y))
        if half in lesioned:
            assert _no_touch_colour(on_screen) and _no_touch_colour(on_paper), half
            continue
        want = ms.zone_colour(half, states[half])
        assert _close(on_screen, want), (half, states[half], on_screen.name(), want.name())
        assert _close(on_paper, want), (half, states[half], on_paper.name(), want.name())
    fill = QColor(ms.NO_TOUCH_FILL)
    for nt_id, (x, y) in _no_touch_points(plan).items():
        assert _no_touch_colour(_at(screen, view.back_to_widget(x, y))), nt_id
        assert _no_touch_colour(_at(page, to_page(x, y))), nt_id
        # between the hatching lines both show the very same fill (no second pink)
        assert _close(_lightest(screen, view.back_to_widget(x, y)), fill, 3), nt_id
        assert _close(_lightest(page, to_page(x, y)), fill, 3), nt_id


def test_the_exported_png_is_the_page_painted_here(qapp, geometry, library, tmp_path):
    from bodymap.widgets.handout import export_handout

    plan = make_plan(Profile(**PLANS["hernia"]), library, geometry)
    page, to_page = _page(plan, geometry, library)
    out = export_handout(plan, tmp_path / "h.png", geometry=geometry, library=library)
    saved = QImage(str(out))
    for half, (x, y) in _clear_points(geometry, plan).items():
        assert _close(_at(saved, to_page(x, y)), _at(page, to_page(x, y)), 2), half


def test_the_pdf_prints_the_same_colours_as_the_screen(qtbot, qapp, geometry, library, tmp_path):
    """The PDF's vectors, rasterised by poppler, show the screen's colours at every zone."""
    import shutil
    import subprocess

    from bodymap.widgets.handout import export_handout

    exe = shutil.which("pdftoppm")
    if exe is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed: cannot rasterise the PDF")
    plan = make_plan(Profile(**PLANS["hernia"]), library, geometry)
    screen, view = _screen(qtbot, geometry, plan)
    _, to_page = _page(plan, geometry, library)  # the same layout: where the map lies
    pdf = export_handout(plan, tmp_path / "h.pdf", geometry=geometry, library=library)
    subprocess.run([exe, "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "h")],
                   check=True, capture_output=True, timeout=60)
    page = QImage(str(tmp_path / "h.png"))
    assert abs(page.width() - 1240) <= 2
    states = view.scene().states
    for half, (x, y) in _clear_points(geometry, plan).items():
        want = ms.zone_colour(half, states[half])
        assert _close(_at(screen, view.back_to_widget(x, y)), want), half
        assert _close(_at(page, to_page(x, y)), want), (half, _at(page, to_page(x, y)).name())
    site = next(nt for nt in plan.no_touch
                if nt.id.startswith("hernia-site")).area.representative_point()
    assert _close(_lightest(page, to_page(site.x, site.y)), QColor(ms.NO_TOUCH_FILL), 3)


def test_print_shows_no_glow_seam_between_two_emphasised_neighbours(qapp, geometry, library):
    """The handout's glow goes round the dissolved emphasis, as the screen's does: none runs
    along the border the interscapular and thoracic zones share."""
    plan = make_plan(Profile("heart-disease"), library, geometry)
    assert {"interscapular", "thoracic"} <= set(plan.emphasis_zones)
    page, to_page = _page(plan, geometry, library)
    x0, _, x1, y1 = geometry.polygon("interscapular-right").bounds
    x = (x0 + x1) / 2 + 6
    assert geometry.zone_at(x, y1 + 4) == "thoracic-right"
    got = _at(page, to_page(x, y1 + 4))
    assert _close(got, ms.zone_colour("thoracic-right", "emphasis")), got.name()
    # on the border itself: the thin zone edge, not a gold line
    for dy in (-1.0, 0.0, 1.0):
        border = _at(page, to_page(x, y1 + dy))
        assert not _close(border, QColor(ms.GLOW), 45), (dy, border.name())


def _tint_over_skin() -> QColor:
    """BEYOND_FILL blended over the skin: the buttock's colour between its hatching."""
    skin, tint = QColor(ms.SKIN), ms.BEYOND_FILL
    a = tint.alphaF()
    return QColor(*(round(t * a + s * (1 - a)) for t, s in zip(
        tint.getRgb()[:3], skin.getRgb()[:3], strict=True)))


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_sciatica_plan_shows_the_buttocks_worked_on_screen_and_on_paper(qtbot, qapp, geometry,
                                                                          library, lang):
    """Part 5: the pain spreads to the buttock and leg, and the plan works the buttocks too;
    screen and handout tint them (the same painter), a hypertension plan does not, and the
    legends say what the tint means."""
    from bodymap import i18n

    sciatica = make_plan(Profile("lumbago-sciatica", session=5), library, geometry)
    assert any("buttock-left" in c.regions for c in sciatica.beyond_map)
    other = make_plan(Profile("hypertension", session=5), library, geometry)
    tint, skin = _tint_over_skin(), QColor(ms.SKIN)
    assert not _close(tint, skin, 12)
    try:
        i18n.set_language(lang)
        for plan, want in ((sciatica, tint), (other, skin)):
            screen, view = _screen(qtbot, geometry, plan)
            page, to_page = _page(plan, geometry, library, lang)
            for half in ("buttock-left", "buttock-right"):
                pt = geometry.polygon(half).representative_point()
                got = _lightest(screen, view.back_to_widget(pt.x, pt.y), 3)
                assert _close(got, want, 8), (plan.condition, half, got.name())
                got = _lightest(page, to_page(pt.x, pt.y), 3)
                assert _close(got, want, 10), (plan.condition, half, "paper", got.name())
            legend = i18n.tr("map.legend.buttock")
            assert (legend in view.drawn_texts()) == (plan is sciatica)
            hover = view.describe(geometry.features_at(pt.x, pt.y))
            assert (i18n.tr("map.hover.buttock") in hover) == (plan is sciatica)
        content = build_handout(sciatica, geometry=geometry, library=library, lang=lang)
        assert content.legend["buttock"].startswith("Buttock" if lang == "en" else "Ягодица")
    finally:
        i18n.set_language("en")
