"""What changed between two profiles, in words (bodymap/changes.py: the undo history's names)."""

from __future__ import annotations

import pytest

from bodymap.changes import answers_of, describe_change, describe_texts
from bodymap.document import PlanDocument


def profile(**kw):
    conditions = kw.pop("conditions", ("hernia",))
    return PlanDocument.new(conditions, **kw).profile.model_dump()


def say(before, after, library, geometry, lang="en"):
    return describe_change(before, after, library, geometry, lang)


def test_a_moved_hernia(library, geometry):
    before = profile(hernias=[("L4-L5", "left")])
    after = profile(hernias=[("T6-T7", "right")])
    assert say(before, after, library, geometry) == "Hernia moved: L4-L5 left → T6-T7 right"
    assert say(before, after, library, geometry, "ru") == \
        "Грыжа перенесена: L4-L5, слева → Th6-Th7, справа"  # thoracic vertebrae: Th in Russian
    assert say(profile(), after, library, geometry) == "Hernia placed: T6-T7 right"
    assert say(after, profile(), library, geometry) == "Hernia removed: T6-T7 right"


def test_a_hernias_stage_given_is_said_as_its_stage(library, geometry):
    before = profile(hernias=[("L4-L5", "left")])
    after = profile(hernias=[("L4-L5", "left", "initial")])
    assert say(before, after, library, geometry) == \
        "Hernia L4-L5 left: stage not given → initial"
    assert say(before, after, library, geometry, "ru") == \
        "Грыжа L4-L5, слева: стадия не указана → начальная"


def test_several_hernias_as_a_list_are_named_too(library, geometry):
    """The profile may hold findings as lists (several hernias): each is named."""
    before = {"conditions": ["hernia"], "hernias": [{"level": "L4-L5", "side": "left"}]}
    after = {"conditions": ["hernia"], "hernias": [{"level": "L4-L5", "side": "left"},
                                                   {"level": "L5-S1", "side": "central"}]}
    assert say(before, after, library, geometry) == "Hernia placed: L5-S1 central"


@pytest.mark.parametrize(("before", "after", "english"), [
    ({"conditions": ()}, {"conditions": ("stress",)}, "Condition chosen: Stress and low mood"),
    ({"conditions": ("hypertension", "scoliosis")}, {"conditions": ("scoliosis", "hypertension")},
     "Lead condition: Scoliosis (Hypertension kept under “Also”)"),
    ({"conditions": ("hypertension",)}, {"conditions": ("hypertension", "stress")},
     "Condition added: Stress and low mood"),
    ({"conditions": ("hypertension", "stress")}, {"conditions": ("hypertension",)},
     "Condition removed: Stress and low mood"),
    ({"session": 1}, {"session": 4}, "Session 1 → 4"),
    ({}, {"scoliosis": [("left", 2)]}, "Scoliosis: convex left, grade II"),
    ({"lesions": ()}, {"lesions": ("collar-left",)}, "Skin lesion marked: "),
    ({"answered": ()}, {"answered": ("fever",)}, "Screening: “"),
    ({"answered": ()}, {"answered": ("fever", "tuberculosis")}, "Screening: "),
    ({}, {"pain_points": ((250.0, 640.0),)}, "Pain point marked: "),
])
def test_each_kind_of_change_is_named_in_both_languages(library, geometry, before, after,
                                                       english):
    b, a = profile(**before), profile(**after)
    texts = describe_texts(b, a, library, geometry)
    assert texts["en"].startswith(english)
    assert texts["ru"] and texts["ru"] != texts["en"]
    assert "Findings changed" not in texts["en"]


def test_a_doctors_clearance_is_named_by_its_question(library, geometry):
    """Clearances (``cleared``) are said as the window asks them, not "Findings changed"."""
    before = profile(conditions=("back-pain",))
    after = profile(conditions=("back-pain",), cleared=("recent-fracture",))
    texts = describe_texts(before, after, library, geometry)
    assert texts["en"] == ("Doctor's clearance: “Has a doctor cleared back massage after the "
                           "fracture?” — Yes")
    assert texts["ru"] == ("Разрешение врача: «Разрешил ли врач массаж спины после перелома?» "
                           "— Да")
    assert say(after, before, library, geometry).endswith("fracture?” — No")
    both = profile(conditions=("traumatic-spine-injury",),
                   cleared=("hernia-advanced", "traumatic-spine-injury"))
    said = describe_texts(profile(conditions=("traumatic-spine-injury",)), both, library,
                          geometry)
    assert said["en"].count("Doctor's clearance: ") == 2
    assert "a hernia beyond its initial stage" in said["en"]
    assert library.conditions["traumatic-spine-injury"].name.ru in said["ru"]
    for text in (*texts.values(), *said.values()):
        assert "Findings changed" not in text and "Изменены данные осмотра" not in text


def test_a_field_without_words_is_still_said():
    assert describe_change({"x": 1}, {"x": 2}, None, None, "en") == "Findings changed"
    assert describe_change({"x": 1}, {"x": 1}, None, None, "en") == ""


def test_answers_read_as_the_checklist_shows_them():
    assert answers_of({"present": ["fever"], "answered": ["fever", "a"]}, ["fever", "a", "b"]) \
        == {"fever": True, "a": False, "b": None}
    assert answers_of({"present": [], "answered": None}, ["a"]) == {"a": False}
