"""The hazard log (docs/hazards.toml): every hazard has a control, a source and tests that
exist; docs/hazards.md lists every hazard."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOG = ROOT / "docs" / "hazards.toml"


def hazards() -> list[dict]:
    return tomllib.loads(LOG.read_text(encoding="utf-8"))["hazard"]


def _test_exists(node: str) -> bool:
    path, _, name = node.partition("::")
    name = name.split("[", 1)[0]
    file = ROOT / path
    if not name or not file.is_file():
        return False
    return re.search(rf"^def {re.escape(name)}\(", file.read_text(encoding="utf-8"),
                     re.M) is not None


def test_every_hazard_has_a_control_a_source_and_a_test():
    items = hazards()
    assert len(items) >= 15
    ids = [h["id"] for h in items]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"H\d\d", i) for i in ids)
    for h in items:
        for field in ("harm", "control", "source"):
            assert str(h.get(field, "")).strip(), (h["id"], field)
        assert h.get("severity") in ("serious", "moderate", "minor"), h["id"]
        assert h.get("tests"), (h["id"], "no test")
        for node in h["tests"]:
            assert _test_exists(node), (h["id"], node)


def test_the_readable_log_lists_every_hazard():
    text = (ROOT / "docs" / "hazards.md").read_text(encoding="utf-8")
    for h in hazards():
        assert f"| {h['id']} |" in text, h["id"]
    assert "docs/hazards.md" in (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
