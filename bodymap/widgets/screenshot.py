"""``bodymap screenshot``: the window as a user sees it once ready, rendered to a PNG.

No display is needed: Qt's offscreen platform is used, with one screen of the requested size
(so the presentation's full screen is that size too). Settings, user protocols, autosaves and
study progress live in a fresh temporary folder for the run: the user's own are never read or
written, and no recovery prompt can block the render.

"Ready" is :class:`bodymap.widgets.readiness.ReadyWatch`: the map painted with its zones, the
condition list filled and, with a condition, the plan, player and course drawn.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bodymap.widgets.prompts import Prompter

if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtCore import QMessageLogContext, QObject, QTimer, QtMsgType
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QWidget
    from shapely import Point

    from bodymap.document import PlanDocument
    from bodymap.geometry import BackGeometry
    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.presentation import PresentationWindow

#: Longest wait for the window to become ready before giving up (seconds).
TIMEOUT_S = 120.0
#: PNG text key holding where the map's back coordinates land in the image (JSON
#: ``{"scale", "x0", "y0"}``: image x = x0 + scale * back x), written from the view's own
#: transform so that a checker can find each zone's pixels without knowing the layout.
MAP_KEY = "bodymap-map"
#: How far (per RGB channel) a zone's pixel may be from one of its fills.
TOLERANCE = 8
#: The colour checked is the commonest in a (2r+1)² block around the point (r in pixels).
SAMPLE_RADIUS = 4

_SANDBOX_VARS = {
    "XDG_CONFIG_HOME": "config",
    "XDG_DATA_HOME": "data",
    "XDG_CACHE_HOME": "cache",
    "XDG_STATE_HOME": "state",
    "BODYMAP_USER_DIR": "user",
}


@contextmanager
def isolated_user_folders() -> Iterator[Path]:
    """Point every user folder bodymap uses at a fresh temporary folder for the duration."""
    saved = {var: os.environ.get(var) for var in _SANDBOX_VARS}
    with tempfile.TemporaryDirectory(prefix="bodymap-screenshot-") as tmp:
        root = Path(tmp)
        for var, sub in _SANDBOX_VARS.items():
            (root / sub).mkdir()
            os.environ[var] = str(root / sub)
        try:
            yield root
        finally:
            for var, value in saved.items():
                if value is None:
                    os.environ.pop(var, None)
                else:
                    os.environ[var] = value


def offscreen_platform(size: tuple[int, int], folder: Path) -> str:
    """The ``QT_QPA_PLATFORM`` value for an offscreen screen of ``size`` pixels."""
    config = folder / "offscreen-screens.json"
    w, h = size
    screen = {"name": "bodymap", "x": 0, "y": 0, "width": w, "height": h,
              "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def render_screenshot(
    out: str | Path,
    *,
    conditions: Sequence[str] = (),
    session: int | None = None,
    size: tuple[int, int] = (1920, 1080),
    lang: str = "en",
    presentation: bool = False,
    document: PlanDocument | None = None,
) -> Path:
    """Start the window offscreen, wait until it is ready, save it (or the presentation).
    ``document``: the whole profile to show (findings, screening answers), as
    :func:`bodymap.commands.document_from_args` reads it; its conditions and session win."""
    out = Path(out)
    with isolated_user_folders() as sandbox:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is None:
            os.environ["QT_QPA_PLATFORM"] = offscreen_platform(size, sandbox)
        if document is not None and document.conditions:
            conditions, session = document.conditions, document.profile.session
        image = _render(sandbox, tuple(conditions), session, size, lang, presentation,
                        document)
    return _write_png(image, out)


def _write_png(image: QImage, out: Path) -> Path:
    """The PNG encoded in memory, checked whole, then written atomically under the name given
    (bytes and all): a pipe or a folder there is refused without waiting, and a full disk
    keeps the PNG that was there."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from bodymap.errors import FileWriteError
    from bodymap.safeio import atomic_write_bytes, incomplete

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format's name as text (bytes are refused); the stub asks for bytes
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise FileWriteError("was not written: the PNG could not be encoded", path=out)
    buffer.close()
    return atomic_write_bytes(out, bytes(data.data()), check=incomplete(".png"))


