"""Protective markings: the highest one in use, in the whole database or one programme."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from app.database import Database
from app.models import (
    Action,
    AgreementRate,
    AgreementWorkstream,
    Base,
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Decision,
    Deliverable,
    Expenditure,
    Milestone,
    MilestoneBaseline,
    MilestoneForecast,
    OffsetDischarge,
    Organisation,
    PartnerNation,
    Programme,
    Record,
    Risk,
    RiskReview,
    TotPackage,
    Workstream,
    WorkstreamParticipant,
)


def highest(session: Session) -> int:
    """The highest marking of any record in the database (0 when there are none)."""
    levels = [
        session.scalar(select(func.max(table.c.marking))) or 0
        for table in Base.metadata.tables.values()
        if "marking" in table.c and "releasable_to" in table.c
    ]
    return max(levels, default=0)


# Every register of a programme, with the parents it reaches its programme through
# (exchange rates belong to the database, not to a programme).
_PROGRAMME_PATHS: tuple[tuple[type[Record], tuple[type[Record], ...]], ...] = (
    (Programme, ()),
    (PartnerNation, ()),
    (Organisation, ()),
    (Workstream, ()),
    (Contract, ()),
    (CostShareAgreement, ()),
    (Risk, ()),
    (Action, ()),
    (Decision, ()),
    (WorkstreamParticipant, (Workstream,)),
    (Milestone, (Workstream,)),
    (Expenditure, (Workstream,)),
    (MilestoneForecast, (Milestone, Workstream)),
    (MilestoneBaseline, (Milestone, Workstream)),
    (Deliverable, (Contract,)),
    (TotPackage, (Contract,)),
    (OffsetDischarge, (Contract,)),
    (AgreementWorkstream, (CostShareAgreement,)),
    (AgreementRate, (CostShareAgreement,)),
    (CostShare, (CostShareAgreement,)),
    (Contribution, (CostShare, CostShareAgreement)),
    (RiskReview, (Risk,)),
)


def _max_marking(model: type[Record], parents: tuple[type[Record], ...], pid: int) -> Select[Any]:
    query = select(func.max(model.marking))
    if model is Programme:
        return query.where(Programme.id == pid)
    owner: Any = model
    for parent in parents:
        query = query.join(parent)
        owner = parent
    return query.where(owner.programme_id == pid)


def highest_in_programme(db: Database, programme_id: int) -> str:
    """The name of the highest marking of any record of the programme, of any audience.

    What the GUI's status bar shows: the officer sees every record, so this is the
    marking of the most sensitive thing the registers can put on screen.
    """
    from app.services import settings  # settings checks scales against `highest`

    with db.read() as session:
        level = max(
            (session.scalar(_max_marking(m, p, programme_id)) or 0 for m, p in _PROGRAMME_PATHS),
            default=0,
        )
        return settings.marking_name(session, level)
