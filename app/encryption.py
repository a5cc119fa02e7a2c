"""Encryption at rest: SQLCipher files, their key, and where the key comes from.

An encrypted database is a SQLCipher file: every page, the header included, is
encrypted, so without the key it cannot be told from random bytes. The driver comes
with the optional `setu[encrypted]` extra; without it Setu opens plain files as before
and says what to install when it meets a file it cannot read.

The key is a secret. It comes from SETU_DB_KEY or from a prompt that does not echo
(a terminal, or the GUI's dialog), never from the command line, where every user of the
machine can read it in the process list; and it is never printed, logged or put in a
message. A `Key` therefore has no readable repr, and SQLCipher's own logging, which
writes to stderr, is switched off.
"""

from __future__ import annotations

import getpass
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import cast

from app.errors import DatabaseUnusable, UsageError

ENV_KEY = "SETU_DB_KEY"
EXTRA = "setu[encrypted]"

# Asks for the key of a file, again=True for the confirmation when a file is created;
# returns what was typed, or None when nobody can be asked or the question was cancelled.
Ask = Callable[[Path, bool], str | None]


class Key:
    """A database key; its text never appears in a repr, a message or a traceback's args."""

    __slots__ = ("_secret",)

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def __repr__(self) -> str:
        return "Key(***)"

    __str__ = __repr__

    def pragma(self) -> str:
        """The statement that unlocks a connection; quoted as an SQL string literal."""
        quoted = self._secret.replace("'", "''")
        return f"PRAGMA key = '{quoted}'"


class WrongKey(DatabaseUnusable):
    """The key given does not open the file (or the file is not a database at all)."""


def _cipher_driver() -> ModuleType | None:
    try:
        # By name: the extra is optional, and the driver ships without type information.
        return importlib.import_module("sqlcipher3.dbapi2")
    except ImportError:
        return None


_CIPHER = _cipher_driver()


def available() -> bool:
    return _CIPHER is not None


def driver_errors(kind: str = "Error") -> tuple[type[Exception], ...]:
    """The DB-API exception class `kind` of sqlite3 and, when installed, of SQLCipher.

    The two drivers are separate modules: SQLCipher's errors are not sqlite3's, so
    every `except` that means "the database said no" catches both.
    """
    errors: tuple[type[Exception], ...] = (getattr(sqlite3, kind),)
    if _CIPHER is not None:
        errors += (getattr(_CIPHER, kind),)
    return errors


def dbapi(key: Key | None) -> ModuleType:
    """The DB-API module SQLAlchemy should know a connection by (its errors, its version)."""
    if key is None:
        return sqlite3
    return _require_driver()


def connect(
    uri: str,
    key: Key | None,
    *,
    timeout: float,
    isolation_level: str | None = "",
    check_same_thread: bool = True,
) -> sqlite3.Connection:
    """A connection to the SQLite URI `uri`; with a key, SQLCipher's, unlocked first.

    The key must be the first statement on a SQLCipher connection: anything before it
    would read the file as plain SQLite.
    """
    conn = dbapi(key).connect(
        uri,
        uri=True,
        timeout=timeout,
        isolation_level=isolation_level,
        check_same_thread=check_same_thread,
    )
    if key is not None:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key is reported once, by us
        conn.execute(key.pragma())
    return cast("sqlite3.Connection", conn)  # SQLCipher's has sqlite3's interface


def _require_driver() -> ModuleType:
    if _CIPHER is None:
        raise UsageError(f"encryption needs the {EXTRA} extra: pip install '{EXTRA}'", "--encrypt")
    return _CIPHER


def _ask_on_terminal(path: Path, again: bool) -> str | None:
    if not sys.stdin.isatty():
        return None  # a script or a service: it must set SETU_DB_KEY instead
    question = "The same key again: " if again else f"Key for {path.name}: "
    try:
        return getpass.getpass(question)
    except EOFError:
        return None


_ask: Ask = _ask_on_terminal


def set_prompt(ask: Ask) -> None:
    """Ask with `ask` from now on (the GUI's dialog) instead of on the terminal."""
    global _ask
    _ask = ask


def key_for(path: Path) -> Key | None:
    """The key to try on the encrypted file `path`: SETU_DB_KEY, else asked for."""
    secret = os.environ.get(ENV_KEY) or _ask(path, False)
    return Key(secret) if secret else None


def new_key(path: Path) -> Key:
    """The key for a file about to be created encrypted; typed twice when it is asked for.

    A key set in SETU_DB_KEY is taken as it is: a script that sets it has it written down.
    """
    _require_driver()
    secret = os.environ.get(ENV_KEY)
    if not secret:
        secret = _ask(path, False)
        if not secret:
            raise UsageError(
                f"an encrypted database needs a key (set {ENV_KEY}, or type one when asked)",
                "--encrypt",
            )
        if _ask(path, True) != secret:
            raise UsageError("the two keys typed differ; nothing was created", str(path))
    return Key(secret)
