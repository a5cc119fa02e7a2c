"""Opening databases: anything that is not a usable Setu file is refused, left untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from app import migrations
from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.errors import DatabaseUnusable
from app.preflight import file_uri


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys: pytest.CaptureFixture[str], path: Path, command: str = "check") -> str:
    """Run `command` on `path`; assert exit 3, one error line, and the file unchanged."""
    before = digest(path) if path.is_file() else None
    code, _out, err = run(capsys, command, "--db", str(path))
    assert code == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("setu: error: "), err
    if before is not None:
        assert digest(path) == before
    assert not path.with_name(path.name + "-wal").exists()
    return lines[0]


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    assert "no database file" in refused(capsys, path)
    assert not path.exists()


def test_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "folder" in refused(capsys, tmp_path)


def test_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    assert "empty" in refused(capsys, path)
    assert path.stat().st_size == 0


def test_random_bytes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(64 * 1024))
    assert "not an SQLite file" in refused(capsys, path)


def test_another_applications_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE risk (id INTEGER PRIMARY KEY, title TEXT)")
    conn.commit()
    conn.close()
    assert "another application" in refused(capsys, path, "summary")


def test_newer_revision(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    assert "newer Setu" in refused(capsys, db_path, "summary")


def test_corrupt_database(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    # Keep the 100-byte header (so it still looks like Setu's) and wreck the schema page.
    data[100:4096] = os.urandom(4096 - 100)
    db_path.write_bytes(bytes(data))
    assert "damaged" in refused(capsys, db_path)


def test_init_refuses_a_non_empty_file(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    refused(capsys, db_path, "init")


def test_init_writes_into_an_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.write_bytes(b"")
    code, out, _ = run(capsys, "init", "--db", str(path))
    assert code == 0 and "created" in out
    assert run(capsys, "check", "--db", str(path))[0] == 0


def test_pragmas_of_an_open_database(db_path: Path) -> None:
    with open_database(resolve(str(db_path))) as db, db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1000
    # Closing checkpoints the WAL: the .db file alone is the whole database.
    assert not db_path.with_name(db_path.name + "-wal").exists()


def test_database_behind_the_code_is_backed_up_then_upgraded(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    with open_database(resolve(str(db_path))) as db, db.engine.connect() as conn:
        migrations.downgrade(conn, "0001")
        conn.commit()
    old = digest(db_path)
    code, _, err = run(capsys, "check", "--db", str(db_path))
    assert code == 0, err
    backups = list(db_path.parent.glob("setu.before-upgrade-*.db"))
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    conn.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
        migrations.head(),
    )
    conn.close()
    assert digest(db_path) != old


def test_read_command_never_writes(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    before = digest(db_path)
    assert run(capsys, "summary", "--db", str(db_path))[0] == 2  # no programme yet
    assert run(capsys, "check", "--db", str(db_path))[0] == 0
    assert digest(db_path) == before


def test_mode_create_refuses_existing(db_path: Path) -> None:
    before = digest(db_path)
    with pytest.raises(DatabaseUnusable, match="not empty"):
        open_database(resolve(str(db_path)), Mode.CREATE)
    assert digest(db_path) == before


def test_init_into_a_missing_folder_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "no" / "such" / "folder" / "setu.db"
    assert run(capsys, "init", "--db", str(target))[0] == 3
    assert not (tmp_path / "no").exists()


def test_uris_for_every_kind_of_path() -> None:
    assert file_uri(PurePosixPath("/srv/jpo/a b#1?.db")) == "file:///srv/jpo/a%20b%231%3F.db"
    assert file_uri(PureWindowsPath(r"C:\JPO\setu.db")) == "file:///C:/JPO/setu.db"
    assert file_uri(PureWindowsPath(r"\\fileserver\jpo\setu.db")) == (
        "file:////fileserver/jpo/setu.db"
    )
