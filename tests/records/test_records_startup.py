"""The records cost nothing until they are opened: the window reaches *ready* and the plan
commands run without SQLAlchemy, Alembic or psycopg loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RECORDS_STACK = ("sqlalchemy", "alembic", "psycopg", "bodymap.records.store")


def test_the_window_reaches_ready_without_the_records_stack(tmp_path: Path) -> None:
    code = r"""
import sys
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from bodymap.widgets.mainwindow import MainWindow
w = MainWindow()
w.ready.connect(app.quit)
w.show()
app.exec()
print("LOADED", sorted(m for m in STACK if m in sys.modules))
""".replace("STACK", repr(RECORDS_STACK))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path), BODYMAP_USER_DIR=str(tmp_path / "user"))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    assert "LOADED []" in out.stdout, out.stdout + out.stderr


def test_the_plan_command_and_help_do_not_load_the_records_stack() -> None:
    code = (
        "import contextlib, io, sys; from bodymap.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    codes = [main(['plan', '--condition', 'hypertension', '--json']),\n"
        "             main(['patients', '--help']), main(['db', 'check', '--help'])]\n"
        f"print(codes, sorted(m for m in {RECORDS_STACK!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip() == "[0, 0, 0] []", out.stdout + out.stderr
