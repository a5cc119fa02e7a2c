"""Actions: what someone must do by a date, for a risk or for the programme as a whole."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import ActionStatus
from app.models import Action, Risk
from app.services import protection, records
from app.services.records import Draft, Row
from app.services.validation import NAME_MAX, TITLE_MAX, Checker

# An action in one of these states needs nobody's attention, so it is never overdue.
_FINISHED = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)


@dataclass(frozen=True)
class ActionDraft(Draft):
    title: str
    owner: str
    due_on: date
    status: str = ActionStatus.OPEN.value
    done_on: date | None = None
    risk_id: int | None = None
    marking: int = 0
    releasable_to: str | None = None


@dataclass(frozen=True)
class ActionRow(Row):
    id: int
    version: int
    programme_id: int
    risk_id: int | None
    title: str
    owner: str
    due_on: date
    status: str
    done_on: date | None
    marking: int
    releasable_to: str

    def draft(self) -> ActionDraft:
        """The editable part, e.g. to fill a dialog or to change one field."""
        return ActionDraft(**{f: getattr(self, f) for f in ActionDraft.__dataclass_fields__})


def check_action(draft: ActionDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.text("owner", draft.owner, max_len=NAME_MAX)
    check.is_date("due_on", draft.due_on)
    check.choice("status", draft.status, ActionStatus)
    check.is_date("done_on", draft.done_on, required=False)
    if draft.risk_id is not None:
        check.whole("risk_id", draft.risk_id, 1)
    # The done date is the record of when the work finished, so it exists exactly
    # when the status says the work is finished; otherwise the two would disagree.
    if check.ok("status") and check.ok("done_on"):
        done = draft.status == ActionStatus.DONE
        if done and draft.done_on is None:
            check.add("done_on", "must be given when the action is done")
        elif not done and draft.done_on is not None:
            check.add("done_on", f"must be empty while the action is {draft.status}")
    return check


def _check_in_programme(
    session: Session, check: Checker, programme_id: int, draft: ActionDraft
) -> tuple[int, str]:
    """Check the risk and the protection; returns the marking and releasability to store.

    An action about a risk reveals the risk, so it is protected at least as closely as
    the risk (`protection.inherit_protection`): by default exactly like it.
    """
    risk = None
    if draft.risk_id is not None and check.ok("risk_id"):
        risk = records.check_in_programme(
            session, check, programme_id, "risk_id", Risk, draft.risk_id
        )
    return protection.inherit_protection(
        session, check, programme_id, risk, draft.marking, draft.releasable_to
    )


def new_action(session: Session, programme_id: int, draft: ActionDraft) -> Action:
    """Check a new action and queue it for the unit of work's next flush (`records.add`)."""
    check = check_action(draft)
    records.programme_of(session, programme_id)
    marking, releasable = _check_in_programme(session, check, programme_id, draft)
    check.done()
    values = {
        **draft.columns(),
        "programme_id": programme_id,
        "marking": marking,
        "releasable_to": releasable,
    }
    return records.add(session, Action, values)


def create_action(db: Database, programme_id: int, draft: ActionDraft) -> ActionRow:
    with db.begin() as session:
        return ActionRow.of(records.flushed(session, new_action(session, programme_id, draft)))


def update_action(db: Database, action_id: int, version: int, draft: ActionDraft) -> ActionRow:
    check = check_action(draft)
    with db.begin() as session:
        action = records.for_update(session, Action, action_id, version)
        marking, releasable = _check_in_programme(session, check, action.programme_id, draft)
        check.done()
        records.assign(
            session, action, {**draft.columns(), "marking": marking, "releasable_to": releasable}
        )
        return ActionRow.of(action)


def complete_action(db: Database, action_id: int, version: int, done_on: date) -> ActionRow:
    """Mark an action done on `done_on`, keeping everything else as it is."""
    # One unit of work, so the values kept are those of the version the caller saw.
    with db.begin() as session:
        action = records.for_update(session, Action, action_id, version)
        draft = replace(
            ActionRow.of(action).draft(), status=ActionStatus.DONE.value, done_on=done_on
        )
        return update_action(db, action_id, version, draft)


def delete_action(db: Database, action_id: int, version: int) -> None:
    records.delete_versioned(db, Action, action_id, version)


def get_action(db: Database, action_id: int) -> ActionRow:
    with db.read() as session:
        return ActionRow.of(records.get(session, Action, action_id))


def list_actions(db: Database, programme_id: int, risk_id: int | None = None) -> list[ActionRow]:
    """The programme's actions (only one risk's, if `risk_id` is given), soonest due first."""
    query = select(Action).where(Action.programme_id == programme_id)
    if risk_id is not None:
        query = query.where(Action.risk_id == risk_id)
    with db.read() as session:
        rows = session.scalars(query.order_by(Action.due_on, Action.id))
        return [ActionRow.of(a) for a in rows]


def overdue_actions(db: Database, programme_id: int, as_of: date) -> list[ActionRow]:
    """Actions still to do that were due before `as_of`; one due on `as_of` is not late yet."""
    query = (
        select(Action)
        .where(
            Action.programme_id == programme_id,
            Action.status.not_in(_FINISHED),
            Action.due_on < as_of,
        )
        .order_by(Action.due_on, Action.id)
    )
    with db.read() as session:
        return [ActionRow.of(a) for a in session.scalars(query)]
