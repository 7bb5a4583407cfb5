"""The main window's two non-modal dialogs, the keyboard shortcuts and the user-protocol
problems (with the status-bar button that opens it). Both show plain text only and are made on
first use."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from bodymap.i18n import tr
from bodymap.widgets.accessible import RetranslatesOnLanguageChange
from bodymap.widgets.panels import plain_label

if TYPE_CHECKING:
    from bodymap.errors import BodymapError
    from bodymap.library import Library
    from bodymap.widgets.controller import SessionController


class ShortcutsDialog(RetranslatesOnLanguageChange, QDialog):
    """Help -> Keyboard shortcuts: a two-column table from ``rows() -> [(what, keys)]``."""

    def __init__(self, rows: Callable[[], Sequence[tuple[str, str]]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self._rows = rows
        self.table = QTableWidget(0, 2, self)
        self.table.setObjectName("shortcutsTable")
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 620)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("shortcuts.title"))
        self.table.setHorizontalHeaderLabels([tr("shortcuts.action"), tr("shortcuts.keys")])
        rows = list(self._rows())
        self.table.setRowCount(len(rows))
        for r, (name, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(name))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.resizeColumnToContents(1)


class ProblemsDialog(QDialog):
    """The user-protocol files that were skipped, each problem naming its file and field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsDialog")
        self.setModal(False)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("problemsText")
        self.text.setReadOnly(True)
        self.intro = plain_label("", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def show_problems(self, problems: Sequence[BodymapError]) -> None:
        self.setWindowTitle(tr("problems.title"))
        self.intro.setText(tr("problems.intro"))
        self.text.setPlainText("\n".join(str(p) for p in problems))
        self.show()
        self.raise_()


class ProblemsButton(RetranslatesOnLanguageChange, QToolButton):
    """"⚠ N problems" in the status bar while the library has user-file problems; a click
    lists them. It follows the controller's library (start-up and Protocols > Reload)."""

    def __init__(self, status: Callable[[str, int], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemsButton")
        self.setAutoRaise(True)
        self.status = status
        self.problems: list[BodymapError] = []
        self.dialog: ProblemsDialog | None = None
        self.clicked.connect(self.show_dialog)
        self.hide()

    def bind(self, controller: SessionController) -> None:
        controller.libraryChanged.connect(self.show_library)
        self.show_library(controller.library)

    def show_library(self, library: Library | None) -> None:
        self.problems = list(getattr(library, "problems", ()) or ())
        self.setVisible(bool(self.problems))
        self.retranslate()
        if self.problems:  # files, not problems: one broken file may have thousands
            files = {str(p.path) if getattr(p, "path", None) is not None else id(p)
                     for p in self.problems}
            self.status(tr("problems.status", n=len(files)), 20000)

    def show_dialog(self) -> None:
        if self.dialog is None:
            self.dialog = ProblemsDialog(self.window())
        self.dialog.show_problems(self.problems)

    def retranslate(self) -> None:
        self.setText("⚠ " + tr("problems.button", n=len(self.problems)))
        self.setToolTip(tr("problems.tip"))


__all__ = ["ProblemsButton", "ProblemsDialog", "ShortcutsDialog"]
