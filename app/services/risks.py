"""The risk register: raising, editing, reviewing and closing risks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import Rating, RiskCategory, RiskResponse, RiskStatus, rating
from app.models import Action, Contract, Risk, RiskReview, Workstream
from app.services import protection, records
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import NAME_MAX, TEXT_MAX, TITLE_MAX, Checker

# Ids bound in one IN (...): well inside every database's limit on parameters.
_IDS_PER_QUERY = 500


@dataclass(frozen=True)
class RiskDraft(Draft):
    reference: str
    title: str
    category: str
    raised_on: date
    likelihood: int
    impact: int
    residual_likelihood: int
    residual_impact: int
    owner: str = ""
    cause: str = ""
    effect: str = ""
    response: str = RiskResponse.MITIGATE.value
    mitigation: str = ""
    proximity: date | None = None
    cost_impact_minor: int = 0
    status: str = RiskStatus.OPEN.value
    workstream_id: int | None = None
    contract_id: int | None = None
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class RiskRow(Row):
    id: int
    version: int
    programme_id: int
    reference: str
    title: str
    cause: str
    effect: str
    category: str
    owner: str
    raised_on: date
    likelihood: int
    impact: int
    residual_likelihood: int
    residual_impact: int
    response: str
    mitigation: str
    proximity: date | None
    cost_impact_minor: int
    status: str
    workstream_id: int | None
    contract_id: int | None
    marking: int
    releasable_to: str

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rating(self) -> Rating:
        return rating(self.likelihood, self.impact)

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    def draft(self) -> RiskDraft:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return RiskDraft(**{f: getattr(self, f) for f in RiskDraft.__dataclass_fields__})


@dataclass(frozen=True)
class ReviewDraft(Draft):
    reviewed_on: date
    reviewer: str
    likelihood: int
    impact: int
    note: str = ""


@dataclass(frozen=True)
class ReviewRow(Row):
    id: int
    version: int
    risk_id: int
    reviewed_on: date
    reviewer: str
    likelihood: int
    impact: int
    note: str
    marking: int  # always the risk's: a review has no protection of its own
    releasable_to: str


def check_risk(draft: RiskDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("reference", draft.reference, max_len=40)
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.text("cause", draft.cause, required=False, max_len=TEXT_MAX)
    check.text("effect", draft.effect, required=False, max_len=TEXT_MAX)
    check.choice("category", draft.category, RiskCategory)
    check.text("owner", draft.owner, required=False, max_len=NAME_MAX)
    check.is_date("raised_on", draft.raised_on)
    for field in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        check.rating(field, getattr(draft, field))
    check.choice("response", draft.response, RiskResponse)
    check.text("mitigation", draft.mitigation, required=False, max_len=TEXT_MAX)
    check.is_date("proximity", draft.proximity, required=False)
    check.amount("cost_impact_minor", draft.cost_impact_minor)
    check.choice("status", draft.status, RiskStatus)
    return check


def _check_in_programme(
    session: Session, check: Checker, programme_id: int, draft: RiskDraft, own_id: int
) -> dict[str, Any]:
    """Check the reference and links; returns the draft's columns with the protection to store.

    A risk of a workstream or contract reveals it, so it is protected at least as
    closely as each (`protection.inherit_protection`).
    """
    records.check_unique(
        session, check, Risk, "reference", draft.reference, own_id, programme_id=programme_id
    )
    workstream = contract = None
    if draft.workstream_id is not None:
        workstream = records.check_in_programme(
            session, check, programme_id, "workstream_id", Workstream, draft.workstream_id
        )
    if draft.contract_id is not None:
        contract = records.check_in_programme(
            session, check, programme_id, "contract_id", Contract, draft.contract_id
        )
    marking, releasable = protection.inherit_protection(
        session, check, programme_id, (workstream, contract), draft.marking, draft.releasable_to
    )
    return {**draft.columns(), "marking": marking, "releasable_to": releasable}


def new_risk(session: Session, programme_id: int, draft: RiskDraft) -> Risk:
    """Check a new risk and queue it for the unit of work's next flush (`records.add`).

    `raise_risk` is this for one risk; a bulk import calls it for every row.
    """
    check = check_risk(draft)
    records.programme_of(session, programme_id)
    values = _check_in_programme(session, check, programme_id, draft, 0)
    check.done()
    return records.add(session, Risk, {**values, "programme_id": programme_id})


def raise_risk(db: Database, programme_id: int, draft: RiskDraft) -> RiskRow:
    with db.begin() as session:
        return RiskRow.of(records.flushed(session, new_risk(session, programme_id, draft)))


def update_risk(db: Database, risk_id: int, version: int, draft: RiskDraft) -> RiskRow:
    check = check_risk(draft)
    with db.begin() as session:
        risk = records.for_update(session, Risk, risk_id, version)
        values = _check_in_programme(session, check, risk.programme_id, draft, risk.id)
        check.done()
        # Its reviews and actions must not outreach it.
        protection.assign_and_propagate(session, risk, values)
        return RiskRow.of(risk)


def delete_risk(db: Database, risk_id: int, version: int) -> None:
    """Delete a risk with its reviews; its actions stay, as programme actions."""
    with db.begin() as session:
        risk = records.for_update(session, Risk, risk_id, version)
        for action in session.scalars(select(Action).where(Action.risk_id == risk_id)):
            action.risk_id = None
        records.remove(
            session, session.scalars(select(RiskReview).where(RiskReview.risk_id == risk_id))
        )
        records.remove(session, [risk])


def get_risk(db: Database, risk_id: int) -> RiskRow:
    with db.read() as session:
        return RiskRow.of(records.get(session, Risk, risk_id))


def list_risks(db: Database, programme_id: int) -> list[RiskRow]:
    with db.read() as session:
        rows = session.scalars(
            select(Risk).where(Risk.programme_id == programme_id).order_by(bytewise(Risk.reference))
        )
        return [RiskRow.of(r) for r in rows]


def check_review(draft: ReviewDraft) -> Checker:
    check = Checker()
    check.is_date("reviewed_on", draft.reviewed_on)
    check.text("reviewer", draft.reviewer, max_len=NAME_MAX)
    check.rating("likelihood", draft.likelihood)
    check.rating("impact", draft.impact)
    check.text("note", draft.note, required=False, max_len=TEXT_MAX)
    return check


def _latest_review(session: Session, risk_id: int) -> RiskReview | None:
    """The review that sets the risk's current values: the latest by date, then entry."""
    return session.scalars(
        select(RiskReview)
        .where(RiskReview.risk_id == risk_id)
        .order_by(RiskReview.reviewed_on.desc(), RiskReview.id.desc())
        .limit(1)
    ).first()


