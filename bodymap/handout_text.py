"""The patient handout's words: steps in plain language, the course, cautions, sources, note.

Pure Python (no Qt), so the content is testable on its own and shared by the PDF and the PNG
(``bodymap.widgets.handout`` only lays these texts out and draws the map).

Every text here is plain text. A patient's name is never interpreted (no rich text, no HTML):
the drawing code paints strings as they are.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bodymap.findings import level_name
from bodymap.i18n import LANGUAGES, pick, tr
from bodymap.plain import plain_caption, side_of_area
from bodymap.plan_state import PlanState, plan_state, state_words
from bodymap.vocabulary import labelled, zone_name

__all__ = ["Handout", "StepLine", "build_handout", "format_minutes", "patient_reasons"]

#: how many characters of a patient's name are kept (the layout also elides to fit)
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class StepLine:
    number: int
    technique: str  # "Stroking" / "Deep stroking"
    minutes: str  # "3 min"
    intensity: str  # "light"
    zones: str  # "Collar zone (both sides)"
    direction: str  # "from the spine out to the sides"
    role: str = ""  # scoliosis: "to relax the tighter side"
    #: the step in a patient's words (bodymap.plain.plain_caption), the same as on screen:
    #: what the hands do, where, which way, how firmly
    plain: str = ""

    @property
    def head(self) -> str:
        if self.plain:  # the plain line says how firmly
            return f"{self.number}. {self.technique} — {self.minutes}"
        return f"{self.number}. {self.technique} — {self.minutes}, {self.intensity}"

    @property
    def where(self) -> str:
        if self.plain:
            return self.plain
        text = f"{self.zones}; {self.direction}"
        return f"{text}; {self.role}" if self.role else text


@dataclass(frozen=True)
class CourseRow:
    phase: str
    first: int
    last: int
    text: str  # "Introductory: sessions 1–3, 10–15 min, very light – light"
    current: bool
    #: the figures the text gives: the shortest and longest session of the phase, and its
    #: lowest and highest intensity (the plan's own combined course, bodymap.planner)
    minutes: tuple[float, float] = (0.0, 0.0)
    intensity: tuple[float, float] = (0.0, 0.0)


@dataclass(frozen=True)
class Handout:
    lang: str
    title: str
    session: int
    session_line: str
    patient: str  # "" when no name was given
    status: str  # ok | blocked | postponed
    state: PlanState  # what the status means (bodymap.plan_state): its words head the page
    status_heading: str  # "" when ok
    status_intro: str
    reasons: tuple[str, ...]  # why blocked/postponed (empty when ok)
    today_heading: str
    steps: tuple[StepLine, ...]
    total: str
    avoid_heading: str
    avoid: tuple[str, ...]  # no-touch areas in plain words, then today's exclusions and limits
    notes_heading: str
    notes: tuple[str, ...]  # the plan's cautions (see a doctor first, nothing should hurt ...)
    course_heading: str
    course_line: str
    course_rows: tuple[CourseRow, ...]
    course_today: str
    course_minutes: tuple[tuple[int, str, float, float], ...]  # (number, phase, min, intensity)
    sources_heading: str
    sources: tuple[str, ...]
    evidence_heading: str
    evidence: tuple[str, ...]
    disclaimer: str
    legend_heading: str
    legend: Mapping[str, str] = field(default_factory=dict)
    map_labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return self.status != "ok"

    def plain_text(self) -> str:
        """Every text of the handout, in page order (for tests and for a quick look)."""
        parts: list[str] = [self.title, self.session_line]
        if self.patient:
            parts.append(self.patient)
        parts.append(self.disclaimer)
        if self.blocked:
            parts += [self.status_heading, self.status_intro, *self.reasons]
        else:
            parts.append(self.today_heading)
            for s in self.steps:
                parts += [s.head, s.where]
            parts.append(self.total)
        parts += [self.legend_heading, *self.legend.values()]
        parts += [self.avoid_heading, *self.avoid]
        parts += [self.notes_heading, *self.notes]
        parts += [self.course_heading, self.course_line, *(r.text for r in self.course_rows)]
        parts.append(self.course_today)
        parts += [self.sources_heading, *self.sources]
        parts += [self.evidence_heading, *self.evidence]
        return "\n".join(p for p in parts if p)


# ---------------------------------------------------------------------------------------------
# formatting helpers


def format_minutes(minutes: float, lang: str) -> str:
    """``3`` -> "3 min"; ``2.5`` -> "2.5 min" (Russian: "2,5 мин")."""
    value = round(float(minutes), 1)
    text = str(int(value)) if value == int(value) else f"{value:g}"
    if lang == "ru":
        text = text.replace(".", ",")
    return tr("handout.minutes", lang, n=text)


def _minutes_range(a: float, b: float, lang: str) -> str:
    if round(a, 1) == round(b, 1):
        return format_minutes(a, lang)
    lo = format_minutes(a, lang).split(" ")[0]
    return f"{lo}–{format_minutes(b, lang)}"


def intensity_word(level: float, lang: str) -> str:
    n = min(5, max(1, round(level)))
    return tr(f"handout.intensity.{n}", lang)


def _pressure_from(level: float, lang: str) -> str:
    """The course line's "from very light to light" (Russian: "от очень лёгкого до лёгкого")."""
    n = max(1, min(5, round(level)))
    return tr(f"handout.pressure_from.{n}", lang)


