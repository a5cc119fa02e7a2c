"""Answers a unit of work keeps (app.services.lookups): as true as asking every time."""

from __future__ import annotations

import gc
from dataclasses import replace

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.database import Database
from app.errors import ValidationError
from app.models import Risk, Workstream
from app.services import protection, records, risks, settings, workstreams
from app.services.validation import Checker
from tests.conftest import Fixture, risk_draft, workstream_draft
from tests.integration.test_query_plans import statements


def taken(session: Session, programme: Fixture, reference: str, own_id: int = 0) -> bool:
    return not records.check_unique(
        session,
        Checker(),
        Risk,
        "reference",
        reference,
        own_id,
        programme_id=programme.programme_id,
    )


def test_a_queued_risk_holds_its_reference_before_it_is_written(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    with db.begin() as session:
        risks.new_risk(session, pid, risk_draft(reference="R-1"))
        risks.new_risk(session, pid, risk_draft(reference="R-2"))  # reads the references
        queued = risks.new_risk(session, pid, risk_draft(reference="R-3"))
        with statements(db) as sent, pytest.raises(ValidationError) as err:
            risks.new_risk(session, pid, risk_draft(reference="R-3"))
        assert sent == []  # answered from what the unit of work holds, nothing written
        assert inspect(queued).pending
    assert [(p.field, p.reason) for p in err.value.problems] == [
        ("reference", "'R-3' is already used by another risk")
    ]
    assert sorted(r.reference for r in risks.list_risks(db, pid)) == ["R-1", "R-2", "R-3"]


def test_an_edit_and_a_delete_free_a_reference_in_the_same_unit_of_work(
    db: Database, programme: Fixture
) -> None:
    edited = risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-1"))
    deleted = risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-2"))
    with db.begin() as session:
        assert taken(session, programme, "R-1") and taken(session, programme, "R-2")
        risks.update_risk(db, edited.id, edited.version, replace(edited.draft(), reference="R-9"))
        risks.delete_risk(db, deleted.id, deleted.version)
        assert not taken(session, programme, "R-1")
        assert not taken(session, programme, "R-2")
        assert taken(session, programme, "R-9")
        assert not taken(session, programme, "R-9", own_id=edited.id)


def test_a_rolled_back_savepoint_is_forgotten(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-1"))
    with db.begin() as session:
        assert taken(session, programme, "R-1") and not taken(session, programme, "R-9")
        savepoint = session.begin_nested()
        risks.update_risk(db, row.id, row.version, replace(row.draft(), reference="R-9"))
        assert taken(session, programme, "R-9")
        savepoint.rollback()
        assert taken(session, programme, "R-1") and not taken(session, programme, "R-9")


def test_a_record_looked_up_once_is_not_read_again(db: Database, programme: Fixture) -> None:
    ws = workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    with db.begin() as session:
        records.get(session, Workstream, ws.id)
        gc.collect()  # the identity map alone would have let it go
        with statements(db) as sent:
            assert records.get(session, Workstream, ws.id).code == "WS-07"
        assert sent == []


def test_a_setting_changed_in_the_unit_of_work_is_read_again(
    db: Database, programme: Fixture
) -> None:
    with db.begin() as session:
        assert len(protection.marking_scale(session)) == len(settings.DEFAULTS["marking_scale"])
        settings.change(db, "marking_scale", ["OPEN", "GUARDED"], 0)
        assert protection.marking_scale(session) == ("OPEN", "GUARDED")
