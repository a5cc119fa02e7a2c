"""Workstreams: the strands of joint work, and the organisations that take part in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import Phase, WorkStatus, WorkstreamKind
from app.models import (
    AgreementWorkstream,
    Contract,
    Expenditure,
    Milestone,
    Organisation,
    Risk,
    Workstream,
    WorkstreamParticipant,
)
from app.services import protection, records
from app.services.collation import bytewise
from app.services.records import Draft, Row
from app.services.validation import TITLE_MAX, Checker

CODE_MAX = 40
ROLE_MAX = 200


@dataclass(frozen=True)
class WorkstreamDraft(Draft):
    code: str
    title: str
    kind: str
    phase: str
    trl_now: int
    trl_target: int
    mrl_now: int
    mrl_target: int
    baseline_start: date
    baseline_finish: date
    status: str = WorkStatus.NOT_STARTED.value
    lead_organisation_id: int | None = None
    forecast_finish: date | None = None
    actual_finish: date | None = None
    budget_minor: int = 0
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class WorkstreamRow(Row):
    id: int
    version: int
    programme_id: int
    code: str
    title: str
    kind: str
    lead_organisation_id: int | None
    phase: str
    trl_now: int
    trl_target: int
    mrl_now: int
    mrl_target: int
    baseline_start: date
    baseline_finish: date
    forecast_finish: date | None
    actual_finish: date | None
    status: str
    budget_minor: int
    marking: int
    releasable_to: str

    def draft(self) -> WorkstreamDraft:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return WorkstreamDraft(
            **{f: getattr(self, f) for f in WorkstreamDraft.__dataclass_fields__}
        )


@dataclass(frozen=True)
class ParticipantRow(Row):
    id: int
    version: int
    workstream_id: int
    organisation_id: int
    role: str
    marking: int
    releasable_to: str


def check_workstream(draft: WorkstreamDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("code", draft.code, max_len=CODE_MAX)
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.choice("kind", draft.kind, WorkstreamKind)
    check.choice("phase", draft.phase, Phase)
    check.choice("status", draft.status, WorkStatus)
    # TRL runs 1-9; MRL 1-10 (DOMAIN.md), the scale co-production readiness is judged on.
    for field, top in (("trl_now", 9), ("trl_target", 9), ("mrl_now", 10), ("mrl_target", 10)):
        check.whole(field, getattr(draft, field), 1, top)
    check.is_date("baseline_start", draft.baseline_start)
    check.is_date("baseline_finish", draft.baseline_finish)
    check.is_date("forecast_finish", draft.forecast_finish, required=False)
    check.is_date("actual_finish", draft.actual_finish, required=False)
    for later in ("baseline_finish", "forecast_finish", "actual_finish"):
        check.ordered("baseline_start", draft.baseline_start, later, getattr(draft, later))
    check.amount("budget_minor", draft.budget_minor)
    return check


def check_role(role: str) -> Checker:
    check = Checker()
    check.text("role", role, required=False, max_len=ROLE_MAX)
    return check


def _check_in_programme(
    session: Session, check: Checker, programme_id: int, draft: WorkstreamDraft, own_id: int
) -> str:
    records.check_unique(
        session, check, Workstream, "code", draft.code, own_id, programme_id=programme_id
    )
    if draft.lead_organisation_id is not None:
        # Only the programme's own organisations may lead or take part in its work.
        records.check_in_programme(
            session,
            check,
            programme_id,
            "lead_organisation_id",
            Organisation,
            draft.lead_organisation_id,
        )
    return protection.check_protection(
        check, session, programme_id, draft.marking, draft.releasable_to
    )


def _check_milestones_after(
    session: Session, check: Checker, workstream_id: int, start: date
) -> None:
    """A later start must not strand milestones dated before it (they bind to the start)."""
    if not check.ok("baseline_start"):
        return
    earliest = session.execute(
        select(func.min(Milestone.baseline_date), func.min(Milestone.forecast_date)).where(
            Milestone.workstream_id == workstream_id
        )
    ).one()
    dates = [d for d in earliest if d is not None]
    if dates and min(dates) < start:
        check.add(
            "baseline_start",
            f"a milestone of this workstream is dated {min(dates)}, before this start; "
            "move or re-baseline it first",
        )


def _participants_of(session: Session, workstream_id: int) -> list[WorkstreamParticipant]:
    return list(
        session.scalars(
            select(WorkstreamParticipant).where(
                WorkstreamParticipant.workstream_id == workstream_id
            )
        )
    )


def new_workstream(session: Session, programme_id: int, draft: WorkstreamDraft) -> Workstream:
    """Check a new workstream and queue it for the unit of work's next flush."""
    check = check_workstream(draft)
    records.programme_of(session, programme_id)
    releasable = _check_in_programme(session, check, programme_id, draft, 0)
    check.done()
    values = {**draft.columns(), "programme_id": programme_id, "releasable_to": releasable}
    return records.add(session, Workstream, values)


