"""What every register's service shares: plain rows out, drafts in, version-checked edits.

Services hand `ui/` and the CLI frozen rows, never live ORM objects, so nothing can
lazy-load on the GUI thread. Drafts are frozen dataclasses whose field names are the
model's column names, so creating and updating a record is one generic step here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, fields
from typing import Any, Self, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit_chain import record_values
from app.errors import ConflictError, NotFound
from app.models import PartnerNation, Programme, Record
from app.services import settings
from app.services.validation import Checker

M = TypeVar("M", bound=Record)


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


# Protective markings and releasability ----------------------------------------------

MARKING_SCALE_KEY = "marking_scale"


def marking_scale(session: Session) -> tuple[str, ...]:
    return tuple(settings.value(session, MARKING_SCALE_KEY))


def partner_nations(session: Session, programme_id: int) -> tuple[str, ...]:
    """The programme's partner nations, in the order they are listed."""
    return tuple(
        session.scalars(
            select(PartnerNation.nation)
            .where(PartnerNation.programme_id == programme_id)
            .order_by(PartnerNation.position, PartnerNation.nation)
        )
    )


def releasability(nations: Iterable[str]) -> str:
    """The stored form: sorted, unique, space-separated."""
    return " ".join(sorted({n.strip().upper() for n in nations if n.strip()}))


def check_protection(
    check: Checker,
    session: Session,
    programme_id: int,
    marking: int,
    releasable_to: str | None,
) -> str:
    """Validate marking and releasability; returns the releasability to store."""
    scale = marking_scale(session)
    check.whole("marking", marking, 0, len(scale) - 1)
    partners = partner_nations(session, programme_id)
    if releasable_to is None:
        return releasability(partners)
    chosen = releasability(releasable_to.replace(",", " ").split())
    if not chosen:
        check.add("releasable_to", "must name at least one partner nation")
    unknown = sorted(set(chosen.split()) - set(partners))
    if unknown:
        check.add(
            "releasable_to",
            f"{', '.join(unknown)} is not a partner nation of this programme "
            f"({', '.join(partners)})",
        )
    return chosen


def programme_of(session: Session, programme_id: int) -> Programme:
    return get(session, Programme, programme_id)
