"""The session controller: the one owner of the session's state.

It holds the document (:class:`~bodymap.document.PlanDocument`: the patient's conditions,
findings, answers, pain points and record), the protocol library, the plan made from them and
the playback clock (which gives the current step). Nothing else keeps a copy: widgets render
what the controller announces and send it requests (``request_*``).

Signals, each for one kind of change::

    libraryChanged(library)   the protocols were (re)loaded
    documentReplaced(doc)     a whole document is shown (new, open, recover): forms reload
    profileChanged(doc)       what the planner reads changed (conditions, findings, answers,
                              pain points); the plan is re-made before this is emitted
    planChanged(plan)         the plan (or None) after a re-plan
    recordChanged(doc)        the patient's name or notes: save and autosave only, never a plan
    stepChanged(int)          the current step (-1: nothing to play)
    positionChanged(float)    minutes into the session
    playingChanged(bool)

Data flows one way: request -> document -> ``Profile`` -> ``make_plan`` -> signals -> widgets.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from bodymap.widgets.clock import PlaybackClock

#: a click this close (map units) to a marked painful place removes it again
PAIN_TOGGLE_RADIUS = 14.0


class SessionController(QObject):
    """Document, library, plan, current step and playback clock of one session."""

    libraryChanged = Signal(object)
    documentReplaced = Signal(object)
    profileChanged = Signal(object)
    planChanged = Signal(object)
    recordChanged = Signal(object)
    stepChanged = Signal(int)
    positionChanged = Signal(float)
    playingChanged = Signal(bool)
    planFailed = Signal(str)

    def __init__(self, library: Any, geometry: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._geometry = geometry
        self._doc: Any = None
        self._record: tuple[str, str] = ("", "")  # kept while no condition is chosen
        self._plan: Any = None
        self.clock = PlaybackClock(self)
        self.clock.stepChanged.connect(self.stepChanged)
        self.clock.positionChanged.connect(self.positionChanged)
        self.clock.playingChanged.connect(self.playingChanged)

    # what it holds ----------------------------------------------------------------------------
    @property
    def library(self) -> Any:
        return self._library

    @property
    def geometry(self) -> Any:
        return self._geometry

    def document(self) -> Any:
        """The open document, or None while no condition is chosen."""
        return self._doc

    def plan(self) -> Any:
        return self._plan

    def playable_plan(self) -> Any:
        """The plan when it may be carried out (status ``ok`` with steps), else None. Every
        widget asks this rather than judging the plan's status for itself."""
        plan = self._plan
        return plan if plan is not None and plan.status == "ok" and plan.steps else None

    def step(self) -> int:
        return self.clock.step()

    def is_playing(self) -> bool:
        return self.clock.is_playing()

    def position(self) -> float:
        return self.clock.position()

    # requests: the document -------------------------------------------------------------------
    def request_document(self, doc: Any) -> None:
        """Show ``doc`` (None: no condition chosen) as a whole: forms reload, then re-plan."""
        self._doc = doc
        if doc is not None:
            self._record = (doc.patient_name, doc.notes)
        self.documentReplaced.emit(doc)
        self._profile_changed()

    def request_profile(self, **changes: Any) -> None:
        """Change what the planner reads (``conditions``, ``session``, ``hernia=(level,
        side)``, ``lesions``, ...). ``conditions=()`` closes the document. No-op if unchanged."""
        from bodymap.document import PlanDocument

        conditions = changes.get("conditions")
        if conditions is not None and not conditions:
            if self._doc is not None:
                self._doc = None
                self._profile_changed()
            return
        if self._doc is None:
            if not conditions:
                return  # nothing to plan until a condition is chosen
            name, notes = self._record
            doc = PlanDocument.new(conditions, name=name, notes=notes).with_profile(**changes)
        else:
            doc = self._doc.with_profile(**changes)
        if doc == self._doc:
            return
        self._doc = doc
        self._profile_changed()

    def request_record(self, name: str, notes: str) -> None:
        """The patient's name and notes: recorded, announced for saving; never re-planned."""
        if (name, notes) == self._record:
            return
        self._record = (name, notes)
        if self._doc is not None:
            self._doc = self._doc.with_record(name, notes)
            self.recordChanged.emit(self._doc)

    def request_pain_point(self, x: float, y: float) -> str:
        """Mark a painful place, or unmark the one within :data:`PAIN_TOGGLE_RADIUS`. Returns
        ``"added"``, ``"removed"``, ``"limit"`` (refused: the planner's maximum is reached) or
        ``"none"`` (no document)."""
        from bodymap.planner import MAX_PAIN_POINTS

        if self._doc is None:
            return "none"
        points = list(self._doc.pain_points)
        near = [p for p in points if (p[0] - x) ** 2 + (p[1] - y) ** 2 <= PAIN_TOGGLE_RADIUS ** 2]
        if near:
            points.remove(near[0])
            outcome = "removed"
        elif len(points) >= MAX_PAIN_POINTS:
            return "limit"
        else:
            points.append((float(x), float(y)))
            outcome = "added"
        self.request_profile(pain_points=tuple(points))
        return outcome

    def request_toggle_lesion(self, half: str) -> None:
        if self._doc is not None:
            lesions = set(self._doc.profile.lesions) ^ {half}
            self.request_profile(lesions=tuple(lesions))

    def set_library(self, library: Any) -> None:
        """New protocols: announce them, keep the document if its conditions still exist."""
        self._library = library
        self.libraryChanged.emit(library)
        doc = self._doc
        if doc is not None and not set(doc.conditions) <= set(library.conditions):
            kept = tuple(c for c in doc.conditions if c in library.conditions)
            doc = doc.with_profile(conditions=kept) if kept else None
        self.request_document(doc)

    # requests: playback -----------------------------------------------------------------------
    def request_step(self, index: int) -> None:
        self.clock.seek_step(index)

    def request_seek(self, minutes: float) -> None:
        self.clock.seek(minutes)

    def request_toggle_play(self) -> None:
        self.clock.toggle()

    def request_pause(self) -> None:
        self.clock.pause()

    def request_next_step(self) -> None:
        self.clock.next_step()

    def request_previous_step(self) -> None:
        self.clock.previous_step()

    # planning ---------------------------------------------------------------------------------
    def _profile_changed(self) -> None:
        self._replan()
        self.profileChanged.emit(self._doc)

    def _replan(self) -> None:
        """Plan from the document (pure and fast), announce it, and lay the clock out on it."""
        from bodymap.errors import BodymapError
        from bodymap.planner import make_plan
        from bodymap.timeline import SessionTimeline

        plan = None
        if self._doc is not None:
            try:
                plan = make_plan(self._doc.to_profile(), self._library, self._geometry)
            except BodymapError as exc:
                self.planFailed.emit(str(exc))
        self._plan = plan
        self.planChanged.emit(plan)
        playable = self.playable_plan()
        steps = playable.steps if playable is not None else ()
        self.clock.set_timeline(SessionTimeline.from_minutes([s.minutes for s in steps]))


__all__ = ["PAIN_TOGGLE_RADIUS", "SessionController"]
