"""The validated copy of the shipped protocols (bodymap.library_cache): used only while it
matches the files and the code exactly; anything else falls back to reading the TOML."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from bodymap import library_cache, startup_cache
from bodymap.library import load_library, shipped_dir


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped protocols, without any cache."""
    dest = tmp_path / "protocols"
    shutil.copytree(shipped_dir(), dest, ignore=shutil.ignore_patterns(library_cache.FILE))
    return dest


def same_library(a, b) -> None:
    assert a.techniques == b.techniques
    assert a.directions == b.directions
    assert a.contraindications == b.contraindications
    assert a.no_touch_rules == b.no_touch_rules
    assert a.cautions == b.cautions and a.evidence == b.evidence
    assert a.safeguards == b.safeguards
    assert a.conditions == b.conditions
    assert a.origins == b.origins


def test_the_cache_gives_exactly_what_the_files_give(folder: Path) -> None:
    library_cache.rebuild(folder)
    assert library_cache.read(folder) is not None
    same_library(load_library(None, shipped=folder),
                 load_library(None, shipped=folder, use_cache=False))


def test_origins_point_at_the_folder_read_not_where_the_cache_was_made(folder: Path,
                                                                         tmp_path: Path) -> None:
    library_cache.rebuild(folder)
    moved = shutil.move(folder, tmp_path / "elsewhere")  # an installation in another place
    lib = load_library(None, shipped=Path(moved))
    assert library_cache.read(Path(moved)) is not None
    assert lib.origins["hernia"] == Path(moved) / "conditions" / "hernia.toml"
    assert lib.origins["hernia"].is_file()


def test_an_edited_protocol_is_read_from_its_file(folder: Path) -> None:
    library_cache.rebuild(folder)
    path = folder / "conditions" / "hypertension.toml"
    before = load_library(None, shipped=folder).conditions["hypertension"]
    text = path.read_text(encoding="utf-8")
    old = before.summary.en
    assert old in text
    path.write_text(text.replace(old, "Edited after the cache was made."), encoding="utf-8")
    assert library_cache.read(folder) is None
    after = load_library(None, shipped=folder).conditions["hypertension"]
    assert after.summary.en == "Edited after the cache was made."


def test_a_broken_protocol_is_still_reported_when_a_cache_exists(folder: Path) -> None:
    from bodymap.errors import DataFileError

    library_cache.rebuild(folder)
    path = folder / "conditions" / "scoliosis.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\nnot toml at all [[[\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_library(None, shipped=folder)
    assert "scoliosis.toml" in str(info.value)


def test_a_new_condition_file_is_seen(folder: Path) -> None:
    library_cache.rebuild(folder)
    src = folder / "conditions" / "stress.toml"
    dest = folder / "conditions" / "stress-copy.toml"
    dest.write_text(src.read_text(encoding="utf-8").replace('id = "stress"',
                                                             'id = "stress-copy"', 1),
                    encoding="utf-8")
    assert library_cache.read(folder) is None
    assert "stress-copy" in load_library(None, shipped=folder).conditions


def test_changed_code_invalidates_the_cache(folder: Path, monkeypatch) -> None:
    """Any module of the package counts (bodymap.startup_cache.source_key), not a hand-kept
    list of the schema's modules."""
    library_cache.rebuild(folder)
    monkeypatch.setattr(startup_cache, "source_key", lambda: "another package source")
    assert library_cache.read(folder) is None


def _store(folder: Path, payload: bytes) -> None:
    """A cache whose header is right (format, key, digest): only the unpickler stands between
    the content and start-up."""
    startup_cache.write(library_cache.cache_path(folder), library_cache.data_key(folder),
                        payload, "test")


class _Evil:
    def __reduce__(self):
        return (os.system, ("echo owned > /dev/null",))


@pytest.mark.parametrize("payload", [
    b"",
    b"\x80\x05 truncated",
    b"garbage" * 1000,
    pickle.dumps({"format": startup_cache.FORMAT}),
    pickle.dumps(["not", "a", "dict"]),
    pickle.dumps(_Evil()),
    pickle.dumps({"format": startup_cache.FORMAT, "shipped": Path("/etc")}),
    pickle.dumps(shutil.rmtree),
], ids=["empty", "truncated", "garbage", "no keys", "a list", "a call to os.system",
        "a foreign class", "a function"])
def test_a_damaged_or_foreign_cache_is_ignored(folder: Path, payload: bytes) -> None:
    _store(folder, payload)
    assert library_cache.read(folder) is None
    same_library(load_library(None, shipped=folder),
                 load_library(None, shipped=folder, use_cache=False))


def test_a_truncated_real_cache_is_ignored(folder: Path) -> None:
    path = library_cache.rebuild(folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert library_cache.read(folder) is None
    assert "hernia" in load_library(None, shipped=folder).conditions


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_place_of_the_cache_is_not_waited_on(folder: Path) -> None:
    os.mkfifo(library_cache.cache_path(folder))
    assert library_cache.read(folder) is None  # returns at once (a blocking read would hang)


def test_a_folder_in_place_of_the_cache_is_ignored(folder: Path) -> None:
    library_cache.cache_path(folder).mkdir()
    assert library_cache.read(folder) is None


def test_a_cache_from_another_pydantic_is_not_used(folder: Path, monkeypatch) -> None:
    import pydantic

    library_cache.rebuild(folder)
    monkeypatch.setattr(pydantic, "VERSION", "0.0.0")
    assert library_cache.read(folder) is None


def test_the_users_own_conditions_are_always_read_and_validated(folder: Path,
                                                               tmp_path: Path) -> None:
    library_cache.rebuild(folder)
    user = tmp_path / "user"
    user.mkdir()
    text = (folder / "conditions" / "stress.toml").read_text(encoding="utf-8")
    (user / "stress.toml").write_text(text.replace('id = "stress"', 'id = "stress"', 1)
                                      + "\nunknown_key = 1\n", encoding="utf-8")
    lib = load_library(user, shipped=folder)
    assert library_cache.read(folder) is not None
    assert any("stress.toml" in str(p) for p in lib.problems)  # validated: the error is named


def test_the_shipped_cache_matches_the_shipped_files() -> None:
    """`make` keeps protocols/library.cache.pickle current; a stale one would only be slower,
    but the test suite runs after `make`, so here it must be in use."""
    if not library_cache.cache_path(shipped_dir()).exists():
        pytest.skip("no cache built (run through make)")
    assert library_cache.read(shipped_dir()) is not None, (
        "protocols/library.cache.pickle is out of date: run `make` "
        "(or `python -m bodymap.library_cache`)")
