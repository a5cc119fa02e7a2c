"""Units of work are real transactions: consistent reads, savepoints, early locks.

On SQLite a write begins with BEGIN IMMEDIATE; on PostgreSQL with the advisory lock
that serialises appends to the audit log.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from app.config import resolve
from app.database import Database, open_database
from app.errors import ConflictError, ValidationError
from app.models import Risk
from app.server import WRITE_LOCK
from app.services import audit, risks
from app.services.risks import RiskDraft
from tests.conftest import Fixture

DRAFT = RiskDraft("R-001", "Wafer supply", "supply chain", date(2025, 1, 1), 3, 4, 2, 2)


def test_two_officers_editing_the_same_risk(
    db: Database, programme: Fixture, db_target: str
) -> None:
    """Two workstations (two open databases) save the same version: the second is refused."""
    row = risks.raise_risk(db, programme.programme_id, DRAFT)
    with open_database(resolve(db_target)) as other:
        seen_by_a = risks.get_risk(db, row.id)
        seen_by_b = risks.get_risk(other, row.id)
        saved = risks.update_risk(db, row.id, seen_by_a.version, replace(DRAFT, owner="Officer A"))
        with pytest.raises(ConflictError) as err:
            risks.update_risk(other, row.id, seen_by_b.version, replace(DRAFT, impact=5))
        assert "changed by someone else" in str(err.value)
        assert err.value.current is not None and err.value.current["owner"] == "Officer A"
        assert risks.get_risk(other, row.id) == saved  # A's change is kept, nothing mixed


def test_a_read_sees_one_consistent_state(db: Database, programme: Fixture, db_path: Path) -> None:
    risks.raise_risk(db, programme.programme_id, DRAFT)
    with db.read() as session:
        before = session.scalar(select(Risk.title))
        writer = sqlite3.connect(db_path)
        writer.execute("UPDATE risk SET title = 'changed meanwhile'")
        writer.commit()
        writer.close()
        # pysqlite would have started no transaction yet; ours began at the first read.
        assert session.scalar(select(Risk.title)) == before
    with db.read() as session:
        assert session.scalar(select(Risk.title)) == "changed meanwhile"


def test_writes_take_the_lock_at_begin(db: Database, programme: Fixture, dialect: str) -> None:
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        risks.raise_risk(db, programme.programme_id, DRAFT)
        with db.read() as session:
            session.execute(text("SELECT 1"))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    if dialect == "sqlite":
        begins = [s for s in statements if s.startswith("BEGIN")]
        assert begins == ["BEGIN IMMEDIATE", "BEGIN"]
    else:  # psycopg begins by itself; the write's first statement takes the lock
        assert statements[0] == f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"
        assert sum("pg_advisory" in s for s in statements) == 1  # reads take no lock


def test_savepoint_rolls_back_only_its_part(db: Database, programme: Fixture) -> None:
    with db.begin() as session:
        risks.raise_risk(db, programme.programme_id, DRAFT)
        with pytest.raises(ValidationError), session.begin_nested():
            risks.raise_risk(db, programme.programme_id, replace(DRAFT, reference="R-002"))
            raise ValidationError.one("title", "abandoned by the user")
    assert [r.reference for r in risks.list_risks(db, programme.programme_id)] == ["R-001"]
    # The audit entries written inside the savepoint went with it; the chain still holds.
    assert audit.verify(db) == []


def test_nested_units_of_work_commit_together_or_not_at_all(
    db: Database, programme: Fixture
) -> None:
    with pytest.raises(ValidationError), db.begin():
        risks.raise_risk(db, programme.programme_id, DRAFT)
        risks.raise_risk(db, programme.programme_id, replace(DRAFT, likelihood=0))
    assert risks.list_risks(db, programme.programme_id) == []


def test_a_deleted_records_id_is_never_given_to_a_new_one(db: Database, programme: Fixture) -> None:
    """An officer still editing a deleted risk must not overwrite the next risk raised."""
    old = risks.raise_risk(db, programme.programme_id, DRAFT)
    risks.delete_risk(db, old.id, old.version)
    new = risks.raise_risk(db, programme.programme_id, replace(DRAFT, reference="R-002"))
    assert new.id != old.id
    with pytest.raises(ConflictError, match="deleted by someone else"):
        risks.update_risk(db, old.id, old.version, replace(DRAFT, title="stale edit"))
    assert risks.get_risk(db, new.id) == new
