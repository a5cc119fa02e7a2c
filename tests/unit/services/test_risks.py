"""The risk register service: validation, optimistic locking, reviews, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.services import audit, risks
from app.services.risks import ReviewDraft, RiskDraft
from tests.conftest import Fixture, audit_count, risk_draft


def a_draft(**changes: object) -> RiskDraft:
    return risk_draft(**{"owner": "Col. A. Rao", **changes})


def test_raise_risk_stores_and_audits(db: Database, programme: Fixture) -> None:
    before = audit_count(db)
    row = risks.raise_risk(db, programme.programme_id, a_draft())
    assert (row.score, row.rating) == (16, "HIGH")
    assert row.releasable_to == "IND RUS"
    assert risks.list_risks(db, programme.programme_id) == [row]
    assert audit_count(db) == before + 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("likelihood", 0),
        ("likelihood", 6),
        ("impact", 7),
        ("title", "x" * 10_000),
        ("title", "   "),
        ("category", "weather"),
        ("cost_impact_minor", -1),
        ("releasable_to", "IND USA"),
        ("marking", 9),
    ],
)
def test_bad_value_is_named_and_changes_nothing(
    db: Database, programme: Fixture, field: str, value: object
) -> None:
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        risks.raise_risk(db, programme.programme_id, a_draft(**{field: value}))
    assert err.value.field == field
    assert risks.list_risks(db, programme.programme_id) == []
    assert audit_count(db) == before


def test_reference_is_unique_in_programme(db: Database, programme: Fixture) -> None:
    risks.raise_risk(db, programme.programme_id, a_draft())
    with pytest.raises(ValidationError) as err:
        risks.raise_risk(db, programme.programme_id, a_draft(title="Another"))
    assert err.value.field == "reference"


def test_second_edit_of_same_version_is_a_conflict(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, a_draft())
    first = risks.update_risk(db, row.id, row.version, a_draft(title="Edited by officer A"))
    with pytest.raises(ConflictError) as err:
        risks.update_risk(db, row.id, row.version, a_draft(title="Edited by officer B"))
    assert err.value.current is not None
    assert err.value.current["title"] == "Edited by officer A"
    assert risks.get_risk(db, row.id) == first


def test_latest_review_sets_current_assessment(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, a_draft())
    row = risks.review_risk(db, row.id, row.version, ReviewDraft(date(2025, 6, 1), "JWG", 5, 5))
    assert (row.likelihood, row.impact) == (5, 5)
    # An older review is history only: it does not overwrite the newer assessment.
    row = risks.review_risk(db, row.id, row.version, ReviewDraft(date(2025, 4, 1), "JWG", 1, 1))
    assert (row.likelihood, row.impact) == (5, 5)
    assert [r.reviewed_on for r in risks.reviews(db, row.id)] == [
        date(2025, 4, 1),
        date(2025, 6, 1),
    ]


def test_review_before_raised_is_rejected(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, a_draft())
    with pytest.raises(ValidationError) as err:
        risks.review_risk(db, row.id, row.version, ReviewDraft(date(2024, 1, 1), "JWG", 2, 2))
    assert err.value.field == "reviewed_on"


def test_delete_removes_risk_and_reviews(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, a_draft())
    row = risks.review_risk(db, row.id, row.version, ReviewDraft(date(2025, 6, 1), "JWG", 3, 3))
    risks.delete_risk(db, row.id, row.version)
    assert risks.list_risks(db, programme.programme_id) == []
    assert risks.reviews(db, row.id) == []


def test_close_risk_keeps_everything_else(db: Database, programme: Fixture) -> None:
    row = risks.raise_risk(db, programme.programme_id, a_draft(marking=1))
    before = audit_count(db)
    closed = risks.close_risk(db, row.id, row.version)
    assert closed.status == "closed"
    assert replace(closed, status=row.status, version=row.version) == row
    assert audit_count(db) == before + 1
    with pytest.raises(ConflictError):
        risks.close_risk(db, row.id, row.version)


# Correcting and deleting reviews -----------------------------------------------------------


def reviewed(db: Database, programme: Fixture) -> tuple[risks.RiskRow, list[risks.ReviewRow]]:
    """A risk (raised 4x4) reviewed 3x3 in April and 5x2 in June."""
    row = risks.raise_risk(db, programme.programme_id, a_draft(marking=2, releasable_to="IND"))
    for on, likelihood, impact in ((date(2025, 4, 1), 3, 3), (date(2025, 6, 1), 5, 2)):
        draft = ReviewDraft(on, "JWG", likelihood, impact)
        row = risks.review_risk(db, row.id, row.version, draft)
    return row, risks.reviews(db, row.id)


def test_reviews_carry_the_risk_protection(db: Database, programme: Fixture) -> None:
    row, found = reviewed(db, programme)
    assert (row.likelihood, row.impact) == (5, 2)
    assert {(r.marking, r.releasable_to) for r in found} == {(2, "IND")}


def test_correcting_the_latest_review_resets_the_risk(db: Database, programme: Fixture) -> None:
    row, (april, june) = reviewed(db, programme)
    edited = risks.update_review(
        db, june.id, june.version, ReviewDraft(june.reviewed_on, "JWG", 4, 4, "typo fixed")
    )
    assert (edited.likelihood, edited.impact, edited.note, edited.version) == (
        4,
        4,
        "typo fixed",
        2,
    )
    now = risks.get_risk(db, row.id)
    assert (now.likelihood, now.impact, now.version) == (4, 4, row.version + 1)
    # Moving it before April makes April's review the latest.
    edited = risks.update_review(
        db, june.id, edited.version, ReviewDraft(date(2025, 3, 15), "JWG", 4, 4)
    )
    assert (risks.get_risk(db, row.id).likelihood, risks.get_risk(db, row.id).impact) == (3, 3)
    assert [r.id for r in risks.reviews(db, row.id)] == [june.id, april.id]


def test_correcting_an_older_review_keeps_the_assessment(db: Database, programme: Fixture) -> None:
    row, (april, _) = reviewed(db, programme)
    before = audit_count(db)
    risks.update_review(db, april.id, april.version, ReviewDraft(april.reviewed_on, "JWG", 1, 1))
    assert risks.get_risk(db, row.id) == row
    assert audit_count(db) == before + 1  # the review only


@pytest.mark.parametrize(
    ("field", "draft"),
    [
        ("reviewed_on", ReviewDraft(date(2024, 1, 1), "JWG", 2, 2)),  # before raised
        ("likelihood", ReviewDraft(date(2025, 6, 1), "JWG", 6, 2)),
        ("reviewer", ReviewDraft(date(2025, 6, 1), "", 2, 2)),
    ],
)
def test_bad_review_correction_changes_nothing(
    db: Database, programme: Fixture, field: str, draft: ReviewDraft
) -> None:
    row, found = reviewed(db, programme)
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        risks.update_review(db, found[1].id, found[1].version, draft)
    assert err.value.field == field
    assert risks.reviews(db, row.id) == found
    assert risks.get_risk(db, row.id) == row
    assert audit_count(db) == before


def test_review_correction_of_a_stale_version_is_a_conflict(
    db: Database, programme: Fixture
) -> None:
    row, (_, june) = reviewed(db, programme)
    risks.update_review(db, june.id, june.version, ReviewDraft(june.reviewed_on, "A", 4, 4))
    with pytest.raises(ConflictError):
        risks.update_review(db, june.id, june.version, ReviewDraft(june.reviewed_on, "B", 1, 1))
    with pytest.raises(ConflictError):
        risks.delete_review(db, june.id, june.version)
    assert (risks.get_risk(db, row.id).likelihood, risks.reviews(db, row.id)[1].reviewer) == (
        4,
        "A",
    )


def test_deleting_reviews_falls_back_to_the_latest_remaining(
    db: Database, programme: Fixture
) -> None:
    row, (april, june) = reviewed(db, programme)
    before = audit_count(db)
    risks.delete_review(db, june.id, june.version)
    now = risks.get_risk(db, row.id)
    assert (now.likelihood, now.impact) == (3, 3)
    assert risks.reviews(db, row.id) == [april]
    assert audit_count(db) == before + 2  # the review and the risk
    # With no review left, the risk keeps its last assessment.
    risks.delete_review(db, april.id, april.version)
    assert risks.get_risk(db, row.id) == now
    assert risks.reviews(db, row.id) == []


BOARD = (
    ReviewDraft(date(2025, 4, 1), "JWG", 3, 3),
    ReviewDraft(date(2025, 8, 1), "JWG", 2, 4),
    ReviewDraft(date(2025, 6, 1), "JWG", 5, 5),  # entered late: history only
    ReviewDraft(date(2025, 9, 1), "JWG", 1, 4),
)


def changes_of(db: Database, risk_id: int) -> list[object]:
    """A risk's audit entries, oldest first, without the values that differ by record."""
    found = [e for e in reversed(audit.entries(db, entity="risk")) if e.entity_id == risk_id]
    return [
        (e.action, e.old_values, {**(e.new_values or {}), "id": 0, "reference": ""}) for e in found
    ]