def _intensity_range(a: float, b: float, lang: str) -> str:
    wa, wb = intensity_word(a, lang), intensity_word(b, lang)
    return wa if wa == wb else f"{wa} → {wb}"


def clean_name(name: str) -> str:
    """A patient's name as one line of plain text: control characters and runs of spaces gone."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(name or ""))
    text = " ".join(text.split())
    if len(text) > MAX_NAME_CHARS:
        text = text[: MAX_NAME_CHARS - 1].rstrip() + "…"
    return text


def zone_names(zones: Sequence[str], geometry: Any, lang: str) -> str:
    """Zone ids in plain words: all four zones are "the whole back"; both halves of a zone
    become "<zone> (both sides)"; names after the first start in lower case."""
    ids = list(dict.fromkeys(zones))
    regions = getattr(geometry, "regions", None) or {}
    whole = set(getattr(geometry, "ZONES", ()) or ())
    covered = {z.rsplit("-", 1)[0] if z.endswith(("-left", "-right")) and
               f"{z.rsplit('-', 1)[0]}-left" in ids and f"{z.rsplit('-', 1)[0]}-right" in ids
               else z for z in ids}
    if whole and covered == whole:
        return tr("handout.whole_back", lang)
    for side in ("left", "right"):
        if whole and set(ids) == {f"{z}-{side}" for z in whole}:
            return tr(f"handout.whole_side.{side}", lang)
    out: list[str] = []
    for z in ids:
        if z.endswith(("-left", "-right")):
            parent = z.rsplit("-", 1)[0]
            other = f"{parent}-right" if z.endswith("-left") else f"{parent}-left"
            if parent in regions and (other in ids or parent in ids):
                if z.endswith("-left") and parent not in ids:
                    out.append(tr("handout.both_halves", lang,
                                  zone=zone_name(geometry, parent, lang)))
                continue
        out.append(zone_name(geometry, z, lang))
    return ", ".join([out[0], *(_lower_first(n) for n in out[1:])]) if out else ""


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


#: the project's digest of the source (CONTENT.md) as a patient reads it
_DIGEST = 'CONTENT.md, "Where the source is weak"'


def cite(source: str, lang: str) -> str:
    """A short citation; "Part 2, ..." reads "Часть 2, ..." in Russian; the project's content
    digest is named in words a patient understands."""
    if source.startswith(_DIGEST):
        return tr("handout.ref.digest", lang) + source[len(_DIGEST):]
    if source.startswith("Part "):
        head, _, rest = source.partition(",")
        n = head.removeprefix("Part ").strip()
        if n.isdigit():
            return tr("handout.part", lang, n=n) + ("," + rest if rest else "")
    return source


def _technique_name(library: Any, technique: str, variant: str | None, lang: str) -> str:
    tech = (getattr(library, "techniques", None) or {}).get(technique)
    if tech is None:
        return technique
    var = tech.variant(variant) if variant and hasattr(tech, "variant") else None
    return pick(_texts(var.name if var is not None else tech.name), lang)


def _direction_name(library: Any, direction: str, lang: str) -> str:
    d = (getattr(library, "directions", None) or {}).get(direction)
    return pick(_texts(d.name), lang) if d is not None else direction.replace("-", " ")


def _texts(t: Any) -> Mapping[str, str]:
    """A bilingual text from the library (a ``Text`` model) or a plain mapping."""
    if isinstance(t, Mapping):
        return t
    return {lang: getattr(t, lang) for lang in LANGUAGES if getattr(t, lang, None)}


def _condition(library: Any, condition: str) -> Any:
    return (getattr(library, "conditions", None) or {}).get(condition)


def _library_cited(library: Any, condition: str) -> list[Any]:
    """The protocol files' cautions and evidence notes behind a plan (library-wide, then the
    condition's): their sources carry the notes shown after a citation."""
    out = [*(getattr(library, "cautions", None) or ()), *(getattr(library, "evidence", None) or ())]
    cond = _condition(library, condition)
    if cond is not None:
        out += [*cond.caution, *cond.evidence]
    return out


