"""A therapist's walk through the window under a real X server (Xvfb), driven with xdotool.

    .venv/bin/python docs/walkthrough/walk.py [--out docs/walkthrough]

What it does, at 1366x768 (a common laptop screen), with real X input events (the same
spontaneous wheel and mouse events a user's hand makes, which a test cannot synthesise):

1. opens a patient with lumbosacral osteochondrosis and a disc hernia whose level is not given
   yet (the plan waits for it), everything asked in the screening;
2. scrolls the long left panel with the mouse wheel, the pointer held over the column of its
   choices, so that every combo box and spin box passes under the pointer, down to the end and
   back up: nothing may change (issue 20: one notch used to move the hernia level);
3. places the hernia with the Hernia tool at L4-L5 on the patient's left;
4. clicks the map again without the tool (the tool is used once: nothing moves), then moves the
   hernia with the tool to T6-T7 on the patient's right; the status bar says what changed;
5. undoes the move with Ctrl+Z: the hernia is back at L4-L5 left.

A screenshot of the whole screen is taken after each step (ImageMagick ``import``), and the
script checks the document at each step, so a regression fails the walk, not just the eye.
Settings, autosaves and the plan file live in a temporary folder: nothing of the user's is
read or written. Needs Xvfb, xdotool and ImageMagick (Debian: xvfb, xdotool, imagemagick).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 768)
DISPLAY = ":87"


def xdo(*args: object) -> None:
    subprocess.run(["xdotool", *map(str, args)], check=True)


def shot(path: Path) -> None:
    subprocess.run(["import", "-display", DISPLAY, "-window", "root", str(path)], check=True)


def prepare(folder: Path) -> Path:
    """A plan file (the hernia's level not given yet) and settings that reopen it."""
    from bodymap.library import load_library

    plan = folder / "patient.bodymap.json"
    plan.write_text(json.dumps({
        "format": "bodymap-plan", "version": 2, "patient": {"name": "", "notes": ""},
        "profile": {"conditions": ["osteochondrosis-lumbosacral", "hernia"], "session": 4,
                    "answered": sorted(load_library(None).contraindications)},
    }), encoding="utf-8")
    ini = folder / "settings.ini"
    ini.write_text(f"[ui]\nlanguage=en\n[files]\nlast_document={plan}\n", encoding="utf-8")
    return ini


def steps(window, out: Path, log: Callable[[str], None]) -> Iterator[float]:
    """The walk, one step per ``yield`` (the seconds to wait before the next one, so that the
    window handles the X events sent and paints)."""
    from PySide6.QtCore import QPoint

    parts, c = window.parts, window.controller

    def at(widget, point=None) -> tuple[int, int]:
        p = widget.mapToGlobal(point if point is not None else widget.rect().center())
        return p.x(), p.y()

    def hernia() -> str:
        found = c.document().profile.hernias
        return ", ".join(f"{h.level} {h.side}" for h in found) or "not given"

    def back(x: float, y: float) -> tuple[int, int]:
        p = parts.map.back_to_widget(x, y)
        return at(parts.map, QPoint(round(p.x()), round(p.y())))

    yield 1.0
    shot(out / "1-start.png")
    start = c.document()
    log(f"start: hernia {hernia()}, plan {c.plan().status}")

    # 2. the wheel over the panel: the pointer over the column of choices, moving a little
    # against the content at each notch, so that every choice passes under it
    from bodymap.widgets.wheel import guarded_controls

    panel = parts.panel
    viewport = panel.viewport()
    top = viewport.mapToGlobal(viewport.rect().topLeft()).y() + 8
    bottom = top + viewport.height() - 16
    bar = panel.verticalScrollBar()
    choices = [w for w in guarded_controls(panel) if w.isVisible()]
    lefts = [w.mapToGlobal(w.rect().topLeft()).x() for w in choices]
    rights = [w.mapToGlobal(w.rect().topRight()).x() for w in choices]
    x = (max(lefts) + min(rights)) // 2  # a column every choice crosses
    passed: set[str] = set()
    # the content moves up as the wheel turns down: the pointer goes up too, a little slower
    for direction, button, dy in (("down", 5, -48), ("up", 4, 48)):
        y, sweep = (bottom, 0) if dy < 0 else (top, 0)
        while sweep < (bottom - top) // 12 + 2:  # to the end, then one more sweep there
            xdo("mousemove", x, y)
            xdo("click", button)
            yield 0.04
            passed.update(w.objectName() for w in choices
                          if w.rect().contains(w.mapFromGlobal(QPoint(x, y))))
            at_end = bar.value() == (bar.maximum() if dy < 0 else bar.minimum())
            sweep = sweep + 1 if at_end else 0
            y += dy
            if not top <= y <= bottom:
                y = bottom if dy < 0 else top
        log(f"scrolled {direction}: panel at {bar.value()} of {bar.maximum()}")
        if direction == "down":
            shot(out / "2-scrolled-down.png")
    # and each choice in turn: the pointer on it, a notch down and one up (the panel moves
    # under the pointer; the choice keeps its value)
    for w in choices:
        panel.ensureWidgetVisible(w, 20, 160)
        yield 0.1
        cx, cy = at(w)
        xdo("mousemove", cx, cy)
        yield 0.05
        if w.rect().contains(w.mapFromGlobal(QPoint(cx, cy))):
            passed.add(w.objectName())
        xdo("click", 5)
        yield 0.05
        xdo("click", 4)
        yield 0.05
    log("the wheel turned over: " + ", ".join(sorted(passed)))
    missed = {w.objectName() for w in choices} - passed
    assert not missed, f"the pointer never passed over {missed}"
    assert c.document() == start, "a wheel turn changed the document"
    yield 0.5
    shot(out / "3-after-scrolling.png")
    log(f"after scrolling: document unchanged, hernia {hernia()}")

    # 3. place the hernia with the tool
    geo = c.geometry
    tool = parts.map_toolbar.widgetForAction(window.mark_actions["hernia"])
    xdo("mousemove", *at(tool))
    xdo("click", 1)
    yield 0.3
    xdo("mousemove", *back(270, geo.level_y("L4-L5") + 2))
    xdo("click", 1)
    yield 0.8
    assert hernia() == "L4-L5 left", hernia()
    shot(out / "4-hernia-placed.png")
    log(f"placed: hernia {hernia()}; tool still on: {window.mark_actions['hernia'].isChecked()}")

    # 4. a later click without the tool moves nothing; the hernia is moved in its editor row
    # (the panel's hernia list selects a hernia marked on the map): its level, then its side
    xdo("mousemove", *back(330, geo.level_y("T6-T7")))
    xdo("click", 1)
    yield 0.5
    assert hernia() == "L4-L5 left", "a click without the tool moved the hernia"
    log(f"a later click on the map: hernia {hernia()} (selected {parts.map.selected_zone()})")
    panel.ensureWidgetVisible(panel.hernia_level)
    yield 0.3
    xdo("mousemove", *at(panel.hernia_level))
    xdo("click", 1)  # opens the list of levels
    yield 0.4
    xdo("key", "Escape")  # closed again: the choice has the focus, the keys edit it
    yield 0.2
    xdo("type", "--delay", "60", "T6")
    yield 0.5
    xdo("mousemove", *at(panel.hernia_side))  # then its side
    xdo("click", 1)
    yield 0.4
    xdo("key", "Escape")
    yield 0.2
    xdo("key", "Down")  # the patient's left -> the patient's right
    yield 0.8
    assert hernia() == "T6-T7 right", hernia()
    yield 5.0  # the zone the later click named leaves the status bar to the change
    shot(out / "5-hernia-moved.png")
    log(f"moved: hernia {hernia()}; status bar: {parts.change_notice.text()}")

    # 5. undo, step by step, back to where it was placed
    undos = 0
    while hernia() != "L4-L5 left" and undos < 6:
        xdo("key", "ctrl+z")
        undos += 1
        yield 0.5
    assert hernia() == "L4-L5 left", hernia()
    shot(out / "6-undone.png")
    log(f"Ctrl+Z x{undos}: hernia {hernia()}; status bar: {parts.change_notice.text()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "walkthrough")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            print(f"walk: {tool} is not installed", file=sys.stderr)
            return 2
    args.out.mkdir(parents=True, exist_ok=True)
    sandbox = Path(tempfile.mkdtemp(prefix="bodymap-walk-"))
    for var in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "BODYMAP_USER_DIR"):
        os.environ[var] = str(sandbox / var.lower())
    xvfb = subprocess.Popen(["Xvfb", DISPLAY, "-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24",
                             "-nolisten", "tcp"], stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        os.environ.update(DISPLAY=DISPLAY, QT_QPA_PLATFORM="xcb")
        return _walk(sandbox, args.out)
    finally:
        xvfb.kill()
        xvfb.wait(10)
        shutil.rmtree(sandbox, ignore_errors=True)
        sys.stdout.flush()


def _walk(sandbox: Path, out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from bodymap.widgets.mainwindow import MainWindow

    app = QApplication([sys.argv[0]])
    ini = prepare(sandbox)
    window = MainWindow(settings=QSettings(str(ini), QSettings.Format.IniFormat))
    lines: list[str] = []

    def log(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    failure: list[BaseException] = []
    walk: Iterator[float] | None = None

    def finish() -> None:
        window.documents.saved = window.controller.document()  # nothing to ask: quitting
        app.quit()  # closes the window

    def next_step() -> None:
        nonlocal walk
        try:
            if walk is None:
                window.setGeometry(0, 0, *SIZE)
                walk = steps(window, out, log)
            QTimer.singleShot(int(next(walk) * 1000), next_step)
        except StopIteration:
            finish()
        except BaseException as exc:  # the walk failed: say where, and stop
            failure.append(exc)
            finish()

    window.ready.connect(lambda: QTimer.singleShot(500, next_step))
    window.show()
    app.exec()
    (out / "walk.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if failure:
        print(f"walk failed: {failure[0]!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
