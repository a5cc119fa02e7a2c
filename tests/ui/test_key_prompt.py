"""The GUI asks for an encrypted database's key in a dialog that hides what is typed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit
from pytestqt.qtbot import QtBot

from app import encryption
from ui.key_prompt import ask_key, install

seen: dict[str, object] = {}


def answer(text: str | None) -> None:
    """Answer the key dialog once it is shown: type `text` and press OK, or Cancel."""

    def respond() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(10, respond)
            return
        seen["echo"] = dialog.textEchoMode()
        seen["label"] = dialog.labelText()
        if text is None:
            dialog.reject()
        else:
            dialog.setTextValue(text)
            dialog.accept()

    QTimer.singleShot(0, respond)


def test_the_key_typed_is_returned_and_never_shown(qtbot: QtBot) -> None:
    answer("s3cret key")
    assert ask_key(Path("programme.db"), False) == "s3cret key"
    assert seen["echo"] == QLineEdit.EchoMode.Password
    assert seen["label"] == "The database programme.db is encrypted. Its key:"
    answer("s3cret key")
    assert ask_key(Path("programme.db"), True) == "s3cret key"
    assert seen["label"] == "Type the key again to confirm it:"


def test_cancel_gives_no_key(qtbot: QtBot) -> None:
    answer(None)
    assert ask_key(Path("programme.db"), False) is None


def test_a_background_job_is_refused_not_shown_a_dialog(qtbot: QtBot) -> None:
    result: list[str | None] = []
    worker = threading.Thread(target=lambda: result.append(ask_key(Path("p.db"), False)))
    worker.start()
    worker.join(5)
    assert result == [None]


def test_install_makes_the_library_ask_here(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(encryption.ENV_KEY, raising=False)
    monkeypatch.setattr(encryption, "_ask", encryption._ask)  # restored afterwards
    install()
    answer("from the dialog")
    key = encryption.key_for(Path("programme.db"))
    assert key is not None and "from the dialog" not in repr(key)
    assert key.pragma() == "PRAGMA key = 'from the dialog'"
