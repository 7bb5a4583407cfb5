"""Every question, message and file chooser the window puts to the user, in one object.

Windows take a :class:`Prompter` (``MainWindow(prompter=...)``, ``StudyWidget(prompter=...)``)
and never open a dialog themselves, so tests pass a scripted prompter that answers at once and
records what was asked. All message texts are shown as plain text (they may quote file names
and data).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bodymap.i18n import tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

#: the standard button of each plain answer (``recover`` and its ``discard`` get own labels)
_STANDARD = {"yes": "Yes", "no": "No", "save": "Save", "discard": "Discard", "cancel": "Cancel"}


class Prompter:
    """Modal Qt dialogs over ``parent`` (set with :meth:`set_parent`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def set_parent(self, parent: QWidget | None) -> None:
        self.parent = parent

    # messages ---------------------------------------------------------------------------------
    def ask(self, title: str, text: str, *, choices: tuple[str, ...] = ("yes", "no"),
            default: str = "no") -> str:
        """A question; returns one of ``choices`` (yes/no/save/discard/cancel/recover/later).
        Closing the box answers "cancel" if offered, else the last choice."""
        from PySide6.QtWidgets import QMessageBox

        box = self._box("Question", title, text)
        mapping: dict[QAbstractButton, str] = {}
        for choice in choices:
            if choice == "recover":
                button = box.addButton(tr("doc.recover"), QMessageBox.ButtonRole.AcceptRole)
            elif choice == "discard" and "recover" in choices:
                button = box.addButton(tr("doc.discard_autosave"),
                                       QMessageBox.ButtonRole.DestructiveRole)
            elif choice == "later":  # keep an autosave for the next start (also: Esc)
                button = box.addButton(tr("recovery.later"), QMessageBox.ButtonRole.RejectRole)
                box.setEscapeButton(button)
            else:
                button = box.addButton(getattr(QMessageBox.StandardButton, _STANDARD[choice]))
            mapping[button] = choice
            if choice == default:
                box.setDefaultButton(button)
        box.exec()
        return mapping.get(box.clickedButton(), "cancel" if "cancel" in choices else choices[-1])

    def confirm(self, title: str, text: str) -> bool:
        """Yes or no, "no" by default."""
        return self.ask(title, text, choices=("yes", "no"), default="no") == "yes"

    def inform(self, title: str, text: str) -> None:
        self._box("Information", title, text).exec()

    def error(self, title: str, text: str) -> None:
        self._box("Warning", title, text).exec()

    def about(self, title: str, text: str) -> None:
        self._box("Information", title, text).exec()

    def _box(self, icon: str, title: str, text: str) -> QMessageBox:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(getattr(QMessageBox.Icon, icon), title, text, parent=self.parent)
        box.setTextFormat(Qt.TextFormat.PlainText)
        return box

    # files and the desktop --------------------------------------------------------------------
    def choose_open_path(self, folder: str) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self.parent, tr("doc.open_title"), folder,
                                              tr("doc.filter"))
        return path or None

    def choose_save_path(self, suggested: Path) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.parent, tr("doc.save_title"),
                                              str(suggested), tr("doc.filter"))
        return path or None

    def choose_export_path(self, suggested: Path) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self.parent, tr("export.title"), str(suggested),
                                              tr("export.filter"))
        return path or None

    def choose_save_file(self, title: str, suggested: str, file_filter: str) -> str | None:
        """A file to write (study reports and exports), ``suggested`` in the home folder."""
        from PySide6.QtWidgets import QFileDialog

        start = str(Path.home() / suggested)
        path, _ = QFileDialog.getSaveFileName(self.parent, title, start, file_filter)
        return path or None

    def show_folder(self, folder: Path) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def quit_app(self, code: int) -> None:
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        if app is not None:
            app.exit(code)


__all__ = ["Prompter"]
