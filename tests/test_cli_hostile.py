"""Issue 11, the command line: every input gets its output, or one line and exit 2 (usage) or
1 (data or I/O). Never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap.cli import main

ROOT = Path(__file__).resolve().parents[1]
RUN = [sys.executable, "-c", "import sys; from bodymap.cli import main; sys.exit(main())"]


def run(capsys, argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str) -> str:
    assert "Traceback" not in err and "internal error" not in err, err
    assert err.count("\n") == 1 and err.startswith("bodymap: error: "), err
    assert len(err) < 2000, "the line stays readable"
    return err


PLAN = ["plan", "--condition"]

USAGE = [
    ([*PLAN, "scoliosis", "--scoliosis", "convex=right,grade=²"], "grade"),
    ([*PLAN, "scoliosis", "--scoliosis", "convex=right,grade=①"], "grade"),
    ([*PLAN, "scoliosis", "--scoliosis", "convex=right,grade=" + "9" * 5000], "grade"),
    ([*PLAN, "scoliosis", "--scoliosis", "convex=left,convex=right,grade=2"], "twice"),
    ([*PLAN, "scoliosis", "--scoliosis", "convex=left,grade=2,grade=3"], "twice"),
    ([*PLAN, "scoliosis", "--scoliosis", ""], "malformed"),
    ([*PLAN, "hernia", "--hernia", ""], "no level"),
    ([*PLAN, "hernia", "--hernia", ":left"], "no level"),
    ([*PLAN, "stress", "--session", "9" * 5000], "session"),
    ([*PLAN, "stress", "--session", "²"], "session"),
    ([*PLAN, "stress", "--session", "-1"], "session"),
    ([*PLAN, "stress", "--pain", "nan,3"], "not a point"),
    ([*PLAN, "stress", "--pain", "1e999,3"], "not a point"),
    ([*PLAN, "stress", "--pain", "9" * 5000 + ",1"], "not a point"),
    ([*PLAN, ""], "unknown condition"),
    ([*PLAN, "x" * 5000], "unknown condition"),
    ([*PLAN, "stress", "--lesion", ""], "unknown zone"),
    (["export", "--condition", "stress", "--out", "handout.txt"], "unknown file type"),
    (["--condition", "nope"], "unknown condition 'nope'"),
    (["--condition", "stress", "--condition", "nope"], "unknown condition 'nope'"),
    (["--condition", ""], "unknown condition"),
    (["frobnicate"], "invalid choice"),
]


@pytest.mark.parametrize(("argv", "needle"), USAGE, ids=[str(i) for i in range(len(USAGE))])
def test_malformed_values_are_one_line_and_exit_2(capsys, monkeypatch, argv, needle):
    import bodymap.widgets.app as app

    monkeypatch.setattr(app, "run_gui", lambda **kw: pytest.fail("a window was opened"))
    code, out, err = run(capsys, argv)
    assert code == 2, err
    assert needle in one_line(err)
    assert out == ""


def test_file_names_over_the_limit_are_one_line_exit_1(qapp, capsys, tmp_path):
    long = tmp_path / ("n" * 300 + ".pdf")
    code, _, err = run(capsys, ["export", "--condition", "stress", "--out", str(long)])
    assert code == 1 and "too long" in one_line(err)
    code, out, err = run(capsys, ["validate", str(tmp_path / ("n" * 300))])
    assert code == 1 and "too long" in out


def test_a_valid_251_character_output_name_is_accepted(qapp, capsys, tmp_path):
    out_path = tmp_path / ("h" * 247 + ".png")
    code, _out, err = run(capsys, ["export", "--condition", "stress", "--out", str(out_path)])
    assert code == 0, err
    assert out_path.read_bytes().startswith(b"\x89PNG")
    assert [p.name for p in tmp_path.iterdir()] == [out_path.name], "no temp file left"


@pytest.mark.skipif(os.name != "posix", reason="pipes and /dev/full are POSIX")
@pytest.mark.parametrize("argv", [["conditions"], ["contraindications", "--json"],
                                  ["plan", "--condition", "stress", "--json"]])
def test_a_closed_output_pipe_is_one_line_exit_1(argv):
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `bodymap conditions | true` once `true` has gone
    try:
        proc = subprocess.run(RUN + argv, stdout=write_end, stderr=subprocess.PIPE, text=True,
                              cwd=ROOT, timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == 1
    assert "closed" in one_line(proc.stderr)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_output_to_a_full_device_is_one_line_exit_1():
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*RUN, "conditions"], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1
    assert "full" in one_line(proc.stderr)


def test_the_window_with_an_unknown_condition_exits_2_before_any_window():
    code = ("import sys, bodymap.cli as c; r = c.main(['--condition', 'nope']); "
            "print('QT', 'PySide6.QtWidgets' in sys.modules); sys.exit(r)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert proc.returncode == 2
    assert "unknown condition 'nope'" in one_line(proc.stderr)
    assert "QT False" in proc.stdout, "no Qt loaded, no window"


def test_every_os_error_is_one_line(capsys, monkeypatch):
    import bodymap.commands as commands

    def broken(args):
        raise PermissionError(13, "Permission denied", "/somewhere/file")

    monkeypatch.setattr(commands, "cmd_conditions", broken)
    code, _, err = run(capsys, ["conditions"])
    assert code == 1 and "/somewhere/file" in one_line(err)


NINE = ["hernia", "stress", "hypertension", "scoliosis", "back-pain", "sedentary-prophylaxis",
        "headache", "bronchitis", "gastritis"]


@pytest.mark.parametrize("conditions", [["hernia", "hernia"], NINE], ids=["twice", "nine"])
@pytest.mark.parametrize("command", [[], ["plan"], ["export", "--out", "x.pdf"],
                                     ["screenshot", "--out", "x.png"]],
                         ids=["window", "plan", "export", "screenshot"])
def test_conditions_twice_or_more_than_eight_are_one_line_exit_2(tmp_path, command, conditions):
    """The window, plan, export and screenshot agree with plan documents (at most 8, each
    once): one line and exit 2, before any window (no Qt loaded)."""
    args = [*command, *(a for c in conditions for a in ("--condition", c))]
    code = ("import sys, bodymap.cli as c; r = c.main(sys.argv[1:]); "
            "print('QT', 'PySide6.QtWidgets' in sys.modules); sys.exit(r)")
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=tmp_path, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen",
                                   PYTHONPATH=str(ROOT), BODYMAP_USER_DIR=str(tmp_path)))
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc.stderr)
    assert ("given twice" in line) if conditions[0] == conditions[-1] else ("at most 8" in line)
    assert "QT False" in proc.stdout, "no Qt loaded, no window"
    assert not list(tmp_path.glob("x.*"))


@pytest.mark.parametrize("session", ["11", "61", "99"])
def test_screenshot_session_outside_the_course_is_one_line_exit_2(capsys, session):
    """As `plan` says it: hypertension's course has 10 sessions (no pydantic trace)."""
    from bodymap.cli import main

    assert main(["screenshot", "--condition", "hypertension", "--session", session,
                 "--out", "/tmp/never-written.png"]) == 2
    line = one_line(capsys.readouterr().err)
    assert f"session {session} is outside the hypertension course" in line
    plan = main(["plan", "--condition", "hypertension", "--session", session])
    assert plan == 2 and "outside the hypertension course" in capsys.readouterr().err
