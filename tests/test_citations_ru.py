"""Citations that hold (issue 17, point 8) and the Russian wording (point 9).

Every outside reference is a document a reader can find under the name and heading given, and
is cited for what it covers; a rule with no public source says it is bodymap's own
conservative rule. In Russian: zigzag rubbing is not «пиление», thoracic vertebrae are
Th1-Th12, «» quote only the source's own words, a composed label has one colon, and a patient
reads very light and light as two different words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bodymap import i18n
from bodymap.handout_text import build_handout
from bodymap.map_scene import build_scene, describe_place
from bodymap.plain import firmness, plain_caption
from bodymap.planner import Hernia, Profile, make_plan
from bodymap.schema import Source

ROOT = Path(__file__).resolve().parents[1]
#: every file a user reads text from (protocols, interface strings, docs, README)
SHIPPED = [
    *sorted((ROOT / "protocols").rglob("*.toml")),
    *sorted((ROOT / "bodymap" / "i18n" / "strings").glob("*.toml")),
    *sorted((ROOT / "bodymap").rglob("*.py")),
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "docs").glob("*.toml")),
    ROOT / "README.md",
]
NG59_TITLE = "Low back pain and sciatica in over 16s: assessment and management"
CKS = "NICE CKS Sciatica (lumbar radiculopathy)"


def _sources(obj: Any) -> Iterator[Source]:
    """Every Source inside a library object (conditions, safeguards, techniques, ...)."""
    if isinstance(obj, Source):
        yield obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _sources(getattr(obj, name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _sources(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _sources(v)


def _all_sources(library: Any) -> list[Source]:
    parts = [library.conditions, library.contraindications, library.techniques,
             library.safeguards, library.cautions, library.evidence, library.no_touch_rules]
    out = [s for p in parts for s in _sources(p)]
    assert len(out) > 100  # the walk reaches the library's citations
    return out


def _texts(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _plan(library: Any, geometry: Any, condition: str, **kw: Any) -> Any:
    return make_plan(Profile(condition, **kw), library, geometry)


# ---------------------------------------------------------------------------------------------
# point 8: citations that hold


def test_no_rule_cites_guidance_that_is_not_a_citable_document(library):
    """'Endangerment-site guidance (e.g. ABMP), "The neck"' named no document: the neck rule
    and the blood-thinner rule say they are bodymap's own conservative rules."""
    for path in SHIPPED:
        text = _texts(path)
        for bad in ("ABMP", "endangerment", "Anticoagulants and low platelets"):
            assert bad.lower() not in text.lower(), (path.name, bad)
    for s in _all_sources(library):
        assert not (s.ref and s.heading == "The neck"), s
    neck = library.safeguards["neck-never-deep"]
    limits = [library.contraindications[c] for c in ("anticoagulants", "low-platelets")]
    for sources, text in [(neck.sources, neck.text)] + [(c.sources, c.explanation)
                                                         for c in limits]:
        assert [s.own for s in sources] == [True], sources
        assert "conservative rule" in sources[0].cite("en")
        assert "bodymap's own conservative rule" in text.en
        assert "собственное осторожное правило bodymap" in text.ru
        assert "outside evidence" not in text.en


def test_the_red_flags_cite_nice_cks_sciatica_not_ng59(library, geometry):
    red = [c for c in library.contraindications.values() if c.action == "refer"]
    assert len(red) >= 3
    for c in red:
        assert [s.ref for s in c.sources] == [CKS], c.id
        assert c.sources[0].heading == "Red flag symptoms and signs"
    # wherever the red flags are repeated as a caution, the same source and never NG59
    plan = _plan(library, geometry, "hernia", session=5,
                 hernias=(Hernia("L4-L5", "left", "initial"),))
    flags = [c for c in plan.cautions if "weakness in both legs" in c.text["en"]]
    assert flags and all(any(CKS in s for s in c.sources) for c in flags)
    assert not any("NG59" in s for c in flags for s in c.sources)
    for path in SHIPPED:
        for line in _texts(path).splitlines():
            if "NG59" in line:
                assert not re.search(r"cauda|red.flag|конского хвоста", line, re.I), \
                    (path.name, line[:120])