def _render(sandbox: Path, conditions: tuple[str, ...], session: int | None,
            size: tuple[int, int], lang: str, presentation: bool,
            document: PlanDocument | None = None) -> QImage:
    from PySide6.QtCore import QEventLoop, QSettings
    from PySide6.QtWidgets import QApplication

    from bodymap import i18n
    from bodymap.widgets.app import install_qt_translations
    from bodymap.widgets.mainwindow import MainWindow
    from bodymap.widgets.readiness import ReadyWatch

    app = QApplication.instance()
    if app is None:
        _quiet_offscreen_notes()
        app = QApplication([sys.argv[0]])
    i18n.set_language(lang)
    install_qt_translations(app)
    settings = QSettings(str(sandbox / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("ui/language", lang)
    window = MainWindow(condition=conditions[0] if conditions else None, settings=settings,
                        prompter=UnattendedPrompter())
    window.resize(*size)
    errors: list[BaseException] = []

    def prepare(win: MainWindow) -> None:
        _apply_profile(win, conditions, session, document)

    watch = ReadyWatch(window, prepare=prepare)
    loop = QEventLoop()
    watch.ready.connect(loop.quit)
    hook = sys.excepthook

    def failed(_kind: type[BaseException], exc: BaseException,
               _tb: TracebackType | None) -> None:
        # an exception in a slot: no "ready" will ever come
        errors.append(exc)
        loop.quit()

    def timed_out() -> None:
        errors.append(TimeoutError())
        loop.quit()

    sys.excepthook = failed
    timer = _one_shot(TIMEOUT_S)
    timer.timeout.connect(timed_out)
    timer.start()
    window.show()
    if not watch.is_ready():
        loop.exec()
    timer.stop()
    sys.excepthook = hook
    try:
        if errors or not watch.is_ready():
            from bodymap.errors import BodymapError

            if errors and not isinstance(errors[0], TimeoutError):
                import traceback

                traceback.print_exception(errors[0])
                raise BodymapError(f"the window failed to start: {errors[0]!r}")
            raise BodymapError(f"the window was not ready within {TIMEOUT_S:.0f} s")
        shown: QWidget
        if presentation:
            shown = screen = _grab_presentation(window, size)
            view = screen.map
        else:
            shown, view = window, window.parts.map
        image = shown.grab().toImage()
        _tag_map(image, shown, view)
        return image
    finally:
        window.autosave_timer.stop()
        if window.presentation is not None:
            window.presentation.hide()
        window.hide()
        window.deleteLater()
        app.processEvents()


def _one_shot(seconds: float) -> QTimer:
    """A single-shot timer, set through its setters: property keywords in a Qt constructor
    (``QTimer(singleShot=True)``) fail under a Turkish locale, where PySide6 turns the
    property's "i" into a dotted capital and finds no such property."""
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.setSingleShot(True)
    timer.setInterval(int(seconds * 1000))
    return timer


class UnattendedPrompter(Prompter):
    """No modal dialog may block a render (e.g. a recovery offer on a platform whose user
    folders ignore XDG_*): questions take their default answer, messages go to stderr."""

    def ask(self, title: str, text: str, *, choices: tuple[str, ...] = ("yes", "no"),
            default: str = "no") -> str:
        return default

    def inform(self, title: str, text: str) -> None:
        print(f"bodymap: {text}", file=sys.stderr)

    def error(self, title: str, text: str) -> None:
        print(f"bodymap: {text}", file=sys.stderr)


def _quiet_offscreen_notes() -> None:
    """The offscreen platform says, for each window, what it cannot do (raise, size hints):
    true and useless here. Every other Qt message still reaches stderr."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _apply_profile(window: QWidget, conditions: Sequence[str], session: int | None,
                   document: PlanDocument | None = None) -> None:
    """All the conditions (the first leads) and the session number, as the user would set
    them: through the window's session controller when it has one, else its side panel. A
    ``document`` (findings and screening answers too) is shown as the window shows the
    document it was opened on (no undo step, no change noted in the status bar)."""
    if document is not None:
        documents = getattr(window, "documents", None)
        if documents is None:
            from bodymap.errors import UsageError

            raise UsageError("this version of the window cannot show findings")
        documents.show_document(document, None)
        return
    controller = getattr(window, "controller", None)
    if controller is not None and hasattr(controller, "request_profile"):
        changes: dict[str, object] = {}
        if len(conditions) > 1:
            changes["conditions"] = tuple(conditions)
        if session is not None:
            changes["session"] = session
        if changes:
            controller.request_profile(**changes)
        return
    panel = getattr(window, "panel", None)
    if len(conditions) > 1:
        from bodymap.errors import UsageError

        raise UsageError("this version of the window plans one condition at a time")
    if session is not None and panel is not None:
        panel.session_spin.setValue(session)


def _grab_presentation(window: MainWindow, size: tuple[int, int]) -> PresentationWindow:
    """Open presentation mode, wait for its map's paint at full size, grab it."""
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    window.enter_presentation()
    shown = window.presentation
    assert shown is not None  # enter_presentation() made it
    if shown.size().width() != size[0] or shown.size().height() != size[1]:
        shown.resize(*size)  # a screen of another size (an application made before us)
    loop = QEventLoop()

    class _Painted(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, loop.quit)
            return False

    spy = _Painted()
    target = getattr(shown, "map", None) or shown
    target.installEventFilter(spy)
    target.update()
    timeout = _one_shot(TIMEOUT_S)
    timeout.timeout.connect(loop.quit)
    timeout.start()
    loop.exec()
    timeout.stop()
    target.removeEventFilter(spy)
    return shown


def _tag_map(image: QImage, top: QWidget, view: QWidget | None) -> None:
    """Store the view's back-to-image transform in the image's PNG text (MAP_KEY)."""
    if view is None or not hasattr(view, "back_to_widget"):
        return
    from PySide6.QtCore import QPoint

    origin = view.mapTo(top, QPoint(0, 0))
    a, b = view.back_to_widget(0.0, 0.0), view.back_to_widget(100.0, 0.0)
    scale = (b.x() - a.x()) / 100.0
    tag = {"scale": scale, "x0": origin.x() + a.x(), "y0": origin.y() + a.y()}
    image.setText(MAP_KEY, json.dumps(tag))


# ---------------------------------------------------------------------------------------------
# checking a screenshot: is the map painted?


def map_transform(image: QImage) -> tuple[float, float, float] | None:
    """``(scale, x0, y0)`` from a screenshot's PNG text, or None when it has none."""
    text = image.text(MAP_KEY)
    if not text:
        return None
    tag = json.loads(text)
    return float(tag["scale"]), float(tag["x0"]), float(tag["y0"])


def fill_point(geometry: BackGeometry, half: str) -> Point:
    """A point where a half shows its own fill: its representative point once the spine strip
    (landmark tags sit beside it), the outlines of the scapulae and kidneys and its own edges
    are kept clear of; the plain representative point if nothing is left."""
    area = geometry.polygon(half).difference(geometry.spine_strip(40.0))
    for other in ("scapula-left", "scapula-right", "kidney-left", "kidney-right"):
        if other in geometry.regions:
            area = area.difference(geometry.polygon(other).boundary.buffer(6.0))
    area = area.buffer(-6.0)
    return (area if not area.is_empty else geometry.polygon(half)).representative_point()


def zone_pixels(image: QImage, geometry: BackGeometry
                ) -> dict[str, tuple[tuple[int, int], QColor | None]]:
    """Each zone half's :func:`fill_point` in the image, and the colour there (the commonest
    colour around it, see _main_colour)."""
    found = map_transform(image)
    if found is None:
        return {}
    scale, x0, y0 = found
    out = {}
    for zone in geometry.ZONES:
        for half in geometry.halves(zone):
            pt = fill_point(geometry, half)
            px, py = round(x0 + scale * pt.x), round(y0 + scale * pt.y)
            out[half] = ((px, py), _main_colour(image, px, py))
    return out


def _main_colour(image: QImage, px: int, py: int, r: int = SAMPLE_RADIUS) -> QColor | None:
    """The commonest colour in the (2r+1)² pixels around (px, py), or None off the image: a
    thin outline or stroke crossing the point does not hide the fill under it."""
    from collections import Counter

    from PySide6.QtGui import QColor

    if not (r <= px < image.width() - r and r <= py < image.height() - r):
        return None
    counts = Counter(image.pixel(x, y) for x in range(px - r, px + r + 1)
                     for y in range(py - r, py + r + 1))
    return QColor(counts.most_common(1)[0][0])


def map_problems(path: str | Path, geometry: BackGeometry | None = None) -> list[str]:
    """What is wrong with a screenshot's map: an empty list when every zone half is painted.

    At each half's :func:`fill_point`, mapped through the view's transform, the commonest
    colour around it must be one of that half's fills (plain, emphasis, muted) or the no-touch
    fill.
    """
    from PySide6.QtGui import QColor, QImage

    from bodymap.widgets import map_style

    if geometry is None:
        from bodymap.geometry import load_geometry

        geometry = load_geometry()
    image = QImage(str(path))
    if image.isNull():
        return [f"{path}: not a readable PNG"]
    if map_transform(image) is None:
        return [f"{path}: no map position stored ({MAP_KEY})"]
    problems = []
    for half, ((px, py), colour) in zone_pixels(image, geometry).items():
        if colour is None:
            problems.append(f"{half}: its point ({px}, {py}) is outside the image")
            continue
        fills = [map_style.zone_colour(half, state) for state in ("plain", "emphasis", "muted")]
        fills.append(QColor(map_style.NO_TOUCH_FILL))
        if not any(_close(colour, fill) for fill in fills):
            problems.append(f"{half}: {colour.name()} at ({px}, {py}) is none of its fills "
                            f"({', '.join(f.name() for f in fills)})")
    return problems


def _close(a: QColor, b: QColor) -> bool:
    return all(abs(x - y) <= TOLERANCE for x, y in
               ((a.red(), b.red()), (a.green(), b.green()), (a.blue(), b.blue())))
