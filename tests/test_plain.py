"""Plain-language captions for the patient (bodymap.plain): every step of every shipped plan in
English and Russian, without jargon; the plain texts are complete; fallbacks when one is missing.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from bodymap.errors import DataFileError
from bodymap.geometry import load_geometry
from bodymap.i18n import tr
from bodymap.plain import (
    firmness,
    plain_avoid,
    plain_caption,
    plain_direction,
    plain_no_touch,
    plain_technique,
    plain_where,
    plain_zone_name,
)
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan
from bodymap.resources import resource_path

LANGS = ("en", "ru")
#: words a patient would not understand: the zones' anatomical names, the registry's terms
JARGON = {
    "en": ("lumbosacral", "sacrum", "sacral", "interscapular", "thoracic", "collar zone",
           "variant", "intensity", "paravertebral", "spinous", "superficial", "zone"),
    "ru": ("пояснично-крестц", "крестец", "крестца", "межлопаточн", "грудной отдел",
           "воротников", "интенсивност", "паравертебр", "остист", "поверхностн", "зона", "зоны"),
}
CYRILLIC = re.compile("[а-яё]", re.I)


def jargon_in(text: str, lang: str) -> list[str]:
    low = text.lower()
    return [w for w in JARGON[lang] if re.search(rf"(?<![\w-]){re.escape(w)}", low)]




def _profiles(library):
    """Every shipped condition at sessions 1, 5 and 10 (within its course), with the shape a
    hernia or scoliosis plan needs; scoliosis convex right grade 2 and left; hernia L4-L5 left."""
    out = []
    for cid, cond in sorted(library.conditions.items()):
        extra: list[dict] = [{}]
        if cond.needs == "hernia":
            extra = [{"hernias": (Hernia("L4-L5", "left", "initial"),)},
                     {"hernias": (Hernia("T6-T7", "central", "initial"),)}]
        elif cond.needs == "scoliosis":
            extra = [{"curves": (Scoliosis("right", 2),)}, {"curves": (Scoliosis("left", 1),)}]
        for session in sorted({min(s, cond.course.sessions) for s in (1, 5, 10)}):
            for kw in extra:
                if cond.clearance:  # planned once a doctor has cleared it
                    kw = {**kw, "cleared": frozenset({cid})}
                out.append(Profile(condition=cid, session=session, **kw))
    return out


@pytest.fixture(scope="module")
def plans(library, geometry):
    plans = [make_plan(p, library, geometry) for p in _profiles(library)]
    assert all(p.status == "ok" and p.steps for p in plans)
    return plans


# ---------------------------------------------------------------------------------------------
# every step of every shipped plan


def test_every_step_has_a_plain_caption_without_jargon(plans, library, geometry):
    conditions = {p.condition for p in plans}
    assert conditions == set(library.conditions)  # every shipped condition was planned
    assert {"hernia", "scoliosis"} <= conditions
    checked = 0
    for plan in plans:
        for step in plan.steps:
            for lang in LANGS:
                text = plain_caption(step, library, geometry, lang)
                where = f"{plan.condition} s{plan.session} {step.technique}/{step.variant} {lang}"
                assert text.strip() and text.endswith("."), where
                assert not jargon_in(text, lang), (where, jargon_in(text, lang), text)
                # which way the hands go, in the direction's plain words
                assert plain_direction(library, step.direction, lang) in text, (where, text)
                # how firmly, in everyday words
                assert firmness(step.intensity, lang) in text, (where, text)
                if lang == "ru":
                    assert CYRILLIC.search(text), (where, text)
                if step.role:
                    assert tr(f"plain.role.{step.role}", lang) in text, (where, text)
                # no ids or numbers leak into the caption
                assert not re.search(r"\d|[a-z]+-[a-z]+-[a-z]+", text), (where, text)
                checked += 1
    assert checked > 500


def test_captions_say_what_where_which_way_and_how_firmly(library, geometry):
    plan = make_plan(Profile(condition="scoliosis", session=5, curves=(Scoliosis("right", 2),)),
                     library, geometry)
    texts = [plain_caption(s, library, geometry, "en") for s in plan.steps]
    first = texts[0]
    assert first.startswith("Gentle gliding strokes with the palms over your whole back")
    assert "from the bottom of your back up to your neck" in first
    assert first.endswith("Very gently.")
    roles = {s.role: plain_caption(s, library, geometry, "en") for s in plan.steps if s.role}
    assert roles["relax"].endswith("to relax the tighter side.")
    assert roles["strengthen"].endswith("to strengthen the weaker side.")
    # the concave (left) side is relaxed, the convex (right) side strengthened
    relax = next(s for s in plan.steps if s.role == "relax")
    assert "left side" in plain_caption(relax, library, geometry, "en")
    assert "слева" in plain_caption(relax, library, geometry, "ru") or \
        "левой стороне" in plain_caption(relax, library, geometry, "ru")
    ru = plain_caption(plan.steps[0], library, geometry, "ru")
    assert ru.startswith("Мягкие скользящие поглаживания ладонями по всей спине")
    assert ru.endswith("Очень мягко.")


def test_firmness_in_everyday_words():
    assert [firmness(n, "en") for n in range(1, 6)] == [
        "Very gently", "Gently", "With moderate pressure", "Firmly", "Firmly"]
    assert [firmness(n, "ru") for n in (1, 2, 3, 5)] == [
        "Очень мягко", "Мягко", "С умеренным нажимом", "С ощутимым нажимом"]


def test_where_in_everyday_words(geometry):
    zones = ("collar", "interscapular", "thoracic", "lumbosacral")
    assert plain_where(zones, geometry, "en") == "over your whole back"
    assert plain_where([f"{z}-{s}" for z in zones for s in ("left", "right")], geometry,
                       "ru") == "по всей спине"
    assert plain_where([f"{z}-left" for z in zones], geometry, "en") == \
        "over the left side of your back"
    assert plain_where(["lumbosacral"], geometry, "en") == "on your lower back"
    assert plain_where(["lumbosacral-left"], geometry, "en") == \
        "on the left side of your lower back"
    assert plain_where(["collar-left", "collar-right"], geometry, "en") == \
        "on your neck and shoulders"
    assert plain_where(["thoracic", "interscapular"], geometry, "en") == \
        "between your shoulder blades and on your middle back"  # from the neck down
    assert plain_where(["interscapular", "thoracic"], geometry, "ru") == \
        "между лопатками и в средней части спины"
    assert plain_where(["interscapular-right", "lumbosacral-right"], geometry, "en") == \
        "between your shoulder blades and on your lower back (right side only)"
    assert plain_zone_name("lumbosacral", geometry, "ru") == "поясница"


# ---------------------------------------------------------------------------------------------
# the data is complete


def test_every_technique_variant_and_direction_has_plain_texts(library):
    texts = []
    for tech in library.techniques.values():
        texts.append((tech.id, tech.plain))
        texts += [(f"{tech.id}/{v.id}", v.plain) for v in tech.variants]
    texts += [(d.id, d.plain) for d in library.directions.values()]
    assert len(texts) >= 5 + 4
    for name, text in texts:
        assert text is not None, f"{name} has no plain text"
        assert text.en.strip() and text.ru.strip(), name
        assert CYRILLIC.search(text.ru), name
        for lang in LANGS:
            assert not jargon_in(getattr(text, lang), lang), (name, lang)


def test_every_zone_and_half_has_plain_names(geometry):
    ids = [*geometry.ZONES, *(h for z in geometry.ZONES for h in geometry.halves(z))]
    assert len(ids) == 12
    for rid in ids:
        region = geometry.regions[rid]
        for field in ("plain_names", "plain_where"):
            texts = getattr(region, field)
            assert set(texts) >= set(LANGS), (rid, field)
            assert CYRILLIC.search(texts["ru"]), (rid, field)
            for lang in LANGS:
                assert not jargon_in(texts[lang], lang), (rid, field, lang)
        if region.side:  # a half says which side
            side = {"left": ("left", "слева"), "right": ("right", "справа")}[region.side]
            assert side[0] in region.plain_names["en"] and side[1] in region.plain_names["ru"]


def test_an_empty_plain_name_in_the_registry_is_an_error(tmp_path):
    registry = resource_path("assets", "zones.toml").read_text(encoding="utf-8")
    svg = resource_path("assets", "zones.svg")
    copy = tmp_path / "zones.svg"
    copy.write_text(svg.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "zones.toml").write_text(
        registry.replace('plain_en = "your lower back"', 'plain_en = " "', 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"regions\.lumbosacral\.plain_en"):
        load_geometry(copy)


# ---------------------------------------------------------------------------------------------
# what we avoid


def test_no_touch_lines_in_plain_words(library, geometry):
    plan = make_plan(Profile(condition="hernia", session=5, hernias=(Hernia("L4-L5", "left",
                                                                            "initial"),),
                             lesions=frozenset({"collar-right"})), library, geometry)
    for lang in LANGS:
        lines = plain_avoid(plan.no_touch, lang, geometry)
        assert len(lines) == len(plan.no_touch)
        for line in lines:
            assert line and not jargon_in(line, lang), (lang, line)
    en = dict(zip((n.id for n in plan.no_touch), plain_avoid(plan.no_touch, "en", geometry),
                  strict=True))
    assert en["spine"] == tr("plain.avoid.spine", "en")
    assert "(L4-L5, left side)" in en["hernia-site-L4-L5-left"]
    assert en["lesion-collar-right"].startswith("The right side of your neck")
    ru = {n.id: plain_no_touch(n, "ru", geometry) for n in plan.no_touch}
    assert "(L4-L5, слева)" in ru["hernia-site-L4-L5-left"]
    assert ru["lesion-collar-right"].startswith("Шея и плечо справа")
    assert "почек" in ru["kidneys"]


def test_unknown_no_touch_area_falls_back_to_its_own_text():
    nt = SimpleNamespace(id="something-new", zones=(), area=None,
                         text={"en": "Leave this alone.", "ru": "Это не трогать."})
    assert plain_no_touch(nt, "ru") == "Это не трогать."
    pain = SimpleNamespace(id="pain-point-1", zones=("thoracic-left",), area=None, text={})
    assert plain_no_touch(pain, "en") == tr("plain.avoid.pain_point", "en")


# ---------------------------------------------------------------------------------------------
# falling back gracefully


def test_missing_plain_texts_fall_back_to_names():
    name = SimpleNamespace(en="Odd stroking", ru="Странное поглаживание")
    variant = SimpleNamespace(id="odd", name=name, plain=None)
    tech = SimpleNamespace(id="stroking", name=SimpleNamespace(en="Stroking", ru="Поглаживание"),
                           plain=None, variant=lambda v: variant if v == "odd" else None)
    direction = SimpleNamespace(name=SimpleNamespace(en="Up the back", ru="Вверх по спине"),
                                plain=None)
    library = SimpleNamespace(techniques={"stroking": tech}, directions={"up": direction})
    region = SimpleNamespace(names={"en": "Odd zone", "ru": "Странная зона"})
    geometry = SimpleNamespace(regions={"odd-zone": region})
    step = SimpleNamespace(technique="stroking", variant="odd", zones=("odd-zone",),
                           direction="up", intensity=3, role=None)
    assert plain_caption(step, library, geometry, "en") == \
        "Odd stroking odd zone, up the back. With moderate pressure."
    assert plain_caption(step, library, geometry, "ru").startswith("Странное поглаживание")
    assert plain_technique(library, "stroking", None, "en") == "stroking"
    # nothing known at all: the ids, never an empty caption
    empty = SimpleNamespace(techniques={}, directions={})
    bare = SimpleNamespace(technique="tapping-ish", variant=None, zones=("nowhere",),
                           direction="round-about", intensity=1, role=None)
    text = plain_caption(bare, empty, SimpleNamespace(regions={}), "en")
    assert text == "Tapping ish nowhere, round about. Very gently."


def test_current_language_is_the_default(library, geometry):
    from bodymap import i18n

    plan = make_plan(Profile(condition="hypertension"), library, geometry)
    step = plan.steps[0]
    try:
        i18n.set_language("ru")
        assert plain_caption(step, library, geometry) == \
            plain_caption(step, library, geometry, "ru")
    finally:
        i18n.set_language("en")
    assert plain_caption(step, library, geometry) == plain_caption(step, library, geometry, "en")