def _reassess(session: Session, risk: Risk, review: RiskReview | None) -> None:
    """Set the risk's current likelihood and impact from `review`, if there is one.

    With no review left the risk keeps the values it has: the assessment it was raised
    with is in the audit log, not on the record, so there is nothing better to go back to.
    """
    if review is not None:
        records.assign(session, risk, {"likelihood": review.likelihood, "impact": review.impact})


def review_risk(db: Database, risk_id: int, version: int, draft: ReviewDraft) -> RiskRow:
    """Record a review; the latest review by date sets the risk's current assessment."""
    return review_risks(db, [(risk_id, version, [draft])])[0]


# A risk's id, the version the caller read, and its new reviews in the order held.
RiskReviews = tuple[int, int, Sequence[ReviewDraft]]


def review_risks(db: Database, reviewed: Sequence[RiskReviews]) -> list[RiskRow]:
    """Record the reviews of several risks (a risk board's), as `review_risk` would in turn.

    Each review that is the latest by date re-assesses its risk, as a change of its own;
    but the risks' first re-assessments are written together, then their second ones,
    and so on (`records.assign_in_turn`), so a register's reviews take a few writes, not
    two each. Nothing is written unless every review passes its checks.
    """
    with db.begin() as session:
        risks = [records.for_update(session, Risk, r, version) for r, version, _ in reviewed]
        for risk, (_, _, drafts) in zip(risks, reviewed, strict=True):
            for draft in drafts:
                check = check_review(draft)
                check.ordered("raised_on", risk.raised_on, "reviewed_on", draft.reviewed_on)
                check.done()
        latest = _latest_dates(session, [risk.id for risk in risks])
        changes: list[tuple[Risk, list[dict[str, Any]]]] = []
        for risk, (_, _, drafts) in zip(risks, reviewed, strict=True):
            steps = []
            for draft in drafts:
                same = protection.same_protection(risk)
                records.add(session, RiskReview, {**draft.columns(), "risk_id": risk.id, **same})
                # An older review is history only: it must not undo a newer assessment.
                # A new review is entered last, so it is the latest (`_latest_review`)
                # unless another is dated later.
                if risk.id not in latest or draft.reviewed_on >= latest[risk.id]:
                    latest[risk.id] = draft.reviewed_on
                    steps.append({"likelihood": draft.likelihood, "impact": draft.impact})
            changes.append((risk, steps))
        records.assign_in_turn(session, changes)
        session.flush()  # the reviews that re-assessed nothing
        return [RiskRow.of(risk) for risk in risks]


def _latest_dates(session: Session, risk_ids: Sequence[int]) -> dict[int, date]:
    """Each risk's latest review date (risks without a review are left out)."""
    found: dict[int, date] = {}
    for start in range(0, len(risk_ids), _IDS_PER_QUERY):
        latest = session.execute(
            select(RiskReview.risk_id, func.max(RiskReview.reviewed_on))
            .where(RiskReview.risk_id.in_(risk_ids[start : start + _IDS_PER_QUERY]))
            .group_by(RiskReview.risk_id)
        )
        found.update({risk_id: day for risk_id, day in latest})
    return found


def update_review(db: Database, review_id: int, version: int, draft: ReviewDraft) -> ReviewRow:
    """Correct a review; the risk's current values are re-derived from its latest review.

    The risk's version moves when its values change, so callers reload the risk.
    """
    check = check_review(draft)
    with db.begin() as session:
        review = records.for_update(session, RiskReview, review_id, version)
        risk = records.get(session, Risk, review.risk_id)
        check.ordered("raised_on", risk.raised_on, "reviewed_on", draft.reviewed_on)
        check.done()
        records.assign(session, review, {**draft.columns(), **protection.same_protection(risk)})
        _reassess(session, risk, _latest_review(session, risk.id))
        return ReviewRow.of(review)


def delete_review(db: Database, review_id: int, version: int) -> None:
    """Delete a review; the latest remaining one (if any) sets the risk's current values."""
    with db.begin() as session:
        review = records.for_update(session, RiskReview, review_id, version)
        risk = records.get(session, Risk, review.risk_id)
        records.remove(session, [review])
        _reassess(session, risk, _latest_review(session, risk.id))


def reviews(db: Database, risk_id: int) -> list[ReviewRow]:
    """A risk's reviews, oldest first."""
    with db.read() as session:
        rows = session.scalars(
            select(RiskReview)
            .where(RiskReview.risk_id == risk_id)
            .order_by(RiskReview.reviewed_on, RiskReview.id)
        )
        return [ReviewRow.of(r) for r in rows]


def close_risk(db: Database, risk_id: int, version: int) -> RiskRow:
    current = get_risk(db, risk_id)
    return update_risk(db, risk_id, version, replace(current.draft(), status=RiskStatus.CLOSED))
