"""What every register's service shares: plain rows out, drafts in, version-checked edits.

Services hand `ui/` and the CLI frozen rows, never live ORM objects, so nothing can
lazy-load on the GUI thread. Drafts are frozen dataclasses whose field names are the
model's column names, so creating and updating a record is one generic step here, and
so are the checks every register repeats: a code used once, an id of this programme, a
record still referred to, and the protection a record inherits from its parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from typing import Any, Self, TypeVar

from sqlalchemy import func, inspect, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.audit_chain import record_values
from app.database import Database
from app.errors import ConflictError, NotFound, ValidationError
from app.models import (
    Contract,
    CostShareAgreement,
    Organisation,
    Programme,
    Record,
    Risk,
    Workstream,
)
from app.services import lookups
from app.services.validation import Checker

M = TypeVar("M", bound=Record)
# The records that belong to a programme directly (they have a `programme_id`).
P = TypeVar("P", Organisation, Workstream, Contract, Risk, CostShareAgreement)


class Row:
    """Base of the frozen row dataclasses services return."""

    @classmethod
    def of(cls, source: Any) -> Self:
        """Build from an ORM object or a Core row with the same attribute names."""
        return cls(**{name: getattr(source, name) for name in _names(cls)})


class Draft:
    """Base of the frozen draft dataclasses: what a user may set on a record."""

    def columns(self) -> dict[str, Any]:
        # Not `asdict`, which deep-copies every value: drafts hold immutable values.
        return {name: getattr(self, name) for name in _names(type(self))}


# Each row's and draft's field names, looked up once (bulk services build thousands).
_NAMES: dict[type, tuple[str, ...]] = {}


def _names(dataclass: type) -> tuple[str, ...]:
    names = _NAMES.get(dataclass)
    if names is None:
        names = _NAMES[dataclass] = tuple(f.name for f in fields(dataclass))
    return names


def entity(model: type[Record]) -> str:
    return model.__tablename__.replace("_", " ")  # type: ignore[attr-defined,no-any-return]


def get(session: Session, model: type[M], record_id: int) -> M:
    obj = lookups.record(session, model, record_id)
    if obj is None:
        raise NotFound(f"no {entity(model)} with id {record_id}", entity(model))
    return obj


def for_update(session: Session, model: type[M], record_id: int, version: int) -> M:
    """The record as it is now, if nobody changed it since the caller read `version`."""
    obj = lookups.record(session, model, record_id)
    if obj is None:
        raise ConflictError(entity(model), record_id, None)
    if obj.version != version:
        raise ConflictError(entity(model), record_id, record_values(obj))
    return obj


def add(session: Session, model: type[M], values: dict[str, Any]) -> M:
    """A new record, written (and audited) with the unit of work's next flush.

    For callers that need no id yet: a bulk import's thousands of records then go out
    in a few flushes, their audit entries in a batch each, not in a flush apiece.
    """
    obj = model(**values)
    session.add(obj)
    lookups.added(session, obj)
    return obj


def flushed(session: Session, obj: M) -> M:
    """`obj` written now, so that it has its id and version (for a row, or a child)."""
    session.flush()
    return obj


def create(session: Session, model: type[M], values: dict[str, Any]) -> M:
    return flushed(session, add(session, model, values))


def assign(session: Session, obj: Record, values: dict[str, Any]) -> None:
    """Change a record and write the change now."""
    assign_in_turn(session, [(obj, [values])])


def assign_in_turn(
    session: Session, changes: Sequence[tuple[Record, Sequence[dict[str, Any]]]]
) -> None:
    """Make each record's changes in order, each written (and audited) as a change of its own.

    All records' first changes go out in one flush, then all their second changes, and
    so on: as many flushes as the longest list, not one per change. A record with a
    change not yet written (queued by `add`, say) is written first, so that change keeps
    its own audit entry too.
    """
    if len({id(obj) for obj, _ in changes}) < len(changes):
        raise ValueError("each record's changes must be given together, once")
    if any(inspect(obj).pending or inspect(obj).modified for obj, _ in changes):
        session.flush()
    for step in range(max((len(steps) for _, steps in changes), default=0)):
        for obj, steps in changes:
            for key, value in steps[step].items() if step < len(steps) else ():
                setattr(obj, key, value)
        session.flush()


def remove(session: Session, objects: Iterable[Record]) -> None:
    for obj in objects:
        session.delete(obj)
    session.flush()


def delete_versioned(db: Database, model: type[Record], record_id: int, version: int) -> None:
    """Delete one record nothing depends on, if nobody changed it since it was read."""
    with db.begin() as session:
        remove(session, [for_update(session, model, record_id, version)])


def programme_of(session: Session, programme_id: int) -> Programme:
    return get(session, Programme, programme_id)


# Checks against other records -------------------------------------------------------


def check_unique(
    session: Session,
    check: Checker,
    model: type[Record],
    field: str,
    value: Any,
    own_id: int,
    *,
    message: str | None = None,
    **scope_filters: Any,
) -> bool:
    """`value` of `field` is used by no other `model` record within `scope_filters`.

    The database's unique constraint would refuse it too, but only as an IntegrityError
    at flush; checking first lets the dialog name the field with every other problem.
    `own_id` is the record being edited (0 when creating), which may keep its value.
    """
    if not check.ok(field):
        return False
    clash = lookups.taken(session, model, field, value, own_id, scope_filters)
    if clash:
        check.add(field, message or f"{value!r} is already used by another {entity(model)}")
    return not clash


def check_in_programme(
    session: Session,
    check: Checker,
    programme_id: int,
    field: str,
    model: type[P],
    record_id: int | None,
) -> P | None:
    """The `model` record `record_id` if it belongs to this programme; else a problem.

    Ids come from dialogs and imports; one from another programme would tie records
    of two programmes together (and show one's records in the other's packs).
    """
    if record_id is None:
        check.add(field, "must be chosen")
        return None
    found = lookups.record(session, model, record_id)
    if found is None or found.programme_id != programme_id:
        check.add(field, f"no {entity(model)} {record_id} in this programme")
        return None
    return found


def counted(counts: Iterable[tuple[str, int]]) -> str:
    """'2 contracts and 1 workstream': how many of what, in words for a message."""
    words = [f"{n} {label}{'' if n == 1 else 's'}" for label, n in counts if n]
    return " and ".join(words) if len(words) < 3 else f"{', '.join(words[:-1])} and {words[-1]}"


# A column that refers to a record (or several, any of which may), and its noun.
Referrer = tuple[InstrumentedAttribute[Any] | tuple[InstrumentedAttribute[Any], ...], str]


def refuse_if_referenced(
    session: Session,
    field: str,
    record_id: int,
    referrers: Sequence[Referrer],
    *,
    name: str = "it",
) -> None:
    """Raise a ValidationError naming how many of what still refer to the record.

    Deleting it would otherwise fail on the foreign key with a message nobody can act
    on, or (without one) silently orphan programme history. Referrers sharing a noun
    are counted together.
    """
    counts: dict[str, int] = {}
    for columns, label in referrers:
        refs = columns if isinstance(columns, tuple) else (columns,)
        n = session.scalar(
            select(func.count())
            .select_from(refs[0].class_)
            .where(or_(*(ref == record_id for ref in refs)))
        )
        counts[label] = counts.get(label, 0) + (n or 0)
    total = sum(counts.values())
    if total:
        verb, them = ("refers", "it") if total == 1 else ("refer", "them")
        raise ValidationError.one(
            field,
            f"{counted(counts.items())} still {verb} to {name}; "
            f"delete {them} or move {them} elsewhere first",
        )
