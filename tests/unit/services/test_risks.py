"""The risk register service: validation, optimistic locking, reviews, audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import func, select

from app.database import Database
from app.errors import ConflictError, ValidationError
from app.models import AuditEntry
from app.services import risks
from app.services.risks import ReviewDraft, RiskDraft
from tests.conftest import Fixture


def a_draft(**changes: object) -> RiskDraft:
    draft = RiskDraft(
        reference="R-001",
        title="Radome supplier capacity",
        category="supply chain",
        raised_on=date(2025, 3, 1),
        likelihood=4,
        impact=4,
        residual_likelihood=2,
        residual_impact=3,
        owner="Col. A. Rao",
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def audit_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


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
