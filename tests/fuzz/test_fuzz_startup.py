"""Fuzzing what start-up and output touch besides the user's documents (issue 18): the settings
file, the three start-up caches, the locale, and output targets that are pipes, folders or full
disks. The invariants: no hang, no traceback; a cache either matches or the sources are read;
a failed write names the file and keeps what was there."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fuzzkit import ROOT, clean_message, fill, fuzz, time_limit
from hypothesis import given
from hypothesis import strategies as st

from bodymap import geometry, geometry_cache, i18n, library_cache
from bodymap.library import load_library, shipped_dir

posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes, locales and tmpfs are POSIX")


# --- the settings file --------------------------------------------------------------------------


@fuzz(15)
@given(content=st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([b"[ui]", b"[files]", b"[plan]", b"language=ru", b"recent=@Invalid(",
                              b"last_document=" + b"x" * 300, b"geometry=@ByteArray(\\0)",
                              b"\xff\xfe", b"bottom_height=99999999999", b"=", b"\\"]),
             max_size=12).map(b"\n".join)))
def test_settings_files_of_any_content_start_the_app(tmp_path_factory, content):
    """Whatever a regular settings file holds, it is used, and reading every remembered value
    works. (Read through its own path: Qt keeps the first user-scope folder it computes for
    the whole process, so the test does not move it.)"""
    from PySide6.QtCore import QSettings

    from bodymap.widgets import settings as prefs

    ini = tmp_path_factory.mktemp("settings") / "bodymap.ini"
    ini.write_bytes(content)
    with time_limit(20):
        assert prefs._file_problem(ini) is None
        s = QSettings(str(ini), QSettings.Format.IniFormat)
        prefs.get_str(s, prefs.LANGUAGE)
        prefs.recent_files(s)
        prefs.get_str(s, prefs.LAST_DOCUMENT)
        prefs.get_bytes(s, prefs.GEOMETRY)
        prefs.get_int(s, prefs.BOTTOM_HEIGHT, *prefs.BOTTOM_HEIGHT_RANGE)


@posix_only
@fuzz(8)
@given(kind=st.sampled_from(["fifo", "dir", "dev-zero", "loop", "dangling", "huge"]),
       which=st.sampled_from(["bodymap/bodymap.ini", "bodymap.ini"]))
def test_special_settings_files_never_hang_start_up(tmp_path_factory, kind, which):
    folder = tmp_path_factory.mktemp("cfg")
    ini = folder / which
    ini.parent.mkdir(exist_ok=True)
    if kind == "fifo":
        os.mkfifo(ini)
    elif kind == "dir":
        ini.mkdir()
    elif kind == "dev-zero":
        ini.symlink_to("/dev/zero")
    elif kind == "loop":
        ini.symlink_to(ini)
    elif kind == "dangling":
        ini.symlink_to(folder / "nowhere" / "x.ini")
    else:
        ini.write_bytes(b"[ui]\n" + b"a" * (6 * 1024 * 1024))
    code = ("from bodymap.widgets import settings as p; s = p.app_settings(); "
            "s.setValue('ui/language', 'ru'); s.sync(); print(p.settings_problem(s))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=60,
                          env=dict(os.environ, XDG_CONFIG_HOME=str(folder),
                                   QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    if kind != "dangling":  # a dangling link is a file Qt may create: the usual case
        assert str(ini) in done.stdout
    assert Path("/dev/zero").is_char_device()


# --- the start-up caches ------------------------------------------------------------------------


def _caches(base: Path) -> dict:
    """The three caches built in a scratch copy: (cache path, read, sources)."""
    for name in ("zones.svg", "zones.toml"):
        shutil.copy2(ROOT / "assets" / name, base / name)
    protocols = base / "protocols"
    shutil.copytree(shipped_dir(), protocols, ignore=shutil.ignore_patterns(library_cache.FILE))
    svg, toml = base / "zones.svg", base / "zones.toml"
    geometry_cache.rebuild(svg)
    library_cache.rebuild(protocols)
    strings = base / "strings.cache.json"
    strings.write_bytes(i18n._CACHE.read_bytes() if i18n._CACHE.is_file() else b"{}")
    return {
        "geometry": (geometry_cache.cache_path(svg), lambda: geometry_cache.read(svg, toml),
                     lambda: sorted(geometry._load(svg).regions)),
        "library": (library_cache.cache_path(protocols), lambda: library_cache.read(protocols),
                    lambda: sorted(load_library(None, shipped=protocols).conditions)),
    }


@pytest.fixture(scope="module")
def built_caches(tmp_path_factory):
    base = tmp_path_factory.mktemp("caches")
    caches = _caches(base)
    originals = {kind: path.read_bytes() for kind, (path, _, _) in caches.items()}
    expected = {kind: load() for kind, (_, _, load) in caches.items()}
    return caches, originals, expected


@st.composite
def damaged(draw, original: bytes) -> bytes:
    how = draw(st.sampled_from(["cut", "flip", "splice", "json", "random"]))
    if how == "cut":
        return original[: draw(st.integers(0, len(original)))]
    if how == "flip":
        data = bytearray(original)
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= draw(st.integers(1, 255))
        return bytes(data)
    if how == "splice":
        i = draw(st.integers(0, len(original)))
        return original[:i] + draw(st.binary(max_size=200)) + original[i:]
    if how == "json":
        value = draw(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                                  lambda c: st.lists(c, max_size=4) | st.dictionaries(
                                      st.text(max_size=8), c, max_size=4), max_leaves=20))
        return json.dumps(value).encode()
    return draw(st.binary(max_size=4000))


@pytest.mark.parametrize("kind", ["geometry", "library"])
@fuzz(20)
@given(data=st.data())
def test_damaged_caches_fall_back_to_the_sources(built_caches, kind, data):
    caches, originals, expected = built_caches
    path, read, load = caches[kind]
    content = data.draw(damaged(originals[kind]))
    path.write_bytes(content)
    try:
        with time_limit(30):
            result = read()
            assert load() == expected[kind]
        if content != originals[kind]:
            assert result is None, "a damaged cache is never used"
    finally:
        path.write_bytes(originals[kind])


@fuzz(20)
@given(data=st.data())
def test_a_damaged_strings_cache_falls_back_to_the_toml(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("strings")
    shutil.copytree(i18n._STRINGS_DIR, folder / "s", ignore=shutil.ignore_patterns("*.json"))
    saved = i18n._STRINGS_DIR, i18n._CACHE
    i18n._STRINGS_DIR, i18n._CACHE = folder / "s", folder / "s" / "strings.cache.json"
    try:
        i18n.write_cache()
        original = i18n._CACHE.read_bytes()
        expected = i18n._parse(i18n._string_files())
        i18n._CACHE.write_bytes(data.draw(damaged(original)))
        i18n.strings.cache_clear()
        with time_limit(30):
            assert dict(i18n.strings()) == expected
    finally:
        i18n._STRINGS_DIR, i18n._CACHE = saved
        i18n.strings.cache_clear()


# --- locales -------------------------------------------------------------------------------------


def _installed(name: str) -> bool:
    if name in ("C", "POSIX"):
        return True
    listing = subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout.lower()
    return name.lower().replace("utf-8", "utf8") in listing


LOCALE_RUNS = [
    ["plan", "--condition", "hernia", "--hernia", "L4-L5:left", "--json"],
    ["export", "--condition", "stress", "--patient", "Işıl İnce", "--out", "{out}/h.pdf"],
    ["screenshot", "--condition", "hypertension", "--session", "2", "--size", "800x600",
     "--out", "{out}/s.png"],
]


@posix_only
@pytest.mark.parametrize("locale_name", ["tr_TR.UTF-8", "C", "POSIX"])
@pytest.mark.parametrize("args", LOCALE_RUNS, ids=["plan", "export", "screenshot"])
def test_every_output_works_in_turkish_c_and_posix_locales(tmp_path, locale_name, args):
    """tr_TR: Qt property names meet Turkish case rules; C and POSIX: Qt wants UTF-8. Each run
    succeeds, with nothing on stderr (no warning)."""
    if not _installed(locale_name):
        pytest.skip(f"the {locale_name} locale is not installed (.ci/run installs it)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    env.update(LC_ALL=locale_name, LANG=locale_name, BODYMAP_USER_DIR=str(tmp_path / "u"),
               HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    argv = [a.replace("{out}", str(tmp_path)) for a in args]
    done = subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr
    if args[0] != "plan":
        assert Path(done.stdout.strip()).stat().st_size > 1000


# --- output targets ------------------------------------------------------------------------------

TARGETS = ["a named pipe", "a folder", "a name ending in a slash", "a name that is not UTF-8"]


def _target(tmp_path: Path, kind: str, suffix: str) -> str:
    path = tmp_path / f"out{suffix}"
    if kind == "a named pipe":
        os.mkfifo(path)
    elif kind == "a folder":
        path.mkdir()
    elif kind == "a name ending in a slash":
        return str(path) + "/"
    elif kind == "a name that is not UTF-8":
        return os.fsdecode(bytes(tmp_path) + b"/out\xff" + suffix.encode())
    return str(path)


@posix_only
@pytest.mark.parametrize("kind", TARGETS)
@pytest.mark.parametrize("command", ["export-pdf", "export-png", "screenshot"])
def test_output_targets_are_written_exactly_or_refused_at_once(tmp_path, kind, command):
    suffix = ".pdf" if command == "export-pdf" else ".png"
    target = _target(tmp_path, kind, suffix)
    args = (["export", "--condition", "stress"] if command.startswith("export") else
            ["screenshot", "--size", "800x600"]) + ["--out", target]
    env = dict(os.environ, BODYMAP_USER_DIR=str(tmp_path / "u"), QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, env=env,
                          capture_output=True, timeout=300)
    err = done.stderr.decode("utf-8", "replace")
    if kind == "a name that is not UTF-8":
        assert done.returncode == 0, err
        written = os.fsencode(target)
        assert os.path.isfile(written), "written under its own name"
        assert done.stdout.strip() == written, "stdout names the file that exists"
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == \
            [os.fsdecode(Path(os.fsdecode(written)).name)]
    else:
        assert done.returncode == 2, err
        clean_message(err)
        assert "is a FIFO" in err or "folder" in err
        assert not any(p.name.endswith(suffix) and p.is_file() for p in tmp_path.iterdir())


@posix_only
def test_a_screenshot_to_a_full_disk_keeps_the_good_png(small_tmpfs):
    out = small_tmpfs / "window.png"
    env = dict(os.environ, BODYMAP_USER_DIR=str(small_tmpfs.parent / "u"),
               QT_QPA_PLATFORM="offscreen")
    args = [sys.executable, "main.py", "screenshot", "--size", "640x480", "--out", str(out)]
    first = subprocess.run([*args, "--condition", "stress"], cwd=ROOT, env=env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    good = out.read_bytes()
    fill(small_tmpfs, leave=len(good) // 4)
    second = subprocess.run([*args, "--condition", "hernia"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert second.returncode == 1
    clean_message(second.stderr, path=out)
    assert "full" in second.stderr
    assert out.read_bytes() == good, "the good PNG is intact"
