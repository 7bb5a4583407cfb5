"""What a user sees cut, hidden or off-screen in bodymap's main window on a screen of a given
size: run as ``python tests/screen_probe.py WIDTH HEIGHT OUT.json`` (test_small_screens.py
does, once per size: Qt's offscreen platform takes its screen size when it starts).

The window is opened as a user opens it the first time (fresh settings: it chooses its own
size), then, in English and in Russian, every shipped condition is planned (the screening
answered "no") and measured with the fonts' metrics: the steps table's cells and headers, the
session timeline's labels, the course chart's phase names, the condition box, the panel's
group titles, the condition list's group headers and the technique library's tree. The map's
share of the window is measured for two plans. Everything is written as JSON: numbers, and
lists of problems (empty when nothing is cut).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

#: the plans whose map share is measured: (name, conditions, hernia or None)
SHARE_PLANS = (
    ("hypertension", ("hypertension",), None),
    ("osteochondrosis+hernia", ("osteochondrosis-lumbosacral", "hernia"),
     ("L4-L5", "left", "initial")),
)


def _sandbox(width: int, height: int) -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="bodymap-probe-"))
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "BODYMAP_USER_DIR"):
        (tmp / var).mkdir()
        os.environ[var] = str(tmp / var)
    config = tmp / "screens.json"
    screen = {"name": "probe", "x": 0, "y": 0, "width": width, "height": height,
              "logicalDpi": 96, "logicalBpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    return tmp


def _rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _settle(app: Any, rounds: int = 6) -> None:
    for _ in range(rounds):
        app.processEvents()


def main(width: int, height: int, out: Path) -> None:
    tmp = _sandbox(width, height)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    from window_helpers import Prompts

    from bodymap.widgets.mainwindow import MainWindow

    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, prompter=Prompts())
    loop = QEventLoop()
    win.ready.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    win.show()
    if not win.is_ready():
        loop.exec()
    _settle(app)
    result: dict[str, Any] = {"size": [width, height]}
    result.update(_placement(app, win))
    result["shares"] = {}
    result["problems"] = {}
    for lang in ("en", "ru"):
        win.set_language(lang)
        _settle(app)
        problems: dict[str, list[str]] = {}
        counted = result.setdefault("checked", {}).setdefault(lang, {})
        for cid in sorted(win.controller.library.conditions):
            _plan(app, win, (cid,), None)
            for kind, found in _cut_texts(win, cid).items():
                problems.setdefault(kind, []).extend(found)
            _count(win, counted)
        problems["panel"] = _panel_titles(win)
        problems["condition list"] = _condition_list(app, win)
        problems["library tree"] = _library_tree(app, win)
        result["problems"][lang] = problems
    # the shares are of a window as large as the screen allows (on a small screen the first
    # window already is); the first window's, 1400 x 900 on a large screen, for comparison
    for lang in ("en", "ru"):
        win.set_language(lang)
        _plan(app, win, SHARE_PLANS[0][1], None)
        result.setdefault("first_window_shares", {})[lang] = _share(win)
    if not win.isMaximized():
        win.showMaximized()
        _settle(app)
    for lang in ("en", "ru"):
        win.set_language(lang)
        _settle(app)
        for name, conditions, hernia in SHARE_PLANS:
            _plan(app, win, conditions, hernia)
            result["shares"].setdefault(name, {})[lang] = _share(win)
            result.setdefault("placed_with_plan", {})[f"{name} {lang}"] = _placement(app, win)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    win.controller.request_pause()
    win.autosave_timer.stop()
    win.hide()


def _placement(app: Any, win: Any) -> dict[str, Any]:
    """The screen's free area, the window's frame and each shown dock's, on the screen."""
    from PySide6.QtCore import QPoint, QRect

    room = win.screen().availableGeometry()
    docks = {}
    parts = win.parts
    for dock in (parts.panel_dock, parts.player_dock, parts.course_dock):
        if dock.isVisible():
            docks[dock.objectName()] = _rect(QRect(dock.mapToGlobal(QPoint(0, 0)), dock.size()))
    return {"available": _rect(room), "frame": _rect(win.frameGeometry()), "docks": docks,
            "maximized": win.isMaximized(), "window": [win.width(), win.height()]}


def _plan(app: Any, win: Any, conditions: tuple[str, ...], hernia: tuple | None) -> None:
    """Plan ``conditions`` as a user does: choose them, mark the hernia, answer "no"."""
    from window_helpers import answer_all_no

    from bodymap.findings import Hernia

    controller = win.controller
    controller.request_profile(conditions=conditions,
                               hernias=(Hernia(*hernia),) if hernia else ())
    answer_all_no(win)
    _settle(app)