def create_workstream(db: Database, programme_id: int, draft: WorkstreamDraft) -> WorkstreamRow:
    with db.begin() as session:
        return WorkstreamRow.of(
            records.flushed(session, new_workstream(session, programme_id, draft))
        )


def update_workstream(
    db: Database, workstream_id: int, version: int, draft: WorkstreamDraft
) -> WorkstreamRow:
    check = check_workstream(draft)
    with db.begin() as session:
        workstream = records.for_update(session, Workstream, workstream_id, version)
        releasable = _check_in_programme(
            session, check, workstream.programme_id, draft, workstream.id
        )
        _check_milestones_after(session, check, workstream.id, draft.baseline_start)
        check.done()
        # Its participants, milestones, spending and risks must not outreach it.
        values = {**draft.columns(), "releasable_to": releasable}
        protection.assign_and_propagate(session, workstream, values)
        return WorkstreamRow.of(workstream)


# What may point at a workstream, in the words the refusal uses.
_REFERRERS: tuple[records.Referrer, ...] = (
    (Milestone.workstream_id, "milestone"),
    (Expenditure.workstream_id, "expenditure"),
    (Contract.workstream_id, "contract"),
    (Risk.workstream_id, "risk"),
    (AgreementWorkstream.workstream_id, "cost-share agreement"),
)


def delete_workstream(db: Database, workstream_id: int, version: int) -> None:
    """Delete a workstream and its participants, but never the history hanging off it.

    Milestones, spending, contracts, risks and agreements are records in their own
    right; deleting them silently with the workstream would lose programme history, so
    the user is told what still refers to it and decides.
    """
    with db.begin() as session:
        workstream = records.for_update(session, Workstream, workstream_id, version)
        records.refuse_if_referenced(
            session, "workstream", workstream_id, _REFERRERS, name=f"workstream {workstream.code}"
        )
        records.remove(session, _participants_of(session, workstream_id))
        records.remove(session, [workstream])


def get_workstream(db: Database, workstream_id: int) -> WorkstreamRow:
    with db.read() as session:
        return WorkstreamRow.of(records.get(session, Workstream, workstream_id))


def list_workstreams(db: Database, programme_id: int) -> list[WorkstreamRow]:
    with db.read() as session:
        rows = session.scalars(
            select(Workstream)
            .where(Workstream.programme_id == programme_id)
            .order_by(bytewise(Workstream.code), Workstream.id)
        )
        return [WorkstreamRow.of(w) for w in rows]


# Participants ---------------------------------------------------------------------------


def new_participant(
    session: Session, workstream_id: int, organisation_id: int, role: str = ""
) -> WorkstreamParticipant:
    """Check a workstream's new participant and queue it for the unit of work's next flush."""
    check = check_role(role)
    workstream = records.get(session, Workstream, workstream_id)
    records.check_in_programme(
        session, check, workstream.programme_id, "organisation_id", Organisation, organisation_id
    )
    records.check_unique(
        session,
        check,
        WorkstreamParticipant,
        "organisation_id",
        organisation_id,
        0,
        message="this organisation already takes part in the workstream",
        workstream_id=workstream_id,
    )
    check.done()
    values = {
        "workstream_id": workstream_id,
        "organisation_id": organisation_id,
        "role": role,
        **protection.same_protection(workstream),
    }
    return records.add(session, WorkstreamParticipant, values)


def add_participant(
    db: Database, workstream_id: int, organisation_id: int, role: str = ""
) -> ParticipantRow:
    """Add an organisation to a workstream; it carries the workstream's protection."""
    with db.begin() as session:
        participant = new_participant(session, workstream_id, organisation_id, role)
        return ParticipantRow.of(records.flushed(session, participant))


def update_participant_role(
    db: Database, participant_id: int, version: int, role: str
) -> ParticipantRow:
    check = check_role(role)
    with db.begin() as session:
        participant = records.for_update(session, WorkstreamParticipant, participant_id, version)
        check.done()
        records.assign(session, participant, {"role": role})
        return ParticipantRow.of(participant)


def remove_participant(db: Database, participant_id: int, version: int) -> None:
    records.delete_versioned(db, WorkstreamParticipant, participant_id, version)


def participants(db: Database, workstream_id: int) -> list[ParticipantRow]:
    """A workstream's participants, grouped by nation as the organisation list is."""
    with db.read() as session:
        rows = session.scalars(
            select(WorkstreamParticipant)
            .join(Organisation, Organisation.id == WorkstreamParticipant.organisation_id)
            .where(WorkstreamParticipant.workstream_id == workstream_id)
            .order_by(
                bytewise(Organisation.nation),
                bytewise(Organisation.short_name),
                WorkstreamParticipant.id,
            )
        )
        return [ParticipantRow.of(p) for p in rows]