def _source_names(library: Any, condition: str, lang: str) -> dict[str, str]:
    """English citation -> the same citation with its note in ``lang``."""
    cond = _condition(library, condition)
    if cond is None:
        return {}
    sources = [*cond.sources, *cond.course.sources]
    for c in _library_cited(library, condition):
        sources += list(c.sources)
    out: dict[str, str] = {}
    for src in sources:
        try:
            out.setdefault(src.cite(), src.cite(lang))
        except (AttributeError, TypeError):
            continue
    return out


def _reason_text(reason: Any, library: Any, lang: str) -> str:
    """A blocking or postponing reason in a patient's words: a red flag's explanation
    without the instruction to the therapist (the heading already says "see a doctor"), an
    unanswered question as the question itself."""
    contra = (getattr(library, "contraindications", None) or {}).get(reason.id)
    if contra is not None and reason.kind == "refer":
        return _sentence(pick(_texts(contra.explanation), lang))
    if contra is not None and reason.kind == "unanswered":
        question = pick(_texts(contra.question), lang)
        return tr("handout.status.unanswered", lang) + _sentence(question)
    prefix = tr("handout.status.unanswered", lang) if reason.kind == "unanswered" else ""
    return prefix + _sentence(pick(reason.text, lang))


def _sentence(text: str) -> str:
    text = text.strip()
    if text.endswith((".)", "!)", "?)", ".»", ".\"")):  # "... (outside evidence.)"
        return text
    return text if not text or text[-1] in ".!?…:" else text + "."


# ---------------------------------------------------------------------------------------------
# the handout


def build_handout(
    plan: Any, *, geometry: Any, library: Any, lang: str = "en", patient_name: str = ""
) -> Handout:
    """Every text on the handout for ``plan`` in ``lang`` ("en" or "ru")."""
    if lang not in LANGUAGES:
        from bodymap.errors import UsageError

        raise UsageError(f"unknown language '{lang}'", expected=" or ".join(LANGUAGES))

    name = pick(plan.name, lang) if getattr(plan, "name", None) else plan.condition
    sources_ru: tuple[str, ...] = tuple(getattr(plan, "sources_ru", ()))
    further = list((getattr(plan, "conditions", None) or ())[1:])
    if further and library is not None:  # several conditions: the lead first, then the others
        conds = getattr(library, "conditions", None) or {}
        name = " + ".join([name, *(pick(_texts(conds[c].name), lang) if c in conds else c
                                   for c in further)])
    patient = clean_name(patient_name)
    steps = _step_lines(plan, geometry, library, lang)
    reasons, status_heading, status_intro = _status_texts(plan, library, lang)
    avoid, notes = _avoid_and_notes(plan, geometry, library, lang)
    course_line, rows = _course_texts(plan, lang)
    names = _source_names(library, plan.condition, lang)
    return Handout(
        lang=lang,
        title=name,
        session=plan.session,
        session_line=_session_line(plan, lang),
        patient=tr("handout.patient", lang, name=patient) if patient else "",
        status=plan.status,
        state=plan_state(plan),
        status_heading=status_heading,
        status_intro=status_intro,
        reasons=tuple(reasons),
        today_heading=tr("handout.today", lang),
        steps=tuple(steps),
        total=tr("handout.total", lang, minutes=format_minutes(plan.total_minutes, lang))
        if steps else tr("handout.status.no_steps", lang),
        avoid_heading=tr("handout.avoid", lang),
        avoid=tuple(avoid),
        notes_heading=tr("handout.good_to_know", lang),
        notes=tuple(notes),
        course_heading=tr("handout.course", lang),
        course_line=course_line,
        course_rows=tuple(rows),
        course_today=tr("handout.course_today", lang, session=plan.session),
        course_minutes=tuple((c.number, c.phase, c.minutes, c.intensity) for c in plan.course),
        sources_heading=tr("handout.sources", lang),
        # the plan's own Russian citations (the headings in Russian) when it has them
        sources=sources_ru if lang == "ru" and sources_ru else tuple(
            cite(names.get(src, src), lang) for src in plan.sources),
        evidence_heading=tr("handout.evidence", lang),
        evidence=tuple(
            _sentence(pick(e.text, lang)) for e in getattr(plan, "evidence", ())
            if e.for_patient()
        ),
        disclaimer=tr("app.disclaimer", lang),
        legend_heading=tr("handout.legend.title", lang),
        legend=_legend_texts(plan, lang),
        map_labels={
            "left": tr("side.patient_left", lang),
            "right": tr("side.patient_right", lang),
            "view": tr("view.posterior", lang),
            "banner": state_words(plan_state(plan), "stamp", lang),
        },
    )


