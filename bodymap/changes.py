"""What changed between two versions of a patient's profile, said in words.

The window's undo history names each change ("Hernia moved: L4-L5 left → T6-T7 right") in the
Edit menu and the status bar, in English and Russian. :func:`describe_change` compares two
profiles (``ProfileModel.model_dump()`` dictionaries, so it follows whatever fields the plan
document has) and :func:`describe_texts` gives the words in every interface language.

A field it has no words for is still named ("Findings changed"): no change goes unsaid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bodymap.findings import level_name
from bodymap.gates import HERNIA_ADVANCED, SCOLIOSIS_GRADE_3
from bodymap.i18n import LANGUAGES, pick, tr
from bodymap.vocabulary import zone_name

__all__ = ["Answers", "answers_of", "describe_change", "describe_texts"]

Profile = Mapping[str, Any]
#: a question's answer: True (yes), False (no), None (not asked yet)
Answers = dict[str, bool | None]


def describe_texts(before: Profile, after: Profile, library: Any,
                   geometry: Any) -> dict[str, str]:
    """:func:`describe_change` in every interface language."""
    return {lang: describe_change(before, after, library, geometry, lang) for lang in LANGUAGES}


def describe_change(before: Profile, after: Profile, library: Any, geometry: Any,
                    lang: str | None = None) -> str:
    """One line naming what differs between two profiles (empty when nothing does)."""
    words = _Words(library, geometry, lang)
    parts: list[str] = []
    handled: set[str] = set()
    for keys, say in _SAYERS:
        handled.update(keys)
        if any(before.get(k) != after.get(k) for k in keys):
            parts.extend(say(words, before, after))
    if any(before.get(k) != after.get(k) for k in (set(before) | set(after)) - handled):
        parts.append(words.tr("change.findings"))
    return "; ".join(p for p in parts if p)


def answers_of(profile: Profile, questions: Iterable[str]) -> Answers:
    """Each question's answer in ``profile`` (``present``: yes; ``answered``: asked at all,
    None meaning every question was answered)."""
    present = set(profile.get("present") or ())
    answered = profile.get("answered")
    return {q: True if q in present else (False if answered is None or q in answered else None)
            for q in questions}


class _Words:
    """Names in one language: conditions, zones, questions, findings."""

    def __init__(self, library: Any, geometry: Any, lang: str | None) -> None:
        self.library, self.geometry, self.lang = library, geometry, lang

    def tr(self, key: str, **fields: object) -> str:
        return tr(key, self.lang, **fields)

    def condition(self, cid: str) -> str:
        cond = self.library.conditions.get(cid) if self.library is not None else None
        return _pick(cond.name, self.lang) if cond is not None else cid

    def conditions(self, ids: Iterable[str]) -> str:
        return ", ".join(self.condition(c) for c in ids)

    def question(self, cid: str) -> str:
        contra = self.library.contraindications.get(cid) if self.library is not None else None
        return _pick(contra.question, self.lang) if contra is not None else cid

    def clearance(self, cid: str) -> str:
        """The clearance question for ``cid`` as the window asks it (a clearance question's
        own, a condition's, a finding's); the id itself when nothing asks it."""
        lib = self.library
        contra = lib.contraindications.get(cid) if lib is not None else None
        if contra is not None and contra.clearance is not None:
            return _pick(contra.clearance, self.lang)
        cond = lib.conditions.get(cid) if lib is not None else None
        if cond is not None:
            return self.tr("gates.clearance.condition", name=self.condition(cid))
        finding = {HERNIA_ADVANCED: "gates.clearance.hernia_advanced",
                   SCOLIOSIS_GRADE_3: "gates.clearance.scoliosis_grade_3"}.get(cid)
        return self.tr(finding) if finding else cid

    def zone(self, zone: str) -> str:
        return zone_name(self.geometry, zone, self.lang)

    def place(self, point: tuple[float, float]) -> str:
        half = self.geometry.zone_at(*point) if self.geometry is not None else None
        return self.zone(half) if half else self.tr("status.outside_zones")

    def hernia(self, h: Mapping[str, Any]) -> str:
        return self.tr("change.hernia_at", level=level_name(str(h.get("level", "?")), self.lang),
                       side=self.tr(f"change.side.{h.get('side', 'central')}"))

    def scoliosis(self, s: Mapping[str, Any]) -> str:
        grade = s.get("grade")
        return self.tr("change.scoliosis_shape", side=self.tr(f"change.side.{s.get('convex')}"),
                       grade=_roman(grade) if isinstance(grade, int) else "?")

    def answer(self, value: bool | None) -> str:
        return self.tr({True: "panel.yes", False: "panel.no", None: "change.unanswered"}[value])


def _pick(text: Any, lang: str | None) -> str:
    if isinstance(text, Mapping):
        return pick(text, lang)
    return pick({"en": getattr(text, "en", ""), "ru": getattr(text, "ru", "")}, lang)


def _roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}.get(n, str(n))


def _listed(profile: Profile, one: str, many: str) -> list[Mapping[str, Any]]:
    """A finding as a list, whether the profile keeps one (``hernia``) or several
    (``hernias``)."""
    if profile.get(many) is not None:
        return [dict(x) for x in profile[many]]
    value = profile.get(one)
    if isinstance(value, list | tuple):  # today's plan documents: ``scoliosis`` is a list
        return [dict(x) for x in value]
    return [dict(value)] if value else []


# one sayer per group of fields -----------------------------------------------------------------

def _conditions(w: _Words, before: Profile, after: Profile) -> list[str]:
    old, new = tuple(before.get("conditions") or ()), tuple(after.get("conditions") or ())
    parts: list[str] = []
    if old[:1] != new[:1]:
        if not new:
            return [w.tr("change.conditions_cleared", names=w.conditions(old))]
        if not old:
            parts.append(w.tr("change.condition_chosen", name=w.condition(new[0])))
        elif old[0] in new:
            parts.append(w.tr("change.lead_kept", name=w.condition(new[0]),
                              old=w.condition(old[0])))
        else:
            parts.append(w.tr("change.lead", name=w.condition(new[0])))
    added = [c for c in new[1:] if c not in old]
    removed = [c for c in old if c not in new]
    if added:
        parts.append(w.tr("change.condition_added", n=len(added), names=w.conditions(added)))
    if removed:
        parts.append(w.tr("change.condition_removed", n=len(removed),
                          names=w.conditions(removed)))
    if not parts:  # the same conditions in another order
        parts.append(w.tr("change.conditions_order", names=w.conditions(new)))
    return parts


def _session(w: _Words, before: Profile, after: Profile) -> list[str]:
    return [w.tr("change.session", old=before.get("session"), new=after.get("session"))]


def _hernia(w: _Words, before: Profile, after: Profile) -> list[str]:
    old, new = _listed(before, "hernia", "hernias"), _listed(after, "hernia", "hernias")
    gone = [h for h in old if h not in new]
    came = [h for h in new if h not in old]
    site = ("level", "side")
    if (len(gone) == 1 and len(came) == 1
            and all(gone[0].get(k) == came[0].get(k) for k in site)):  # the stage alone
        return [w.tr("change.hernia_stage", where=w.hernia(came[0]),
                     old=w.tr(f"change.stage.{gone[0].get('stage') or 'none'}"),
                     new=w.tr(f"change.stage.{came[0].get('stage') or 'none'}"))]
    if len(gone) == 1 and len(came) == 1:
        return [w.tr("change.hernia_moved", old=w.hernia(gone[0]), new=w.hernia(came[0]))]
    return ([w.tr("change.hernia_placed", where=w.hernia(h)) for h in came]
            + [w.tr("change.hernia_removed", where=w.hernia(h)) for h in gone])


def _scoliosis(w: _Words, before: Profile, after: Profile) -> list[str]:
    old = _listed(before, "scoliosis", "scolioses")
    new = _listed(after, "scoliosis", "scolioses")
    if not new:
        return [w.tr("change.scoliosis_removed")]
    shapes = ", ".join(w.scoliosis(s) for s in new)
    if not old:
        return [w.tr("change.scoliosis_given", shape=shapes)]
    return [w.tr("change.scoliosis_changed", old=", ".join(w.scoliosis(s) for s in old),
                 new=shapes)]


def _lesions(w: _Words, before: Profile, after: Profile) -> list[str]:
    old, new = set(before.get("lesions") or ()), set(after.get("lesions") or ())
    parts = []
    if new - old:
        parts.append(w.tr("change.lesion_marked",
                          where=", ".join(w.zone(z) for z in sorted(new - old))))
    if old - new:
        parts.append(w.tr("change.lesion_cleared",
                          where=", ".join(w.zone(z) for z in sorted(old - new))))
    return parts


def _screening(w: _Words, before: Profile, after: Profile) -> list[str]:
    questions = list(w.library.contraindications) if w.library is not None else []
    questions += sorted({*(before.get("present") or ()), *(after.get("present") or ()),
                         *(before.get("answered") or ()), *(after.get("answered") or ())}
                        - set(questions))
    old, new = answers_of(before, questions), answers_of(after, questions)
    changed = [q for q in questions if old[q] != new[q]]
    if not changed:
        return []
    if len(changed) == 1:
        q = changed[0]
        return [w.tr("change.answer", question=w.question(q), answer=w.answer(new[q]))]
    values = {new[q] for q in changed}
    if len(values) == 1:
        return [w.tr("change.answers_same", n=len(changed), answer=w.answer(values.pop()))]
    return [w.tr("change.answers", n=len(changed))]


def _cleared(w: _Words, before: Profile, after: Profile) -> list[str]:
    """A doctor's clearance given (yes) or taken back (no), each by its question."""
    old, new = set(before.get("cleared") or ()), set(after.get("cleared") or ())
    return ([w.tr("change.clearance", question=w.clearance(c), answer=w.answer(True))
             for c in sorted(new - old)]
            + [w.tr("change.clearance", question=w.clearance(c), answer=w.answer(False))
               for c in sorted(old - new)])


def _pain(w: _Words, before: Profile, after: Profile) -> list[str]:
    old = [tuple(p) for p in before.get("pain_points") or ()]
    new = [tuple(p) for p in after.get("pain_points") or ()]
    return ([w.tr("status.pain_placed", where=w.place(p)) for p in new if p not in old]
            + [w.tr("change.pain_removed", where=w.place(p)) for p in old if p not in new])


_SAYERS: tuple[tuple[tuple[str, ...], Callable[[_Words, Profile, Profile], list[str]]], ...] = (
    (("conditions",), _conditions),
    (("session",), _session),
    (("hernia", "hernias"), _hernia),
    (("scoliosis", "scolioses"), _scoliosis),
    (("lesions",), _lesions),
    (("present", "answered"), _screening),
    (("cleared",), _cleared),
    (("pain_points",), _pain),
)