def _share(win: Any) -> dict[str, Any]:
    """The map widget's visible area on the screen, as a share of the window's area; and the
    painted back's (its 600 x 900 drawing units) for comparison."""
    from PySide6.QtCore import QRect

    view = win.parts.map
    seen = view.visibleRegion().boundingRect()
    on_screen = QRect(view.mapToGlobal(seen.topLeft()), seen.size())
    on_screen = on_screen.intersected(win.screen().availableGeometry())
    window = win.width() * win.height()
    top_left, bottom_right = view.back_to_widget(0.0, 0.0), view.back_to_widget(600.0, 900.0)
    back = (bottom_right.x() - top_left.x()) * (bottom_right.y() - top_left.y())
    plan = win.controller.plan()
    return {"map": on_screen.width() * on_screen.height() / window,
            "map_size": [on_screen.width(), on_screen.height()],
            "back": back / window, "status": plan.status if plan is not None else None,
            "steps": len(plan.steps) if plan is not None else 0}


def _count(win: Any, counted: dict[str, int]) -> None:
    """How many of each thing were measured (a check that found nothing to measure proves
    nothing)."""
    parts = win.parts
    playable = parts.steps_pane.currentWidget() is parts.steps
    counted["plans"] = counted.get("plans", 0) + playable
    counted["cells"] = counted.get("cells", 0) + (
        parts.steps.rowCount() * sum(not parts.steps.isColumnHidden(c)
                                     for c in range(parts.steps.columnCount()))
        if playable else 0)
    counted["labels"] = counted.get("labels", 0) + (
        len(parts.player.plot._labels) if parts.player.plot.isVisible() else 0)
    counted["phases"] = counted.get("phases", 0) + (
        len(parts.course.plot._phase_labels) if parts.course.plot.isVisible() else 0)
    counted["names"] = counted.get("names", 0) + 1


def _cut_texts(win: Any, cid: str) -> dict[str, list[str]]:
    return {"steps": _steps_cells(win, cid), "timeline": _timeline_labels(win, cid),
            "course": _course_labels(win, cid), "condition box": _condition_box(win, cid)}


def _steps_cells(win: Any, cid: str) -> list[str]:
    """Every shown cell's text wrapped in its cell's width fits the cell; every header its
    section."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import QStyle

    table = win.parts.steps
    if win.parts.steps_pane.currentWidget() is not table:
        return []
    problems = []
    style = table.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
    metrics = table.fontMetrics()
    wrap = int(Qt.TextFlag.TextWordWrap)
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if table.isColumnHidden(col) or item is None or not item.text():
                continue
            cell = table.visualItemRect(item)
            if cell.left() < 0 or cell.right() >= table.viewport().width():
                problems.append(f"{cid}: step {row + 1} {table.COLUMNS[col]} lies past the "
                                f"table's edge ({cell.left()}..{cell.right()} of "
                                f"{table.viewport().width()})")
            room = cell.width() - 2 * margin
            need = metrics.boundingRect(QRect(0, 0, room, 100_000), wrap, item.text())
            if need.width() > room or need.height() > cell.height():
                problems.append(f"{cid}: step {row + 1} {table.COLUMNS[col]} "
                                f"{item.text()!r} needs {need.width()}x{need.height()}, "
                                f"has {room}x{cell.height()}")
    problems += _clipped(table, cid)
    header = table.horizontalHeader()
    head_margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    for col in range(table.columnCount()):
        head = table.horizontalHeaderItem(col)
        if table.isColumnHidden(col) or head is None:
            continue
        need = header.fontMetrics().horizontalAdvance(head.text()) + 2 * head_margin
        if header.sectionViewportPosition(col) + header.sectionSize(col) > header.width():
            problems.append(f"{cid}: header {head.text()!r} lies past the table's edge")
        if need > header.sectionSize(col):
            problems.append(f"{cid}: header {head.text()!r} needs {need}, "
                            f"has {header.sectionSize(col)}")
    return problems


def _clipped(widget: Any, cid: str) -> list[str]:
    """Whether ``widget`` lies whole inside each of its ancestors (none of it cut off)."""
    from PySide6.QtCore import QRect

    rect = widget.rect()
    parent = widget.parentWidget()
    child = widget
    while parent is not None:
        mapped = QRect(child.mapTo(parent, rect.topLeft()), rect.size())
        if not parent.rect().contains(mapped):
            return [f"{cid}: {widget.objectName()} is cut off by {type(parent).__name__} "
                    f"{parent.objectName()!r}: {mapped.getRect()} in {parent.rect().getRect()}"]
        rect, child, parent = mapped, parent, parent.parentWidget()
    return []


def _timeline_labels(win: Any, cid: str) -> list[str]:
    """Each block's label lies inside its block, and no two labels overlap."""
    plot = win.parts.player.plot
    if not plot.isVisible():
        return []
    rects = []
    problems = []
    for index, label in enumerate(plot._labels):
        text = label.textItem.toPlainText()
        if not text:
            continue
        box = plot.mapFromScene(label.textItem.mapToScene(
            label.textItem.boundingRect())).boundingRect()
        left, right = plot.block_span(index)
        if box.left() < left - 0.5 or box.right() > right + 0.5:
            problems.append(f"{cid}: label {text!r} [{box.left()}, {box.right()}] outside "
                            f"its block [{left:.1f}, {right:.1f}]")
        for other, other_box in rects:
            if box.intersects(other_box):
                problems.append(f"{cid}: labels {other!r} and {text!r} overlap")
        rects.append((text, box))
    return problems


