"""Shared pieces of the fuzz suite (issue 11): the hypothesis profile, a per-example time limit,
hostile values, and the invariant every error message keeps.

The suite runs inside ``make test`` within a fixed budget: every test sets ``max_examples``
explicitly through :data:`FUZZ`, examples are derandomized (the same inputs on every run and
every machine) and no example database is written, so CI is deterministic.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "protocols" / "conditions").glob("*.toml"))

#: deadline=None: the machine is shared and slow, so wall-clock deadlines would flake; hangs
#: are caught by :func:`time_limit` instead (a few seconds per example).
FUZZ = dict(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                           HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def fuzz(max_examples: int) -> settings:
    return settings(max_examples=max_examples, **FUZZ)


class HangError(Exception):
    """An example ran past its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail an example that takes longer than ``seconds`` (SIGALRM; main thread, POSIX)."""
    main = threading.current_thread() is threading.main_thread()
    if not hasattr(signal, "setitimer") or not main:
        yield
        return

    def on_alarm(signum, frame):
        raise HangError(f"no answer within {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------------------
# hostile values

DEEP = 3000
EXTREME_NUMBERS = ["0", "-1", "-0.0", "5e-324", "1e-9", "1e308", "1e309", "nan", "inf", "-inf",
                   "+nan", "9" * 5000, "4294967297", "0x10", "1_000", "3.0", "121", "61", "6"]
WRONG_TYPES = ['"3"', '"10"', "true", "false", '"yes"', "[]", "{}", "[1, 2, 3]", '""',
               '"' + "x" * 3000 + '"', "1979-05-27T07:32:00Z", '"<b>bold</b><img src=x>"',
               "[" * 64 + "]" * 64, "{a = " * 40 + "1" + "}" * 40]
TOML_VALUES = EXTREME_NUMBERS + WRONG_TYPES

#: what a user may type into an option or file name
HOSTILE_TEXT = st.one_of(
    st.sampled_from(["", " ", "²", "①", "٣", "9" * 5000, "-1", "0", "nan", "inf", "1e999",
                     "L4-L5", "L4-L5:left", "l5-s1:central", "C2-C3", "convex=right,grade=2",
                     "convex=left,grade=²", "grade=2,grade=3", "250,640", "nan,1", ",", ":",
                     "=", "<b>x</b>", "x" * 300, "--json", "-", "stress", "hernia", "scoliosis",
                     "collar", "thoracic-left", "fever", "\udcff", "é"]),
    st.text(max_size=12),
)


def clean_message(text: str, *, path: Path | str | None = None) -> None:
    """One clean line naming the file (when given): no traceback, no Python internals."""
    assert "Traceback" not in text, text
    assert "internal error" not in text, text
    line = text.strip()
    assert line and "\n" not in line, f"not one line: {text!r}"
    assert len(line) < 2500, f"unreadably long: {line[:200]}…"
    if path is not None:
        assert str(path) in line, f"{path} not named in {line!r}"


def fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` until at most ``leave`` bytes are free."""
    import shutil

    n = 0
    while (free := shutil.disk_usage(disk).free) > leave:
        try:
            with open(disk / f"filler-{n}", "wb") as fh:
                fh.write(b"\0" * max(1, min(1 << 16, free - leave)))
        except OSError:
            return
        n += 1
