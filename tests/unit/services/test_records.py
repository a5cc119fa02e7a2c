"""The helpers every register's service shares (app.services.records)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from app.database import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import Contract, Decision, Organisation, Risk, Workstream
from app.services import audit, decisions, protection, records, risks, workstreams
from app.services.decisions import DecisionDraft
from app.services.validation import Checker
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft


def test_counted_says_how_many_of_what() -> None:
    assert records.counted([("contract", 2), ("workstream", 1)]) == "2 contracts and 1 workstream"
    assert records.counted([("risk", 1)]) == "1 risk"
    assert records.counted([("a", 1), ("b", 0), ("c", 3), ("d", 2)]) == "1 a, 3 cs and 2 ds"
    assert records.counted([("risk", 0)]) == ""


# check_unique ------------------------------------------------------------------------


def test_check_unique_within_the_scope_and_apart_from_itself(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    row = workstreams.create_workstream(db, pid, workstream_draft())
    with db.read() as session:
        check = Checker()
        assert records.check_unique(
            session, check, Workstream, "code", "WS-07", row.id, programme_id=pid
        )
        assert records.check_unique(
            session, check, Workstream, "code", "WS-08", 0, programme_id=pid
        )
        assert records.check_unique(
            session, check, Workstream, "code", "WS-07", 0, programme_id=pid + 1
        )
        assert check.problems == []
        assert not records.check_unique(
            session, check, Workstream, "code", "WS-07", 0, programme_id=pid
        )
        assert [(p.field, p.reason) for p in check.problems] == [
            ("code", "'WS-07' is already used by another workstream")
        ]


def test_check_unique_takes_a_message_and_skips_a_field_already_wrong(
    db: Database, programme: Fixture
) -> None:
    workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    with db.read() as session:
        check = Checker()
        records.check_unique(session, check, Workstream, "code", "WS-07", 0, message="taken")
        assert [p.reason for p in check.problems] == ["taken"]
        check = Checker()
        check.add("code", "must not be empty")
        assert not records.check_unique(session, check, Workstream, "code", "WS-07", 0)
        assert len(check.problems) == 1


# check_in_programme -----------------------------------------------------------------------


def test_check_in_programme(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    with db.read() as session:
        check = Checker()
        org = records.check_in_programme(
            session, check, pid, "supplier_id", Organisation, programme.india_org
        )
        assert org is not None and org.short_name == "TRL-Lab"
        assert records.check_in_programme(session, check, pid, "a", Contract, None) is None
        assert records.check_in_programme(session, check, pid, "b", Risk, 999) is None
        assert (
            records.check_in_programme(
                session, check, pid + 1, "c", Organisation, programme.india_org
            )
            is None
        )
        assert [(p.field, p.reason) for p in check.problems] == [
            ("a", "must be chosen"),
            ("b", "no risk 999 in this programme"),
            ("c", f"no organisation {programme.india_org} in this programme"),
        ]


# delete_versioned ---------------------------------------------------------------------------


def test_delete_versioned(db: Database, programme: Fixture) -> None:
    row = decisions.create_decision(
        db, programme.programme_id, DecisionDraft("Approve", "JWG", date(2025, 9, 30))
    )
    before = audit_count(db)
    with pytest.raises(ConflictError):
        records.delete_versioned(db, Organisation, programme.india_org, 99)
    records.delete_versioned(db, Decision, row.id, row.version)
    assert audit_count(db) == before + 1
    with pytest.raises(NotFound):
        decisions.get_decision(db, row.id)
    with pytest.raises(ConflictError) as err:
        records.delete_versioned(db, Decision, row.id, row.version)
    assert err.value.current is None  # already deleted by someone


# refuse_if_referenced ------------------------------------------------------------------------


def test_refuse_if_referenced_names_counts_and_changes_nothing(
    db: Database, programme: Fixture
) -> None:
    ws = workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    for reference in ("R-1", "R-2"):
        risks.raise_risk(
            db, programme.programme_id, risk_draft(reference=reference, workstream_id=ws.id)
        )
    referrers: list[records.Referrer] = [
        (Risk.workstream_id, "risk"),
        (Contract.workstream_id, "contract"),
    ]
    with db.read() as session:
        with pytest.raises(ValidationError) as err:
            records.refuse_if_referenced(session, "workstream", ws.id, referrers)
        assert (err.value.field, err.value.reason) == (
            "workstream",
            "2 risks still refer to it; delete them or move them elsewhere first",
        )
        # Nothing refers to another id: no error.
        records.refuse_if_referenced(session, "workstream", ws.id + 1, referrers)


def test_refuse_if_referenced_counts_a_row_once_and_merges_nouns(
    db: Database, programme: Fixture
) -> None:
    lead = workstream_draft(lead_organisation_id=programme.india_org)
    workstreams.create_workstream(db, programme.programme_id, lead)
    with db.read() as session:
        with pytest.raises(ValidationError) as err:
            records.refuse_if_referenced(
                session,
                "organisation",
                programme.india_org,
                [
                    ((Workstream.lead_organisation_id, Workstream.lead_organisation_id), "stream"),
                    (Contract.supplier_id, "stream"),
                ],
                name="organisation TRL-Lab",
            )
    assert err.value.reason == (
        "1 stream still refers to organisation TRL-Lab; delete it or move it elsewhere first"
    )


# inherit_protection ------------------------------------------------------------------------


def inherit(
    db: Database,
    programme: Fixture,
    parent: object,
    marking: int | None = 0,
    releasable_to: str | None = None,
) -> tuple[tuple[int, str], list[tuple[str, str]]]:
    with db.read() as session:
        check = Checker()
        parents = parent if isinstance(parent, tuple) else (parent,)
        loaded = [None if p is None else session.get(Workstream, p) for p in parents]
        got = protection.inherit_protection(
            session, check, programme.programme_id, loaded, marking, releasable_to
        )
        return got, [(p.field, p.reason) for p in check.problems]


def test_inherit_without_a_parent_is_check_protection(db: Database, programme: Fixture) -> None:
    assert inherit(db, programme, None) == ((0, "IND RUS"), [])
    assert inherit(db, programme, None, 2, "rus") == ((2, "RUS"), [])
    assert inherit(db, programme, None, 9)[1] == [("marking", "must be from 0 to 4, not 9")]


def test_inherit_from_one_parent(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    ws = workstreams.create_workstream(db, pid, workstream_draft(marking=2, releasable_to="IND"))
    assert inherit(db, programme, ws.id) == ((2, "IND"), [])
    assert inherit(db, programme, ws.id, None) == ((2, "IND"), [])
    assert inherit(db, programme, ws.id, 1, "IND") == ((2, "IND"), [])
    assert inherit(db, programme, ws.id, 4) == ((4, "IND"), [])
    _, problems = inherit(db, programme, ws.id, 0, "IND,RUS")
    assert problems == [
        (
            "releasable_to",
            "the workstream WS-07 is releasable to IND only; "
            "its records cannot be released more widely",
        )
    ]
    # A nation outside the programme is named as such, not as wider than the parent.
    _, problems = inherit(db, programme, ws.id, 0, "USA")
    assert [f for f, _ in problems] == ["releasable_to"]
    assert "not a partner nation" in problems[0][1]


def test_inherit_from_two_parents(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    india = workstreams.create_workstream(db, pid, workstream_draft(releasable_to="IND"))
    joint = workstreams.create_workstream(db, pid, workstream_draft(code="WS-J", marking=3))
    russia = workstreams.create_workstream(
        db, pid, workstream_draft(code="WS-R", releasable_to="RUS")
    )
    assert inherit(db, programme, (india.id, joint.id)) == ((3, "IND"), [])
    assert inherit(db, programme, (None, joint.id)) == ((3, "IND RUS"), [])
    _, problems = inherit(db, programme, (india.id, russia.id))
    assert problems == [
        (
            "releasable_to",
            "the workstream WS-07 to IND and the workstream WS-R to RUS only: "
            "no nation may see a record of both",
        )
    ]


# assign_in_turn ----------------------------------------------------------------------


def test_changes_in_turn_are_each_audited_in_as_many_flushes_as_the_longest(
    db: Database, programme: Fixture
) -> None:
    pid = programme.programme_id
    first = risks.raise_risk(db, pid, risk_draft(reference="R-1", likelihood=1))
    second = risks.raise_risk(db, pid, risk_draft(reference="R-2", likelihood=1))
    flushes: list[int] = []
    with db.begin() as session:
        event.listen(session, "after_flush", lambda *_: flushes.append(1))
        one, two = session.get(Risk, first.id), session.get(Risk, second.id)
        assert one is not None and two is not None
        records.assign_in_turn(
            session, [(one, [{"likelihood": 2}, {"likelihood": 3}]), (two, [{"likelihood": 5}])]
        )
    assert len(flushes) == 2
    changes = [
        (e.entity_id, e.old_values, e.new_values["likelihood"] if e.new_values else None)
        for e in reversed(audit.entries(db, entity="risk", limit=3))
    ]
    assert changes == [
        (first.id, {"likelihood": 1}, 2),
        (second.id, {"likelihood": 1}, 5),
        (first.id, {"likelihood": 2}, 3),
    ]
    assert risks.get_risk(db, first.id).version == first.version + 2


def test_a_record_given_twice_is_refused(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, risk_draft())
    with db.begin() as session, pytest.raises(ValueError):
        risk = records.get(session, Risk, row.id)
        records.assign_in_turn(session, [(risk, [{"impact": 1}]), (risk, [{"impact": 2}])])
