"""The handout never drops patient text (issue 17.6): for every shipped condition and the
combinations a therapist meets, in English and Russian, every caution, limit, step and course
row meant for the patient is in the PDF's text (pdftotext), on as many pages as it takes; the
course table agrees with the plan at every session; the therapist's editorial notes ("the
massage source does not discuss this") never reach the patient."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bodymap.handout_text import Handout, build_handout, format_minutes, intensity_word
from bodymap.i18n import LANGUAGES, tr
from bodymap.library import load_library
from bodymap.planner import Hernia, Profile, Scoliosis, make_plan

#: combined patients from the reviews (issue 17): the lead first
COMBINATIONS: tuple[tuple[str, ...], ...] = (
    ("osteochondrosis-lumbosacral", "hernia"),
    ("hernia", "osteochondrosis-lumbosacral"),
    ("hypertension", "scoliosis"),
    ("scoliosis", "hypertension"),
    ("radiculitis", "back-pain"),
    ("back-pain", "radiculitis"),
    ("lumbago-sciatica", "hypertension"),
    ("osteochondrosis-cervical", "hypertension", "hernia"),
)


def shipped() -> tuple[str, ...]:
    return tuple(sorted(load_library().conditions))


PATIENTS: tuple[tuple[str, ...], ...] = (*((c,) for c in shipped()), *COMBINATIONS)


def profile(conditions: tuple[str, ...], library: Any, session: int = 1, **kw: Any) -> Profile:
    """A patient with ``conditions`` and the findings and clearances they need to be planned
    (a hernia at L4-L5 on the left; a grade II curve, convex right)."""
    conds = [library.conditions[c] for c in conditions]
    if any(c.needs == "hernia" for c in conds):
        kw.setdefault("hernias", (Hernia("L4-L5", "left", "initial"),))
    if any(c.needs == "scoliosis" for c in conds):
        kw.setdefault("curves", (Scoliosis("right", 2),))
    cleared = frozenset(c.id for c in conds if c.clearance)
    return Profile(conditions[0], further=conditions[1:], session=session,
                   cleared=cleared | kw.pop("cleared", frozenset()), **kw)


def patient_id(conditions: tuple[str, ...]) -> str:
    return "+".join(conditions)


# ---------------------------------------------------------------------------------------------
# the PDF's text


def pdf_text(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF's text")
    out = subprocess.run([exe, str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    return " ".join(text.split())


def page_text(path: Path, h: Handout) -> str:
    """The PDF's text as one run: the page breaks' footers ("Page 1 of 2") and the further
    pages' headers taken out, so a caution that continues on the next page reads whole."""
    text = flat(pdf_text(path))
    text = re.sub(r"(Page|Страница) \d+ (of|из) \d+", " ", text)
    for repeated in (tr("handout.continued", h.lang, title=h.title), h.session_line, h.patient):
        if repeated:
            text = text.replace(flat(repeated), " ")
    return flat(text)


def patient_lines(h: Handout) -> list[str]:
    """Everything the handout must print for the patient: the status and its reasons, every
    step, every no-touch area and limit, every caution, the course."""
    lines = [h.title, h.disclaimer, h.status_heading, h.status_intro, *h.reasons]
    for s in h.steps:
        lines += [s.head, s.where]
    if not h.blocked:
        lines.append(h.total)
    lines += [*h.avoid, *h.notes, h.course_line, *(r.text for r in h.course_rows)]
    return [flat(line) for line in lines if line]


@pytest.mark.parametrize("conditions", PATIENTS, ids=patient_id)
def test_every_patient_text_is_in_the_pdf_in_both_languages(conditions, library, geometry, qapp,
                                                           tmp_path):
    from bodymap.widgets.handout import export_handout

    # the last session: the longest plan of the course
    first = make_plan(profile(conditions, library), library, geometry)
    plan = make_plan(profile(conditions, library, first.course_sessions), library, geometry)
    assert plan.status == "ok", plan.reasons
    for lang in LANGUAGES:
        h = build_handout(plan, geometry=geometry, library=library, lang=lang,
                          patient_name="Anna K.")
        path = export_handout(plan, tmp_path / f"{lang}.pdf", geometry=geometry,
                              library=library, lang=lang, patient_name="Anna K.")
        text = page_text(path, h)
        missing = [line for line in patient_lines(h) if line not in text]
        assert not missing, (lang, missing)
        assert "…" not in text  # nothing shortened


