"""What every register's service shares: plain rows out, drafts in, version-checked edits.

Services hand `ui/` and the CLI frozen rows, never live ORM objects, so nothing can
lazy-load on the GUI thread. Drafts are frozen dataclasses whose field names are the
model's column names, so creating and updating a record is one generic step here, and
so are the checks every register repeats: a code used once, an id of this programme, a
record still referred to, and the protection a record inherits from its parent.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, fields
from typing import Any, Self, TypeVar

from sqlalchemy import func, or_, select
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
from app.services.validation import Checker

M = TypeVar("M", bound=Record)
# The records that belong to a programme directly (they have a `programme_id`).
P = TypeVar("P", Organisation, Workstream, Contract, Risk, CostShareAgreement)


class Row:
    """Base of the frozen row dataclasses services return."""

    @classmethod
    def of(cls, source: Any) -> Self:
        """Build from an ORM object or a Core row with the same attribute names."""
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})  # type: ignore[arg-type]


class Draft:
    """Base of the frozen draft dataclasses: what a user may set on a record."""

    def columns(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload, no-any-return]


def entity(model: type[Record]) -> str:
    return model.__tablename__.replace("_", " ")  # type: ignore[attr-defined,no-any-return]


def get(session: Session, model: type[M], record_id: int) -> M:
    obj = session.get(model, record_id)
    if obj is None:
        raise NotFound(f"no {entity(model)} with id {record_id}", entity(model))
    return obj


def for_update(session: Session, model: type[M], record_id: int, version: int) -> M:
    """The record as it is now, if nobody changed it since the caller read `version`."""
    obj = session.get(model, record_id)
    if obj is None:
        raise ConflictError(entity(model), record_id, None)
    if obj.version != version:
        raise ConflictError(entity(model), record_id, record_values(obj))
    return obj


def create(session: Session, model: type[M], values: dict[str, Any]) -> M:
    obj = model(**values)
    session.add(obj)
    session.flush()
    return obj


def assign(session: Session, obj: Record, values: dict[str, Any]) -> None:
    for key, value in values.items():
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
    clash = session.scalar(
        select(func.count())
        .select_from(model)
        .where(
            getattr(model, field) == value,
            model.id != own_id,
            *(getattr(model, column) == wanted for column, wanted in scope_filters.items()),
        )
    )
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
    found = session.get(model, record_id)
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
