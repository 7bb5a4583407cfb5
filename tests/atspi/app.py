"""The window for tests/test_map_atspi.py: bodymap on a combined plan (osteochondrosis,
lumbosacral, with a hernia at L4-L5 on the left, every screening question answered), driven by
the reader through files in a folder (``argv[1]``):

* ``focus``: the map takes the keyboard focus (as Tab gives it) and the cursor moves down once;
* ``russian``: the interface switches to Russian;
* ``quit``: the window closes.

It runs with the project's Python on a real X display (Xvfb) with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1``, so Qt's AT-SPI bridge is on as it is under Orca.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bodymap.widgets.screenshot import UnattendedPrompter, isolated_user_folders


def main(folder: Path) -> int:
    with isolated_user_folders() as sandbox:
        from PySide6.QtCore import QSettings

        from bodymap.document import PlanDocument
        from bodymap.geometry import load_geometry
        from bodymap.library import load_library
        from bodymap.screening import checklist
        from bodymap.widgets.mainwindow import MainWindow

        app = QApplication([sys.argv[0]])
        app.setApplicationName("bodymap-atspi-test")
        library, geometry = load_library(None), load_geometry()
        settings = QSettings(str(sandbox / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(condition="osteochondrosis-lumbosacral", settings=settings,
                            prompter=UnattendedPrompter(), library=library, geometry=geometry)
        window.resize(1366, 768)
        window.show()
        window.ensure_loaded()
        doc = PlanDocument.new(("osteochondrosis-lumbosacral",),
                               hernias=[("L4-L5", "left", "initial")],
                               answered=[c.id for c in checklist(library.contraindications)])
        window.documents.show_document(doc.checked(library, geometry), None)
        view = window.parts.map
        done: set[str] = set()

        def poll() -> None:
            for step in ("focus", "russian", "quit"):
                if step in done or not (folder / step).exists():
                    continue
                done.add(step)
                if step == "focus":
                    window.activateWindow()  # no window manager: activation comes later
                    QTest.qWaitForWindowActive(window, 10_000)
                    view.setFocus(Qt.FocusReason.OtherFocusReason)
                    # the first arrow shows the cursor on the first half, the next moves it
                    for ms in (500, 1500):
                        QTimer.singleShot(ms, lambda: QApplication.postEvent(view, QKeyEvent(
                            QEvent.Type.KeyPress, Qt.Key.Key_Down,
                            Qt.KeyboardModifier.NoModifier)))
                elif step == "russian":
                    window.set_language("ru")
                else:
                    window.autosave_timer.stop()
                    window.close()
                    app.quit()

        timer = QTimer()
        timer.timeout.connect(poll)
        timer.start(100)
        QTimer.singleShot(120_000, app.quit)  # never outlive a stuck reader
        app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
