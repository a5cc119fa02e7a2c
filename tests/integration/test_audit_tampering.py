"""A change made behind Setu's back, to data or to the log, is found and named.

The audit log refuses UPDATE and DELETE through triggers; a tamperer with a SQL tool
can remove those first (and put them back), so `tamper` does, and the hash chain must
still name what changed. Both dialects.
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import create_engine, make_url

from app.cli import main
from app.config import resolve
from app.database import Database, open_database
from app.services import audit, risks
from app.services.risks import RiskDraft
from tests.conftest import Fixture


def three_risks(db: Database, programme: Fixture) -> None:
    for n in range(1, 4):
        risks.raise_risk(
            db,
            programme.programme_id,
            RiskDraft(f"R-{n:03}", f"Risk {n}", "technical", date(2025, 1, n), 3, 3, 2, 2),
        )


def raw_sql(target: str, *statements: str) -> None:
    """Run `statements` with another tool than Setu, in one transaction, foreign keys on."""
    if "://" not in target:
        conn = sqlite3.connect(target)
        try:
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
        return
    engine = create_engine(make_url(target))
    try:
        with engine.begin() as server:
            for statement in statements:
                server.exec_driver_sql(statement)
    finally:
        engine.dispose()


def tamper(target: str, *statements: str) -> None:
    """What someone with a SQL tool can do: lift the log's protection, change, restore it."""
    if "://" in target:
        off = ["ALTER TABLE audit_entry DISABLE TRIGGER USER"]
        on = ["ALTER TABLE audit_entry ENABLE TRIGGER USER"]
    else:
        conn = sqlite3.connect(target)
        triggers = conn.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'trigger' AND tbl_name = 'audit_entry'"
        ).fetchall()
        conn.close()
        assert len(triggers) == 2
        off = [f"DROP TRIGGER {name}" for name, _sql in triggers]
        on = [sql for _name, sql in triggers]
    raw_sql(target, *off, *statements, *on)


def verify(capsys: pytest.CaptureFixture[str], target: str, *extra: str) -> tuple[int, str]:
    code = main(["audit", "--db", target, "--verify", *extra])
    return code, capsys.readouterr().err


@pytest.fixture
def setup(db: Database, programme: Fixture, db_target: str) -> str:
    three_risks(db, programme)
    db.close()
    return db_target


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_entry SET action = 'deleted' WHERE id = 2", "DELETE FROM audit_entry"],
)
def test_the_log_refuses_updates_and_deletes(setup: str, statement: str) -> None:
    with pytest.raises(Exception, match="the audit log is append-only"):
        raw_sql(setup, statement)
    assert main(["audit", "--db", setup, "--verify"]) == 0


def test_check_names_a_removed_protection(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    if "://" in setup:
        raw_sql(setup, "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        lifted = "audit_entry_append_only"
    else:
        raw_sql(setup, "DROP TRIGGER audit_entry_no_delete")
        lifted = "audit_entry_no_delete"
    assert main(["check", "--db", setup]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"setu: error: the audit log is not protected: trigger {lifted} is missing or disabled "
        "(changed outside Setu)"
    ]


def test_untouched_database_verifies(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    assert verify(capsys, setup) == (0, "")
    assert main(["check", "--db", setup]) == 0


def test_record_edited_with_another_tool(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    tamper(setup, "UPDATE risk SET likelihood = 1 WHERE reference = 'R-002'")
    code, err = verify(capsys, setup)
    assert code == 1
    assert "risk 2 was changed outside Setu" in err
    assert main(["check", "--db", setup]) == 1


def test_record_inserted_and_deleted_behind_setus_back(
    capsys: pytest.CaptureFixture[str], setup: str
) -> None:
    tamper(
        setup,
        "DELETE FROM risk WHERE id = 3",
        "INSERT INTO risk_review (risk_id, reviewed_on, reviewer, likelihood, impact, note,"
        " version, marking, releasable_to)"
        " VALUES (1, '2025-05-01', 'x', 1, 1, '', 1, 0, 'IND RUS')",
    )
    _, err = verify(capsys, setup)
    assert "risk 3 was deleted outside Setu" in err
    assert "risk_review 1 was written outside Setu" in err


def test_edited_entry(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    tamper(setup, """UPDATE audit_entry SET "user" = 'someone-else' WHERE id = 5""")
    code, err = verify(capsys, setup)
    assert code == 1
    assert (
        err.splitlines()[0]
        == "setu: error: audit entry 5 has been altered (its hash does not match)"
    )


def test_deleted_entry(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    tamper(setup, "DELETE FROM audit_entry WHERE id = 4")
    _, err = verify(capsys, setup)
    assert "audit entry 4 is missing" in err.splitlines()[0]


def test_reordered_entries(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    tamper(
        setup,
        "UPDATE audit_entry SET id = -1 WHERE id = 6",
        "UPDATE audit_entry SET id = 6 WHERE id = 7",
        "UPDATE audit_entry SET id = 7 WHERE id = -1",
    )
    _, err = verify(capsys, setup)
    assert err.splitlines()[0].startswith("setu: error: audit entry 6 has been altered")


def test_entries_cut_off_the_end_are_found_against_the_head(
    capsys: pytest.CaptureFixture[str], setup: str
) -> None:
    with open_database(resolve(setup)) as db:
        head = audit.head(db)
    assert head.count == 8  # programme, 2 partners, 2 organisations, 3 risks
    tamper(
        setup, f"DELETE FROM audit_entry WHERE id = {head.count}", "DELETE FROM risk WHERE id = 3"
    )
    # Without the head, a clean cut of the last change and its record looks consistent...
    assert verify(capsys, setup) == (0, "")
    # ...with the head printed in a pack or stored with a backup, it does not.
    code, err = verify(capsys, setup, "--expect-head", str(head))
    assert code == 1
    assert "1 cut off the end" in err


def test_audit_listing_names_changes(capsys: pytest.CaptureFixture[str], setup: str) -> None:
    assert main(["audit", "--db", setup, "--entity", "risk"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(" created  risk " in line for line in lines)