def _session_line(plan: Any, lang: str) -> str:
    phase_word = tr(f"course.phase.{plan.phase}", lang)
    line = tr(
        "handout.session_line", lang, session=plan.session, sessions=plan.course_sessions,
        phase=phase_word,
    )
    if lang == "en":
        line = line.replace(f"· {phase_word}", f"· {phase_word.capitalize()}")
    return line


def _step_lines(plan: Any, geometry: Any, library: Any, lang: str) -> list[StepLine]:
    if plan.status != "ok":
        return []
    return [
        StepLine(
            number=i,
            technique=_technique_name(library, s.technique, s.variant, lang),
            minutes=format_minutes(s.minutes, lang),
            intensity=intensity_word(s.intensity, lang),
            zones=zone_names(s.zones, geometry, lang),
            direction=_direction_name(library, s.direction, lang),
            role=tr(f"plain.role.{s.role}", lang) if s.role else "",
            plain=plain_caption(s, library, geometry, lang),
        )
        for i, s in enumerate(plan.steps, 1)
    ]


def _status_texts(plan: Any, library: Any, lang: str) -> tuple[list[str], str, str]:
    """(why the plan is blocked or postponed, the heading, the intro); empty when ok."""
    if plan.status == "ok":
        return [], "", ""
    heading = state_words(plan_state(plan), "patient", lang)
    intro = tr("handout.status.postponed_why" if plan.status == "postponed"
               else "handout.status.blocked_why", lang)
    return patient_reasons(plan, library, lang), heading, intro


def patient_reasons(plan: Any, library: Any, lang: str) -> list[str]:
    """Why no session is planned, in the patient's words (the handout and the presentation):
    red flags first, then blocks, postponements and what is still to be checked; never the
    therapist's editorial notes."""
    order = {"refer": 0, "block": 1, "postpone": 2, "unanswered": 3}
    shown = sorted((r for r in plan.reasons if r.kind in order), key=lambda r: order[r.kind])
    questions = [r for r in shown if getattr(r, "question", False)]
    lines = [_reason_text(r, library, lang) for r in shown if r not in questions]
    if len(questions) > 1:  # the checklist not yet asked: how many, not each question
        lines.append(tr("handout.status.questions", lang, n=len(questions)))
    else:
        lines += [_reason_text(r, library, lang) for r in questions]
    return lines


def _avoid_line(n: Any, geometry: Any, library: Any, lang: str) -> str:
    """One no-touch area of the plan as a line of "what to avoid"."""
    if n.id.startswith("hernia-site") and n.zones:
        side = side_of_area(n.area)
        label = tr("handout.avoid_hernia", lang, level=level_name(n.zones[0], lang),
                   side=tr(f"handout.side.{side}", lang))
    elif n.id in ("spine", "kidneys"):
        label = tr(f"handout.no_touch.{n.id}", lang)
    else:
        label = zone_names(n.zones, geometry, lang) if n.zones else ""
    text = _sentence(pick(n.text, lang))
    if n.techniques != "all":
        techs = ", ".join(_technique_name(library, t, None, lang).lower() for t in n.techniques)
        if not _mentions_all(text, techs):
            text = f"{text} {tr('handout.only_for', lang, techniques=techs)}"
    return labelled(label, text)  # one colon, never "zone: hernia zone: ..."


