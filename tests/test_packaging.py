"""assets/ and protocols/ ship inside the wheel and are found there by one function."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
hatchling = pytest.importorskip("hatchling.builders.wheel", reason="hatchling builds the wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    src = out / "src"
    # Build from a copy of the tracked tree (no .venv, caches or local files).
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in files:
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, src / name)
    # the caches, as `make wheel` builds them before the wheel (from the copy's own sources)
    for module in ("bodymap.geometry_cache", "bodymap.library_cache", "bodymap.i18n"):
        subprocess.run([sys.executable, "-m", module], cwd=src, check=True, capture_output=True,
                       env={**os.environ, "PYTHONPATH": str(src)}, timeout=300)
    builder = hatchling.WheelBuilder(str(src))
    return Path(next(builder.build(directory=str(out / "dist"), versions=["standard"])))


def test_wheel_carries_the_drawing_and_every_protocol(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "bodymap/data/assets/zones.svg" in names
    assert "bodymap/data/assets/zones.toml" in names
    shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / "protocols").rglob("*.toml")}
    assert shipped and {f"bodymap/data/{p}" for p in shipped} <= names
    assert any(n.startswith("bodymap/i18n/strings/") for n in names)


CACHES = ("bodymap/data/assets/zones.geometry.json", "bodymap/data/protocols/library.cache.pickle",
          "bodymap/i18n/strings/strings.cache.json")


def test_wheel_carries_the_start_up_caches_and_uses_them(wheel, tmp_path):
    """The same three caches `make` builds, in the wheel, and current for its installed code."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert set(CACHES) <= names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import sys\n"
        "from bodymap import geometry_cache, library_cache, i18n, resources\n"
        "svg = resources.resource_path('assets', 'zones.svg')\n"
        "assert svg.is_relative_to(sys.argv[1]), svg\n"
        "print(geometry_cache.read(svg, svg.with_suffix('.toml')) is not None,\n"
        "      library_cache.read(resources.resource_dir('protocols')) is not None,\n"
        "      i18n._read_cache(i18n._source_key(i18n._string_files())) is not None)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(site)], cwd=tmp_path,
                            env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True"]


def test_installed_wheel_finds_its_data_and_plans(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    script = (
        "import bodymap.resources as r, json, sys\n"
        "print(r.resource_path('assets', 'zones.svg'))\n"
        "from bodymap.cli import main\n"
        "sys.exit(main(['plan', '--condition', 'hypertension', '--json']))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,  # not the checkout: only the extracted wheel is importable as bodymap
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "BODYMAP_USER_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, _, rest = result.stdout.partition("\n")
    assert Path(first).is_relative_to(site / "bodymap" / "data" / "assets")
    assert '"condition": "hypertension"' in rest
