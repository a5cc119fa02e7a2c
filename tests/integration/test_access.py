"""Sharing a file: read-only files, a second writer, backups and restores."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.config import resolve
from app.database import Database, open_database
from app.errors import DatabaseUnusable
from app.services import risks
from app.services.risks import RiskDraft
from tests.conftest import Fixture


def a_risk(n: int) -> RiskDraft:
    return RiskDraft(f"R-{n:03}", f"Risk {n}", "technical", date(2025, 1, 1), 3, 3, 2, 2)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_only_file_opens_for_reading_and_refuses_writes(
    db: Database, programme: Fixture, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    risks.raise_risk(db, programme.programme_id, a_risk(1))
    db.close()
    db_path.chmod(0o444)
    before = digest(db_path)
    assert main(["summary", "--db", str(db_path), "--json"]) == 0
    assert '"risks": 1' in capsys.readouterr().out
    with open_database(resolve(str(db_path))) as ro:
        assert ro.read_only
        with pytest.raises(DatabaseUnusable, match="read-only"):
            risks.raise_risk(ro, programme.programme_id, a_risk(2))
        assert len(risks.list_risks(ro, programme.programme_id)) == 1
    assert digest(db_path) == before


HOLD_LOCK = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE programme SET name = name")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.fixture
def locked(db_path: Path, programme: Fixture) -> subprocess.Popen[str]:
    """Another process holding the write lock for 3 s (the tests' busy timeout is 1 s)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path), "3"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    yield proc
    proc.wait(timeout=10)


def test_second_writer_waits_then_gets_a_clear_error(
    db: Database, programme: Fixture, locked: subprocess.Popen[str]
) -> None:
    started = time.monotonic()
    with pytest.raises(DatabaseUnusable, match="locked by another program") as err:
        risks.raise_risk(db, programme.programme_id, a_risk(1))
    assert err.value.exit_code == 3
    assert time.monotonic() - started >= 0.9  # it waited out the busy timeout first
    assert risks.list_risks(db, programme.programme_id) == []


def test_reading_works_while_another_process_writes(
    db_path: Path, locked: subprocess.Popen[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["summary", "--db", str(db_path), "--json"]) == 0
    assert '"code": "JP-TEST"' in capsys.readouterr().out


def test_writer_that_waits_less_than_the_timeout_succeeds(
    db: Database, programme: Fixture, db_path: Path
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db_path), "0.3"], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    risks.raise_risk(db, programme.programme_id, a_risk(1))
    proc.wait(timeout=10)
    assert len(risks.list_risks(db, programme.programme_id)) == 1


def test_backup_and_restore(
    db: Database,
    programme: Fixture,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    risks.raise_risk(db, programme.programme_id, a_risk(1))
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db_path), "--out", str(copy)]) == 0
    head = (tmp_path / "copy.db.head").read_text().splitlines()[0]
    assert head in capsys.readouterr().out
    risks.raise_risk(db, programme.programme_id, a_risk(2))
    db.close()
    assert main(["restore", "--db", str(db_path), "--from", str(copy)]) == 0
    kept = list(tmp_path.glob("setu.replaced-*.db"))
    assert len(kept) == 1
    with open_database(resolve(str(db_path))) as restored:
        assert [r.reference for r in risks.list_risks(restored, programme.programme_id)] == [
            "R-001"
        ]
    with open_database(resolve(str(kept[0]))) as replaced:
        assert len(risks.list_risks(replaced, programme.programme_id)) == 2
    assert main(["check", "--db", str(db_path)]) == 0
    assert main(["audit", "--db", str(db_path), "--verify", "--expect-head", head]) == 0


def test_restore_refuses_a_tampered_backup(
    db: Database,
    programme: Fixture,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sqlite3

    risks.raise_risk(db, programme.programme_id, a_risk(1))
    copy = tmp_path / "copy.db"
    assert main(["backup", "--db", str(db_path), "--out", str(copy)]) == 0
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE risk SET title = 'rewritten'")
    conn.commit()
    conn.close()
    before = digest(db_path)
    capsys.readouterr()
    assert main(["restore", "--db", str(db_path), "--from", str(copy)]) == 3
    assert "fails its audit check" in capsys.readouterr().err
    assert digest(db_path) == before
