"""bodymap opens no network connection (BRIEF.md, "Offline always").

Two proofs:

* static: no module under ``bodymap/`` imports a library that talks to the network
  (``socket``, ``urllib.request``, ``http.client``, ``requests``, ``QtNetwork`` ...), nor names
  one in a string (a dynamic import);
* dynamic: with every way to open a socket from Python replaced by a trap that records and
  refuses, the command line (plan, conditions, contraindications, validate, export) and the
  main window (a condition shown and played) run normally, and nothing was attempted; Qt's
  network module was never loaded, so no ``QNetworkAccessManager`` can have existed; and, on
  Linux, the process holds no internet socket afterwards.
"""

from __future__ import annotations

import ast
import socket
import sys
from pathlib import Path

import pytest

from bodymap import cli

PACKAGE = Path(__file__).resolve().parents[1] / "bodymap"

#: modules (and their submodules) that open network connections
NETWORK_MODULES = (
    "socket", "_socket", "ssl", "socketserver",
    "urllib.request", "urllib3", "http.client", "http.server", "http.cookiejar",
    "requests", "httpx", "aiohttp", "websocket", "websockets", "grpc",
    "ftplib", "smtplib", "poplib", "imaplib", "nntplib", "telnetlib", "xmlrpc",
    "asyncio.streams",
    "PySide6.QtNetwork", "PySide6.QtNetworkAuth", "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets", "PySide6.QtWebSockets", "PySide6.QtWebChannel",
    "PySide6.QtRemoteObjects", "PySide6.QtHttpServer",
)
#: Qt network classes, looked up by name (getattr) rather than imported
NETWORK_CLASSES = ("QNetworkAccessManager", "QTcpSocket", "QUdpSocket", "QSslSocket",
                   "QWebSocket", "QLocalSocket", "QHttpServer")


def _is_network(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in NETWORK_MODULES)


def _sources() -> list[Path]:
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 10, f"bodymap's modules were not found under {PACKAGE}"
    return files


# ---------------------------------------------------------------------------------------------
# static


def test_no_module_imports_a_network_library():
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                if _is_network(name):
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {name}")
    assert not found, "network imports in bodymap:\n" + "\n".join(found)


def test_no_module_names_a_network_library_in_a_string():
    # a dynamic import (importlib.import_module("PySide6.QtNetwork"), __import__("socket"))
    # or a class fetched by name; prose in docstrings may mention them freely
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value.strip()
                if _is_network(value) or value in NETWORK_CLASSES:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {value}")
    assert not found, "network module names in strings:\n" + "\n".join(found)


def test_the_static_scan_would_catch_an_import():
    # the scanner itself: these must all count as network imports
    for name in ("socket", "urllib.request", "http.client", "requests.adapters",
                 "PySide6.QtNetwork"):
        assert _is_network(name), name
    for name in ("urllib.parse", "json", "PySide6.QtGui", "httpxyz"):
        assert not _is_network(name), name


# ---------------------------------------------------------------------------------------------
# dynamic


class NetworkAttemptError(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Every Python way to reach the network records the attempt and raises."""
    attempts: list[str] = []

    def trap(name):
        def refuse(*args, **kwargs):
            attempts.append(f"{name}{args[1:] if name.startswith('socket.socket') else args}")
            raise NetworkAttemptError(f"bodymap tried to use the network: {name}")

        return refuse

    for attr in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, attr, trap(f"socket.socket.{attr}"))
    for attr in ("create_connection", "create_server", "getaddrinfo", "gethostbyname",
                 "gethostbyname_ex", "gethostbyaddr"):
        monkeypatch.setattr(socket, attr, trap(f"socket.{attr}"))
    return attempts


def _inet_socket_inodes() -> set[str]:
    """Inodes of this process's open TCP/UDP sockets (Linux); empty elsewhere."""
    proc = Path("/proc/self")
    if not (proc / "fd").is_dir():
        return set()
    mine = set()
    for fd in (proc / "fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if target.startswith("socket:["):
            mine.add(target[8:-1])
    inet = set()
    for table in ("tcp", "tcp6", "udp", "udp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        inet.update(line.split()[9] for line in lines if len(line.split()) > 9)
    return mine & inet


def test_command_line_opens_no_connection(no_network, qapp, tmp_path, capsys):
    before = _inet_socket_inodes()
    runs = [
        ["plan", "--condition", "hypertension", "--json"],
        ["plan", "--condition", "hernia", "--session", "5", "--hernia", "L4-L5:left,stage=initial"],
        ["plan", "--condition", "scoliosis", "--scoliosis", "convex=right,grade=2", "--json"],
        ["conditions", "--json"],
        ["contraindications"],
        ["validate"],
        ["export", "--condition", "hernia", "--hernia", "L4-L5:left,stage=initial", "--lang", "ru",
         "--patient", "Anna", "--out", str(tmp_path / "h.pdf")],
        ["export", "--condition", "hypertension", "--out", str(tmp_path / "h.png")],
    ]
    for argv in runs:
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code == 0, f"bodymap {' '.join(argv)} -> {code}: {err}"
    assert no_network == [], f"network attempts: {no_network}"
    assert (tmp_path / "h.pdf").stat().st_size > 0 and (tmp_path / "h.png").stat().st_size > 0
    assert "PySide6.QtNetwork" not in sys.modules
    assert _inet_socket_inodes() - before == set()


def test_main_window_opens_no_connection(no_network, qtbot, tmp_path, monkeypatch):
    try:
        from bodymap.widgets.mainwindow import MainWindow
    except ModuleNotFoundError as exc:
        if exc.name == "bodymap.widgets.mainwindow":
            pytest.skip("bodymap.widgets.mainwindow does not exist yet (another engineer's "
                        "work in progress); re-run this test once it lands")
        raise

    from bodymap.widgets.prompts import Prompter

    out = tmp_path / "from-window.pdf"

    class Answers(Prompter):  # the confirmation "yes", the export dialog answered
        def ask(self, *args, **kwargs):
            return "yes"

        def choose_export_path(self, suggested):
            return str(out)

    before = _inet_socket_inodes()
    window = MainWindow(condition="hypertension", prompter=Answers())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.ensure_ready(), "the main window did not load its data"
    # screening answered "no" throughout (confirming the question), so the plan can be played
    window.act("mark_all_no").trigger()
    assert window.plan is not None and window.plan.status == "ok", window.plan
    clock = window.controller.clock
    clock.play()
    assert clock.is_playing()
    start = clock.position()
    qtbot.wait(400)  # the playhead and the map's animation run
    clock.pause()
    assert clock.position() > start
    # File > Export, with the file dialog answered
    window.act("export").trigger()
    assert out.read_bytes().startswith(b"%PDF")
    window.close()
    assert no_network == [], f"network attempts: {no_network}"
    assert "PySide6.QtNetwork" not in sys.modules
    assert _inet_socket_inodes() - before == set()


def test_the_trap_catches_a_connection(no_network):
    with pytest.raises(NetworkAttemptError):
        socket.create_connection(("example.invalid", 80), timeout=0.01)
    with socket.socket() as sock, pytest.raises(NetworkAttemptError):
        sock.connect(("127.0.0.1", 9))
    assert len(no_network) == 2
