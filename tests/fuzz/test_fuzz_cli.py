"""Fuzz: command-line argument lists, run in process (``bodymap.cli.main(argv)`` with captured
output) and a few as real processes.

Invariant: exit 0 with output, or exit 2 (usage) / 1 (data, I/O) with one clean error line on
stderr (warnings about skipped user files may come before it); never a traceback, never a
window, never a hang.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys

import pytest
from fuzzkit import HOSTILE_TEXT, ROOT, clean_message, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from bodymap.cli import main

OPTIONS = {
    "--condition": st.one_of(st.sampled_from(["stress", "hernia", "scoliosis", "hypertension",
                                              "nope"]), HOSTILE_TEXT),
    "--session": st.one_of(st.integers(-2, 70).map(str), HOSTILE_TEXT),
    "--hernia": st.one_of(st.sampled_from(["L4-L5", "L5-S1:left", "C2-C3:right", "l1-l2:up",
                                           "Q1-Q2"]), HOSTILE_TEXT),
    "--scoliosis": st.one_of(st.builds("convex={},grade={}".format,
                                       st.sampled_from(["left", "right", "up", ""]),
                                       st.sampled_from(["1", "4", "5", "²", "①", "9" * 5000])),
                             HOSTILE_TEXT),
    "--contra": st.one_of(st.sampled_from(["fever", "pregnancy", "acute-phase", "x"]),
                          HOSTILE_TEXT),
    "--lesion": st.one_of(st.sampled_from(["collar", "thoracic-left", "spine", "elbow"]),
                          HOSTILE_TEXT),
    "--pain": st.one_of(st.sampled_from(["250,640", "0,0", "nan,1", "1e999,2", "250"]),
                        HOSTILE_TEXT),
}


@st.composite
def argv(draw) -> list[str]:
    command = draw(st.sampled_from(["plan", "plan", "plan", "conditions", "contraindications",
                                    "validate", "window", "junk"]))
    if command == "window":
        return ["--condition", draw(OPTIONS["--condition"])]
    if command == "junk":
        return draw(st.lists(HOSTILE_TEXT, min_size=1, max_size=4))
    args = [command]
    if command == "plan":
        if draw(st.integers(0, 9)):  # sometimes without the required --condition
            args += ["--condition", draw(OPTIONS["--condition"])]
        for name in draw(st.lists(st.sampled_from(sorted(OPTIONS)), max_size=4)):
            args += [name, draw(OPTIONS[name])]
    elif command == "validate" and draw(st.booleans()):
        args.append(draw(st.one_of(st.sampled_from(["/dev/null", "/nonexistent", "/", "."]),
                                   HOSTILE_TEXT)))
    if draw(st.booleans()):
        args.append("--json")
    return args


@pytest.fixture(scope="module")
def fast_loading():
    """Load the shipped library and geometry once (loading them is tested elsewhere); the
    command line's parsing, checks, planning and printing run for real."""
    import bodymap.geometry
    import bodymap.library
    import bodymap.widgets.app

    library = bodymap.library.load_library(None)
    geometry = bodymap.geometry.load_geometry()
    mp = pytest.MonkeyPatch()
    mp.setattr(bodymap.library, "load_library", lambda *a, **k: library)
    mp.setattr(bodymap.geometry, "load_geometry", lambda *a, **k: geometry)
    mp.setattr(bodymap.widgets.app, "run_gui", lambda **kw: 0)  # valid id: "the window"
    yield
    mp.undo()


def check_result(code: int, out: str, err: str, args: list[str]) -> None:
    assert code in (0, 1, 2), code
    if args[:1] == ["validate"] and code == 1 and "problem(s) in" in err:
        # validate lists each problem on stdout (one line each, naming the file), then a count
        for line in out.split("\n")[:-1]:
            clean_message(line)
        assert err.count("\n") == 1
        return
    lines = [line for line in err.split("\n")[:-1] if not line.startswith("bodymap: warning: ")]
    assert err == "" or err.endswith("\n")
    if code == 0:
        assert lines == [], err
    else:
        assert len(lines) == 1 and lines[0].startswith("bodymap: error: "), err
        clean_message(lines[0])
    assert "Traceback" not in out + err


@fuzz(max_examples=250)
@given(args=argv())
def test_argument_lists_in_process(fast_loading, args):
    out, err = io.StringIO(), io.StringIO()
    with time_limit(10), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    check_result(code, out.getvalue(), err.getvalue(), args)


@fuzz(max_examples=4)
@given(args=argv())
def test_argument_lists_as_real_processes(args):
    args = [a for a in args if "\0" not in a and "\udcff" not in a]
    proc = subprocess.run([sys.executable, "-c",
                           "import sys; from bodymap.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen",
                                   DISPLAY="", WAYLAND_DISPLAY=""))
    if args[:1] == ["--condition"] and proc.returncode == 1:
        return  # a valid id would open the window: without a display that is exit 1
    check_result(proc.returncode, proc.stdout, proc.stderr, args)
