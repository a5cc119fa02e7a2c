"""`migrate`, `check` and `restore` on databases that are old, broken or tampered with."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import migrations
from app.cli import main
from app.config import resolve
from app.database import Database, open_database
from tests.conftest import Fixture
from tests.integration.test_access import HOLD_LOCK
from tests.integration.test_audit_tampering import three_risks


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def downgrade(path: Path, to: str = "0001") -> None:
    with open_database(resolve(str(path))) as db, db.engine.connect() as conn:
        migrations.downgrade(conn, to)
        conn.commit()


def sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


@pytest.fixture
def filled(db: Database, programme: Fixture, db_path: Path) -> Path:
    three_risks(db, programme)
    db.close()
    return db_path


def test_migrate_backs_up_then_upgrades(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    downgrade(filled)
    old = digest(filled)
    assert main(["migrate", "--db", str(filled)]) == 0
    out = capsys.readouterr().out
    saved = Path(out.split("saved as ")[1].strip())
    assert digest(saved) != "" and revision(saved) == "0001"
    assert revision(filled) == migrations.head()
    assert digest(filled) != old
    assert main(["migrate", "--db", str(filled)]) == 0
    assert "already at the newest" in capsys.readouterr().out


def test_migrate_refuses_to_leave_broken_references(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downgrade(filled)
    sql(filled, "UPDATE risk SET workstream_id = 999 WHERE id = 1")
    before = digest(filled)
    assert main(["migrate", "--db", str(filled)]) == 3
    err = capsys.readouterr().err
    assert "pointing at missing ones" in err and "nothing was changed" in err
    assert revision(filled) == "0001"
    assert digest(filled) == before


def test_migrating_a_locked_database_waits_then_exits_3(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    downgrade(filled)
    before = digest(filled)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(filled), "3"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    try:
        assert main(["migrate", "--db", str(filled)]) == 3
    finally:
        holder.wait(timeout=10)
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "locked by another program" in err[0]
    assert revision(filled) == "0001" and digest(filled) == before


def test_check_reports_every_kind_of_problem(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(
        filled,
        "UPDATE risk SET workstream_id = 999 WHERE id = 2",
        "INSERT INTO workstream (id, programme_id, code, title, kind, phase, trl_now,"
        " trl_target, mrl_now, mrl_target, baseline_start, baseline_finish, status,"
        " budget_minor, version, marking, releasable_to) VALUES (50, 1, 'WS-X', 'x',"
        " 'sustainment', 'concept', 1, 1, 1, 1, '2025-06-01', '2025-01-01', 'active', 0, 1, 0,"
        " 'IND RUS')",
    )
    assert main(["check", "--db", str(filled)]) == 1
    err = capsys.readouterr().err
    assert "risk row 2 refers to a missing workstream" in err
    assert "workstream WS-X: baseline finish 2025-01-01 is before start 2025-06-01" in err
    assert "workstream 50 was written outside Setu" in err
    assert "risk 2 was changed outside Setu" in err


def test_check_finds_shares_that_do_not_add_up(
    db: Database, programme: Fixture, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services import agreements
    from tests.unit.services.test_costs import a_workstream, an_agreement

    workstream = a_workstream(db, programme.programme_id)
    agreements.create_agreement(db, programme.programme_id, an_agreement(workstream))
    db.close()
    sql(db_path, "UPDATE cost_share SET share_pct = 499900 WHERE position = 0")
    assert main(["check", "--db", str(db_path)]) == 1
    assert "shares add up to 99.9900 %, not 100 %" in capsys.readouterr().err


def test_damaged_data_pages(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = bytearray(filled.read_bytes())
    page = 4096
    for start in range(2 * page, len(data) - page, page):  # every page but the first two
        data[start + 8 : start + page] = bytes([0xA5]) * (page - 8)
    filled.write_bytes(bytes(data))
    before = digest(filled)
    code = main(["audit", "--db", str(filled), "--verify"])
    err = capsys.readouterr().err
    assert code == 3 and "damaged" in err, err
    assert len(err.strip().splitlines()) == 1
    assert main(["check", "--db", str(filled)]) in (1, 3)
    err = capsys.readouterr().err
    assert "storage:" in err or "damaged" in err, err
    assert digest(filled) == before


def test_audience_must_be_a_partner(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--db", str(filled), "--audience", "national:USA"]) == 2
    assert "USA is not a partner nation" in capsys.readouterr().err


def test_an_old_backup_is_checked_before_it_is_restored(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "old.db"
    assert main(["backup", "--db", str(filled), "--out", str(copy)]) == 0
    assert "highest marking in the backup: UNCLASSIFIED" in capsys.readouterr().out
    downgrade(copy)
    sql(copy, "UPDATE risk SET title = 'rewritten' WHERE id = 1")
    before = digest(filled)
    assert main(["restore", "--db", str(filled), "--from", str(copy)]) == 3
    assert "risk 1 was changed outside Setu" in capsys.readouterr().err
    assert digest(filled) == before
    sql(copy, "UPDATE risk SET title = 'Risk 1' WHERE id = 1")
    assert main(["restore", "--db", str(filled), "--from", str(copy)]) == 0
    assert revision(filled) == migrations.head()
    assert main(["check", "--db", str(filled)]) == 0
    assert not list(tmp_path.glob("old.upgraded-*"))
