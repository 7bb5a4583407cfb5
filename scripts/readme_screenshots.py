"""The window's pictures in docs/ that the README shows, made again with ``bodymap screenshot``
(one process each, as a user runs it; no display needed, nothing of the user's read):

* ``first-screen-<size>-<lang>.png``: the window as it first opens (no condition yet);
* ``screenshot.png``: hypertension chosen, the screening still to answer;
* ``plan-<size>-<lang>.png``: a real combined plan: osteochondrosis of the lumbosacral spine
  with a disc hernia at L4-L5 on the left (initial stage), every screening question answered
  "no": the hernia's site drawn as a no-touch area, its restrictions in the banner and steps.

At 1920x1080 and 1366x768, in English and Russian. ::

    make readme-shots      # or: .venv/bin/python scripts/readme_screenshots.py [OUT_DIR]

Rerun it after layout work; then look at the pictures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = ("1920x1080", "1366x768")
LANGS = ("en", "ru")
#: the combined plan: the lead condition and the finding, every screening question "no"
PLAN = ("--condition", "osteochondrosis-lumbosacral", "--hernia", "L4-L5:left,stage=initial",
        "--screening", "no")


def shots() -> dict[str, tuple[str, ...]]:
    """File name -> the ``bodymap screenshot`` arguments that make it (besides ``--out``)."""
    made: dict[str, tuple[str, ...]] = {}
    for size in SIZES:
        for lang in LANGS:
            made[f"first-screen-{size}-{lang}.png"] = ("--size", size, "--lang", lang)
            made[f"plan-{size}-{lang}.png"] = (*PLAN, "--size", size, "--lang", lang)
    made["screenshot.png"] = ("--condition", "hypertension", "--size", "1400x900")
    return made


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, args in shots().items():
        path = out / name
        run = subprocess.run([sys.executable, str(ROOT / "main.py"), "screenshot",
                              "--out", str(path), *args],
                             capture_output=True, text=True, timeout=300)
        if run.returncode != 0:
            failed += 1
            print(f"{name}: failed ({run.returncode}): {run.stderr.strip()}", file=sys.stderr)
        else:
            print(path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs"))
