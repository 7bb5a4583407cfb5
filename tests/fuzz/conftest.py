"""Fixtures of the fuzz suite: a small tmpfs to fill (the full-disk tests)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 2 MB tmpfs mounted at ``tmp_path/disk``; skipped (saying why) where mounting is not
    allowed: not root, no ``mount``, or a container without the capability."""
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("full-disk test: mounting a small tmpfs needs root (run as root in CI)")
    if shutil.which("mount") is None:
        pytest.skip("full-disk test: no 'mount' command")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs",
                           str(disk)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"full-disk test: mounting a tmpfs is not allowed here ({done.stderr.strip()})")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
