"""Money moving under the agreements: partners' contributions and workstreams' expenditure.

Amounts are stored in the currency they were paid or spent in; conversion to the
programme's base currency happens in the analytics, by the agreement's FX rule, so a
rate entered late changes the figures without touching these records. The agreements
themselves are in `app.services.agreements`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import ContributionKind, ExpenditureCategory
from app.models import Contribution, CostShare, CostShareAgreement, Expenditure, Workstream
from app.services import lookups, protection, records
from app.services.records import Draft, Row
from app.services.validation import Checker

DESCRIPTION_MAX = 400


def _check_money(check: Checker, amount_minor: int, currency: str, description: str) -> None:
    """What a contribution and an expenditure share: an amount in a known currency."""
    check.amount("amount_minor", amount_minor)
    check.currency("currency", currency)
    check.text("description", description, required=False, max_len=DESCRIPTION_MAX)


# Contributions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContributionDraft(Draft):
    cost_share_id: int
    contributed_on: date
    kind: str
    amount_minor: int
    currency: str
    description: str = ""
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class ContributionRow(Row):
    id: int
    version: int
    cost_share_id: int
    contributed_on: date
    kind: str
    amount_minor: int
    currency: str
    description: str
    marking: int
    releasable_to: str


def check_contribution(draft: ContributionDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.is_date("contributed_on", draft.contributed_on)
    check.choice("kind", draft.kind, ContributionKind)
    _check_money(check, draft.amount_minor, draft.currency, draft.description)
    return check


def _agreement_of(session: Session, cost_share_id: int | None) -> CostShareAgreement | None:
    share = None if cost_share_id is None else lookups.record(session, CostShare, cost_share_id)
    return (
        None if share is None else lookups.record(session, CostShareAgreement, share.agreement_id)
    )


def _check_contribution_in(
    session: Session, check: Checker, programme_id: int, draft: ContributionDraft
) -> dict[str, Any]:
    """Check the share; returns the draft's columns with the protection to store.

    A payment under an agreement reveals the agreement, so it is protected at least as
    closely (`protection.inherit_protection`): by default exactly like it.
    """
    agreement = _agreement_of(session, draft.cost_share_id)
    if agreement is None or agreement.programme_id != programme_id:
        agreement = None
        check.add(
            "cost_share_id",
            f"no partner's share {draft.cost_share_id} on an agreement of this programme",
        )
    marking, releasable = protection.inherit_protection(
        session, check, programme_id, agreement, draft.marking, draft.releasable_to
    )
    return {**draft.columns(), "marking": marking, "releasable_to": releasable}


def new_contribution(session: Session, programme_id: int, draft: ContributionDraft) -> Contribution:
    """Check a new contribution and queue it for the unit of work's next flush."""
    check = check_contribution(draft)
    records.programme_of(session, programme_id)
    values = _check_contribution_in(session, check, programme_id, draft)
    check.done()
    return records.add(session, Contribution, values)


def create_contribution(
    db: Database, programme_id: int, draft: ContributionDraft
) -> ContributionRow:
    with db.begin() as session:
        return ContributionRow.of(
            records.flushed(session, new_contribution(session, programme_id, draft))
        )


def update_contribution(
    db: Database, contribution_id: int, version: int, draft: ContributionDraft
) -> ContributionRow:
    """Change a contribution; it may move to another partner's share in the same programme."""
    check = check_contribution(draft)
    with db.begin() as session:
        contribution = records.for_update(session, Contribution, contribution_id, version)
        share = records.get(session, CostShare, contribution.cost_share_id)
        programme_id = records.get(session, CostShareAgreement, share.agreement_id).programme_id
        values = _check_contribution_in(session, check, programme_id, draft)
        check.done()
        records.assign(session, contribution, values)
        return ContributionRow.of(contribution)


def delete_contribution(db: Database, contribution_id: int, version: int) -> None:
    records.delete_versioned(db, Contribution, contribution_id, version)


def list_contributions(db: Database, agreement_id: int) -> list[ContributionRow]:
    """An agreement's contributions from every partner, oldest first."""
    with db.read() as session:
        rows = session.scalars(
            select(Contribution)
            .join(CostShare, CostShare.id == Contribution.cost_share_id)
            .where(CostShare.agreement_id == agreement_id)
            .order_by(Contribution.contributed_on, Contribution.id)
        )
        return [ContributionRow.of(c) for c in rows]


# Expenditures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenditureDraft(Draft):
    workstream_id: int
    spent_on: date
    amount_minor: int
    currency: str
    category: str
    description: str = ""
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class ExpenditureRow(Row):
    id: int
    version: int
    workstream_id: int
    spent_on: date
    amount_minor: int
    currency: str
    category: str
    description: str
    marking: int
    releasable_to: str


def check_expenditure(draft: ExpenditureDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.is_date("spent_on", draft.spent_on)
    check.choice("category", draft.category, ExpenditureCategory)
    _check_money(check, draft.amount_minor, draft.currency, draft.description)
    return check


def _check_expenditure_in(
    session: Session, check: Checker, programme_id: int, draft: ExpenditureDraft
) -> dict[str, Any]:
    """Check the workstream; returns the draft's columns with the protection to store.

    Spending on a workstream reveals the workstream (and feeds its earned value), so
    it is protected at least as closely (`protection.inherit_protection`).
    """
    workstream = records.check_in_programme(
        session, check, programme_id, "workstream_id", Workstream, draft.workstream_id
    )
    marking, releasable = protection.inherit_protection(
        session, check, programme_id, workstream, draft.marking, draft.releasable_to
    )
    return {**draft.columns(), "marking": marking, "releasable_to": releasable}


def new_expenditure(session: Session, programme_id: int, draft: ExpenditureDraft) -> Expenditure:
    """Check a new expenditure and queue it for the unit of work's next flush."""
    check = check_expenditure(draft)
    records.programme_of(session, programme_id)
    values = _check_expenditure_in(session, check, programme_id, draft)
    check.done()
    return records.add(session, Expenditure, values)


def create_expenditure(db: Database, programme_id: int, draft: ExpenditureDraft) -> ExpenditureRow:
    with db.begin() as session:
        return ExpenditureRow.of(
            records.flushed(session, new_expenditure(session, programme_id, draft))
        )


def update_expenditure(
    db: Database, expenditure_id: int, version: int, draft: ExpenditureDraft
) -> ExpenditureRow:
    """Change an expenditure; it may move to another workstream of the same programme."""
    check = check_expenditure(draft)
    with db.begin() as session:
        expenditure = records.for_update(session, Expenditure, expenditure_id, version)
        workstream = records.get(session, Workstream, expenditure.workstream_id)
        values = _check_expenditure_in(session, check, workstream.programme_id, draft)
        check.done()
        records.assign(session, expenditure, values)
        return ExpenditureRow.of(expenditure)


def delete_expenditure(db: Database, expenditure_id: int, version: int) -> None:
    records.delete_versioned(db, Expenditure, expenditure_id, version)


def list_expenditures(
    db: Database, programme_id: int, workstream_id: int | None = None
) -> list[ExpenditureRow]:
    """The programme's expenditure, or one workstream's, oldest first."""
    query = (
        select(Expenditure)
        .join(Workstream, Workstream.id == Expenditure.workstream_id)
        .where(Workstream.programme_id == programme_id)
        .order_by(Expenditure.spent_on, Expenditure.id)
    )
    if workstream_id is not None:
        query = query.where(Expenditure.workstream_id == workstream_id)
    with db.read() as session:
        return [ExpenditureRow.of(e) for e in session.scalars(query)]
