"""Write docs/hazards.md from docs/hazards.toml (the hazard log): python scripts/hazards_md.py"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def render() -> str:
    log = tomllib.loads((ROOT / "docs" / "hazards.toml").read_text(encoding="utf-8"))
    lines = [
        "# Hazard log",
        "",
        "What could harm a patient, the control in bodymap that prevents it, where the control",
        "comes from and the tests that prove it (ISO 14971 style). The data is",
        "`docs/hazards.toml`; this page is generated from it by `scripts/hazards_md.py`.",
        "`tests/test_hazards.py` fails when a hazard lacks a control, a source or a test, or",
        "names a test that does not exist. Safeguards that protect a body area are data too:",
        "`protocols/safeguards.toml` (see docs/protocols.md).",
        "",
        "| id | severity | harm | control | source | tests |",
        "|---|---|---|---|---|---|",
    ]
    for h in log["hazard"]:
        tests = "<br>".join(f"`{t}`" for t in h["tests"])
        lines.append(f"| {h['id']} | {h['severity']} | {h['harm']} | {h['control']} | "
                     f"{h['source']} | {tests} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    (ROOT / "docs" / "hazards.md").write_text(render(), encoding="utf-8")
