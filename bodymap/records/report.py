"""The course report's content (pure): what ``patients export ID --pdf`` prints.

:func:`build_report` turns a patient's course into words and numbers in one language: the
patient and their conditions, the pain chart's points (before and after, visit by visit, with
the visits where a step was shortened or skipped marked), the visit list (date, session, pain,
what was done against the plan, reaction, SOAP notes, signature, addenda) and the first and
last visit's pain maps (their pain points and lesions). The widget layer paints it
(bodymap/widgets/course_report.py) with the project's one map painter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bodymap.i18n import tr
from bodymap.records.model import Moment, Patient, Visit
from bodymap.records.store import Records


@dataclass(frozen=True)
class ChartPoint:
    session: int
    before: int | None
    after: int | None
    changed: bool  # a step was shortened or skipped


@dataclass(frozen=True)
class VisitRow:
    date: str
    session: str
    pain: str
    done: tuple[str, ...]
    notes: tuple[str, ...]
    changed: bool


@dataclass(frozen=True)
class MapPlate:
    caption: str
    pain_points: tuple[tuple[float, float], ...]
    lesions: tuple[str, ...]


@dataclass(frozen=True)
class CourseReport:
    lang: str
    title: str
    patient: str
    details: tuple[str, ...]
    chart_title: str
    chart_labels: dict[str, str]
    points: tuple[ChartPoint, ...]
    visits_title: str
    columns: tuple[str, ...]
    rows: tuple[VisitRow, ...]
    maps_title: str
    maps: tuple[MapPlate, ...]
    map_legend: str
    note: str
    printed: str

    def page_words(self, n: int, total: int) -> str:
        return tr("records.report.page", self.lang, n=n, total=total)


def day_text(moment: Moment, lang: str) -> str:
    """A visit's date the language's way: ``4 Mar 2025`` / ``4 марта 2025``."""
    local = moment.local
    return f"{local.day} {tr(f'records.month.{local.month}', lang)} {local.year}"


def build_report(records: Records, patient_id: int, lang: str = "en") -> CourseReport:
    patient = records.patient(patient_id)
    visits = records.visits(patient_id)
    library = records.checker.library
    names = "; ".join(_condition_name(library, c, lang) for c in patient.conditions)
    details = [tr("records.report.conditions", lang, names=names)]
    if visits:
        details.append(tr("records.report.summary", lang, n=len(visits),
                          first=day_text(visits[0].at, lang), last=day_text(visits[-1].at, lang)))
    else:
        details.append(tr("records.report.no_visits", lang))
    techniques = getattr(library, "techniques", {}) if library is not None else {}
    return CourseReport(
        lang=lang,
        title=tr("records.report.title", lang),
        patient=_patient_line(patient, lang),
        details=tuple(details),
        chart_title=tr("records.report.chart", lang),
        chart_labels={key: tr(f"records.report.{key}", lang)
                      for key in ("before", "after", "axis_visit", "changed_steps")},
        points=tuple(ChartPoint(v.session, v.pain_before, v.pain_after,
                                any(s.outcome != "done" for s in v.steps)) for v in visits),
        visits_title=tr("records.report.visits", lang),
        columns=tuple(tr(f"records.report.col.{c}", lang)
                      for c in ("date", "session", "pain", "done", "notes")),
        rows=tuple(_row(v, lang, techniques) for v in visits),
        maps_title=tr("records.report.maps", lang),
        maps=_maps(visits, lang),
        map_legend=tr("records.report.map_legend", lang),
        note=tr("records.report.note", lang),
        printed=tr("records.report.printed", lang, date=day_text(Moment.now(), lang)),
    )


def _patient_line(patient: Patient, lang: str) -> str:
    if patient.birth_year is None:
        return patient.name
    return f"{patient.name}, {tr('records.report.born', lang, year=patient.birth_year)}"


def _condition_name(library: Any, cid: str, lang: str) -> str:
    condition = library.conditions.get(cid) if library is not None else None
    return getattr(condition.name, lang) if condition is not None else cid


def _technique_name(techniques: Any, tid: str, lang: str) -> str:
    technique = techniques.get(tid) if hasattr(techniques, "get") else None
    name = getattr(technique, "name", None)
    return getattr(name, lang, tid) if name is not None else tid


def _pain(v: Visit, lang: str) -> str:
    dash = tr("records.report.unknown_pain", lang)
    before = dash if v.pain_before is None else str(v.pain_before)
    after = dash if v.pain_after is None else str(v.pain_after)
    return f"{before} → {after}"


def _row(v: Visit, lang: str, techniques: Any) -> VisitRow:
    done: list[str] = []
    for s in v.steps:
        if s.outcome == "done":
            continue
        line = tr(f"records.report.{s.outcome}", lang,
                  technique=_technique_name(techniques, s.technique, lang))
        if s.reason:
            line += f" ({s.reason})"
        done.append(line)
    if not done:
        done.append(tr("records.report.as_planned" if v.steps else "records.report.no_steps",
                       lang))
    notes: list[str] = []
    if v.reaction:
        notes.append(tr("records.report.reaction", lang, text=v.reaction))
    if v.notes:
        notes.append(v.notes)
    notes += [tr(f"records.report.soap.{name}", lang, text=text)
              for name, text in v.soap.sections() if text]
    notes += [tr("records.report.addendum", lang, date=day_text(a.at, lang), text=a.text)
              for a in v.addenda]
    signed = (tr("records.report.signed", lang, date=day_text(v.signed_at, lang))
              if v.signed_at else tr("records.report.unsigned", lang))
    notes.append(signed)
    return VisitRow(day_text(v.at, lang), str(v.session), _pain(v, lang), tuple(done),
                    tuple(notes), any(s.outcome != "done" for s in v.steps))


def _maps(visits: Sequence[Visit], lang: str) -> tuple[MapPlate, ...]:
    chosen = [visits[0], visits[-1]] if len(visits) > 1 else list(visits)
    plates = []
    for v in chosen:
        pain = _pain(v, lang)
        caption = tr("records.report.map_caption", lang, date=day_text(v.at, lang),
                     session=v.session, pain=pain)
        if not v.pain_points:
            caption += "; " + tr("records.report.no_pain_points", lang)
        plates.append(MapPlate(caption, v.pain_points, v.lesions))
    return tuple(plates)


def pain_scene(geometry: Any, plate: MapPlate) -> Any:
    """The map of one visit: the back with that day's pain points and its skin lesions as
    no-touch areas (the planner's lesion rule draws them the same way)."""
    from dataclasses import replace

    from bodymap.map_scene import Area, Mark, SceneBuilder

    builder = SceneBuilder(geometry)
    scene = builder.build(None, None, plate.pain_points)
    # the zones quiet (as a plan's other zones are), so that the places that hurt stand out
    scene = replace(scene, states={half: "muted" for half in scene.states})
    halves = builder.expand(plate.lesions)
    areas = tuple(Area(f"lesion-{h}", geometry.polygon(h), (h,)) for h in halves)
    marks = tuple(Mark("lesion", a.area.centroid.x,
                       a.area.bounds[1] + (a.area.bounds[3] - a.area.bounds[1]) * 0.2 + 4)
                  for a in areas)
    return replace(scene, active=areas, marks=scene.marks + marks)