def test_ng59_has_one_date_everywhere(library):
    """NICE guideline NG59: 2016, updated 2020, in every citation and every document."""
    seen = 0
    for path in SHIPPED:
        for m in re.finditer(r"NG59(.{0,22})", _texts(path)):
            seen += 1
            assert m.group(1).startswith(" (2016, updated 2020)"), (path.name, m.group(0))
    assert seen >= 6
    ng59 = [s for s in _all_sources(library) if s.ref and "NG59" in s.ref]
    assert ng59 and all(s.ref == "NICE guideline NG59 (2016, updated 2020)" for s in ng59)
    assert all(s.heading == NG59_TITLE for s in ng59)


@pytest.mark.parametrize("condition", ["hernia", "radiculitis", "lumbago-sciatica"])
def test_cochrane_cd001929_is_said_to_cover_non_specific_low_back_pain(library, condition):
    cond = library.conditions[condition]
    cited = [c for c in (*cond.caution, *cond.evidence)
             if any(s.ref and "CD001929" in s.ref for s in c.sources)]
    assert cited, condition
    for c in cited:
        assert "non-specific low-back pain" in c.text.en, c.text.en
        assert "неспецифическ" in c.text.ru, c.text.ru
    for s in _all_sources(library):
        if s.ref and "CD001929" in s.ref:
            assert "non-specific low-back pain" in s.cite("en")
            assert "неспецифическ" in s.cite("ru")


def test_working_the_legs_is_cited_to_the_radiculitis_section(library):
    """Part 5 advises working the limbs in its radiculitis section; the lumbago section only
    says where the pain spreads. bodymap's use of the advice for lumbago is labelled."""
    radiculitis = "Conducting a therapeutic massage with radiculitis"
    lumbago = library.conditions["lumbago-sciatica"]
    legs = [b for b in lumbago.beyond_map if "legs are worked" in b.text.en]
    assert legs
    for b in legs:
        headings = [s.heading for s in b.sources if s.part == 5]
        assert radiculitis in headings
        assert any(s.own for s in b.sources)
        assert "radiculitis" in b.text.en and "радикулит" in b.text.ru
    rad = library.conditions["radiculitis"]
    assert any(s.heading == radiculitis for b in rad.beyond_map for s in b.sources)


@pytest.mark.parametrize("condition", ["osteochondrosis-lumbosacral", "osteochondrosis-thoracic"])
def test_part_4s_cervical_osteochondrosis_advice_stays_out_of_other_sections(library,
                                                                             geometry, condition):
    """Part 4 "With osteochondrosis" is about the cervical section: the lumbosacral and the
    thoracic plans neither cite it nor take over its advice (active movements with resistance,
    a flare-up changing the work on the affected area)."""
    cond = library.conditions[condition]
    assert not [s for s in _sources(cond) if s.heading == "With osteochondrosis"]
    for session in (1, 5, 10):
        plan = _plan(library, geometry, condition, session=session)
        cites = [*plan.sources, *(s for c in plan.cautions for s in c.sources),
                 *(s for b in plan.beyond_map for s in b.sources)]
        assert not any("With osteochondrosis" in s for s in cites), (condition, session)
        texts = " ".join([c.text["en"] for c in plan.cautions]
                         + [b.text["en"] for b in plan.beyond_map])
        assert "resistance" not in texts and "flare-up" not in texts
    # the cervical plan keeps it: that is where Part 4 gives it
    cervical = _plan(library, geometry, "osteochondrosis-cervical", session=5)
    assert any("With osteochondrosis" in s for s in cervical.sources)


# ---------------------------------------------------------------------------------------------
# point 9: Russian


