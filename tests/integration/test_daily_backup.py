"""The rolling daily backup: one complete copy a day, the newest `keep` kept."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app import daily_backup
from app.cli import main
from app.config import resolve
from app.database import Database
from tests.conftest import Fixture
from tests.integration.test_audit_tampering import three_risks

DAY = date(2026, 11, 26)


@pytest.fixture
def filled(db: Database, programme: Fixture, db_path: Path) -> Path:
    three_risks(db, programme)
    db.close()
    return db_path


def test_the_first_call_of_a_day_makes_a_copy_that_checks(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "backups"
    taken = daily_backup.take(resolve(str(filled)), root, 7, DAY)
    assert taken is not None
    assert taken.made == taken.folder / "2026-11-26.db"
    assert taken.folder.parent == root
    assert taken.folder.name.startswith("setu-")
    head = (taken.folder / "2026-11-26.db.head").read_text(encoding="utf-8").splitlines()[0]
    assert main(["check", "--db", str(taken.made)]) == 0
    assert main(["audit", "--db", str(taken.made), "--verify", "--expect-head", head]) == 0
    capsys.readouterr()
    # Later the same day: today's copy is there, nothing is copied again.
    again = daily_backup.take(resolve(str(filled)), root, 7, DAY)
    assert again is not None and again.made is None and again.removed == ()
    assert daily_backup.copies(taken.folder) == [taken.made]


def test_only_the_newest_copies_are_kept(filled: Path, tmp_path: Path) -> None:
    root, target = tmp_path / "backups", resolve(str(filled))
    days = [DAY + timedelta(days=n) for n in range(5)]
    for day in days[:4]:
        daily_backup.take(target, root, 3, day)
    last = daily_backup.take(target, root, 3, days[4])
    assert last is not None
    kept = daily_backup.copies(last.folder)
    assert [p.name for p in kept] == [f"{d.isoformat()}.db" for d in days[2:]]
    assert last.removed == (last.folder / f"{days[1].isoformat()}.db",)
    # Each copy's head file goes with it; nothing else is left in the folder.
    assert sorted(p.name for p in last.folder.iterdir()) == sorted(
        [p.name for p in kept] + [p.name + ".head" for p in kept]
    )


def test_a_copy_cut_short_is_never_taken_for_the_days_backup(filled: Path, tmp_path: Path) -> None:
    target = resolve(str(filled))
    folder = daily_backup.folder_for(tmp_path, filled)
    folder.mkdir(parents=True)
    cut_short = folder / ".2026-11-26.db.partial"
    cut_short.write_bytes(b"SQLite format 3\x00half a copy")
    assert daily_backup.copies(folder) == []
    taken = daily_backup.take(target, tmp_path, 7, DAY)
    assert taken is not None and taken.made is not None
    assert not cut_short.exists()
    assert main(["check", "--db", str(taken.made)]) == 0


def test_off_and_server_databases_make_nothing(filled: Path, tmp_path: Path) -> None:
    assert daily_backup.take(resolve(str(filled)), tmp_path / "off", 0, DAY) is None
    assert not (tmp_path / "off").exists()
    server = resolve("postgresql+psycopg://officer@dbserver/setu")
    assert daily_backup.take(server, tmp_path / "server", 7, DAY) is None


def test_databases_of_the_same_name_keep_separate_copies(tmp_path: Path) -> None:
    one, other = tmp_path / "a" / "setu.db", tmp_path / "b" / "setu.db"
    assert daily_backup.folder_for(tmp_path, one) != daily_backup.folder_for(tmp_path, other)
    assert daily_backup.folder_for(tmp_path, one) == daily_backup.folder_for(tmp_path, one)
