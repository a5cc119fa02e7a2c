"""The rolling daily backup the GUI keeps of a SQLite database: one copy a day, the
newest `keep` of them kept.

Officers forget backups; a copy taken the first time the database is open on a given
day costs a second and means a bad afternoon loses at most that afternoon. Each copy is
a whole `backup.backup` (SQLite's online backup API, the audit chain head beside it), so
`setu restore` takes it as it takes any other backup.

Copies go into a folder of their own per database (its name plus a digest of its full
path), so two files called `setu.db` in different folders never prune each other's
copies. A copy is written under a temporary name and renamed when complete: a copy cut
short (power cut, Setu killed) is never mistaken for the day's backup.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_data_path

from app import backup
from app.config import Target

DEFAULT_KEEP = 7  # a week of working days and the weekend
_COPY = re.compile(r"\d{4}-\d{2}-\d{2}\.db")


@dataclass(frozen=True)
class DailyBackup:
    folder: Path
    made: Path | None  # today's copy, when this call made it
    removed: tuple[Path, ...]  # copies older than the newest `keep`, deleted


def default_root() -> Path:
    return user_data_path("Setu", appauthor=False) / "backups"


def folder_for(root: Path, database: Path) -> Path:
    digest = hashlib.sha256(str(database.absolute()).encode("utf-8")).hexdigest()[:8]
    return root / f"{database.stem}-{digest}"


def copies(folder: Path) -> list[Path]:
    """The folder's daily copies, oldest first (their names are their dates)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _COPY.fullmatch(p.name))


def take(target: Target, root: Path, keep: int, today: date) -> DailyBackup | None:
    """Make today's copy of `target` unless there is one, then keep only the newest `keep`.

    None when there is nothing to do: `keep` is 0 (daily backups off) or the database
    is on a server, which its administrator backs up.
    """
    if target.path is None or keep < 1:
        return None
    folder = folder_for(root, target.path)
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"{today.isoformat()}.db"
    made = None
    if not out.exists():
        partial = folder / f".{out.name}.partial"
        for leftover in (partial, backup.head_file(partial)):
            leftover.unlink(missing_ok=True)  # from a copy cut short
        result = backup.backup(target, partial)
        # The head file first: a copy whose name is a date is always complete.
        result.head_file.replace(backup.head_file(out))
        result.path.replace(out)
        made = out
    stale = copies(folder)[:-keep]
    for old in stale:
        backup.head_file(old).unlink(missing_ok=True)
        old.unlink()
    return DailyBackup(folder, made, tuple(stale))
