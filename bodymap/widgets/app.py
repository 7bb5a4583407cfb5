"""Start the desktop application: display check, QApplication, main window.

Start-up is staged so that a window shows at once: menus paint first, then the data and the
window load (``MainWindow.ensure_loaded``) until the map, panels and steps have painted (*map
ready*), then pyqtgraph and the plots, until the window is *ready* (``readiness.py``); ``make
bench`` measures both against a bare PySide6 window and the stack's floor.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, cast

from bodymap.i18n import tr

if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    _ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]

_T0 = time.perf_counter()

# Platform plugins that need no display server.
_HEADLESS_PLATFORMS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}


def display_available(environ: Mapping[str, str] | None = None,
                      platform: str | None = None) -> bool:
    """Whether Qt can open a window here, decided without touching Qt.

    Qt aborts the process ("could not connect to display") when started on Linux without a
    display; we check first so the user gets a clear message and an exit code instead.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    qpa = env.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if qpa in _HEADLESS_PLATFORMS:
        return True
    if platform.startswith(("win", "darwin", "cygwin")):
        return True
    if qpa == "wayland":
        return bool(env.get("WAYLAND_DISPLAY"))
    if qpa == "xcb":
        return bool(env.get("DISPLAY"))
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _uses_xcb(environ: Mapping[str, str], platform: str) -> bool:
    """Whether Qt will pick its X11 (xcb) plugin: Linux/BSD, X11 chosen or the only display."""
    if platform.startswith(("win", "darwin", "cygwin")):
        return False
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if qpa:
        return qpa == "xcb"
    return bool(environ.get("DISPLAY")) and not environ.get("WAYLAND_DISPLAY")


def xcb_problem(environ: Mapping[str, str] | None = None, platform: str | None = None,
                load: Callable[[str], object] | None = None) -> str | None:
    """The system library Qt's X11 plugin lacks, or None when it loads (or is not used).

    Qt aborts the process when its platform plugin cannot load (on a fresh Debian or Ubuntu
    desktop: libxcb-cursor0 and friends are missing). Loading the plugin ourselves first costs
    a few milliseconds and turns that abort into a message that says what to install.
    """
    env = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not _uses_xcb(env, platform):
        return None
    from pathlib import Path

    import PySide6

    plugin = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.exists():
        return None  # a Qt without a bundled xcb plugin finds its own; let Qt report
    if load is None:
        import ctypes

        load = ctypes.CDLL
    try:
        load(str(plugin))
    except OSError as exc:
        import re

        found = re.search(r"([\w.+-]+\.so[\w.]*): cannot open shared object", str(exc))
        return found.group(1) if found else str(exc)
    return None


def run_gui(condition: str | list[str] | None = None, argv: list[str] | None = None) -> int:
    """Open the main window (on the plan of ``condition``, or of several conditions, the first
    leading); returns the exit code."""
    if not display_available():
        print(f"bodymap: {tr('app.no_display')}", file=sys.stderr)
        return 1
    missing = xcb_problem()
    if missing is not None:
        print(f"bodymap: {tr('app.xcb_missing', library=missing)}", file=sys.stderr)
        return 1

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QMessageBox

    from bodymap.errors import BodymapError

    # instance()'s stub says QCoreApplication; the one a window runs in is a QApplication
    app = cast("QApplication | None", QApplication.instance()) or QApplication(
        argv or [sys.argv[0]])
    app.setApplicationName("bodymap")
    app.setOrganizationName("bodymap")
    app.setApplicationDisplayName(tr("app.name"))

    from bodymap.widgets.mainwindow import MainWindow

    try:
        window = MainWindow(condition=condition)
    except BodymapError as exc:
        # A missing or malformed data file: name it, and exit cleanly (never a traceback).
        print(f"bodymap: error: {exc}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, tr("app.name"), str(exc))
        box.setTextFormat(Qt.TextFormat.PlainText)  # file names and values shown as written
        box.exec()
        return 1
    install_qt_translations(app)
    if os.environ.get("BODYMAP_BENCH_EXIT_ON_PAINT"):
        window.firstPainted.connect(lambda: _report_first_paint(app))
    if os.environ.get("BODYMAP_BENCH_EXIT_ON_READY"):
        window.startup.map_ready.connect(
            lambda at: print(f"map_ready_s={at - _T0:.4f} rss_mb={resident_mb():.1f}",
                             flush=True))
        window.startup.ready.connect(lambda at: _report_ready(app, at))
        sys.excepthook = lambda *exc: _report_failure(app, exc)
    window.show()
    return app.exec()


def _report_first_paint(app: QCoreApplication) -> None:
    """Benchmark hook: print seconds from process start to the first painted window, quit."""
    print(f"first_paint_s={time.perf_counter() - _T0:.4f}", flush=True)
    app.quit()


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux: /proc; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, ValueError, AttributeError):
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1e6 if sys.platform == "darwin" else 1e3)  # bytes on macOS, else kB


def _report_failure(app: QCoreApplication, exc_info: _ExcInfo) -> None:
    """Benchmark hook: an exception in a slot would leave the window never ready; say so."""
    import traceback

    traceback.print_exception(*exc_info)
    print("not_ready: an exception during start-up", flush=True)
    app.exit(1)


def _report_ready(app: QCoreApplication, at: float) -> None:
    """Benchmark hook: the window is ready (readiness.ReadyWatch); say so and leave at once.

    The process ends without tearing the window down (``os._exit``): the benchmark's CPU
    figures are then the work done to get ready, not that plus the exit."""
    print(f"ready_s={at - _T0:.4f} rss_mb={resident_mb():.1f}", flush=True)
    sys.stderr.flush()
    os._exit(0)


# ---------------------------------------------------------------------------------------------
# Qt's own translations (standard buttons, file dialogs, context menus): the language bridge

def install_qt_translations(app: QCoreApplication | None = None) -> None:
    """Translate Qt's own texts (Save / Discard / Cancel...) into the interface language, now
    and whenever it changes (:mod:`bodymap.widgets.language`; once per application)."""
    from bodymap.widgets.language import install_language_bridge

    install_language_bridge(app)


def uninstall_qt_translations() -> None:
    """Undo :func:`install_qt_translations` (tests)."""
    from bodymap.widgets.language import remove_language_bridge

    remove_language_bridge()
