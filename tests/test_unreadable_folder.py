
"""An unreadable user protocol folder (issue 18): the shipped conditions work everywhere and the
folder is named; an unreadable conditions/ subfolder is reported, never silently empty."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bodymap.library import load_library

ROOT = Path(__file__).resolve().parents[1]


def user_folder(base: Path) -> Path:
    protocols = base / "user" / "protocols"
    (protocols / "conditions").mkdir(parents=True)
    text = (ROOT / "protocols" / "conditions" / "stress.toml").read_text(encoding="utf-8")
    (protocols / "conditions" / "myd.toml").write_text(text.replace('id = "stress"',
                                                                    'id = "myd"', 1))
    (protocols / "mye.toml").write_text(text.replace('id = "stress"', 'id = "mye"', 1))
    return protocols


def as_nobody() -> list[str] | None:
    """A command prefix that runs as the unprivileged 'nobody' (root can read anything)."""
    if os.name != "posix" or shutil.which("setpriv") is None:
        return None
    prefix = [] if os.geteuid() != 0 else ["setpriv", "--reuid=65534", "--regid=65534",
                                           "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import bodymap.cli"], cwd=ROOT,
                           capture_output=True, timeout=120)
    return prefix if probe.returncode == 0 else None


@pytest.fixture
def public_tmp():
    """A scratch folder 'nobody' can reach (pytest's own is owner-only)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="bodymap-test-"))
    os.chmod(folder, 0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            os.chmod(path, 0o755)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("unreadable", ["protocols", "protocols/conditions"])
@pytest.mark.parametrize("command", [
    ["plan", "--condition", "hernia"], ["conditions"],
    ["export", "--condition", "stress", "--out", "{tmp}/h.pdf"], ["validate"]])
def test_the_command_line_works_for_shipped_conditions_and_names_the_folder(
        public_tmp, command, unreadable):
    prefix = as_nobody()
    if prefix is None:
        pytest.skip("needs an account that file permissions apply to (setpriv, or not root)")
    tmp_path = public_tmp
    protocols = user_folder(tmp_path)
    for folder in (tmp_path / "user", protocols, protocols / "conditions"):
        os.chmod(folder, 0o755)
    for f in protocols.rglob("*.toml"):
        os.chmod(f, 0o644)
    out = tmp_path / "out"
    out.mkdir(mode=0o777)
    os.chmod(out, 0o777)
    locked = tmp_path / "user" / unreadable
    os.chmod(locked, 0o000)
    env = dict(os.environ, BODYMAP_USER_DIR=str(tmp_path / "user"), HOME=str(out),
               QT_QPA_PLATFORM="offscreen")
    args = [a.replace("{tmp}", str(out)) for a in command]
    try:
        done = subprocess.run([*prefix, sys.executable, "main.py", *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
    finally:
        os.chmod(locked, 0o755)
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert f"{locked}: cannot be read" in done.stderr + done.stdout
    if command[0] == "validate":
        assert done.returncode == 1
    else:
        assert done.returncode == 0, done.stderr
    if command[0] == "conditions":
        assert "hernia" in done.stdout
        assert ("mye" in done.stdout) == (unreadable != "protocols")


def test_the_library_lists_an_unreadable_subfolder_and_keeps_the_rest(tmp_path, monkeypatch):
    protocols = user_folder(tmp_path)
    real = os.scandir

    def scandir(path="."):
        if Path(path) == protocols / "conditions":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    lib = load_library(protocols)
    assert "mye" in lib.conditions and "myd" not in lib.conditions and "hernia" in lib.conditions
    assert [str(p) for p in lib.problems] == [
        f"{protocols / 'conditions'}: cannot be read (permission denied): its condition files "
        "were not read (expected a folder bodymap can read)"]


def test_the_window_loads_and_names_an_unreadable_folder(make_window, tmp_path, monkeypatch):
    protocols = user_folder(tmp_path)
    real = os.scandir

    def scandir(path="."):
        if Path(path) == protocols:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setenv("BODYMAP_USER_DIR", str(tmp_path / "user"))
    window = make_window(condition="hernia", library=load_library(protocols))
    assert window.plan is not None and window.plan.condition == "hernia"
    assert window.parts.problems_button.isVisible()
    assert any(str(protocols) in str(p) for p in window.parts.problems_button.problems)
