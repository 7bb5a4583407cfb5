"""What a screen reader reads of bodymap's map over AT-SPI (tests/test_map_atspi.py).

Runs with the system's Python 3 (Debian's python3-pyatspi is built for it), inside a D-Bus
session and an X display, as Orca would: ``reader.py FOLDER PYTHON APP``. It starts the app
(``PYTHON APP FOLDER``, its stderr in ``FOLDER/app.err``) with Qt's AT-SPI bridge on, finds it
on the accessibility bus, and writes one JSON object to ``FOLDER/atspi.json`` (stdout is shared
with the D-Bus services the session starts):

* ``map``: the map's accessible (role, name, description, extents) and its children's;
* ``focus``: the accessibles that got the focus after the app moved the keyboard cursor;
* ``map_ru``: the map again after the app switched to Russian.

Nothing of bodymap is imported here: only what AT-SPI says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyatspi
from gi.repository import GLib

FIND_S = 90.0
WAIT_S = 20.0


def describe(acc) -> dict:
    try:
        ext = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        box = [ext.x, ext.y, ext.width, ext.height]
    except Exception:  # an accessible without a component
        box = None
    return {"role": acc.getRoleName(), "name": acc.name or "",
            "description": acc.description or "", "extents": box,
            "children": acc.childCount,
            "focused": acc.getState().contains(pyatspi.STATE_FOCUSED)}


def find_app(pid: int):
    deadline = time.monotonic() + FIND_S
    while time.monotonic() < deadline:
        for app in pyatspi.Registry.getDesktop(0):
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an app that went away
                continue
        time.sleep(0.3)
    return None


def find_map(root):
    """The map: the image whose name says it is the back map (a breadth-first search)."""
    queue = [root]
    while queue:
        acc = queue.pop(0)
        try:
            if acc.getRoleName() == "image" and acc.childCount >= 8:
                return acc
            queue.extend(c for c in (acc.getChildAtIndex(i) for i in range(acc.childCount))
                         if c is not None)
        except Exception:  # the tree changed under us
            continue
    return None


def read_map(app, until=None) -> dict | None:
    deadline = time.monotonic() + WAIT_S
    while time.monotonic() < deadline:
        found = find_map(app)
        if found is not None:
            data = describe(found)
            data["kids"] = [describe(found.getChildAtIndex(i)) for i in range(found.childCount)]
            if until is None or until(data):
                return data
        time.sleep(0.3)
    return None


def spin(seconds: float, done) -> None:
    """Dispatch AT-SPI events for up to ``seconds`` or until ``done()``."""
    context = GLib.MainContext.default()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not done():
        while context.pending():
            context.iteration(False)
        time.sleep(0.05)


def main() -> int:
    folder, python, app_script = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    env = dict(os.environ, QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1", QT_QPA_PLATFORM="xcb")
    with (folder / "app.err").open("wb") as err:
        proc = subprocess.Popen([python, app_script, str(folder)], env=env, stderr=err)
    out: dict = {}
    try:
        app = find_app(proc.pid)
        if app is None:
            out["error"] = "the app never appeared on the accessibility bus"
            return 1
        out["map"] = read_map(app)
        focused: list[dict] = []

        def on_focus(event) -> None:
            if event.detail1 == 1:
                focused.append(describe(event.source))

        pyatspi.Registry.registerEventListener(on_focus, "object:state-changed:focused")
        spin(1.0, lambda: False)  # the bridge learns that someone listens
        (folder / "focus").touch()
        # the app moves the cursor twice: two of the map's children take the focus
        spin(WAIT_S, lambda: len({f["name"] for f in focused if f["role"] == "image"
                                  and f["children"] == 0}) >= 2)
        out["focus"] = focused
        (folder / "russian").touch()
        english = out["map"]["kids"][0]["name"] if out["map"] else ""
        out["map_ru"] = read_map(app, until=lambda d: d["kids"][0]["name"] != english)
        return 0
    finally:
        (folder / "quit").touch()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        (folder / "atspi.json").write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