def _course_labels(win: Any, cid: str) -> list[str]:
    """Each phase's whole name (never shortened) fits its band."""
    from bodymap.i18n import tr

    plot = win.parts.course.plot
    if not plot.isVisible():
        return []
    problems = []
    for label, (phase, start, end) in zip(plot._phase_labels, plot.phases(), strict=True):
        text = label.textItem.toPlainText().replace("\u00ad", "").replace("-\n", "")
        whole = tr(f"course.phase.{phase}")
        doc = label.textItem.document()
        band = plot.band_width(start, end)
        if text.replace("\n", " ") != whole:
            problems.append(f"{cid}: phase {phase} reads {text!r}, not {whole!r}")
        if doc.idealWidth() > band + 0.5:
            problems.append(f"{cid}: phase {phase} needs {doc.idealWidth():.0f} px, "
                            f"its band has {band:.0f}")
    item = plot.getPlotItem()
    for side in ("left", "right", "bottom"):
        axis = item.getAxis(side)
        label = axis.label
        need = label.boundingRect().width()
        room = axis.width() if side == "bottom" else axis.height()
        if label.isVisible() and need > room:
            problems.append(f"{cid}: the {side} axis's name {label.toPlainText()!r} needs "
                            f"{need:.0f} px, the axis has {room:.0f}")
    return problems


def _condition_box(win: Any, cid: str) -> list[str]:
    """The chosen condition's name, wrapped, fits the box."""
    from PySide6.QtCore import QRect, Qt

    combo = win.parts.panel.conditions_box.condition_combo
    rect = combo.text_rect()
    need = combo.fontMetrics().boundingRect(QRect(0, 0, rect.width(), 100_000),
                                            int(Qt.TextFlag.TextWordWrap), combo.currentText())
    if need.width() > rect.width() or need.height() > rect.height():
        return [f"{cid}: {combo.currentText()!r} needs {need.width()}x{need.height()}, "
                f"the box has {rect.width()}x{rect.height()}"]
    return []


def _panel_titles(win: Any) -> list[str]:
    """Each group title of the side panel fits its group."""
    from PySide6.QtWidgets import QGroupBox

    problems = []
    for box in win.parts.panel.findChildren(QGroupBox):
        if not box.isVisible() or not box.title():
            continue
        need = box.fontMetrics().horizontalAdvance(box.title()) + 16
        if need > box.width():
            problems.append(f"group {box.title()!r} needs {need}, has {box.width()}")
    return problems


def _condition_list(app: Any, win: Any) -> list[str]:
    """Opened, the condition list shows every entry whole: group headers (bold) and names."""
    from PySide6.QtGui import QFont, QFontMetrics

    combo = win.parts.panel.conditions_box.condition_combo
    combo.showPopup()
    _settle(app)
    view = combo.view()
    problems = []
    model = combo.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        font = index.data(0x06)  # Qt.FontRole
        metrics = QFontMetrics(font) if isinstance(font, QFont) else view.fontMetrics()
        need = metrics.horizontalAdvance(str(index.data())) + 8
        if need > view.viewport().width():
            problems.append(f"{index.data()!r} needs {need}, the list has "
                            f"{view.viewport().width()}")
    combo.hidePopup()
    _settle(app)
    return problems


def _library_tree(app: Any, win: Any) -> list[str]:
    """The technique library's tree shows every name whole, without scrolling sideways."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    dock = win.parts.techniques_dock
    dock.show()
    _settle(app)
    tree = win.techniques.tree
    _settle(app)
    problems = []
    it = QTreeWidgetItemIterator(tree)
    while it.value() is not None:
        item = it.value()
        rect = tree.visualItemRect(item)
        need = tree.fontMetrics().horizontalAdvance(item.text(0)) + 8
        if need > rect.width() or rect.right() > tree.viewport().width():
            problems.append(f"{item.text(0)!r} needs {need}, has {rect.width()} "
                            f"(to {rect.right()} of {tree.viewport().width()})")
        it += 1
    dock.hide()
    _settle(app)
    return problems


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3]))
