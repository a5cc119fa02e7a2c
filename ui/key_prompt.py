"""Asking for an encrypted database's key in a dialog: the GUI may have no terminal.

`install` makes app.encryption ask here instead of on the terminal. The dialog hides
what is typed, and the key goes straight to the caller: nothing here keeps, logs or
shows it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

from app import encryption


def _tr(text: str) -> str:
    return QCoreApplication.translate("key_prompt", text)


def ask_key(path: Path, again: bool) -> str | None:
    """The key typed for `path` (`again`: the confirmation of a new one); None if cancelled.

    A dialog can only be shown on the GUI thread; a background job that meets an
    encrypted file it has no key for gets None, and so a clear refusal, not a crash.
    """
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return None
    label = (
        _tr("Type the key again to confirm it:")
        if again
        else _tr("The database {name} is encrypted. Its key:").format(name=path.name)
    )
    key, accepted = QInputDialog.getText(
        QApplication.activeWindow(),
        _tr("Encrypted database"),
        label,
        QLineEdit.EchoMode.Password,
    )
    return key if accepted and key else None


def install() -> None:
    """Ask for keys with `ask_key` from now on (call once the QApplication exists)."""
    encryption.set_prompt(ask_key)
