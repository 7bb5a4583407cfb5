"""The user's protocol folder, from the window: show it, and read the protocols again.

The main window's Protocols menu calls these (``MainWindow.reload_protocols`` and
``open_protocol_folder``); they work on the window's session controller, prompter and status
bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bodymap.i18n import tr

if TYPE_CHECKING:
    from bodymap.library import Library
    from bodymap.widgets.controller import SessionController
    from bodymap.widgets.mainwindow import MainWindow


def reload(win: MainWindow) -> bool:
    """Read the protocols again (after editing a file in the user folder), keeping the patient.

    A broken shipped file keeps the library that was loaded; a broken user file is skipped and
    listed, as at start-up. The study window, whose drills come from the protocols, is closed
    so that it is rebuilt from the new ones.
    """
    from bodymap.errors import BodymapError
    from bodymap.library import load_library

    try:
        library = load_library()
    except BodymapError as exc:
        win.prompter.error(tr("protocols.reload_failed_title"), str(exc))
        return False
    lost = _conditions_lost(win.controller, library)
    if lost:  # keep the patient and the protocols they are planned with; name what broke
        win.prompter.error(tr("protocols.reload_failed_title"), lost)
        win.parts.problems_button.show_library(library)
        return False
    win.close_study()
    win.controller.set_library(library)
    if not library.problems:
        win.show_status(tr("protocols.reloaded", n=len(library.conditions)), 8000)
    return True


def _conditions_lost(controller: SessionController, library: Library) -> str:
    """Why the new protocols would drop a condition of the open patient ("" when none): the
    file that defined it now has a problem (named, with the problem) or is gone."""
    from bodymap.errors import shown

    doc = controller.document()
    missing = [c for c in doc.conditions if c not in library.conditions]
    if not missing:
        return ""
    lines = []
    for cid in missing:
        origin = controller.library.origins.get(cid)
        problems = [str(p) for p in library.problems
                    if origin is not None and p.path is not None and Path(p.path) == origin]
        lines.append(tr("protocols.reload_keeps_patient", id=shown(cid), path=str(origin))
                     + ("\n" + "\n".join(shown(p, 300) for p in problems) if problems
                        else " " + tr("protocols.reload_file_gone")))
    return "\n\n".join(lines)


def show(win: MainWindow) -> Path:
    """Create the user protocol folder if needed and show it in the file manager."""
    from bodymap.protocol_files import user_protocol_dir

    folder = user_protocol_dir()
    folder.mkdir(parents=True, exist_ok=True)
    win.prompter.show_folder(folder)
    win.show_status(tr("protocols.folder", path=str(folder)), 15000)
    return folder
