"""The core stays free of Qt (napari's rule): only bodymap/widgets may import Qt or pyqtgraph."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bodymap"
QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6")


def core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "widgets" in rel.parts:
            continue
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_there_are_core_modules_to_check():
    assert {"bodymap", "bodymap.cli", "bodymap.resources", "bodymap.i18n"} <= set(core_modules())


def test_core_source_has_no_qt_import_statement():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "widgets" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"
                for name in names
                if name.split(".")[0] in QT_MODULES
            ]
    assert not offenders, "\n".join(offenders)


#: the composition root: the entry point that opens the window, paints handouts and screenshots
ENTRY_POINT = PACKAGE / "cli.py"


def test_only_the_entry_point_reaches_into_the_widget_layer():
    """Models never call widgets: no core module imports bodymap.widgets, at the top or inside a
    function, except the command-line entry point (and there only inside functions)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "widgets" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            if not any(n == "bodymap.widgets" or n.startswith("bodymap.widgets.") for n in names):
                continue
            if path == ENTRY_POINT and id(node) not in top_level:
                continue  # the entry point, lazily
            offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not offenders, "core modules importing the widget layer: " + ", ".join(offenders)


def test_every_core_module_imports_with_qt_blocked():
    """Import each core module in a fresh interpreter where Qt and pyqtgraph cannot load."""
    script = textwrap.dedent(
        f"""
        import importlib, importlib.abc, sys
        BLOCKED = {QT_MODULES!r}
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError(f"blocked for this test: {{name}}")
                return None
        sys.meta_path.insert(0, Block())
        failed = []
        for mod in {core_modules()!r}:
            try:
                importlib.import_module(mod)
            except Exception as exc:
                failed.append(f"{{mod}}: {{type(exc).__name__}}: {{exc}}")
        leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
        print("\\n".join(failed))
        sys.exit(1 if failed or leaked else 0)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_command_line_does_not_load_qt():
    """Scripted subcommands (plan, conditions, validate) never pay for Qt or need a display."""
    script = (
        "import contextlib, io, sys; from bodymap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['plan', '--condition', 'hypertension', '--json']),\n"
        "             main(['conditions', '--json']), main(['validate'])]\n"
        "print(codes, sorted({m.split('.')[0] for m in sys.modules} & "
        f"set({QT_MODULES!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[0, 0, 0] []", result.stdout + result.stderr


def test_no_qt_property_keywords_in_constructors():
    """``QTimer(singleShot=True, interval=...)`` sets Qt properties by keyword: PySide6 then
    maps the names with the locale's case rules, and under tr_TR "interval" is no property
    (issue 18: every screenshot failed). Properties are set through their setters; a Qt
    constructor takes ``parent=`` alone by keyword."""
    found = []
    for path in sorted((ROOT / "bodymap" / "widgets").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if len(name) > 1 and name[0] == "Q" and name[1].isupper():
                keywords = [k.arg for k in node.keywords if k.arg not in (None, "parent")]
                if keywords:
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}({keywords})")
    assert not found, found


def test_one_module_sets_up_the_a4_pdf():
    """The handout, the course report and the exam report share one A4 page setup
    (bodymap/widgets/a4_pdf.py): no other module makes a QPdfWriter or its page layout."""
    makers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("QPdfWriter", "QPageLayout")):
                makers.append(path.relative_to(ROOT).as_posix())
    assert sorted(set(makers)) == ["bodymap/widgets/a4_pdf.py"]
    users = {p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py")
             if "a4_pdf" in p.read_text(encoding="utf-8") and p.name != "a4_pdf.py"}
    assert {"bodymap/widgets/handout.py", "bodymap/widgets/course_report.py",
            "bodymap/widgets/study/exam_pdf.py"} <= users
