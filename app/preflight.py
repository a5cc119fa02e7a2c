"""The read-only look at a database, taken before anything may write to it.

Even `PRAGMA journal_mode=WAL` rewrites a file's header, so nothing opens a file
read-write until this look has shown it to be a Setu database at a revision this
code knows. A server database gets the same look through a plain read of its tables
and `alembic_version`. Every refusal is a `DatabaseUnusable` (exit 3) and leaves the
database as it was.

An encrypted (SQLCipher) file has no readable header: when a file is not plain SQLite
but could be an encrypted one, the look asks for its key (app.encryption) and reads
the same things through it, just as read-only.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import inspect, text

from app import encryption, migrations
from app.config import BUSY_TIMEOUT_S
from app.encryption import Key, WrongKey
from app.errors import DatabaseUnusable
from app.models.base import APPLICATION_ID

if TYPE_CHECKING:
    from sqlalchemy import Connection

SQLITE_MAGIC = b"SQLite format 3\x00"
# The smallest page: every SQLite file, encrypted or not, is a whole number of pages.
MIN_PAGE_SIZE = 512
SQLITE_NOTADB = 26  # what SQLCipher answers when the key does not decrypt the first page
# Tables every Setu schema revision has; together with the header mark they say "Setu's".
SETU_TABLES = frozenset({"alembic_version", "programme", "audit_entry"})
ANOTHER_APPLICATION = "not a Setu database (another application's SQLite file)"


@dataclass(frozen=True)
class FileLook:
    """What the look found: an empty file or database (only `init` may use it) or a revision."""

    empty: bool
    revision: str | None
    writable: bool
    key: Key | None = None  # the key that opened an encrypted file


def file_uri(path: PurePath) -> str:
    """An SQLite URI for an absolute path, Windows shares (\\\\server\\share) included.

    `Path.as_uri()` writes a share as file://server/share, which SQLite refuses; SQLite
    wants the server after an empty authority: file:////server/share/...
    """
    if isinstance(path, Path):
        path = path.absolute()
    posix = path.as_posix()
    prefix = "file://" if posix.startswith("/") else "file:///"
    return prefix + quote(posix, safe="/:")


def readonly_uri(path: Path) -> str:
    return file_uri(path) + "?mode=ro"


def _look_uri(path: Path) -> str:
    """How to read a file without leaving anything behind.

    Opened plainly read-only, SQLite creates -wal/-shm companions for a WAL database
    and leaves them. When there is no -wal (nobody has it open, nothing uncommitted to
    the main file) and no hot -journal, the main file holds every committed byte, and
    `immutable=1` reads it without creating anything. Otherwise the companions exist
    already and an ordinary read-only open is used, with SQLite's locking.
    """
    companions = (path.with_name(path.name + suffix) for suffix in ("-wal", "-journal"))
    if any(c.exists() for c in companions):
        return readonly_uri(path)
    return readonly_uri(path) + "&immutable=1"


def look(path: Path, key: Key | None = None) -> FileLook:
    """Check `path` is a Setu database without writing a byte to it.

    An encrypted file is tried with `key` when one is given (a copy of a file whose key
    is known), else with the key from SETU_DB_KEY or the user.
    """
    where = str(path)
    if not path.exists():
        raise DatabaseUnusable("no database file here", where)
    if path.is_dir():
        raise DatabaseUnusable("this is a folder, not a database file", where)
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseUnusable(f"cannot read the file: {exc.strerror}", where) from exc
    can_write = writable(path)
    if not header:
        return FileLook(empty=True, revision=None, writable=can_write)
    if not header.startswith(SQLITE_MAGIC) or len(header) < 100:
        return _look_encrypted(path, key, can_write)
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise DatabaseUnusable(ANOTHER_APPLICATION, where)
    return FileLook(empty=False, revision=_revision(path, None), writable=can_write)


def _look_encrypted(path: Path, key: Key | None, can_write: bool) -> FileLook:
    """A file that is not plain SQLite: an encrypted Setu database, if its key opens it."""
    where = str(path)
    if path.stat().st_size % MIN_PAGE_SIZE:
        raise DatabaseUnusable("not a Setu database (not an SQLite file)", where)
    if not encryption.available():
        raise DatabaseUnusable(
            "not a Setu database (not an SQLite file), or an encrypted one: to open "
            f"encrypted databases, install {encryption.EXTRA}",
            where,
        )
    key = key if key is not None else encryption.key_for(path)
    if key is None:
        raise DatabaseUnusable(
            "not an SQLite file, or an encrypted database whose key was not given "
            f"(set {encryption.ENV_KEY}, or type the key when asked)",
            where,
        )
    return FileLook(empty=False, revision=_revision(path, key), writable=can_write, key=key)


def writable(path: Path) -> bool:
    """May Setu write this file? Not when it is marked read-only, even for an administrator.

    The permission bits are honoured as the user's intent (an administrator can open
    anything, but a file marked read-only should stay that way); then an open for
    writing proves the operating system agrees.
    """
    if not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        return False
    try:
        with path.open("r+b"):
            return True
    except OSError:
        return False


def _revision(path: Path, key: Key | None) -> str:
    where = str(path)
    try:
        conn = encryption.connect(_look_uri(path), key, timeout=BUSY_TIMEOUT_S)
    except encryption.driver_errors() as exc:
        raise DatabaseUnusable(f"cannot open the database: {exc}", where) from exc
    try:
        # An encrypted file's header mark can only be read through its key.
        if key is not None and conn.execute("PRAGMA application_id").fetchone() != (
            APPLICATION_ID,
        ):
            raise DatabaseUnusable(ANOTHER_APPLICATION, where)
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not SETU_TABLES <= tables:
            raise DatabaseUnusable("not a Setu database (Setu's tables are missing)", where)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if row is None:
            raise DatabaseUnusable("the database has no schema revision; it is damaged", where)
        return str(row[0])
    except encryption.driver_errors("DatabaseError") as exc:
        if key is not None and getattr(exc, "sqlite_errorcode", None) == SQLITE_NOTADB:
            raise WrongKey(
                "the key does not open this database (a wrong key, or not a Setu database)",
                where,
            ) from exc
        raise unusable(exc, where) from exc
    finally:
        conn.close()


def unusable(exc: Exception, where: str) -> DatabaseUnusable:
    """The message for a database that cannot be used: locked, read-only or damaged."""
    message = str(getattr(exc, "orig", exc))
    squeezed = message.replace("-", "").replace(" ", "").lower()
    if "locked" in squeezed or "busy" in squeezed:
        return DatabaseUnusable(
            f"the database is locked by another program (waited {BUSY_TIMEOUT_S:g} s)", where
        )
    if "readonly" in squeezed:
        return DatabaseUnusable("the database file is read-only; changes cannot be saved", where)
    if "diski/o" in squeezed:
        return DatabaseUnusable(f"the database file cannot be read or written ({message})", where)
    return DatabaseUnusable(f"the database is damaged ({message})", where)


def look_server(conn: Connection, where: str) -> FileLook:
    """The same look at a server database: its tables, its revision, may this role write.

    An empty database (no tables in the schema Setu uses) is what `init` needs; tables
    that are not Setu's are another application's and are never touched.
    """
    tables = set(inspect(conn).get_table_names())
    if not tables:
        return FileLook(empty=True, revision=None, writable=True)
    if not SETU_TABLES <= tables:
        raise DatabaseUnusable("not a Setu database (Setu's tables are missing)", where)
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if revision is None:
        raise DatabaseUnusable("the database has no schema revision; it is damaged", where)
    if not migrations.known(str(revision)):
        raise DatabaseUnusable(
            f"the database was written by a newer Setu (schema {revision}); "
            "install the newer version on this workstation to open it",
            where,
        )
    # A viewer's role may read but not add to the log: such a database opens read-only.
    writable = conn.execute(text("SELECT has_table_privilege('audit_entry', 'INSERT')")).scalar()
    return FileLook(empty=False, revision=str(revision), writable=bool(writable))


def server_unusable(exc: Exception, where: str) -> DatabaseUnusable:
    """The message for a database server that cannot be used: unreachable, login refused...

    The driver's own words follow, first line only; `where` is the URL without its
    password, and the driver never repeats a password in its messages.
    """
    lines = str(getattr(exc, "orig", exc)).strip().splitlines()
    message = lines[0] if lines else type(exc).__name__
    detail = message.split("FATAL:", 1)[-1].strip()
    lowered = message.lower()
    if "lock timeout" in lowered:
        return DatabaseUnusable(
            "the database is locked by another workstation; try again when it is done", where
        )
    if "authentication failed" in lowered or "no password supplied" in lowered:
        return DatabaseUnusable(f"the database server refused the login ({detail})", where)
    if "pg_hba.conf" in lowered or ("role" in lowered and "does not exist" in lowered):
        return DatabaseUnusable(f"the database server refused the login ({detail})", where)
    if "database" in lowered and "does not exist" in lowered:
        return DatabaseUnusable(f"no such database on the server ({detail})", where)
    if "permission denied" in lowered or "must be owner" in lowered:
        return DatabaseUnusable(f"the database server does not allow this ({detail})", where)
    if "connection" in lowered or "could not" in lowered or "timeout" in lowered:
        return DatabaseUnusable(f"cannot reach the database server ({detail})", where)
    return DatabaseUnusable(f"the database server reported an error ({detail})", where)
