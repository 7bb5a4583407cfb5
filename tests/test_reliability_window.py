
"""Issue 11 in the window: hostile files never break start-up, opening or autosave; limits are
the same where text is typed, saved and read back; text from files is shown literally."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import Qt as GuiQt  # Qt.mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtGui import QTextDocument
from window_helpers import Prompts, answer_all_no

from bodymap import safeio
from bodymap.document import NOTES_MAX_CHARS, PlanDocument, load_document
from bodymap.widgets.mainwindow import MainWindow


def shown_as(tooltip: str) -> str:
    """What a user reads in a tooltip: Qt renders it as rich text when it looks like HTML."""
    if not GuiQt.mightBeRichText(tooltip):
        return tooltip
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


# --- autosave (defects 4, 5) ------------------------------------------------------------------


def test_autosaves_follow_BODYMAP_USER_DIR(make_window, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"  # not the platform's data folder (XDG_DATA_HOME)
    monkeypatch.setenv("BODYMAP_USER_DIR", str(elsewhere))
    window = make_window(condition="hypertension")
    assert window.documents.store().folder == elsewhere / "autosave"
    window.parts.panel.session_spin.setValue(2)
    path = window.documents.autosave_now()
    assert path is not None and path.parent == elsewhere / "autosave"


@pytest.mark.parametrize(
    "content",
    [
        '{"document": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"document": {"format": "bodymap-plan", "version": 1, "profile": {"condition": "stress",'
        ' "session": ' + "9" * 5000 + "}}}",
        '{"document": 5}',
        "\x00\x01",
    ],
    ids=["deep", "digits", "not-a-table", "binary"],
)
def test_an_unreadable_autosave_is_moved_aside_and_autosave_still_starts(
    make_window, tmp_path, content
):
    folder = tmp_path / "data" / "bodymap" / "autosave"
    folder.mkdir(parents=True)
    bad = folder / "untitled.autosave.json"
    bad.write_text(content)
    window = make_window(condition="hypertension")
    assert window.autosave_timer.isActive(), "autosave runs in this session"
    assert not bad.exists() and (folder / "untitled.autosave.corrupt").exists()
    message = window.statusBar().currentMessage()
    assert "untitled.autosave.json" in message and "moved aside" in message
    assert not window.prompter.asked, "nothing to recover, nothing asked"


def test_two_running_copies_never_overwrite_or_recover_each_others_autosave(tmp_path):
    from pathlib import Path

    from bodymap.autosave import AutosaveStore

    code = ("import sys; from pathlib import Path; "
            "from bodymap.autosave import AutosaveStore; "
            "from bodymap.document import PlanDocument; "
            "AutosaveStore(Path(sys.argv[1])).write(PlanDocument.new('stress', name='Other'), "
            "None); print('saved', flush=True); sys.stdin.read()")
    other = subprocess.Popen([sys.executable, "-c", code, str(tmp_path)], text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             cwd=Path(__file__).resolve().parents[1])
    try:
        assert other.stdout.readline().strip() == "saved"
        mine = AutosaveStore(tmp_path)
        mine.write(PlanDocument.new("hernia", name="Mine"), None)
        assert len(list(tmp_path.glob("*.autosave.json"))) == 2, "neither overwrote the other"
        names = [r.document.patient_name for r in AutosaveStore(tmp_path).pending()]
        assert "Other" not in names, "a running copy's work is not offered for recovery"
    finally:
        other.stdin.close()  # the other copy ends without cleaning up, as after a crash
        other.wait(timeout=30)
        other.stdout.close()
    names = [r.document.patient_name for r in AutosaveStore(tmp_path).pending()]
    assert sorted(names) == ["Mine", "Other"]


def test_stale_temp_files_beside_recent_documents_are_removed_at_start(
    make_window, tmp_path, env
):
    folder = tmp_path / "plans"
    folder.mkdir()
    plan = folder / "anna.bodymap.json"
    plan.write_text(json.dumps(PlanDocument.new("stress").to_json()))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = folder / f".anna.bodymap.json.{int(dead.stdout)}.0a1b2c3d{safeio.TEMP_SUFFIX}"
    stale.write_text('{"patient": {"name": "Anna", "notes": "private"}}')
    from bodymap.widgets import settings as prefs

    prefs.add_recent_file(env, plan)
    make_window(condition="stress")
    assert not stale.exists(), "a killed save's temp file (patient text) is gone"
    assert plan.exists()


# --- opening plan files (defect 7) -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        '{"format": "bodymap-plan", "version": 1, "profile": {"condition": "stress", "session": '
        + "9" * 5000 + "}}",
        '{"format": "bodymap-plan", "version": 1, "profile": ' + "[" * 50_000 + "]" * 50_000
        + "}",
        '{"format": "bodymap-plan", "version": 1, "profile": {"condition": "stress", '
        '"session": "2"}}',
        '{"format": "bodymap-plan", "version": true, "profile": {"condition": "stress"}}',
        '{"format": "bodymap-plan", "version": 1, "profile": {"condition": "stress", '
        '"pain_points": [[NaN, 3]]}}',
    ],
    ids=["5000-digits", "deep", "quoted-number", "bool-version", "nan"],
)
def test_a_malformed_plan_file_gives_a_clear_error_and_keeps_the_state(
    make_window, tmp_path, text
):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    window.parts.panel.name_edit.setText("Kept")
    before = window.controller.document()
    path = tmp_path / "bad.bodymap.json"
    path.write_text(text)
    assert not window.documents.open_path(path)
    assert window.prompter.errors, "a clear error, not an exception"
    assert window.prompter.errors[-1].strip().splitlines()[-1].startswith(str(path))
    assert window.controller.document() == before


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_opening_a_fifo_does_not_hang(make_window, tmp_path):
    window = make_window(condition="hypertension")
    fifo = tmp_path / "pipe.bodymap.json"
    os.mkfifo(fifo)
    assert not window.documents.open_path(fifo)
    assert "FIFO" in window.prompter.errors[-1]


# --- user protocols (defect 6) -----------------------------------------------------------------


def test_a_bad_user_protocol_never_stops_the_window_loading(qtbot, tmp_path, monkeypatch, data):
    user = tmp_path / "user"
    (user / "protocols").mkdir(parents=True)
    (user / "protocols" / "deep.toml").write_text("a = " + "[" * 5000 + "]" * 5000)
    (user / "protocols" / "digits.toml").write_text("id = " + "9" * 5000)
    if os.name == "posix":
        os.mkfifo(user / "protocols" / "pipe.toml")
        (user / "protocols" / "zero.toml").symlink_to("/dev/zero")
    monkeypatch.setenv("BODYMAP_USER_DIR", str(user))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(condition="stress", geometry=data[1], settings=settings,
                        prompter=Prompts())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        window.show()
    assert window.is_ready() and window.plan is not None
    named = " ".join(str(p) for p in window.library.problems)
    for name in ("deep.toml", "digits.toml") + (("pipe.toml", "zero.toml") if os.name == "posix"
                                                  else ()):
        assert name in named


# --- notes: typed, saved, read back (defect 2) --------------------------------------------------


def test_notes_stop_at_the_limit_with_a_visible_count_and_read_back(make_window, tmp_path, qtbot):
    window = make_window(condition="hypertension")
    answer_all_no(window)
    edit, count = window.parts.panel.notes_edit, window.parts.panel.notes_count
    assert count.text() == f"0 / {NOTES_MAX_CHARS}"
    edit.setFocus()
    edit.insertPlainText("a" * (NOTES_MAX_CHARS - 5))
    edit.insertPlainText("b" * 50)  # a paste past the limit keeps only what fits
    assert len(edit.toPlainText()) == NOTES_MAX_CHARS
    assert edit.toPlainText().endswith("a" + "b" * 5)
    assert count.text() == f"{NOTES_MAX_CHARS} / {NOTES_MAX_CHARS}"
    assert count.isVisible()
    path = tmp_path / "long.bodymap.json"
    window.prompter.save_path = str(path)
    assert window.documents.save_as()
    assert load_document(path).notes == edit.toPlainText()
    assert window.documents.open_path(path)


def test_saving_notes_over_the_limit_is_refused_and_keeps_the_file(tmp_path):
    from pydantic import ValidationError

    from bodymap.document import check_savable, save_document
    from bodymap.errors import DataFileError

    path = tmp_path / "p.bodymap.json"
    save_document(PlanDocument.new("stress", notes="ok"), path)
    with pytest.raises(ValidationError):  # such a document cannot even be made
        PlanDocument.new("stress", notes="x" * (NOTES_MAX_CHARS + 1))
    payload = PlanDocument.new("stress").to_json()
    payload["patient"]["notes"] = "x" * (NOTES_MAX_CHARS + 1)
    with pytest.raises(DataFileError, match="notes"):  # nor written
        check_savable(payload, path)
    assert load_document(path).notes == "ok"


# --- plain text (defect 12) --------------------------------------------------------------------


def test_protocol_text_in_tooltips_is_plain_text(make_window, data):
    lib, _geo = data
    html = "<b>bold</b> <img src='x.png'> <a href='http://x'>link</a>"
    stress = lib.conditions["stress"]
    fake = stress.model_copy(update={"summary": stress.summary.model_copy(update={"en": html})})
    conditions = dict(lib.conditions, stress=fake)
    library = type(lib)(**{**lib.__dict__, "conditions": conditions})
    window = make_window(condition="stress", library=library)
    model = window.parts.panel.condition_combo.model()
    tips = [model.item(r).toolTip() for r in range(model.rowCount())
            if model.item(r).data(Qt.ItemDataRole.UserRole) == "stress"]
    assert tips and shown_as(tips[0]) == html


def test_plain_tooltips_keep_their_line_breaks(make_window):
    window = make_window(condition="stress")
    row = next(iter(window.parts.panel.checklist.questions.values()))
    lines = shown_as(row.toolTip()).splitlines()
    assert len(lines) == 3 and lines[2].startswith("Source")


def test_a_start_up_error_box_shows_file_text_literally(qapp, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import bodymap.widgets.app as app
    import bodymap.widgets.mainwindow as mw
    from bodymap.errors import DataFileError

    shown = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda self: shown.append((self.textFormat(), self.text())) or 0)

    def broken(*args, **kwargs):
        raise DataFileError("unknown zone '<b>neck</b>'", path="<i>zones</i>.toml")

    monkeypatch.setattr(mw, "MainWindow", broken)
    monkeypatch.setattr(app, "display_available", lambda: True)
    monkeypatch.setattr(app, "xcb_problem", lambda: None)
    assert app.run_gui() == 1
    assert shown == [(Qt.TextFormat.PlainText,
                      "<i>zones</i>.toml: unknown zone '<b>neck</b>'")]