def test_zigzag_rubbing_is_not_called_sawing(library):
    """«Пиление» is both hand edges sawing in opposite directions; one edge zigzagging is not
    it, in either language."""
    zigzag = library.techniques["rubbing"].variant("zigzag-rubbing")
    assert "пилен" not in zigzag.name.ru.lower() and "зигзаг" in zigzag.name.ru.lower()
    assert "saw" not in i18n.tr("motion.how.zigzag", "en")
    for path in SHIPPED:
        for line in _texts(path).splitlines():
            # the stroke's words (sawing, saws, saw-like); "saw" alone is also the past of "see"
            if (re.search(r"пилен|\bsaw(?:s|ing|-like)\b", line, re.I)
                    and not line.lstrip().startswith("#")):
                # sawing may only be named as what it is
                assert re.search(r"opposite|навстречу|противополож", line), (path.name, line)


def _russian_values(path: Path) -> list[str]:
    """The Russian texts of a TOML file (``ru = "..."``, ``ru.one = ...``, inline tables)."""
    return re.findall(r'\bru(?:\.\w+)?\s*=\s*"((?:[^"\\]|\\.)*)"', _texts(path))


def test_thoracic_vertebrae_read_th_in_russian(library, geometry):
    from bodymap.findings import level_name

    bad = re.compile(r"\b[TТ]\d{1,2}\b")
    for path in [*sorted((ROOT / "protocols").rglob("*.toml")),
                 *sorted((ROOT / "bodymap" / "i18n" / "strings").glob("*.toml"))]:
        for text in _russian_values(path):
            assert not bad.search(text), (path.name, text[:100])
    assert level_name("T6-T7", "ru") == "Th6-Th7" and level_name("C7-T1", "ru") == "C7-Th1"
    assert level_name("T6-T7", "en") == "T6-T7" and level_name("L4-L5", "ru") == "L4-L5"
    plan = _plan(library, geometry, "hernia", session=5,
                 hernias=(Hernia("T6-T7", "left", "initial"),))
    ru = build_handout(plan, geometry=geometry, library=library, lang="ru").plain_text()
    assert "Th6-Th7" in ru and not bad.search(ru)
    assert "T6-T7" in build_handout(plan, geometry=geometry, library=library,
                                    lang="en").plain_text()
    from bodymap.plain import plain_avoid

    said = " ".join(plain_avoid(plan.no_touch, "ru", geometry))
    assert "Th6-Th7" in said and not bad.search(said)  # the presentation's words
    reasons = " ".join(r.text["ru"] for r in plan.reasons)
    assert "Th6-Th7" in reasons and not bad.search(reasons)
    waiting = _plan(library, geometry, "hernia", hernias=(Hernia("T6-T7", "left"),))
    assert any("Th6-Th7" in r.text["ru"] for r in waiting.reasons)


def test_the_russian_map_labels_the_thoracic_vertebrae_th(qtbot, library, geometry):
    from bodymap.widgets.mapview import BodyMapView

    view = BodyMapView(geometry)
    qtbot.addWidget(view)
    view.resize(1200, 1600)
    view.set_plan(_plan(library, geometry, "hernia", session=5,
                        hernias=(Hernia("T6-T7", "left", "initial"),)))
    try:
        i18n.set_language("ru")
        texts = view.drawn_texts()
        assert "Th12" in texts and i18n.tr("map.mark.hernia", level="Th6-Th7") in texts
        assert not [t for t in texts if re.fullmatch(r"T\d{1,2}", t)]
        assert "landmark-T12" in view.text_rects()  # the ids stay the drawing's
    finally:
        i18n.set_language("en")
    texts = view.drawn_texts()
    assert "T12" in texts and "Th12" not in texts


def _guillemets(text: str) -> list[str]:
    return re.findall(r"«([^»]*)»", text)


