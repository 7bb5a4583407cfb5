"""The protocol library: shipped files validate, content is complete, bad files fail cleanly."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from bodymap.errors import DataFileError
from bodymap.library import (
    load_condition,
    load_library,
    load_techniques,
    problems_of,
    shipped_dir,
    validate_paths,
)
from bodymap.schema import ZONE_IDS, ZONES

CONDITIONS = {
    "osteochondrosis-cervical", "osteochondrosis-thoracic", "osteochondrosis-lumbosacral",
    "osteochondrosis-widespread", "radiculitis", "lumbago-sciatica", "hernia", "scoliosis",
    "hypertension", "heart-disease", "bronchitis", "back-pain",
}
NO_ZONE_CONDITIONS = {
    "gastritis", "intestinal-hypotonia", "headache", "stress", "posture-disorders", "hypotension",
    "sedentary-prophylaxis",
    # issue 17: indications of Parts 1, 2, 4 and 6 that were missing (no zones in the source)
    "spondylarthrosis", "myositis", "traumatic-spine-injury", "stroke-recovery",
    "fracture-recovery",
}



@pytest.fixture(scope="module")
def techniques():
    return load_techniques(shipped_dir() / "techniques.toml")


def test_every_shipped_file_validates():
    checked, problems = validate_paths([shipped_dir()])
    assert problems == []
    # techniques, contraindications, safeguards and every condition file
    assert checked == 3 + len(list((shipped_dir() / "conditions").glob("*.toml")))


def test_every_condition_of_content_md(library):
    assert set(library.conditions) == CONDITIONS | NO_ZONE_CONDITIONS
    for cid in NO_ZONE_CONDITIONS:
        cond = library.conditions[cid]
        assert not cond.zones_from_source and cond.emphasis == []
    for cid in CONDITIONS:
        assert library.conditions[cid].zones_from_source


def test_emphasis_follows_the_source(library):
    c = library.conditions
    assert c["hypertension"].emphasis == ["collar"]
    assert c["heart-disease"].emphasis == ["interscapular", "thoracic"]
    assert c["bronchitis"].emphasis == ["interscapular", "thoracic"]
    assert c["radiculitis"].emphasis == ["lumbosacral"]
    assert c["osteochondrosis-widespread"].emphasis == list(ZONES)
    assert c["hernia"].needs == "hernia" and c["scoliosis"].needs == "scoliosis"
    assert c["lumbago-sciatica"].course.sessions == 15  # Part 5: optimal 15
    for cond in c.values():
        assert 10 <= cond.course.sessions <= 15  # Part 5: 10-15 procedures
        assert cond.course.phases[0].id == "introductory" and cond.course.phases[0].last == 3


def test_techniques_registry(library):
    t = library.techniques
    assert set(t) == {"stroking", "rubbing", "kneading", "squeezing", "vibration"}
    assert t["stroking"].motion == "glide" and t["kneading"].motion == "roll"
    assert t["vibration"].motion == "tremble"
    assert t["stroking"].variant("deep-stroking") is not None
    assert t["kneading"].variant("skin-fold-rolling") is not None
    assert t["vibration"].percussive_of("tapping") and t["vibration"].percussive_of("patting")
    assert not t["vibration"].percussive_of("shaking")
    assert t["rubbing"].motion_of("zigzag-rubbing") == "zigzag"
    assert set(library.directions) == {
        "spine-to-sides", "sacrum-to-neck", "along-spine-up", "toward-lymph-nodes",
    }


def test_contraindications_classified(library):
    c = library.contraindications
    for red_flag in ("saddle-numbness", "bladder-bowel", "leg-weakness-both"):
        assert c[red_flag].action == "refer"
    for blocking in (
        "fever", "acute-inflammation", "purulent-process", "infection", "tuberculosis",
        "malignancy", "blood-disorder", "bp-crisis", "heart-attack", "decompensated-heart-lung",
        "cerebral-sclerosis", "mental-excitation", "alcohol", "spine-exacerbation",
        "other-exacerbation", "thrombosis", "angiitis", "peripheral-atherosclerosis",
        "kidney-disease", "pregnancy", "scoliosis-grade-4",
    ):
        assert c[blocking].action == "block", blocking
    assert c["acute-phase"].action == "postpone" and c["menstruation"].action == "postpone"
    assert c["skin-lesion"].action == "exclude-area"
    assert c["anticoagulants"].action == "limit" and c["anticoagulants"].max_intensity <= 2
    assert c["low-platelets"].action == "limit"
    rules = library.no_touch_rules
    assert rules["spine"].techniques == "all" and rules["kidneys"].techniques == ["vibration"]


def test_every_text_is_bilingual_and_cited(library):
    for cond in library.conditions.values():
        assert cond.sources and cond.course.sources
        for text in (cond.name, cond.summary, cond.course.load):
            assert text.en and text.ru
        for cited in cond.caution + cond.evidence:
            assert cited.sources
    for c in library.contraindications.values():
        assert c.question.ru and c.explanation.ru and c.sources


def test_steps_open_and_close_with_stroking(library):
    for cond in library.conditions.values():
        for phase in ("introductory", "main", "final"):
            steps = cond.steps_in(phase)
            assert steps[0].technique == "stroking" and steps[-1].technique == "stroking"
            for s in steps:
                assert all(z in ZONE_IDS or z == "emphasis" for z in s.zones)


# ---------------------------------------------------------------------------------------------
# malformed files


HYPERTENSION = shipped_dir() / "conditions" / "hypertension.toml"


def _variant(tmp_path: Path, name: str, old: str | None, new: str | bytes) -> Path:
    path = tmp_path / f"{name}.toml"
    if isinstance(new, bytes):
        path.write_bytes(new)
    elif old is None:
        path.write_text(new, encoding="utf-8")
    else:
        text = HYPERTENSION.read_text(encoding="utf-8")
        assert old in text
        text = text.replace('id = "hypertension"', f'id = "{name}"', 1)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


MALFORMED = [
    # name, old, new, field, expected-words
    ("syntax", 'sessions = 10', 'sessions = = 10', None, "valid TOML"),
    ("unknown-zone", 'zones = ["emphasis"]', 'zones = ["neck"]', "step[2].zones", "one of collar"),
    ("unknown-technique", 'technique = "rubbing"', 'technique = "pummeling"', "step[3].technique",
     "one of kneading"),
    ("negative-minutes", 'minutes = 3\nintensity = 3', 'minutes = -3\nintensity = 3',
     "step[3].minutes", "at least 0.1"),
    ("text-minutes", 'minutes = 3\nintensity = 3', 'minutes = "three"\nintensity = 3',
     "step[3].minutes", "a number"),
    ("missing-field", 'direction = "sacrum-to-neck"\n', "", "step[1].direction", "present"),
    ("extra-field", 'intensity = 3\n', 'intensity = 3\ncolour = "red"\n', "step[3].colour",
     "documented fields"),
    ("empty", None, "", None, "protocol in TOML"),
    ("binary", None, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", None, "TOML text file"),
    ("unknown-variant", 'variant = "circular-rubbing"', 'variant = "deep-stroking"', "step[3]",
     "circular-rubbing"),
    ("no-russian", 'ru = "Гипертоническая болезнь"', 'ru = "Hypertension"', "name.ru", "Cyrillic"),
]


@pytest.mark.parametrize(("name", "old", "new", "field", "expected"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_condition_via_loader(tmp_path, techniques, name, old, new, field, expected):
    path = _variant(tmp_path, name, old, new)
    with pytest.raises(DataFileError) as info:
        load_condition(path, techniques)
    problems = problems_of(info.value)
    messages = [str(p) for p in problems]
    assert all(str(path) in m for m in messages), messages
    assert any(expected in m for m in messages), messages
    if field is not None:
        assert any(f"field '{field}" in m for m in messages), messages
    assert all("\n" not in m and "Traceback" not in m for m in messages)


@pytest.mark.parametrize(("name", "old", "new", "field", "expected"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_condition_via_validate(tmp_path, capsys, name, old, new, field, expected):
    from bodymap.cli import main

    path = _variant(tmp_path, name, old, new)
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr()
    assert str(path) in out.out and expected in out.out
    assert "Traceback" not in out.out + out.err


def test_validate_folder_reports_every_file(tmp_path, capsys):
    from bodymap.cli import main

    shutil.copytree(shipped_dir(), tmp_path / "p")
    bad = tmp_path / "p" / "conditions" / "radiculitis.toml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("minutes = 4", "minutes = -4"),
                   encoding="utf-8")
    (tmp_path / "p" / "techniques.toml").write_text("[[technique]\n", encoding="utf-8")
    assert main(["validate", str(tmp_path / "p")]) == 1
    out = capsys.readouterr().out
    assert "radiculitis.toml, field 'step[3].minutes'" in out
    assert "techniques.toml" in out and "TOML syntax error" in out


def test_validate_ok(capsys):
    from bodymap.cli import main

    assert main(["validate", str(shipped_dir())]) == 0
    assert "files OK" in capsys.readouterr().out


def test_broken_registry_reports_file_and_field(tmp_path):
    reg = tomllib.loads((shipped_dir() / "techniques.toml").read_text(encoding="utf-8"))
    path = tmp_path / "techniques.toml"
    text = (shipped_dir() / "techniques.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('motion = "roll"', 'motion = "spin"', 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_techniques(path)
    assert "technique[3].motion" in str(info.value) and "glide" in str(info.value)
    assert reg["technique"][2]["id"] == "kneading"


# ---------------------------------------------------------------------------------------------
# the user folder


def test_user_file_overrides_and_bad_user_file_is_skipped(tmp_path):
    user = tmp_path / "protocols"
    user.mkdir()
    text = HYPERTENSION.read_text(encoding="utf-8")
    (user / "hypertension.toml").write_text(
        text.replace('emphasis = ["collar"]', 'emphasis = ["interscapular"]'), encoding="utf-8"
    )
    (user / "conditions").mkdir()
    (user / "conditions" / "my-own.toml").write_text(
        text.replace('id = "hypertension"', 'id = "my-own"'), encoding="utf-8"
    )
    # invalid: nothing of it may be loaded, not even its id
    (user / "broken.toml").write_text(
        text.replace('id = "hypertension"', 'id = "broken"').replace("minutes = 3", "minutes = x"),
        encoding="utf-8",
    )
    (user / "binary.toml").write_bytes(b"\x00\x01\x02")
    lib = load_library(user)
    assert lib.conditions["hypertension"].emphasis == ["interscapular"]
    assert lib.origins["hypertension"] == user / "hypertension.toml"
    assert "my-own" in lib.conditions
    assert "broken" not in lib.conditions and "binary" not in lib.conditions
    assert {p.path.name for p in lib.problems} == {"broken.toml", "binary.toml"}
    assert all(isinstance(p, DataFileError) for p in lib.problems)


def test_user_dir_from_environment(tmp_path, monkeypatch):
    from bodymap.library import user_protocol_dir

    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path))
    assert user_protocol_dir() == tmp_path / "protocols"
    (tmp_path / "protocols").mkdir()
    (tmp_path / "protocols" / "x.toml").write_text("oops", encoding="utf-8")
    lib = load_library()
    assert [p.path.name for p in lib.problems] == ["x.toml"]
    assert len(lib.conditions) == len(CONDITIONS | NO_ZONE_CONDITIONS)


def test_file_name_must_match_id(tmp_path, techniques):
    path = tmp_path / "other-name.toml"
    shutil.copy(HYPERTENSION, path)
    with pytest.raises(DataFileError, match="field 'id'"):
        load_condition(path, techniques)


# ---------------------------------------------------------------------------------------------
# citations and content (CONTENT.md)

#: the seed source's table of contents: each part's title and its sub-headings. Part 5's first
#: sub-heading is a clinic's advert and Part 4's ": medical massage" a stray line: never cited
#: (the opening section of Part 5 is cited by the article's title, with a note).
TOC = {
    1: ["How to do a therapeutic back massage", "Indications and general rules", "Methodology",
        "Contraindications"],
    2: ["Therapeutic back massage: indications, contraindications, features",
        "Indications for this massage", "When you can not massage your back",
        "Features of technology for various diseases"],
    3: ["Therapeutic back massage", "Indications for therapeutic back massage",
        "Technique of therapeutic back massage"],
    4: ["Therapeutic massage - the technique, the duration of the course, the health and "
        "preventive effect", "What is a therapeutic massage?", "Features", "Kinds",
        "Therapeutic massage technique", "Persons", "With osteochondrosis", "Contraindications",
        "Price"],
    5: ["Back massage", "Performing a therapeutic back massage for osteochondrosis",
        "Conducting a therapeutic massage with radiculitis",
        "The main massage techniques for lumbago and sciatica",
        "Intervertebral hernia. Massage procedures"],
    6: ["Therapeutic back massage - effectiveness", "Types of therapeutic back massage",
        "Indications", "Contraindications for back massage", "How to make a back massage?"],
}


def _all_sources(library):
    for t in library.techniques.values():
        yield from t.sources
        for v in t.variants:
            yield from v.sources
    for d in library.directions.values():
        yield from d.sources
    for c in library.contraindications.values():
        yield from c.sources
    for r in library.no_touch_rules.values():
        yield from r.sources
    for c in (*library.cautions, *library.evidence):
        yield from c.sources
    for cond in library.conditions.values():
        yield from cond.sources
        yield from cond.course.sources
        for c in (*cond.caution, *cond.evidence):
            yield from c.sources


def test_every_citation_names_a_real_heading_of_its_part(library):
    seen = 0
    for src in _all_sources(library):
        if src.part is not None:
            assert src.heading in TOC[src.part], src.cite()
            seen += 1
        else:
            assert (src.ref or src.own) and src.heading
    assert seen > 100
    price = [s for s in _all_sources(library) if s.part == 4 and s.heading == "Price"]
    assert price and all(s.note is not None and "session lengths" in s.note.en for s in price)
    opening = [s for s in _all_sources(library) if s.part == 5 and s.heading == "Back massage"]
    assert opening and all(s.note is not None for s in opening)


def test_no_price_advert_or_contact_data_in_the_protocols():
    import re

    bad = re.compile(
        r"\brouble|рубл|руб\.|\brub\b|moscow|москв|expert|эксперт|khimki|химки|\bSZAO\b|\bCAO\b|"
        r"medical cent|клиник[аеи] \"|\d{3}-\d{2}-\d{2}|\+7|\d\s?\d{3}\s?(rub|руб)", re.I)
    for path in sorted(shipped_dir().rglob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert not bad.search(text), (path.name, bad.search(text).group(0))


def test_content_md_facts_are_encoded(library):
    """Facts of CONTENT.md that live in texts: position (prone, with the 'supine' note),
    preparation, massage before exercise therapy, physician first, final stage, repeat courses,
    two or three sessions, evidence notes, conditions without zones."""
    cautions = " ".join(c.text.en for c in library.cautions)
    assert "prone" in cautions and "supine" in cautions and "translation error" in cautions
    assert "warm bath or shower" in cautions and "talc" in cautions and "clean" in cautions
    assert "before them" in cautions  # exercise therapy (Part 6)
    assert "see a doctor" in cautions.lower()
    assert "self-massage" in cautions and "stroking" in cautions
    assert "two or three sessions" in cautions
    assert any("convention" in e.text.en for e in library.evidence)
    low_back = ("back-pain", "radiculitis", "lumbago-sciatica", "hernia",
                "osteochondrosis-lumbosacral", "osteochondrosis-widespread")
    for cid in low_back:
        cond = library.conditions[cid]
        refs = {s.ref for e in cond.evidence for s in e.sources}
        assert any("CD001929" in (r or "") for r in refs), cid
        assert any("NG59" in (r or "") for r in refs), cid
        assert any("bladder" in c.text.en or "urine" in c.text.en for c in cond.caution), cid
    # the neck caution belongs to the patient (protocols/safeguards.toml), not to a condition
    neck = library.safeguards["neck-never-deep"]
    assert neck.when == "always" and "risks" in neck.text.en and neck.max_intensity == 3
    for cond in library.conditions.values():
        assert not any("neck" in c.text.en and "risks" in c.text.en for c in cond.caution)
    for cid in NO_ZONE_CONDITIONS:
        cond = library.conditions[cid]
        assert "no zones" in cond.summary.en
        assert {c.audience for c in cond.caution} >= {"therapist", "patient"}
    for cond in library.conditions.values():
        assert cond.course.repeat is not None
        assert "twice a year" in cond.course.repeat.en
        assert "two or three sessions" in cond.course.repeat.en


def test_audience_is_optional_and_checked(tmp_path, techniques):
    from bodymap.schema import Cited

    assert Cited.model_validate(
        {"text": {"en": "x", "ru": "х"}, "sources": [{"part": 1, "heading": "Methodology"}]}
    ).audience == "both"
    text = HYPERTENSION.read_text(encoding="utf-8")
    bad = text.replace("[[caution]]\n", '[[caution]]\naudience = "student"\n', 1)
    path = tmp_path / "hypertension.toml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_condition(path, techniques)
    assert any("caution[1].audience" in str(p) for p in problems_of(info.value))


def test_validate_names_file_and_field_for_the_new_fields(tmp_path):
    """safeguards.toml, a condition's [[limit]], [[beyond_map]], a step's sources, a deep
    variant's lighter form and a citation of our own files: each problem names file and field."""
    shipped = shipped_dir()
    guards = (shipped / "safeguards.toml").read_text(encoding="utf-8")
    (tmp_path / "safeguards.toml").write_text(
        guards.replace('where = ["collar"]', 'where = ["elbow"]', 1), encoding="utf-8")
    (tmp_path / "conditions").mkdir()
    back = (shipped / "conditions" / "back-pain.toml").read_text(encoding="utf-8")
    back = back.replace("max_intensity = 2", "max_intensity = 9", 1)
    back = back.replace('{ ref = "Cochrane', '{ ref = "CONTENT.md", '
                        'heading = "Where the source is weak" }, { ref = "Cochrane', 1)
    (tmp_path / "conditions" / "back-pain.toml").write_text(back, encoding="utf-8")
    lumbago = (shipped / "conditions" / "lumbago-sciatica.toml").read_text(encoding="utf-8")
    lumbago = lumbago.replace('[[beyond_map]]\ntext = { en = "The pain spreads',
                              '[[beyond_map]]\ntext = { en = "The pain spreads', 1)
    head, beyond = lumbago.split("[[beyond_map]]")
    beyond = "\n".join("sources = []" if ln.startswith("sources = ") else ln
                       for ln in beyond.split("\n"))
    lumbago = head + "[[beyond_map]]" + beyond
    (tmp_path / "conditions" / "lumbago-sciatica.toml").write_text(lumbago, encoding="utf-8")
    _, problems = validate_paths([tmp_path])
    lines = [str(p) for p in problems]
    assert any("safeguards.toml" in ln and "safeguard[1].where" in ln and "elbow" in ln
               for ln in lines), lines
    assert any("back-pain.toml" in ln and "limit[1].max_intensity" in ln for ln in lines), lines
    assert any("back-pain.toml" in ln and ".ref" in ln and "one of our files" in ln
               for ln in lines), lines
    assert any("lumbago-sciatica.toml" in ln and "beyond_map[1].sources" in ln for ln in lines)
    assert all("Traceback" not in ln for ln in lines)
