"""Backups and restores of a SQLite database, consistent while others are writing.

Both directions go through SQLite's online backup API: it copies a consistent snapshot
while the GUI keeps writing, and a restore writes into the live file under SQLite's own
locks instead of swapping files under another process's feet. Every backup gets the
audit chain head beside it (`FILE.head`), so `audit --verify --expect-head` can later
prove nothing was cut from its log.

A backup of an encrypted database is encrypted with the same key, and is restored
only over a database with that key (or to a new file): the backup API copies pages
between files of one kind, and a restore never writes the data out in the clear.

A PostgreSQL database is refused: its administrator backs it up with the server's own
tools (pg_dump, pg_restore), which also keep its roles, grants and triggers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from app import encryption, preflight
from app.config import Target, resolve
from app.database import Mode, backup_path, copy_sqlite, migrate_sqlite, open_database
from app.encryption import Key, WrongKey
from app.errors import DatabaseUnusable, UsageError
from app.migrations import head, known
from app.services import audit, markings, settings
from app.services.audit import ChainHead


@dataclass(frozen=True)
class BackupResult:
    path: Path
    head: ChainHead  # of the audit chain in the copy
    head_file: Path
    marking: str  # the highest marking of anything in the copy
    encrypted: bool  # with the database's key


def head_file(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def backup(target: Target, out: Path) -> BackupResult:
    """Copy the database at `target` to `out` (which must not exist yet)."""
    if target.path is None:
        raise DatabaseUnusable(
            "a database server is backed up by its administrator: use the server's backup "
            "tools (pg_dump)",
            target.label,
        )
    found = preflight.look(target.path, target.key)
    if found.empty:
        raise DatabaseUnusable("the file is empty: not a Setu database", str(target.path))
    if out.exists():
        raise UsageError("the backup file already exists; choose a new name", str(out))
    if not out.parent.is_dir():
        raise UsageError("the folder for the backup does not exist", str(out))
    copy_sqlite(target.path, out, found.key)
    with (
        open_database(_keyed(out, found.key), Mode.READ) as copy,
        copy.read() as session,
    ):
        chain = audit.head(copy)
        marking = settings.marking_name(session, markings.highest(session))
    beside = head_file(out)
    # The head on the first line, as --expect-head takes it; the marking for people.
    beside.write_text(f"{chain}\nhighest marking: {marking}\n", encoding="utf-8")
    return BackupResult(out, chain, beside, marking, encrypted=found.key is not None)


def _keyed(path: Path, key: Key | None) -> Target:
    """A copy Setu made itself, to be opened with the key of what it was copied from."""
    return replace(resolve(str(path)), key=key)


def _verify_backup(source: Path, revision: str, key: Key | None) -> Path | None:
    """Refuse a backup whose audit log was tampered with or cut since it was taken.

    A backup from an older Setu is first copied and upgraded (migrations do not touch
    the log); that upgraded copy is then what gets restored. Returns its path.
    """
    beside = head_file(source)
    expected = (
        ChainHead.parse(beside.read_text("utf-8").splitlines()[0]) if beside.exists() else None
    )
    upgraded = None
    if revision != head():
        upgraded = backup_path(source, "upgraded")
        copy_sqlite(source, upgraded, key)
        migrate_sqlite(upgraded, keep_backup=False, key=key)
    try:
        with open_database(_keyed(upgraded or source, key), Mode.READ) as copy:
            problems = audit.verify(copy, expected)
    except BaseException:
        if upgraded is not None:
            upgraded.unlink(missing_ok=True)
        raise
    if problems:
        if upgraded is not None:
            upgraded.unlink(missing_ok=True)
        raise DatabaseUnusable(f"the backup fails its audit check: {problems[0]}", str(source))
    return upgraded


def restore(target: Target, source: Path) -> Path | None:
    """Replace the database at `target` with `source`; returns where the old one was kept."""
    if target.path is None:
        raise DatabaseUnusable(
            "a database server is restored by its administrator: use the server's backup "
            "tools (pg_restore)",
            target.label,
        )
    found = preflight.look(source)
    if found.empty or found.revision is None:
        raise DatabaseUnusable("the file is empty: not a Setu database", str(source))
    if not known(found.revision):
        raise DatabaseUnusable("the backup was written by a newer Setu", str(source))
    upgraded = _verify_backup(source, found.revision, found.key)
    kept: Path | None = None
    if target.path.exists():
        current = _look_replaced(target.path, found.key)
        if not current.empty:
            kept = backup_path(target.path, "replaced")
            copy_sqlite(target.path, kept, current.key)
    try:
        copy_sqlite(upgraded or source, target.path, found.key, keep_wal=True)
    except encryption.driver_errors("OperationalError") as exc:
        raise DatabaseUnusable(
            f"the database is in use and could not be replaced ({exc})", str(target.path)
        ) from exc
    finally:
        if upgraded is not None:
            upgraded.unlink(missing_ok=True)
    return kept


def _look_replaced(path: Path, key: Key | None) -> preflight.FileLook:
    """The look at the database a restore replaces: it must be encrypted as the backup is.

    An encrypted backup is written into the live file through the backup's key, so that
    key must open it; a plain backup is never written over an encrypted database.
    """
    try:
        current = preflight.look(path, key)
    except WrongKey as exc:
        raise DatabaseUnusable(
            "the backup's key does not open the database it would replace; "
            "restore it to a new file (--db NEW.db)",
            str(path),
        ) from exc
    if not current.empty and (current.key is None) != (key is None):
        if key is not None:
            what = "the backup is encrypted and the database it would replace is not"
        else:
            what = "the database is encrypted and the backup is not"
        raise DatabaseUnusable(f"{what}; restore it to a new file (--db NEW.db)", str(path))
    return current
