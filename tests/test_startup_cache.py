"""The three start-up caches under one rule (bodymap.startup_cache): the key is the package's
source and the data; any problem with a cache file (missing, a pipe, damaged, foreign, stale)
means the sources are read, never a hang or a crash; a frozen bundle carries the caches `make`
builds and uses them."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bodymap import geometry, geometry_cache, i18n, library_cache, startup_cache
from bodymap.library import load_library, shipped_dir

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Cache:
    """One cache in a scratch copy of its sources."""

    path: Path
    build: Callable[[], object]
    read: Callable[[], object]  # the cache's content, or None
    load: Callable[[], object]  # what start-up uses: the cache or, failing it, the sources
    fresh: Callable[[], object]  # the same read from the sources only


def _geometry(tmp: Path) -> Cache:
    for name in ("zones.svg", "zones.toml"):
        shutil.copy2(ROOT / "assets" / name, tmp / name)
    svg, toml = tmp / "zones.svg", tmp / "zones.toml"
    return Cache(geometry_cache.cache_path(svg), lambda: geometry_cache.rebuild(svg),
                 lambda: geometry_cache.read(svg, toml),
                 lambda: sorted(geometry._load(svg).regions),
                 lambda: sorted(geometry._load(svg, use_cache=False).regions))


def _library(tmp: Path) -> Cache:
    folder = tmp / "protocols"
    shutil.copytree(shipped_dir(), folder, ignore=shutil.ignore_patterns(library_cache.FILE))
    return Cache(library_cache.cache_path(folder), lambda: library_cache.rebuild(folder),
                 lambda: library_cache.read(folder),
                 lambda: sorted(load_library(None, shipped=folder).conditions),
                 lambda: sorted(load_library(None, shipped=folder, use_cache=False).conditions))


def _strings(tmp: Path, monkeypatch: pytest.MonkeyPatch) -> Cache:
    folder = tmp / "strings"
    shutil.copytree(i18n._STRINGS_DIR, folder, ignore=shutil.ignore_patterns("*.json"))
    monkeypatch.setattr(i18n, "_STRINGS_DIR", folder)
    monkeypatch.setattr(i18n, "_CACHE", folder / "strings.cache.json")

    def load() -> object:
        i18n.strings.cache_clear()
        return dict(i18n.strings())

    return Cache(folder / "strings.cache.json", i18n.write_cache,
                 lambda: i18n._read_cache(i18n._source_key(i18n._string_files())), load,
                 lambda: i18n._parse(i18n._string_files()))


@pytest.fixture(params=["geometry", "library", "strings"])
def cache(request, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    kind = request.param
    made = _strings(tmp_path, monkeypatch) if kind == "strings" else (
        _geometry if kind == "geometry" else _library)(tmp_path)
    yield made
    i18n.strings.cache_clear()


def test_a_built_cache_is_used_and_equals_the_sources(cache: Cache) -> None:
    cache.build()
    assert cache.read() is not None
    assert cache.load() == cache.fresh()


def test_a_missing_cache_means_the_sources(cache: Cache) -> None:
    assert not cache.path.exists()
    assert cache.read() is None
    assert cache.load() == cache.fresh()


def test_a_cache_that_is_a_named_pipe_is_never_waited_on(cache: Cache) -> None:
    import signal

    def hang(signum, frame):
        raise TimeoutError("a read waited on the pipe")

    os.mkfifo(cache.path)
    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    try:
        assert cache.read() is None
        assert cache.load() == cache.fresh()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


HOSTILE = {
    "empty": b"",
    "a list": b"[]",
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "garbage": bytes(range(256)) * 40,
    "NUL bytes": b"\0" * 4096,
    "a number": b"1e999999",
    "cut JSON": b'{"format": 2, "key": "',
}


@pytest.mark.parametrize("content", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_damaged_cache_means_the_sources(cache: Cache, content: bytes) -> None:
    cache.path.write_bytes(content)
    assert cache.read() is None
    assert cache.load() == cache.fresh()


def test_a_cut_real_cache_means_the_sources(cache: Cache) -> None:
    cache.build()
    data = cache.path.read_bytes()
    cache.path.write_bytes(data[: len(data) // 2])
    assert cache.read() is None
    assert cache.load() == cache.fresh()


def test_a_foreign_cache_means_the_sources(cache: Cache) -> None:
    """Another format of the rule, another key, or content that is not what its header says."""
    cache.build()
    head, _, content = cache.path.read_bytes().partition(b"\n")
    header = json.loads(head)
    for changed in ({**header, "format": startup_cache.FORMAT + 1}, {**header, "key": "0" * 64},
                    {**header, "sha256": "0" * 64}, [header]):
        cache.path.write_bytes(json.dumps(changed).encode() + b"\n" + content)
        assert cache.read() is None, changed
    assert cache.load() == cache.fresh()


def test_one_changed_byte_anywhere_means_the_sources(cache: Cache) -> None:
    """The key still matches, but the content is not what was written: never used."""
    cache.build()
    data = bytearray(cache.path.read_bytes())
    for where in (len(data) // 3, len(data) // 2, len(data) - 2):
        damaged = bytearray(data)
        damaged[where] ^= 0x01
        cache.path.write_bytes(bytes(damaged))
        assert cache.read() is None, where
    assert cache.load() == cache.fresh()


def test_a_stale_cache_means_the_sources(cache: Cache, monkeypatch) -> None:
    """Made by other code: any module of the package changed (not a hand-kept list)."""
    cache.build()
    monkeypatch.setattr(startup_cache, "source_key", lambda: "0" * 64)
    assert cache.read() is None
    assert cache.load() == cache.fresh()


def test_the_source_key_covers_every_module_of_the_package(tmp_path: Path) -> None:
    package = tmp_path / "bodymap"
    shutil.copytree(ROOT / "bodymap", package,
                    ignore=shutil.ignore_patterns("__pycache__", "*.json", "*.toml"))
    before = startup_cache.compute_source_key(package)
    assert before == startup_cache.compute_source_key(ROOT / "bodymap")
    for module in ("widgets/app.py", "planner.py", "i18n/__init__.py"):
        path = package / module
        original = path.read_bytes()
        path.write_bytes(original + b"\n# edited\n")
        assert startup_cache.compute_source_key(package) != before, module
        path.write_bytes(original)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.py").write_text("# not a source\n", encoding="utf-8")
    assert startup_cache.compute_source_key(package) == before


def test_a_cache_is_written_atomically_with_the_projects_writer(cache: Cache,
                                                                monkeypatch) -> None:
    """A failure while writing leaves the previous cache as it was."""
    from bodymap import safeio
    from bodymap.errors import FileWriteError

    cache.build()
    before = cache.path.read_bytes()

    def refuse(*args, **kwargs):
        raise FileWriteError("cannot be written: the disk is full", path=cache.path)

    monkeypatch.setattr(safeio, "atomic_write_bytes", refuse)
    with pytest.raises(FileWriteError):
        cache.build()
    assert cache.path.read_bytes() == before


def test_the_shipped_caches_are_current() -> None:
    """`make` builds all three before the tests run."""
    svg, toml = ROOT / "assets" / "zones.svg", ROOT / "assets" / "zones.toml"
    if not geometry_cache.cache_path(svg).exists():
        pytest.skip("no caches built (run through make)")
    assert geometry_cache.read(svg, toml) is not None
    assert library_cache.read(shipped_dir()) is not None
    assert i18n._read_cache(i18n._source_key(i18n._string_files())) is not None


def test_a_frozen_bundle_uses_the_caches_make_built(tmp_path: Path, monkeypatch) -> None:
    """The bundle has no .py files: the spec stores the source key beside its modules
    (startup_cache.write_key_file), and the caches `make` built match it."""
    svg, toml = ROOT / "assets" / "zones.svg", ROOT / "assets" / "zones.toml"
    if not geometry_cache.cache_path(svg).exists():
        pytest.skip("no caches built (run through make)")
    spec = (ROOT / "packaging" / "bodymap.spec").read_text(encoding="utf-8")
    assert "write_key_file" in spec and "startup_cache.KEY_FILE" in spec
    package = tmp_path / "bodymap"
    package.mkdir()
    startup_cache.write_key_file(package)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(startup_cache, "_PACKAGE", package)
    startup_cache.source_key.cache_clear()
    try:
        assert geometry_cache.read(svg, toml) is not None
        assert library_cache.read(shipped_dir()) is not None
        assert i18n._read_cache(i18n._source_key(i18n._string_files())) is not None
        (package / startup_cache.KEY_FILE).write_text("damaged\n", encoding="ascii")
        startup_cache.source_key.cache_clear()
        assert library_cache.read(shipped_dir()) is None  # never a wrong cache
    finally:
        startup_cache.source_key.cache_clear()
