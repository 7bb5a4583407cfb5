"""Fuzz: protocol files (mutated shipped files, wrong types, extreme numbers, deep nesting, bad
encodings, byte-order marks) in the user's folder.

Invariants: the file loads whole or is refused with clean lines naming the file; the library
around it always loads (nothing half-loaded: the condition is there from this file, or the file
is listed as a problem, never both); a condition that loads is usable by the planner.
"""

from __future__ import annotations

import math

from fuzzkit import SHIPPED, TOML_VALUES, clean_message, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from bodymap.errors import DataFileError
from bodymap.library import load_library, load_techniques, load_user_condition, shipped_dir
from bodymap.planner import Profile, make_plan

TECHNIQUES = load_techniques(shipped_dir() / "techniques.toml")
BASES = {p.stem: p.read_text(encoding="utf-8") for p in SHIPPED}
STEMS = sorted(BASES)


@st.composite
def protocol_file(draw) -> tuple[str, bytes]:
    """(condition id, file bytes): a shipped file with one to three mutations."""
    stem = draw(st.sampled_from(STEMS))
    lines = BASES[stem].splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value"] * 6 + ["drop", "dup", "cut", "deep", "key"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "value" and " = " in lines[i]:
            key = lines[i].split(" = ", 1)[0]
            lines[i] = f"{key} = {draw(st.sampled_from(TOML_VALUES))}\n"
        elif kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif kind == "cut":
            lines = [*lines[:i], lines[i][: draw(st.integers(0, len(lines[i])))]]
        elif kind == "deep":
            depth = draw(st.sampled_from([5, 40, 3000]))
            lines.insert(i, "x = " + "[" * depth + "]" * depth + "\n")
        elif kind == "key":
            lines.insert(i, f"{draw(st.sampled_from(['colour', 'minutes', 'id', 'step']))} = 1\n")
        if not lines:
            lines = [""]
    text = "".join(lines)
    data = text.encode("utf-8")
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["bom", "utf-16", "latin-1", "nul"]))
    if encoding == "bom":
        data = b"\xef\xbb\xbf" + data
    elif encoding == "utf-16":
        data = text.encode("utf-16")
    elif encoding == "latin-1":
        data = text.encode("latin-1", "replace")
    elif encoding == "nul":
        data = data[: len(data) // 2] + b"\0" + data[len(data) // 2:]
    return stem, data


def _check_one(user, stem: str, data: bytes) -> None:
    for old in user.iterdir():
        old.unlink()
    path = user / f"{stem}.toml"
    path.write_bytes(data)
    with time_limit(10):
        try:
            cond = load_user_condition(path, TECHNIQUES)
        except DataFileError as exc:
            cond = None
            for problem in getattr(exc, "problems", [exc]):
                clean_message(str(problem), path=path)
        library = load_library(user, shipped=_small_shipped())
    in_problems = any(p.path == path for p in library.problems)
    from_file = library.origins.get(stem) == path
    assert in_problems != from_file, "whole or refused, never half-loaded"
    assert (cond is not None) == from_file
    if cond is not None:  # usable by the planner, every session of its course
        for session in sorted({1, cond.course.sessions}):
            with time_limit(10):
                plan = make_plan(Profile(condition=stem, session=session), library, GEOMETRY)
            assert math.isfinite(plan.total_minutes) and plan.total_minutes <= 240


GEOMETRY = None


def setup_module(module):
    from bodymap.geometry import load_geometry

    module.GEOMETRY = load_geometry()


@fuzz(max_examples=100)
@given(case=protocol_file())
def test_mutated_protocol_files(tmp_path_factory, case):
    user = _user_dir(tmp_path_factory)
    _check_one(user, *case)


@fuzz(max_examples=40)
@given(data=st.binary(max_size=300), bom=st.booleans())
def test_random_bytes_as_a_protocol_file(tmp_path_factory, data, bom):
    user = _user_dir(tmp_path_factory)
    _check_one(user, "stress", (b"\xef\xbb\xbf" if bom else b"") + data)


_USER: dict[str, object] = {}


def _small_shipped():
    """The shipped registries with two conditions: the library loads in a few ms."""
    import shutil

    if "shipped" not in _USER:
        root = _USER["dir"].parent / "shipped"
        (root / "conditions").mkdir(parents=True)
        for name in ("techniques.toml", "contraindications.toml", "safeguards.toml",
                     "headings.toml"):
            shutil.copy(shipped_dir() / name, root / name)
        for stem in ("stress", "hernia"):
            shutil.copy(shipped_dir() / "conditions" / f"{stem}.toml", root / "conditions")
        _USER["shipped"] = root
    return _USER["shipped"]


def _user_dir(factory):
    if "dir" not in _USER:
        _USER["dir"] = factory.mktemp("fuzz-user")
    return _USER["dir"]
