"""After a crash: offer every autosave another copy left behind, one at a time.

The flow (docs/reliability.md, "Recovery, step by step"): the autosaves of copies that are not
running are offered newest first, each with its document's name, the patient and when it was
written, and the choice of

* **Recover**: it becomes this window's document (unsaved, so the title shows it modified)
  and this copy's own autosave; the others stay where they are and are offered at the next
  start (the status bar says how many);
* **Discard**: that one copy is deleted, and the next one is offered;
* **Later** (also closing the box): it is kept, stamped with the time it was first offered,
  and offered again at every start until :data:`bodymap.autosave.KEEP_DAYS` days after that.

Nothing is deleted that the user was not shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bodymap.i18n import tr

if TYPE_CHECKING:
    from bodymap.autosave import Recoverable
    from bodymap.widgets.documents import DocumentManager


def offer(manager: DocumentManager) -> bool:
    """Offer the autosaves crashed copies left (``manager``: the window's DocumentManager);
    True when one was recovered."""
    store = manager.store()
    pending = store.pending()
    for problem in store.problems:
        manager.status(str(problem), 15000)
    store.problems.clear()
    for rec in store.expired:
        manager.status(tr("recovery.expired", name=_name(rec), patient=_patient(rec),
                          when=_when(rec.saved_at), days=_keep_days()), 15000)
    store.expired.clear()
    for i, rec in enumerate(pending):
        answer = manager.prompter.ask(
            tr("doc.recover_title") if len(pending) == 1 else tr(
                "recovery.title_of", i=i + 1, n=len(pending)),
            tr("doc.recover_text", name=_name(rec), when=_when(rec.saved_at),
               patient=_patient(rec)) + "\n\n" + tr(
                "recovery.later_note", until=_when(rec.kept_until().isoformat())),
            choices=("recover", "discard", "later"), default="recover")
        if answer == "recover":
            recovered = recover(manager, rec)
            if recovered and len(pending) > i + 1:
                manager.status(tr("recovery.others_kept", n=len(pending) - i - 1), 15000)
            return recovered
        if answer == "discard":
            store.remove(rec)
        else:
            store.mark_offered(rec)
    return False


def recover(manager: DocumentManager, rec: Recoverable) -> bool:
    """Show a recovered document (unsaved); it becomes this copy's autosave."""
    from bodymap.document import load_document
    from bodymap.errors import BodymapError

    c = manager.controller
    try:
        doc = rec.document.checked(c.library, c.geometry, rec.autosave)
    except BodymapError as exc:
        manager.prompter.error(tr("doc.open_failed_title"),
                               tr("doc.open_failed", error=str(exc)))
        return False
    saved = None
    original = rec.original if rec.original and rec.original.is_file() else None
    if original is not None:
        try:
            saved = load_document(original)
        except BodymapError:
            saved = None
    manager.show_document(doc, original, saved=saved)
    # the recovered copy becomes this copy's autosave (of the untitled document, if the
    # original file is gone): a clean save or close removes it, another crash keeps it
    manager.store().adopt(rec.autosave, original)
    manager.status(tr("status.recovered", name=_name(rec)), 10000)
    return True


def _name(rec: Recoverable) -> str:
    from bodymap.errors import shown

    return shown(Path(rec.original).name, 80) if rec.original else tr("doc.untitled")


def _patient(rec: Recoverable) -> str:
    from bodymap.errors import shown

    return shown(rec.document.patient_name, 80) or "—"


def _when(stamp: str) -> str:
    """An ISO time (UTC) as the user reads a time: in the local time zone, written the
    interface language's way (QLocale); "?" when it cannot be read."""
    from datetime import datetime

    from bodymap.widgets.dates import format_datetime

    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return "?"
    return format_datetime(when)


def _keep_days() -> int:
    from bodymap.autosave import KEEP_DAYS

    return KEEP_DAYS


__all__ = ["offer", "recover"]