def test_a_board_of_reviews_is_the_reviews_one_by_one(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    alone = risks.raise_risk(db, pid, risk_draft(reference="R-1"))
    for draft in BOARD:
        alone = risks.review_risk(db, alone.id, alone.version, draft)
    other = risks.raise_risk(db, pid, risk_draft(reference="R-2", likelihood=2))
    board = risks.raise_risk(db, pid, risk_draft(reference="R-3"))
    before = audit_count(db)
    rows = risks.review_risks(
        db,
        [
            (other.id, other.version, BOARD[:1]),
            (board.id, board.version, BOARD),
        ],
    )
    assert (rows[1].likelihood, rows[1].impact, rows[1].version) == (1, 4, alone.version)
    assert changes_of(db, board.id) == changes_of(db, alone.id)
    assert (rows[0].likelihood, rows[0].impact) == (3, 3)
    # Five reviews and four re-assessments (one review is older than the latest).
    assert audit_count(db) == before + 5 + 4
    assert [r.reviewed_on for r in risks.reviews(db, board.id)] == sorted(
        d.reviewed_on for d in BOARD
    )


def test_a_bad_review_on_the_board_records_none(db: Database, programme: Fixture) -> None:
    pid = programme.programme_id
    first = risks.raise_risk(db, pid, risk_draft(reference="R-1"))
    second = risks.raise_risk(db, pid, risk_draft(reference="R-2"))
    before = audit_count(db)
    with pytest.raises(ValidationError) as err:
        risks.review_risks(
            db,
            [
                (first.id, first.version, BOARD[:1]),
                (second.id, second.version, [ReviewDraft(date(2025, 5, 1), "JWG", 9, 1)]),
            ],
        )
    assert [p.field for p in err.value.problems] == ["likelihood"]
    assert audit_count(db) == before
    assert risks.reviews(db, first.id) == []
