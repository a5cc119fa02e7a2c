"""Decisions required: what the programme needs a forum to decide, and by when."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import DecisionStatus
from app.models import Decision
from app.services import protection, records
from app.services.records import Draft, Row
from app.services.validation import TEXT_MAX, TITLE_MAX, Checker


@dataclass(frozen=True)
class DecisionDraft(Draft):
    title: str
    forum: str
    needed_by: date
    status: str = DecisionStatus.PENDING.value
    outcome: str = ""
    decided_on: date | None = None
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class DecisionRow(Row):
    id: int
    version: int
    programme_id: int
    title: str
    forum: str
    needed_by: date
    status: str
    outcome: str
    decided_on: date | None
    marking: int
    releasable_to: str

    def draft(self) -> DecisionDraft:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return DecisionDraft(**{f: getattr(self, f) for f in DecisionDraft.__dataclass_fields__})


def check_decision(draft: DecisionDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("title", draft.title, max_len=TITLE_MAX)
    # The forum is a body or an official ("Joint Working Group", "DG Acquisition").
    check.text("forum", draft.forum, max_len=TITLE_MAX)
    check.is_date("needed_by", draft.needed_by)
    check.choice("status", draft.status, DecisionStatus)
    check.text("outcome", draft.outcome, required=False, max_len=TEXT_MAX)
    check.is_date("decided_on", draft.decided_on, required=False)
    if not check.ok("status"):
        return check
    # A taken decision is only useful on record with what was decided and when; a
    # pending one has not been decided, so a date would claim otherwise. A deferred
    # decision may carry the date of the meeting that put it off.
    if draft.status == DecisionStatus.TAKEN:
        if check.ok("outcome") and not (draft.outcome or "").strip():
            check.add("outcome", "must say what was decided")
        if check.ok("decided_on") and draft.decided_on is None:
            check.add("decided_on", "must be given once the decision is taken")
    elif draft.status == DecisionStatus.PENDING and draft.decided_on is not None:
        check.add("decided_on", "must be empty while the decision is pending")
    return check


def new_decision(session: Session, programme_id: int, draft: DecisionDraft) -> Decision:
    """Check a new decision and queue it for the unit of work's next flush (`records.add`)."""
    check = check_decision(draft)
    records.programme_of(session, programme_id)
    releasable = protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )
    check.done()
    values = {**draft.columns(), "programme_id": programme_id, "releasable_to": releasable}
    return records.add(session, Decision, values)


def create_decision(db: Database, programme_id: int, draft: DecisionDraft) -> DecisionRow:
    with db.begin() as session:
        return DecisionRow.of(records.flushed(session, new_decision(session, programme_id, draft)))


def update_decision(
    db: Database, decision_id: int, version: int, draft: DecisionDraft
) -> DecisionRow:
    check = check_decision(draft)
    with db.begin() as session:
        decision = records.for_update(session, Decision, decision_id, version)
        releasable = protection.check_protection(
            check, session, decision.programme_id, draft.marking, draft.releasable_to
        )
        check.done()
        records.assign(session, decision, {**draft.columns(), "releasable_to": releasable})
        return DecisionRow.of(decision)


def record_decision(
    db: Database, decision_id: int, version: int, outcome: str, decided_on: date
) -> DecisionRow:
    """Record what the forum decided and when; the decision is then taken."""
    taken: dict[str, Any] = {
        "status": DecisionStatus.TAKEN.value,
        "outcome": outcome,
        "decided_on": decided_on,
    }
    with db.begin() as session:
        decision = records.for_update(session, Decision, decision_id, version)
        # Validated as the whole record it becomes, so the rules live in one place.
        check_decision(replace(DecisionRow.of(decision).draft(), **taken)).done()
        records.assign(session, decision, taken)
        return DecisionRow.of(decision)


def delete_decision(db: Database, decision_id: int, version: int) -> None:
    records.delete_versioned(db, Decision, decision_id, version)


def get_decision(db: Database, decision_id: int) -> DecisionRow:
    with db.read() as session:
        return DecisionRow.of(records.get(session, Decision, decision_id))


def list_decisions(db: Database, programme_id: int, status: str | None = None) -> list[DecisionRow]:
    """The programme's decisions (only those in `status`, if given), most urgent first."""
    query = select(Decision).where(Decision.programme_id == programme_id)
    if status is not None:
        query = query.where(Decision.status == status)
    with db.read() as session:
        rows = session.scalars(query.order_by(Decision.needed_by, Decision.id))
        return [DecisionRow.of(d) for d in rows]
