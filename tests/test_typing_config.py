"""mypy checks all of bodymap (issue 20): the configuration in pyproject.toml may not switch its
findings off for any of bodymap's modules, and a silenced line must say which finding and why.

`make lint` runs mypy with this configuration; these tests keep the configuration honest, so
that a module cannot quietly leave the check again (an ``ignore_errors`` override, a bodymap
module declared "missing", a stray entry that is no module at all)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bodymap"

#: a module pattern as mypy reads one: dotted identifiers, optionally ending in ``.*``
MODULE_PATTERN = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*(\.\*)?$")
#: a `# type: ignore` comment, with its bracketed error codes if any
IGNORE = re.compile(r"#\s*type:\s*ignore(\[[^\]]*\])?")


def mypy_config() -> dict[str, object]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return tomllib.load(fh)["tool"]["mypy"]


def overrides() -> list[dict[str, object]]:
    return list(mypy_config().get("overrides", []))


def modules_of(override: dict[str, object]) -> list[str]:
    module = override["module"]
    return [module] if isinstance(module, str) else list(module)


def is_bodymap(pattern: str) -> bool:
    return pattern == "bodymap" or pattern.startswith("bodymap.")


def test_mypy_checks_the_whole_package_strictly() -> None:
    config = mypy_config()
    assert config["files"] == ["bodymap"]
    assert config["strict"] is True
    assert "ignore_errors" not in config


def test_no_override_switches_mypy_findings_off() -> None:
    silenced = [modules_of(o) for o in overrides() if "ignore_errors" in o]
    assert silenced == [], f"these modules' mypy findings are switched off: {silenced}"


def test_no_bodymap_module_is_declared_missing() -> None:
    # ignore_missing_imports is for third-party libraries without type information; a bodymap
    # module there would be skipped whenever it is absent (or misspelt)
    missing = [m for o in overrides() if o.get("ignore_missing_imports")
               for m in modules_of(o) if is_bodymap(m)]
    assert missing == []


def test_every_override_names_modules() -> None:
    stray = [m for o in overrides() for m in modules_of(o) if not MODULE_PATTERN.match(m)]
    assert stray == [], f"not module names: {stray}"


def test_every_bodymap_override_names_modules_that_exist() -> None:
    def exists(pattern: str) -> bool:
        path = ROOT.joinpath(*pattern.removesuffix(".*").split("."))
        return path.is_dir() or path.with_suffix(".py").is_file()

    gone = [m for o in overrides() for m in modules_of(o) if is_bodymap(m) and not exists(m)]
    assert gone == []


def test_only_the_widgets_are_relaxed() -> None:
    # the core is strict; the widgets only as far as PySide6's stubs and pyqtgraph force
    relaxed = [m for o in overrides() if not o.get("ignore_missing_imports")
               for m in modules_of(o) if is_bodymap(m) and not m.startswith("bodymap.widgets")]
    assert relaxed == []


def test_the_widgets_keep_strict_mode_but_for_an_untyped_base_class() -> None:
    # strict's checks stay on in the widgets; the one switched off is subclassing an untyped
    # (Any) class, which pyqtgraph's plots are
    switched_off = {key for o in overrides() if not o.get("ignore_missing_imports")
                    for key, value in o.items() if key != "module" and value is False}
    assert switched_off <= {"disallow_subclassing_any"}


def test_make_lint_runs_mypy() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    lint = makefile.split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "-m mypy" in lint


def test_each_silenced_line_names_its_finding_and_says_why() -> None:
    # `# type: ignore[code]` only where a third-party stub is wrong, with the reason on the
    # line or in a comment just above it
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            found = IGNORE.search(line)
            if found is None:
                continue
            where = f"{path.relative_to(ROOT)}:{n + 1}"
            if not found.group(1):
                problems.append(f"{where}: no error code")
            reason_after = line[found.end():].strip().lstrip("#").strip()
            reason_above = n > 0 and lines[n - 1].strip().startswith("#")
            if not (reason_after or reason_above):
                problems.append(f"{where}: no reason")
    assert problems == []
