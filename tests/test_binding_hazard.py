"""Regression test for the PySide6 6.12.0 / CPython 3.11 None-refcount crash (BRIEF.md).

That binding drops a reference to None on every call of a method returning nothing; after tens
of thousands of calls CPython aborts with "none_dealloc". pyproject.toml keeps 3.11 installs on
the 6.11 series; these tests fail if an install ever gets the leaking combination.
"""

from __future__ import annotations

import sys

import pytest

QtGui = pytest.importorskip("PySide6.QtGui")


def test_void_methods_do_not_leak_references_to_none(qapp):
    image = QtGui.QImage(8, 8, QtGui.QImage.Format.Format_ARGB32)
    path = QtGui.QPainterPath()
    before = sys.getrefcount(None)
    for i in range(1000):
        image.fill(0)  # void
        path.lineTo(float(i), 0.0)  # void
    after = sys.getrefcount(None)
    # A leaking binding loses ~2000 references here; allow small noise either way.
    assert after >= before - 50, (
        f"sys.getrefcount(None) fell from {before} to {after} over 2000 void calls: this "
        "PySide6 build leaks references to None and will crash an animated app"
    )


def test_installed_binding_is_not_the_known_bad_combination():
    import PySide6

    major, minor, *_ = (int(p) for p in PySide6.__version__.split(".")[:3])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12), (
            f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]}: 6.12 leaks "
            "references to None on CPython 3.11; pyproject.toml must keep 3.11 on 6.11"
        )