def test_guillemets_quote_only_the_sources_own_words(library, geometry):
    """The source we have is English: a «quote» in Russian holds its own (English) words;
    our Russian renderings of headings and phrases are not put in «»."""
    for s in _all_sources(library):
        cite = s.cite("ru")
        assert not s.heading or "«" not in cite.split(" (", 1)[0], cite  # the heading
        for quoted in _guillemets(cite):  # a note may quote the source: its English words
            assert re.search("[A-Za-z]", quoted), cite
    for path in sorted((ROOT / "protocols").rglob("*.toml")):
        for text in _russian_values(path):
            for quoted in _guillemets(text):
                assert re.search("[A-Za-z]", quoted), (path.name, quoted)
    profiles = [Profile("hernia", session=5, hernias=(Hernia("L4-L5", "left", "initial"),)),
                Profile("radiculitis", session=8), Profile("lumbago-sciatica", session=6),
                Profile("osteochondrosis-widespread", session=9,
                        present=frozenset({"anticoagulants"}))]
    for profile in profiles:
        plan = make_plan(profile, library, geometry)
        assert plan.sources_ru
        for quoted in (q for s in plan.sources_ru for q in _guillemets(s)):
            assert re.search("[A-Za-z]", quoted), (profile.condition, quoted)
        text = build_handout(plan, geometry=geometry, library=library, lang="ru").plain_text()
        for quoted in _guillemets(text):
            assert re.search("[A-Za-z]", quoted), (profile.condition, quoted)


@pytest.mark.parametrize("level", ["L4-L5", "T6-T7"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_composed_label_has_one_colon(library, geometry, level, lang):
    """«Межлопаточная область: зона грыжи: …» read as two labels: the zone goes in brackets
    after the rule's own subject, on the handout and in the map's hover text."""
    plan = _plan(library, geometry, "hernia", session=5,
                 hernias=(Hernia(level, "left", "initial"),))
    avoid = build_handout(plan, geometry=geometry, library=library, lang=lang).avoid
    zone = next(a for a in avoid if "(" in a and ("hernia zone" in a or "зона грыжи" in a))
    assert zone.count(": ") == 1, zone
    assert all(a.count(": ") <= 1 for a in avoid), avoid
    scene = build_scene(geometry, plan)
    old = i18n.language()
    try:
        i18n.set_language(lang)
        for half in scene.states:
            text = describe_place(scene, geometry, geometry.features_at(
                *geometry.polygon(half).representative_point().coords[0]))
            for line in text.splitlines():
                assert line.count(": ") <= 1, line
    finally:
        i18n.set_language(old)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_very_light_and_light_are_two_words_for_the_patient(library, geometry, lang):
    assert firmness(1, lang) != firmness(2, lang)
    assert len({firmness(n, lang) for n in (1, 2, 3, 4)}) == 4
    plan = _plan(library, geometry, "radiculitis", session=8)
    by_level = {}
    for s in plan.steps:
        by_level.setdefault(round(s.intensity), set()).add(
            plain_caption(s, library, geometry, lang).rsplit(". ", 1)[-1])
    assert {1, 2} <= set(by_level), by_level  # this plan has both
    assert not by_level[1] & by_level[2]
    hernia = _plan(library, geometry, "hernia", session=5,
                   hernias=(Hernia("L4-L5", "left", "initial"),))
    handout = build_handout(hernia, geometry=geometry, library=library, lang=lang)
    words = {1: ("very light", "очень лёгкого"), 2: ("light", "лёгкого")}
    want = ("from {} to {}" if lang == "en" else "от {} до {}").format(
        *(w[0 if lang == "en" else 1] for w in words.values()))
    assert want in handout.course_line, handout.course_line
    assert "«" not in handout.course_line and "“" not in handout.course_line


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_source_line_has_one_colon(library, lang):
    """"Source: bodymap's own choice: ..." read as two labels: a citation has no colon of its
    own outside the source's quoted words, so "Source: <citation>" (the study feedback, the
    Anki cards, the technique panel) has one."""
    for s in _all_sources(library):
        line = i18n.tr("study.source", lang, sources=s.cite(lang))
        outside = re.sub(r'"[^"]*"|«[^»]*»', "", line)
        assert outside.count(":") == 1, line
