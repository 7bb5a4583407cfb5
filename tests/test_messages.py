
"""Messages (issue 18): one line whatever the input (control characters and terminal escapes
escaped, long values cut), the status bar counts files, ASCII digits only where the README
says so, names kept whole, special files called what they are."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bodymap.cli import main
from bodymap.document import PlanDocument, load_document, save_document

ROOT = Path(__file__).resolve().parents[1]
ESC = "\x1b[31m"


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and err.endswith("\n"), repr(err[:300])
    assert "\x1b" not in err and "\r" not in err
    return err


@pytest.mark.parametrize("args", [
    ["plan", "--condition", "hernia", "--hernia", "L" * 100_000],
    ["plan", "--condition", "hernia", "--hernia", f"L4{ESC}-L5\nnext line"],
    ["plan", "--condition", f"no{ESC}pe\nsecond"],
    ["plan", "--condition", "x" * 100_000],
    ["export", "--condition", "stress", "--out", f"/nonexistent/a{ESC}\n.pdf"],
])
def test_hostile_values_give_one_short_escaped_line(capsys, args):
    code = main(args)
    err = one_line(capsys.readouterr().err)
    assert code in (1, 2)
    assert len(err) < 2100, len(err)


def test_validate_escapes_file_names(tmp_path, capsys):
    bad = tmp_path / f"evil{ESC}\nname.toml"
    bad.write_text("id = [", encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "evil\\x1b[31m\\nname.toml" in out
    assert out.count("\n") == 1


def test_thousands_of_problems_in_one_file_print_a_bounded_list(tmp_path, capsys):
    lines = ["id = 'many'", "[[step]]"] + [f"unknown_{i} = 1" for i in range(500)]
    (tmp_path / "many.toml").write_text("\n".join(lines), encoding="utf-8")
    main(["validate", str(tmp_path)])
    out = capsys.readouterr().out
    assert len(out.splitlines()) <= 21


@pytest.mark.parametrize("args", [
    ["plan", "--condition", "stress", "--pain", "٢٥٠,٦٤٠"],
    ["plan", "--condition", "stress", "--session", "٥"],
    ["screenshot", "--out", "/tmp/x.png", "--size", "١٩٢٠x١٠٨٠"],
    ["screenshot", "--out", "/tmp/x.png", "--session", "٥"],
])
def test_only_ascii_digits_are_numbers(capsys, args):
    assert main(args) == 2
    one_line(capsys.readouterr().err)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")
def test_a_socket_is_called_a_socket(tmp_path):
    from bodymap.errors import DataFileError
    from bodymap.safeio import read_bytes_bounded

    path = tmp_path / "x.toml"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        with pytest.raises(DataFileError, match="is a socket, not a file"):
            read_bytes_bounded(path, 1000)
    finally:
        sock.close()


def test_the_status_bar_counts_files_not_problems(make_window, tmp_path):
    from bodymap.library import load_library

    folder = tmp_path / "protocols"
    folder.mkdir()
    for name in ("a.toml", "b.toml"):
        lines = ["id = 'x'"] + [f"unknown_{i} = 1" for i in range(50)]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    library = load_library(folder)
    assert len(library.problems) > 2
    window = make_window(condition="stress", library=library)
    window.parts.problems_button.show_library(library)
    assert window.statusBar().currentMessage().startswith("2 of your protocol files have")


def test_a_long_name_of_rare_characters_is_kept_whole(make_window, tmp_path):
    """QLineEdit counts UTF-16 units: 150 emoji were cut to 100 when opened and saved so."""
    name = "😀𠀀" * 75  # 150 characters outside the Basic Multilingual Plane
    path = save_document(PlanDocument.new("stress", name=name), tmp_path / "e.bodymap.json")
    window = make_window()
    assert window.documents.open_path(path)
    assert window.parts.panel.name_edit.text() == name
    assert not window.documents.is_modified()
    window.parts.panel.name_edit.setText(name + "!")
    window.prompter.save_path = str(path)
    assert window.documents.save()
    assert load_document(path).patient_name == name + "!"


def test_typing_past_the_name_limit_is_refused(make_window, qtbot):
    from bodymap.document import NAME_MAX_CHARS

    window = make_window(condition="stress")
    edit = window.parts.panel.name_edit
    edit.setText("𠀀" * (NAME_MAX_CHARS - 1))
    edit.setFocus()
    edit.end(False)
    qtbot.keyClicks(edit, "ab")
    assert len(edit.text()) == NAME_MAX_CHARS and edit.text().endswith("a")
