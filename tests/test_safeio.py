"""bodymap.safeio: bounded reads of regular files only, atomic writes, stale-temp cleanup."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from bodymap import safeio
from bodymap.errors import DataFileError

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")


def _read_in_thread(path: Path, limit: int = 1024 * 1024) -> BaseException | bytes:
    """Read in a thread; a read that has not returned within 5 s is a hang."""
    box: list = []

    def go():
        try:
            box.append(safeio.read_bytes_bounded(path, limit))
        except BaseException as exc:
            box.append(exc)

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(5)
    assert box, f"reading {path} hung"
    return box[0]


@posix_only
def test_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    exc = _read_in_thread(fifo)
    assert isinstance(exc, DataFileError)
    assert str(fifo) in str(exc) and "FIFO" in str(exc)


@posix_only
def test_link_to_dev_zero_is_refused_before_reading(tmp_path):
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    exc = _read_in_thread(link, limit=1 << 30)  # a read "up to the limit" would take 1 GB
    assert isinstance(exc, DataFileError)
    assert str(link) in str(exc) and "device" in str(exc)


@posix_only
def test_link_loop_says_loop_not_missing(tmp_path):
    a, b = tmp_path / "a.toml", tmp_path / "b.toml"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(DataFileError) as info:
        safeio.read_text_bounded(a, 1000)
    assert "link loop" in str(info.value) and "does not exist" not in str(info.value)
    assert safeio.kind_problem(a) == "is a symbolic link loop"


def test_missing_folder_and_too_long_name(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        safeio.read_bytes_bounded(tmp_path / "nope.toml", 10)
    with pytest.raises(DataFileError, match="is a folder"):
        safeio.read_bytes_bounded(tmp_path, 10)
    with pytest.raises(DataFileError, match="too long"):
        safeio.read_bytes_bounded(tmp_path / ("x" * 300), 10)


def test_read_is_bounded(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(DataFileError, match=r"larger than 1 kB"):
        safeio.read_bytes_bounded(big, 1024)
    assert safeio.read_bytes_bounded(big, 2000) == b"a" * 2000


def test_bom_accepted_binary_and_latin1_refused(tmp_path):
    f = tmp_path / "f.toml"
    f.write_bytes(b"\xef\xbb\xbfid = 1\n")
    assert safeio.read_text_bounded(f, 100) == "id = 1\n"
    f.write_bytes(b"id = \x00")
    with pytest.raises(DataFileError, match="binary"):
        safeio.read_text_bounded(f, 100)
    f.write_bytes("name = 'é'".encode("latin-1"))
    with pytest.raises(DataFileError, match="not UTF-8"):
        safeio.read_text_bounded(f, 100)
    f.write_bytes(b"  \n")
    with pytest.raises(DataFileError, match="empty"):
        safeio.read_text_bounded(f, 100)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[" * 5000 + "]" * 5000, "levels deep"),
        ('{"a":' * 40 + "1" + "}" * 40, "levels deep"),
        ('{"session": ' + "9" * 5000 + "}", "too many digits"),
        ('{"x": NaN}', "finite"),
        ('{"x": Infinity}', "finite"),
        ("{", "not valid JSON"),
    ],
)
def test_parse_json_refuses_hostile_text(text, needle):
    with pytest.raises(DataFileError, match=needle) as info:
        safeio.parse_json(text, "plan.json")
    assert "plan.json" in str(info.value)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a = " + "[" * 5000 + "]" * 5000, "levels deep"),
        ("a = " + "{b = " * 3000 + "1" + "}" * 3000, "levels deep"),
        ("a = " + "9" * 5000, "too many digits"),
        ("a." * 50 + "b = 1", "levels deep"),
        ("a = ", "TOML syntax error"),
    ],
)
def test_parse_toml_refuses_hostile_text(text, needle):
    with pytest.raises(DataFileError, match=needle):
        safeio.parse_toml(text, "c.toml")


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "plan.bodymap.json"
    target.write_text("old")
    os.chmod(target, 0o640)
    safeio.atomic_write_text(target, "new")
    assert target.read_text() == "new"
    assert os.stat(target).st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["plan.bodymap.json"]


def test_atomic_write_check_keeps_old_file(tmp_path):
    target = tmp_path / "h.pdf"
    target.write_bytes(b"%PDF-good")
    with pytest.raises(DataFileError) as info:
        safeio.atomic_write_bytes(target, b"%PDF-trunc", check=lambda d: "it is cut short")
    assert str(target) in str(info.value) and "cut short" in str(info.value)
    assert target.read_bytes() == b"%PDF-good"
    assert [p.name for p in tmp_path.iterdir()] == ["h.pdf"]


def test_atomic_write_names_the_users_file_not_the_temp(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    target = folder / "plan.json"
    with pytest.MonkeyPatch.context() as mp:
        def fail(fd, data):
            raise OSError(28, "No space left on device")

        mp.setattr(safeio.os, "write", fail)
        with pytest.raises(DataFileError) as info:
            safeio.atomic_write_text(target, "x")
    msg = str(info.value)
    assert msg.startswith(str(target)) and "disk is full" in msg
    assert safeio.TEMP_SUFFIX not in msg
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="device files are POSIX")
def test_atomic_write_never_replaces_a_device(tmp_path):
    with pytest.raises(DataFileError, match="device"):
        safeio.atomic_write_bytes("/dev/null", b"x")
    assert Path("/dev/null").is_char_device()


def test_atomic_write_through_a_link_keeps_the_link(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    safeio.atomic_write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_long_names_fit(tmp_path):
    name = "n" * 247 + ".pdf"  # 251 characters: a valid name
    safeio.atomic_write_bytes(tmp_path / name, b"data")
    assert (tmp_path / name).read_bytes() == b"data"
    assert len(safeio.temp_name_for(tmp_path / ("я" * 200))) <= 255


@posix_only
def test_stale_temps_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    stale = tmp_path / f".plan.json.{pid}.0123abcd{safeio.TEMP_SUFFIX}"
    stale.write_text("patient text")
    live = tmp_path / f".plan.json.{os.getpid()}.0123abcd{safeio.TEMP_SUFFIX}"
    live.write_text("being written")
    old = tmp_path / f".other.json.{os.getpid()}.89abcdef{safeio.TEMP_SUFFIX}"
    old.write_text("old")
    long_ago = time.time() - safeio.STALE_AFTER_S - 60
    os.utime(old, (long_ago, long_ago))
    mine_not = tmp_path / ".hidden.tmp"
    mine_not.write_text("not ours")
    removed = safeio.clean_stale_temps([tmp_path, tmp_path / "missing"])
    assert sorted(removed) == sorted([stale, old])
    assert live.exists() and mine_not.exists()


@posix_only
def test_a_save_removes_what_a_killed_save_left_in_its_folder(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = tmp_path / f".handout.pdf.{int(dead.stdout)}.0123abcd{safeio.TEMP_SUFFIX}"
    stale.write_bytes(b"%PDF-half")
    safeio.atomic_write_bytes(tmp_path / "handout.pdf", b"%PDF-whole")
    assert [p.name for p in tmp_path.iterdir()] == ["handout.pdf"]
