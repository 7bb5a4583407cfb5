"""The session controller: the one owner of the session's state.

It holds the document (:class:`~bodymap.document.PlanDocument`: the patient's conditions,
findings, answers, pain points, name and notes; a *draft* while no condition is chosen), the
protocol library, the plan made from them, the playback clock (which gives the current step)
and the undo history of the profile. Nothing else keeps a copy: views render what the
controller announces and send it requests (``request_*``).

Every request updates all of the controller's state first (document, plan, clock) and only
then emits, so a view that asks the controller anything while handling a signal gets answers
that agree with each other. Signals, each for one kind of change, in this order::

    libraryChanged(library)   the protocols were (re)loaded
    documentReplaced(doc)     a whole document is shown (new, open, recover): forms reload
    profileChanged(doc)       what the planner reads changed (conditions, findings, answers,
                              pain points)
    planChanged(plan)         the plan (or None: a draft, or planning failed)
    playingChanged(bool)      (also when a new plan stops the playback)
    stepChanged(int)          the current step (-1: nothing to play)
    positionChanged(float)    minutes into the session
    recordChanged(doc)        the patient's name or notes: save and autosave only, never a plan
    changeNoted(texts, how)   a profile change was made, undone or redone (``how``: "done",
                              "undone", "redone"), ``texts`` its words by language
    planFailed(str)           the document could not be planned (the message)

Every change of the profile is an undoable command on :attr:`SessionController.undo_stack`
(:class:`~bodymap.widgets.history.ProfileCommand`); the record (name, notes) is typed in editors
with their own undo and is not part of it. Data flows one way: request -> document ->
``Profile`` -> ``make_plan`` -> signals -> views.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from bodymap.widgets.clock import PlaybackClock

if TYPE_CHECKING:
    from bodymap.document import PlanDocument, ProfileModel
    from bodymap.geometry import BackGeometry
    from bodymap.library import Library
    from bodymap.plan_types import Plan
    from bodymap.timeline import SessionTimeline

#: a click this close (map units) to a marked painful place removes it again
PAIN_TOGGLE_RADIUS = 14.0


class SessionController(QObject):
    """Document, library, plan, current step, playback clock and undo history of a session."""

    libraryChanged = Signal(object)
    documentReplaced = Signal(object)
    profileChanged = Signal(object)
    planChanged = Signal(object)
    recordChanged = Signal(object)
    stepChanged = Signal(int)
    positionChanged = Signal(float)
    playingChanged = Signal(bool)
    planFailed = Signal(str)
    changeNoted = Signal(object, str)

    def __init__(self, library: Library, geometry: BackGeometry,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        from bodymap.document import PlanDocument

        self._library = library
        self._geometry = geometry
        self._doc: PlanDocument = PlanDocument.draft()
        self._plan: Plan | None = None
        self._failure = ""  # why the document could not be planned (said after the re-plan)
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setObjectName("profileHistory")
        self._clock = PlaybackClock(self)
        self._clock.stepChanged.connect(self.stepChanged)
        self._clock.positionChanged.connect(self.positionChanged)
        self._clock.playingChanged.connect(self.playingChanged)

    # what it holds ----------------------------------------------------------------------------
    @property
    def library(self) -> Library:
        return self._library

    @property
    def geometry(self) -> BackGeometry:
        return self._geometry

    def document(self) -> PlanDocument:
        """The open document (a draft while no condition is chosen)."""
        return self._doc

    def plan(self) -> Plan | None:
        return self._plan

    def playable_plan(self) -> Plan | None:
        """The plan when it may be carried out (status ``ok`` with steps), else None. Every
        view asks this rather than judging the plan's status for itself."""
        plan = self._plan
        return plan if plan is not None and plan.status == "ok" and plan.steps else None

    def step(self) -> int:
        return self._clock.step()

    def is_playing(self) -> bool:
        return self._clock.is_playing()

    def position(self) -> float:
        return self._clock.position()

    def speed(self) -> float:
        return self._clock.speed()

    def timeline(self) -> SessionTimeline:
        return self._clock.timeline

    @property
    def clock(self) -> PlaybackClock:
        """The playback clock, for tests and benchmarks that drive time; views send
        ``request_*`` instead."""
        return self._clock

    # requests: the document -------------------------------------------------------------------
    def request_document(self, doc: PlanDocument | None) -> None:
        """Show ``doc`` as a whole (None: a new patient, a blank draft): forms reload, the
        undo history starts again."""
        from bodymap.document import PlanDocument

        self.undo_stack.clear()
        self._doc = doc if doc is not None else PlanDocument.draft()
        self._replan()
        self.documentReplaced.emit(self._doc)
        self._announce_profile()

    def request_profile(self, **changes: Any) -> None:
        """Change what the planner reads (``conditions``, ``session``, ``hernia=(level,
        side)``, ``lesions``, ...) as one undoable step. ``conditions=()`` makes the
        document a draft again (everything else kept). No-op if nothing changes."""
        from bodymap.widgets.history import ProfileCommand

        after = self._doc.with_profile(**changes)
        if after.profile == self._doc.profile:
            return
        command = ProfileCommand(self, self._doc.profile, after.profile)
        stack = self.undo_stack
        stack.push(command)  # runs it (redo), or merges it into the step before
        top = stack.command(stack.index() - 1) if stack.canUndo() else None
        merged = isinstance(top, ProfileCommand) and top.after == command.after
        self.note_change(top.texts if merged and isinstance(top, ProfileCommand)
                         else command.texts, "done")

    def request_record(self, name: str, notes: str) -> None:
        """The patient's name and notes: recorded, announced for saving; never re-planned."""
        doc = self._doc.with_record(name, notes)
        if doc != self._doc:
            self._doc = doc
            self.recordChanged.emit(doc)

    def request_pain_point(self, x: float, y: float) -> str:
        """Mark a painful place, or unmark the one within :data:`PAIN_TOGGLE_RADIUS`. Returns
        ``"added"``, ``"removed"``, ``"limit"`` (refused: the planner's maximum is reached) or
        ``"none"`` (a draft: no condition to plan with)."""
        from bodymap.planner import MAX_PAIN_POINTS

        if self._doc.is_draft:
            return "none"
        points = list(self._doc.pain_points)
        near = [p for p in points if (p[0] - x) ** 2 + (p[1] - y) ** 2 <= PAIN_TOGGLE_RADIUS ** 2]
        if near:
            points.remove(near[0])
            outcome = "removed"
        elif len(points) >= MAX_PAIN_POINTS:
            from bodymap.i18n import LANGUAGES, tr

            self.note_change({lang: tr("status.pain_limit", lang, n=MAX_PAIN_POINTS)
                              for lang in LANGUAGES}, "refused")
            return "limit"
        else:
            points.append((float(x), float(y)))
            outcome = "added"
        self.request_profile(pain_points=tuple(points))
        return outcome

    def request_toggle_lesion(self, half: str) -> None:
        lesions = set(self._doc.profile.lesions) ^ {half}
        self.request_profile(lesions=tuple(sorted(lesions)))

    def request_hernia(self, level: str, side: str) -> None:
        """A hernia marked on the map (a click in hernia mode) is added, its stage not given
        yet; a click on one already marked there removes it again. One undoable step."""
        from bodymap.findings import Hernia

        hernias = [Hernia(h.level, h.side, h.stage) for h in self._doc.profile.hernias]
        kept = [h for h in hernias if h.key != (level, side)]
        if len(kept) == len(hernias):
            kept.append(Hernia(level, side))
        self.request_profile(hernias=tuple(kept))

    def undo(self) -> None:
        self._step_history(undo=True)

    def redo(self) -> None:
        self._step_history(undo=False)

    def set_library(self, library: Library) -> None:
        """New protocols: announce them, keep the document (without the conditions that are
        gone). The undo history starts again: its steps may name what no longer exists."""
        self._library = library
        self.libraryChanged.emit(library)
        doc = self._doc
        if not set(doc.conditions) <= set(library.conditions):
            doc = doc.with_profile(conditions=tuple(c for c in doc.conditions
                                                    if c in library.conditions))
        self.request_document(doc)

    # requests: playback -----------------------------------------------------------------------
    def request_step(self, index: int) -> None:
        self._clock.seek_step(index)

    def request_seek(self, minutes: float) -> None:
        self._clock.seek(minutes)

    def request_toggle_play(self) -> None:
        self._clock.toggle()

    def request_play(self) -> None:
        self._clock.play()

    def request_pause(self) -> None:
        self._clock.pause()

    def request_next_step(self) -> None:
        self._clock.next_step()

    def request_previous_step(self) -> None:
        self._clock.previous_step()

    def request_speed(self, speed: float) -> None:
        self._clock.set_speed(speed)

    # the history's commands call these ---------------------------------------------------------
    def apply_profile(self, profile: ProfileModel) -> None:
        """Make ``profile`` the document's (the record kept), re-plan, then announce."""
        self._doc = self._doc.model_copy(update={"profile": profile})
        self._replan()
        self._announce_profile()

    def note_change(self, texts: dict[str, str], how: str) -> None:
        self.changeNoted.emit(texts, how)

    # planning ---------------------------------------------------------------------------------
    def _step_history(self, *, undo: bool) -> None:
        from bodymap.widgets.history import ProfileCommand

        stack = self.undo_stack
        index = stack.index() - 1 if undo else stack.index()
        if not (stack.canUndo() if undo else stack.canRedo()):
            return
        command = stack.command(index)
        stack.undo() if undo else stack.redo()
        if isinstance(command, ProfileCommand):
            self.note_change(command.texts, "undone" if undo else "redone")

    def _replan(self) -> None:
        """Plan from the document (pure and fast) and lay the clock out on it, silently."""
        from bodymap.errors import BodymapError
        from bodymap.planner import make_plan
        from bodymap.timeline import SessionTimeline

        plan = None
        self._failure = ""
        if not self._doc.is_draft:
            try:
                plan = make_plan(self._doc.to_profile(), self._library, self._geometry)
            except BodymapError as exc:
                self._failure = str(exc)
        self._plan = plan
        playable = self.playable_plan()
        steps = playable.steps if playable is not None else ()
        self._clock.set_timeline(SessionTimeline.from_minutes([s.minutes for s in steps]),
                                 announce=False)

    def _announce_profile(self) -> None:
        """Everything is updated: say so, the input first, then the plan, then the clock."""
        self.profileChanged.emit(self._doc)
        if self._failure:
            self.planFailed.emit(self._failure)
        self.planChanged.emit(self._plan)
        self._clock.announce()


__all__ = ["PAIN_TOGGLE_RADIUS", "SessionController"]
