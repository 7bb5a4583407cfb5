"""Plan files in the window: new, open, save, save as, recent files, autosave and recovery.

:class:`DocumentManager` works through the :class:`~bodymap.widgets.controller.SessionController`:
it hands an opened document to ``request_document`` and saves ``controller.document()``. It
keeps what belongs to the file, not to the session: the path, the document as last saved (so
"modified" is a comparison, never a flag that could drift), the autosave store and the recent
files. Every question goes through the injected prompter; status messages through ``status``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import QObject, QSettings, Signal

from bodymap.i18n import tr
from bodymap.widgets import settings as prefs
from bodymap.widgets.plaintext import plain_tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from bodymap.autosave import AutosaveStore
    from bodymap.document import PlanDocument
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.prompts import Prompter

SUFFIX = ".bodymap.json"


class DocumentManager(QObject):
    """The open plan file of one window. ``changed`` fires when the path or the modified state
    may have changed (the window updates its title)."""

    changed = Signal()

    def __init__(self, controller: SessionController, settings: QSettings, prompter: Prompter,
                 status: Callable[[str, int], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self.prompter = prompter
        self.status = status
        self.path: Path | None = None
        self.saved: PlanDocument | None = controller.document()
        #: the file as it was when opened or last saved here (changed since: ask before saving)
        self._disk: tuple[int, int, int] | None = None
        self._store: AutosaveStore | None = None
        for signal in (controller.profileChanged, controller.recordChanged,
                       controller.documentReplaced):
            signal.connect(lambda _doc: self.changed.emit())

    # state ------------------------------------------------------------------------------------
    def is_modified(self) -> bool:
        return self.controller.document() != self.saved

    def display_name(self) -> str:
        return self.path.name if self.path is not None else tr("doc.untitled")

    def store(self) -> AutosaveStore:
        if self._store is None:
            from bodymap.autosave import AutosaveStore, autosave_dir

            self._store = AutosaveStore(autosave_dir())
        return self._store

    def show_document(self, doc: PlanDocument | None, path: Path | None,
                      saved: PlanDocument | Literal["same"] | None = "same") -> None:
        """Make ``doc`` (None: a blank draft) the open document of ``path``; ``saved`` is what
        the file holds (None: nothing saved yet)."""
        from bodymap.document import PlanDocument

        shown = doc if doc is not None else PlanDocument.draft()
        self.path = path
        self.saved = shown if saved == "same" else saved
        self._disk = _disk_stamp(path)
        self.controller.request_document(shown)

    def mark_recorded(self) -> None:
        """The document as it is now was kept elsewhere (a visit recorded in the records): closing
        or opening another patient does not ask to save it as a plan file."""
        self.saved = self.controller.document()
        self.changed.emit()

    # commands ---------------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Ask about unsaved changes; True when it is fine to go on."""
        if not self.is_modified():
            return True
        answer = self.prompter.ask(
            tr("doc.unsaved_title"), tr("doc.unsaved_text", name=self.display_name()),
            choices=("save", "discard", "cancel"), default="save")
        if answer == "save":
            return self.save()
        if answer == "discard":
            self.store().discard(self.path)
            return True
        return False

    def new_document(self) -> None:
        """A new patient: nothing of the previous one is carried over (no name, notes,
        conditions, findings or answers), and a restart no longer reopens the previous file."""
        if not self.maybe_save():
            return
        self.show_document(None, None)
        self.settings.remove(prefs.LAST_DOCUMENT)
        self.status(tr("status.new"), 5000)

    def open_last(self) -> bool:
        """At start-up: open the plan file that was open when the window last closed. A file
        that is gone or unreadable is named in the status bar; the window starts blank."""
        last = prefs.get_str(self.settings, prefs.LAST_DOCUMENT)
        if not last:
            return False
        from bodymap.document import load_document
        from bodymap.errors import BodymapError

        path, c = Path(last), self.controller
        try:
            doc = load_document(path).checked(c.library, c.geometry, path)
        except BodymapError as exc:
            self.settings.remove(prefs.LAST_DOCUMENT)
            self.status(tr("status.last_unopened", error=str(exc)), 15000)
            return False
        self.show_document(doc, path.resolve())
        self.status(tr("status.last_opened", name=path.name), 8000)
        return True

    def open_document(self, path: str | Path | None = None) -> bool:
        if not self.maybe_save():
            return False
        if path is None:
            path = self.prompter.choose_open_path(prefs.get_str(self.settings, prefs.LAST_FOLDER))
            if not path:
                return False
        return self.open_path(Path(path))

    def open_path(self, path: Path) -> bool:
        """Open a plan file; on any problem show the error and keep the current state."""
        from bodymap.document import load_document
        from bodymap.errors import BodymapError

        c = self.controller
        try:
            doc = load_document(path).checked(c.library, c.geometry, path)
        except BodymapError as exc:
            self.prompter.error(tr("doc.open_failed_title"), tr("doc.open_failed", error=str(exc)))
            return False
        self.store().discard(self.path)
        self.show_document(doc, path.resolve())
        self._remember(path)
        self.status(tr("status.opened", name=path.name), 5000)
        from bodymap.safeio import readable_by_others

        if readable_by_others(path):
            self.status(tr("files.readable_by_others", name=path.name, path=str(path)), 20000)
        return True

    def open_recent(self, path: str) -> bool:
        if not Path(path).is_file():
            prefs.set_recent_files(self.settings,
                                   [p for p in prefs.recent_files(self.settings) if p != path])
            self.prompter.inform(tr("doc.recent_missing_title"),
                                 tr("doc.recent_missing", path=path))
            return False
        return self.open_document(path)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self.save_to(self.path)

    def save_as(self) -> bool:
        folder = Path(prefs.get_str(self.settings, prefs.LAST_FOLDER) or Path.home())
        chosen = self.prompter.choose_save_path(self.path or folder / (self.suggested_name()
                                                                       + SUFFIX))
        if not chosen:
            return False
        path = Path(chosen)
        if not path.name.endswith(SUFFIX):
            path = path.with_name(path.name.removesuffix(".json") + SUFFIX)
        return self.save_to(path)

    def suggested_name(self) -> str:
        """A file name from the patient's name (or the lead condition), safe on any system."""
        doc = self.controller.document()
        name = doc.patient_name.strip() or doc.condition or "plan"
        safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in name).strip()
        return safe or "plan"

    def save_to(self, path: Path) -> bool:
        from bodymap.document import save_document

        doc = self.controller.document()
        if not self._same_on_disk(path) and not self.prompter.confirm(
                tr("files.changed_title"), tr("files.changed_text", name=path.name)):
            return False
        try:
            save_document(doc, path)
        except OSError as exc:
            self.prompter.error(tr("doc.save_failed_title"), tr(
                "doc.save_failed", path=str(path), error=exc.strerror or str(exc)))
            return False
        store = self.store()
        store.discard(self.path)
        store.discard(None)
        self.path = path.resolve()
        store.discard(self.path)
        self.saved = doc
        self._disk = _disk_stamp(self.path)
        self._remember(path)
        self.changed.emit()
        self.status(tr("status.saved", name=path.name), 5000)
        return True

    def _same_on_disk(self, path: Path) -> bool:
        """False when ``path`` is the open file and it changed on disk since it was opened or
        saved here (another copy of bodymap, or another program, saved it)."""
        if self.path is None or self._disk is None or path.resolve() != self.path:
            return True
        now = _disk_stamp(self.path)
        return now is None or now == self._disk

    def _remember(self, path: Path) -> None:
        prefs.add_recent_file(self.settings, path)
        self.settings.setValue(prefs.LAST_DOCUMENT, str(Path(path).resolve()))
        self.settings.setValue(prefs.LAST_FOLDER, str(Path(path).resolve().parent))

    # the handout -------------------------------------------------------------------------------
    def export_handout(self) -> bool:
        """Ask where, then write the patient handout (PDF or PNG) of the current plan."""
        from bodymap import i18n

        plan = self.controller.plan()
        if plan is None:
            return False
        try:
            from bodymap.widgets.handout import export_handout
        except ImportError:
            self.prompter.error(tr("export.title"), tr("export.unavailable"))
            return False
        folder = Path(prefs.get_str(self.settings, prefs.LAST_FOLDER) or Path.home())
        chosen = self.prompter.choose_export_path(folder / (self.suggested_name() + ".pdf"))
        if not chosen:
            return False
        path = Path(chosen)
        if path.suffix.lower() not in (".pdf", ".png"):
            path = path.with_suffix(".pdf")
        from bodymap.errors import BodymapError

        c, doc = self.controller, self.controller.document()
        try:
            export_handout(plan, path, geometry=c.geometry, library=c.library,
                           lang=i18n.language(), patient_name=doc.patient_name)
        except (BodymapError, OSError, ValueError) as exc:
            self.prompter.error(tr("export.title"),
                                tr("export.failed", path=str(path), error=str(exc)))
            return False
        self.settings.setValue(prefs.LAST_FOLDER, str(path.resolve().parent))
        self.status(tr("status.exported", name=path.name), 8000)
        return True

    # recent files -----------------------------------------------------------------------------
    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        files = prefs.recent_files(self.settings)
        for i, p in enumerate(files):
            action = menu.addAction(f"&{i + 1}  {Path(p).name}")
            action.setToolTip(plain_tip(p))
            action.setStatusTip(p)
            action.triggered.connect(lambda _=False, p=p: self.open_recent(p))
        if not files:
            menu.addAction(tr("menu.recent_empty")).setEnabled(False)
        else:
            menu.addSeparator()
            clear = menu.addAction(tr("menu.recent_clear"))
            clear.triggered.connect(lambda: prefs.set_recent_files(self.settings, []))

    def prune_recent(self) -> None:
        from bodymap.document import clean_stale_saves

        problem = prefs.settings_problem(self.settings)
        if problem:  # the settings file is a pipe, a device, huge...: named once, at start
            self.status(tr("files.settings_session_only", problem=problem), 20000)
        kept, removed = prefs.prune_missing(self.settings)
        clean_stale_saves(kept + removed)  # temp files of killed saves hold patient text
        if removed:
            self.status(tr("status.recent_pruned", n=len(removed), names=", ".join(
                Path(p).name for p in removed)), 15000)

    # autosave and recovery --------------------------------------------------------------------
    def autosave_now(self) -> Path | None:
        """Write an autosave copy if there are unsaved changes; returns its path."""
        doc = self.controller.document()
        if not self.is_modified():
            return None
        try:
            return self.store().write(doc, self.path)
        except OSError as exc:
            self.status(tr("status.autosave_failed", error=str(exc)), 10000)
            return None

    def discard_autosaves(self) -> None:
        """A clean close: this window's autosave copies are no longer needed."""
        self.store().discard(self.path)
        self.store().discard(None)

    def offer_recovery(self) -> bool:
        """After a crash: offer each autosave of a copy that is not running (widgets/recovery);
        True when work was recovered."""
        from bodymap.widgets import recovery

        return recovery.offer(self)


def _disk_stamp(path: Path | None) -> tuple[int, int, int] | None:
    """What tells that a file was replaced or changed: its inode, size and change time."""
    if path is None:
        return None
    try:
        st = path.stat()
    except (OSError, ValueError):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


__all__ = ["SUFFIX", "DocumentManager"]