def _avoid_and_notes(plan: Any, geometry: Any, library: Any,
                     lang: str) -> tuple[list[str], list[str]]:
    avoid = [_avoid_line(n, geometry, library, lang) for n in plan.no_touch]
    # today's limits (no deep pressure ...) are things to avoid; the areas left out
    # ("exclude") are already listed above as no-touch areas; notes are good to know
    notes = []
    if plan.status == "ok":
        for r in plan.reasons:
            if r.kind == "limit":
                avoid.append(_sentence(pick(r.text, lang)))
            elif r.kind == "note" and not r.id.startswith("combined-"):
                # how several conditions combine is the therapist's (the app's notes tab);
                # the handout's title already names every condition
                notes.append(_sentence(pick(r.text, lang)))
    avoid = list(dict.fromkeys(avoid))
    # the patient's handout: only cautions written for the patient (or for both); the
    # therapist's versions stay in the app
    # What is particular to this patient (the conditions' and safeguards' cautions, the red
    # flags among them) comes before what every plan says, so that if the page runs short it
    # is the general advice that is cut, never a warning sign.
    general = {getattr(c.text, lang) for c in getattr(library, "cautions", ())}
    mine = [c for c in plan.cautions if c.for_patient()]
    mine.sort(key=lambda c: pick(c.text, lang) in general)  # stable: plan order otherwise
    notes += [_sentence(pick(c.text, lang)) for c in mine]
    return avoid, [n for n in dict.fromkeys(notes) if n not in avoid]


def _course_texts(plan: Any, lang: str) -> tuple[str, list[CourseRow]]:
    """The course in one line and one row per phase, with the plan's own combined figures:
    each row gives the shortest to the longest session of its phase and its lowest to highest
    intensity, so no row promises a session longer or firmer than the plan has there."""
    course = tuple(plan.course)
    rows: list[CourseRow] = []
    for phase in dict.fromkeys(c.phase for c in course):
        sessions = [c for c in course if c.phase == phase]
        mins = (min(c.minutes for c in sessions), max(c.minutes for c in sessions))
        ints = (min(c.intensity for c in sessions), max(c.intensity for c in sessions))
        word = tr(f"course.phase.{phase}", lang)
        rows.append(
            CourseRow(
                phase=phase,
                first=sessions[0].number,
                last=sessions[-1].number,
                text=tr(
                    "handout.course_row", lang, phase=word[:1].upper() + word[1:],
                    first=sessions[0].number, last=sessions[-1].number,
                    minutes=_minutes_range(*mins, lang),
                    intensity=_intensity_range(*ints, lang),
                ),
                current=sessions[0].number <= plan.session <= sessions[-1].number,
                minutes=mins,
                intensity=ints,
            )
        )
    if not course:
        return "", rows
    mins_all = [c.minutes for c in course]
    ints_all = [c.intensity for c in course]
    line = tr(
        "handout.course_line", lang, sessions=plan.course_sessions,
        min_from=format_minutes(min(mins_all), lang).split(" ")[0],
        min_to=format_minutes(max(mins_all), lang),
        int_from=_pressure_from(min(ints_all), lang),
        int_to=_pressure_from(max(ints_all), lang),
    )
    return line, rows


def _legend_texts(plan: Any, lang: str) -> dict[str, str]:
    legend = {
        key: tr(f"handout.legend.{key}", lang)
        for key in ("emphasis", "zone", "no_touch", "spine", "limited")
    }
    roles = {s.role for s in plan.steps if getattr(s, "role", None)}
    for role in ("relax", "strengthen"):
        if role in roles:
            legend[role] = tr(f"handout.legend.{role}", lang)
    if any(getattr(c, "regions", ()) for c in getattr(plan, "beyond_map", ())):
        legend["buttock"] = tr("handout.legend.buttock", lang)  # the map's BeyondLayer
    return legend


def _mentions_all(text: str, techniques: str) -> bool:
    low = text.lower()
    return all(t.strip()[:5] in low for t in techniques.split(","))