def test_every_caution_for_the_patient_is_in_the_handout_text(library, geometry):
    """The pure layer: each caution of the plan written for the patient (or both) is a note or
    a line of "what to avoid", in both languages; red flags come before general advice."""
    red_flag = {"en": "See a doctor at once", "ru": "Немедленно обратитесь к врачу"}
    for conditions in PATIENTS:
        plan = make_plan(profile(conditions, library, 5), library, geometry)
        for lang in LANGUAGES:
            h = build_handout(plan, geometry=geometry, library=library, lang=lang)
            shown = " ".join([*h.notes, *h.avoid])
            for c in plan.cautions:
                if c.for_patient():
                    assert c.text[lang].rstrip(".") in shown, (conditions, lang, c.text[lang])
            flags = [i for i, n in enumerate(h.notes) if n.startswith(red_flag[lang])]
            general = {getattr(c.text, lang).rstrip(".") for c in library.cautions}
            firsts = [i for i, n in enumerate(h.notes) if n.rstrip(".") in general]
            if flags and firsts:
                assert max(flags) < min(firsts), (conditions, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_russian_red_flag_survives_a_full_page(lang, library, geometry, qapp, tmp_path):
    """The review's case (osteochondrosis + hernia, session 9): the page is full; the warning
    signs are printed whole, on the second page if need be."""
    from bodymap.widgets.handout import export_handout

    plan = make_plan(profile(("osteochondrosis-lumbosacral", "hernia"), library, 9), library,
                     geometry)
    h = build_handout(plan, geometry=geometry, library=library, lang=lang)
    path = export_handout(plan, tmp_path / "oh.pdf", geometry=geometry, library=library,
                          lang=lang)
    warning = next(n for n in h.notes
                   if n.startswith(("See a doctor at once", "Немедленно обратитесь к врачу")))
    assert flat(warning) in page_text(path, h)


def test_a_blocked_plan_prints_every_reason(library, geometry, qapp, tmp_path):
    """A red flag and several contraindications at once: every reason is printed whole."""
    from bodymap.widgets.handout import export_handout

    present = frozenset({"saddle-numbness", "fever", "infection", "malignancy", "pregnancy",
                         "skin-disease", "blood-disorder", "tuberculosis"}) & set(
        library.contraindications)
    plan = make_plan(profile(("osteochondrosis-lumbosacral", "hernia"), library, 1,
                             present=present), library, geometry)
    for lang in LANGUAGES:
        h = build_handout(plan, geometry=geometry, library=library, lang=lang)
        assert len(h.reasons) >= len(present)
        path = export_handout(plan, tmp_path / f"b-{lang}.pdf", geometry=geometry,
                              library=library, lang=lang)
        text = page_text(path, h)
        missing = [line for line in patient_lines(h) if line not in text]
        assert not missing, (lang, missing)


# ---------------------------------------------------------------------------------------------
# the course table agrees with the plan


@cache
def _sessions(conditions: tuple[str, ...]) -> tuple[Any, ...]:
    library = load_library()
    from bodymap.geometry import load_geometry

    geometry = load_geometry()
    first = make_plan(profile(conditions, library), library, geometry)
    return tuple(make_plan(profile(conditions, library, n), library, geometry)
                 for n in range(1, first.course_sessions + 1))


def _top(plan: Any) -> int:
    return max(s.intensity for s in plan.steps)


@pytest.mark.parametrize("conditions", PATIENTS, ids=patient_id)
def test_course_rows_give_the_plans_own_figures_for_every_session(conditions, library,
                                                                   geometry):
    """Each session planned on its own: the handout's course row for it spans exactly the
    shortest to the longest session of its phase and the lowest to the highest pressure the
    plans have there; no row gives a session longer or firmer than the plan for it."""
    plans = _sessions(conditions)
    for plan in plans:
        assert plan.status == "ok", (conditions, plan.session, plan.reasons)
    for lang in LANGUAGES:
        h = build_handout(plans[0], geometry=geometry, library=library, lang=lang)
        for row in h.course_rows:
            inside = [p for p in plans if row.first <= p.session <= row.last]
            mins = [float(p.total_minutes) for p in inside]
            tops = [_top(p) for p in inside]
            for p in inside:
                assert float(p.total_minutes) <= row.minutes[1] + 0.05, (conditions, p.session)
                assert intensity_word(row.intensity[1], lang) == intensity_word(max(tops), lang)
            assert row.minutes == pytest.approx((min(mins), max(mins)), abs=0.05)
            assert format_minutes(max(mins), lang) in row.text
            assert intensity_word(max(tops), lang) in row.text
            assert intensity_word(min(tops), lang) in row.text
        # the course line's "rises to ..." is the firmest any session's steps are
        firmest = tr(f"handout.pressure_from.{max(_top(p) for p in plans)}", lang)
        assert h.course_line.rstrip(".”»").endswith(firmest), (conditions, h.course_line)
        longest = format_minutes(max(float(p.total_minutes) for p in plans), lang)
        assert longest in h.course_line


def test_every_session_of_the_course_is_its_own_figure(library, geometry):
    """The plan's course table at session n is what planning session n gives: its length and
    the intensity its steps reach (a neck capped at moderate never reads "firm")."""
    for conditions in PATIENTS:
        plans = _sessions(conditions)
        for plan in plans:
            row = plans[0].course[plan.session - 1]
            assert row.minutes == pytest.approx(float(plan.total_minutes), abs=0.05)
            assert max(1, min(5, round(row.intensity))) == _top(plan), (conditions, plan.session)


# ---------------------------------------------------------------------------------------------
# the therapist's editorial notes never reach the patient

#: words of notes meant for the therapist: on what a text rests, not what the patient does
EDITORIAL = re.compile(
    r"machine[- ]translation|translation error|the (massage )?source (does not|is silent|"
    r"gives no)|outside evidence|CONTENT\.md|ошибк\w* (машинного )?перевода|"
    r"в (массажном )?источнике (об этом |о них |этих )?(не|нет)|источник (не|об этом молчит)|"
    r"внешних данных",
    re.IGNORECASE,
)


def _patient_texts(h: Handout) -> list[str]:
    """Every text of the handout a patient reads as advice (the list of sources, where the
    basis of each rule is cited by name, is the one place notes on sources belong)."""
    return [line for line in patient_lines(h) if line]


def _presentation_texts(plan: Any, library: Any, geometry: Any, lang: str) -> list[str]:
    from bodymap.handout_text import patient_reasons
    from bodymap.plain import plain_avoid, plain_caption

    texts = [plain_caption(s, library, geometry, lang) for s in plan.steps]
    texts += list(plain_avoid(plan.no_touch, lang, geometry))
    return texts + patient_reasons(plan, library, lang)


def _blocked_by_each_question(conditions: tuple[str, ...], library: Any) -> list[Profile]:
    """The patient with each screening answer "yes" in turn (red flags, clearances ...)."""
    return [profile(conditions, library, 1, present=frozenset({cid}))
            for cid in sorted(library.contraindications)]


def test_no_editorial_note_on_any_patient_text(library, geometry):
    found = []
    for conditions in PATIENTS:
        profiles = [profile(conditions, library, 5)]
        if len(conditions) == 1 and conditions[0] in ("hernia", "hypertension"):
            profiles += _blocked_by_each_question(conditions, library)
        for prof in profiles:
            plan = make_plan(prof, library, geometry)
            for lang in LANGUAGES:
                h = build_handout(plan, geometry=geometry, library=library, lang=lang)
                texts = _patient_texts(h) + _presentation_texts(plan, library, geometry, lang)
                found += [(conditions, lang, t) for t in texts if EDITORIAL.search(t)]
    assert not found, found[:5]


def test_every_patient_facing_text_in_the_data_is_free_of_editorial_notes():
    """The data: cautions for the patient (or both), the safeguards' texts and the screening
    explanations carry their editorial notes in ``editorial`` (the therapist's), never in
    their text."""
    library = load_library()
    texts: list[tuple[str, str]] = []
    cited = [*library.cautions, *library.evidence]
    for cond in library.conditions.values():
        cited += [*cond.caution, *cond.evidence]
    texts += [("caution", getattr(c.text, lang)) for c in cited if c.for_patient
              for lang in LANGUAGES]
    texts += [(f"safeguard {g.id}", getattr(g.text, lang)) for g in library.safeguards.values()
              if g.audience != "therapist" for lang in LANGUAGES]
    texts += [(f"screening {c.id}", getattr(c.explanation, lang))
              for c in library.contraindications.values() for lang in LANGUAGES]
    found = [(where, t) for where, t in texts if EDITORIAL.search(t)]
    assert not found, found[:5]


def test_the_therapist_still_reads_the_editorial_notes(library, geometry):
    """What left the patient's text is the therapist's: the plan's cautions keep the note (the
    app's notes tab shows ``therapist_text``), and the plan JSON carries it."""
    plan = make_plan(profile(("osteochondrosis-lumbosacral", "hernia"), library, 5), library,
                     geometry)
    noted = [c for c in plan.cautions if c.editorial]
    assert noted, "the red flag and the neck's caution carry editorial notes"
    for c in noted:
        for lang in LANGUAGES:
            assert c.therapist_text(lang).endswith(f"({c.editorial[lang]})")
            assert EDITORIAL.search(c.therapist_text(lang))
            h = build_handout(plan, geometry=geometry, library=library, lang=lang)
            assert c.editorial[lang] not in h.plain_text()
    data = plan.to_json()
    assert any("editorial" in c for c in data["cautions"])
    # a screening reason keeps its note for the banner
    blocked = make_plan(profile(("hypertension",), library, 1,
                                present=frozenset({"osteoporosis"})), library, geometry)
    reason = next(r for r in blocked.reasons if r.id == "osteoporosis")
    assert reason.editorial and EDITORIAL.search(reason.editorial["en"])
    assert not EDITORIAL.search(reason.text["en"])


def test_the_notes_panel_shows_the_editorial_note(qapp, library, geometry):
    from bodymap.widgets.panels.notes import PlanNotes

    plan = make_plan(profile(("back-pain",), library, 5), library, geometry)
    view = PlanNotes()
    view.set_plan(plan)
    assert "The massage source does not list these warning signs" in view.toPlainText()


def test_dataclass_default_keeps_old_plans_without_notes():
    from bodymap.planner import Cited

    c = Cited({"en": "A", "ru": "Б"}, ())
    assert c.editorial == {} and c.therapist_text("ru") == "Б"
    assert dataclasses.replace(c, editorial={"en": "n", "ru": "н"}).therapist_text("ru") == "Б (н)"


def test_an_unasked_checklist_is_one_line_not_every_question(library, geometry, qapp, tmp_path):
    from bodymap.widgets.handout import export_handout

    plan = make_plan(Profile("hypertension", answered=frozenset()), library, geometry)
    questions = [r for r in plan.reasons if r.question]
    assert len(questions) > 20
    for lang in LANGUAGES:
        h = build_handout(plan, geometry=geometry, library=library, lang=lang)
        assert h.reasons == (tr("handout.status.questions", lang, n=len(questions)),)
        path = export_handout(plan, tmp_path / f"q-{lang}.pdf", geometry=geometry,
                              library=library, lang=lang)
        assert flat(h.reasons[0]) in page_text(path, h)


def test_a_page_break_leaves_no_line_alone_and_no_heading_at_the_foot(qapp):
    from bodymap.widgets.handout_flow import Para, Space, Type, heading, split_flow

    t = Type(1.0)
    body = t.font("body")
    para = Para(" ".join(["word"] * 400), body)
    width = 1000.0
    n = len(para.lines(width))
    line = para.line_height
    # room for one line: the paragraph moves on whole
    head, rest = split_flow([para], width, line * 1.5)
    assert head == [] and rest == [para]
    # room for five lines: five here, the rest there, every line kept
    head, rest = split_flow([para], width, line * 5.5)
    assert len(head[0].lines(width)) == 5 and len(rest[0].lines(width)) == n - 5
    assert head[0].lines(width) + rest[0].lines(width) == para.lines(width)
    # a heading never ends a page: it goes on with its text
    title = heading("What to avoid", t)
    head, rest = split_flow([Space(10), title, para], width, 10 + title.height(width) + line)
    assert rest[0] is title
    # a step's name stays with its description
    name = Para("1. Stroking — 3 min", t.font("bold"), keep_with_next=True)
    short = Para("Gentle strokes.", body)
    head, rest = split_flow([para, name, short], width, para.height(width) + name.height(width))
    assert head == [para] and rest == [name, short]
