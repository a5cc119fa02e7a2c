"""Backups and restores of a SQLite database, consistent while others are writing.

Both directions go through SQLite's online backup API: it copies a consistent snapshot
while the GUI keeps writing, and a restore writes into the live file under SQLite's own
locks instead of swapping files under another process's feet. Every backup gets the
audit chain head beside it (`FILE.head`), so `audit --verify --expect-head` can later
prove nothing was cut from its log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from app import preflight
from app.audit_chain import GENESIS
from app.config import BUSY_TIMEOUT_S, Target, resolve
from app.database import Mode, backup_path, copy_sqlite, open_database, sqlite_uri
from app.errors import DatabaseUnusable, UsageError
from app.migrations import head, known
from app.services import audit
from app.services.audit import ChainHead


@dataclass(frozen=True)
class BackupResult:
    path: Path
    head: str  # HASH:COUNT of the audit chain in the copy
    head_file: Path
    highest_marking: int


def _head_and_marking(path: Path) -> tuple[str, int]:
    conn = sqlite3.connect(sqlite_uri(path), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        count, last = conn.execute(
            "SELECT COUNT(*), (SELECT hash FROM audit_entry ORDER BY id DESC LIMIT 1) "
            "FROM audit_entry"
        ).fetchone()
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS "
                "(SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'marking')"
            )
        ]
        highest = max(
            (conn.execute(f'SELECT MAX(marking) FROM "{t}"').fetchone()[0] or 0 for t in tables),
            default=0,
        )
        return f"{last or GENESIS}:{count}", int(highest)
    finally:
        conn.close()


def head_file(path: Path) -> Path:
    return path.with_name(path.name + ".head")


def backup(target: Target, out: Path) -> BackupResult:
    """Copy the database at `target` to `out` (which must not exist yet)."""
    if target.path is None:
        raise DatabaseUnusable("backups of database servers are made by their administrator")
    found = preflight.look(target.path)
    if found.empty:
        raise DatabaseUnusable("the file is empty: not a Setu database", str(target.path))
    if out.exists():
        raise UsageError("the backup file already exists; choose a new name", str(out))
    if not out.parent.is_dir():
        raise UsageError("the folder for the backup does not exist", str(out))
    copy_sqlite(target.path, out)
    head, highest = _head_and_marking(out)
    beside = head_file(out)
    beside.write_text(head + "\n", encoding="ascii")
    return BackupResult(out, head, beside, highest)


def _verify_backup(source: Path) -> None:
    """Refuse a backup whose audit log was tampered with or cut since it was taken."""
    beside = head_file(source)
    expected = ChainHead.parse(beside.read_text("ascii")) if beside.exists() else None
    with open_database(resolve(str(source)), Mode.READ, read_only=True) as copy:
        problems = audit.verify(copy, expected)
    if problems:
        raise DatabaseUnusable(f"the backup fails its audit check: {problems[0]}", str(source))


def restore(target: Target, source: Path) -> Path | None:
    """Replace the database at `target` with `source`; returns where the old one was kept."""
    if target.path is None:
        raise DatabaseUnusable("restores of database servers are made by their administrator")
    found = preflight.look(source)
    if found.empty or found.revision is None:
        raise DatabaseUnusable("the file is empty: not a Setu database", str(source))
    if not known(found.revision):
        raise DatabaseUnusable("the backup was written by a newer Setu", str(source))
    if found.revision == head():
        _verify_backup(source)
    kept: Path | None = None
    if target.path.exists():
        current = preflight.look(target.path)
        if not current.empty:
            kept = backup_path(target.path, "replaced")
            copy_sqlite(target.path, kept)
    src = sqlite3.connect(sqlite_uri(source), uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(target.path, timeout=BUSY_TIMEOUT_S)
        try:
            src.backup(dst)
        except sqlite3.OperationalError as exc:
            raise DatabaseUnusable(
                f"the database is in use and could not be replaced ({exc})", str(target.path)
            ) from exc
        finally:
            dst.close()
    finally:
        src.close()
    return kept
