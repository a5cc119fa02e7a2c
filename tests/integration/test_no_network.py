"""Setu never opens a network connection: it works with the network made to fail.

The commands and the main window run with Python's ways to a network made to raise,
and an audit hook (PEP 578) records any connection or name lookup that got past them
(say, through a function bound before the patch, or an error a library swallowed). A
static check then makes sure nothing in the package imports a network module, so a
path these runs do not take cannot open one either. The database driver is the one
exception (PostgreSQL, to the URL the user gave); it is imported by SQLAlchemy, not here.
"""

from __future__ import annotations

import ast
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest
from pytestqt.qtbot import QtBot

from app.cli import main
from app.config import resolve
from app.database import open_database
from ui import workers
from ui.main_window import RISKS_ROW, MainWindow

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "ui", "db")

# Audit events (Python's table of them) that mean reaching out to a network.
NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "socket.sendmsg",
        "urllib.Request",
        "webbrowser.open",
    }
)
_attempts: list[str] | None = None  # recording while a test forbids the network
_hooked = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _attempts is not None and event in NETWORK_EVENTS:
        _attempts.append(f"{event} {args!r}")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way to the network raises; yields the attempts made, which must stay none."""
    global _attempts, _hooked
    if not _hooked:  # an audit hook cannot be removed: install one, switched by _attempts
        sys.addaudithook(_audit)
        _hooked = True
    attempts: list[str] = []

    def refuse(name: str) -> Any:
        def refused(*args: object, **kwargs: object) -> NoReturn:
            attempts.append(f"{name} {args!r}")
            raise OSError(f"no network in this test ({name})")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("socket.connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("socket.connect_ex"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    _attempts = attempts
    try:
        yield attempts
    finally:
        _attempts = None


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def test_commands_work_without_a_network(
    no_network: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "demo.db")
    run(capsys, "demo", "--db", db)
    out = run(capsys, "brief", "--db", db, "--out", str(tmp_path / "pack.pdf"))
    assert "pages" in out and (tmp_path / "pack.pdf").stat().st_size > 0
    for kind, name in (("all", "all.xlsx"), ("risks", "risks.csv"), ("schedule", "plan.xml")):
        run(capsys, "export", kind, "--db", db, "--out", str(tmp_path / name))
    run(capsys, "export", "risks", "--db", db, "--out", str(tmp_path / "risks.xlsx"))
    for kind, name in (("risks", "risks.xlsx"), ("risks", "risks.csv"), ("schedule", "plan.xml")):
        assert "0 created, 0 updated" in run(
            capsys, "import", kind, str(tmp_path / name), "--db", db
        )
    sheet = tmp_path / "new.csv"
    sheet.write_text(
        "Ref;Title;Likelihood;Impact;Owner\nX-1;New risk;High;Major;Me\n", encoding="utf-8"
    )
    assert "1 created" in run(capsys, "import", "risks", str(sheet), "--db", db)
    run(capsys, "check", "--db", db)
    assert no_network == []


def test_main_window_works_without_a_network(
    no_network: list[str], qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PySide6.QtCore import QSettings  # noqa: TID251 (the GUI part of this test)

    path = tmp_path / "demo.db"
    run(capsys, "demo", "--db", str(path))
    with open_database(resolve(str(path))) as db:
        window = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        try:
            with qtbot.waitSignal(window.dashboard.loaded, timeout=20_000):
                window.show()
            qtbot.waitUntil(lambda: window.marking_label.text().startswith("Highest marking"))
            for row in range(window.navigation.count()):
                window.navigation.setCurrentRow(row)
                qtbot.wait(10)
            window.navigation.setCurrentRow(RISKS_ROW)
            qtbot.waitUntil(lambda: window.risks_page.model.rowCount() > 0)
            window.about()
        finally:
            workers.cancel_all()
            workers.wait_all()
            window.close()
    assert no_network == []


# The static half -------------------------------------------------------------------------

# Modules that reach a network (or hand a URL to a browser that would).
NETWORK_MODULES = (
    "socket",
    "ssl",
    "socketserver",
    "asyncio",
    "urllib.request",
    "urllib3",
    "http.client",
    "http.server",
    "xmlrpc",
    "ftplib",
    "smtplib",
    "poplib",
    "imaplib",
    "nntplib",
    "telnetlib",
    "webbrowser",
    "requests",
    "httpx",
    "aiohttp",
    "PySide6.QtNetwork",
    "PySide6.QtNetworkAuth",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebSockets",
    "PySide6.QtWebChannel",
    "PySide6.QtHttpServer",
    "PySide6.QtRemoteObjects",
)
# "path: module" -> why it is no network access. Empty: nothing needs an exception.
ALLOWED: dict[str, str] = {}


def _is_network(module: str) -> bool:
    return any(module == m or module.startswith(m + ".") for m in NETWORK_MODULES)


def _imported(tree: ast.AST) -> Iterator[str]:
    """Every module a file imports, by statement or by name (importlib, __import__)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None))
            in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def _opened_urls(tree: ast.AST) -> Iterator[ast.Call]:
    """`openUrl(...)` calls whose URL is not built by `QUrl.fromLocalFile`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "openUrl":
            url = node.args[0] if node.args else None
            local = (
                isinstance(url, ast.Call)
                and isinstance(url.func, ast.Attribute)
                and url.func.attr == "fromLocalFile"
            )
            if not local:
                yield node


def sources() -> list[Path]:
    files = [f for package in PACKAGES for f in sorted((ROOT / package).rglob("*.py"))]
    assert len(files) > 50, "the package source was not found"
    return files


def test_no_module_of_the_package_imports_a_network_library() -> None:
    found = []
    for path in sources():
        name = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), name)
        for module in sorted(set(_imported(tree))):
            if _is_network(module) and f"{name}: {module}" not in ALLOWED:
                found.append(f"{name}: {module}")
        found.extend(
            f"{name}:{call.lineno}: openUrl of a non-local URL" for call in _opened_urls(tree)
        )
    assert found == []


def test_the_static_check_sees_network_imports() -> None:
    tree = ast.parse(
        "import socket\nfrom urllib import request\nfrom PySide6 import QtNetwork\n"
        "import importlib\nimportlib.import_module('http.client')\n"
        "QDesktopServices.openUrl(QUrl('https://example.org'))\n"
        "QDesktopServices.openUrl(QUrl.fromLocalFile(path))\n"
        "from urllib.parse import quote\nfrom . import socket_names\n"
    )
    network = sorted(m for m in set(_imported(tree)) if _is_network(m))
    assert network == ["PySide6.QtNetwork", "http.client", "socket", "urllib.request"]
    assert [call.lineno for call in _opened_urls(tree)] == [6]
