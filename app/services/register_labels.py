"""What the register pages show beside a screenful of rows, and what dialogs' pickers offer.

A contribution's agreement and partner, an expenditure's workstream, an action's risk:
each look-up is one query for the whole programme (or for the rows on show), never one
per row, and returns plain values (no ORM objects reach the GUI). A picker's look-up
selects only the columns the picker shows: a programme may hold thousands of
workstreams, and building a full service row for each would cost a dialog a large
fraction of a second before it opens.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import func, select

from app.database import Database
from app.models import (
    AgreementWorkstream,
    AuditEntry,
    Contract,
    CostShare,
    CostShareAgreement,
    Organisation,
    Risk,
    Workstream,
)
from app.services.collation import bytewise


@dataclass(frozen=True)
class ShareLabel:
    """A partner's share as the cost-sharing pages name it: "AGR-DEV · IND (50 %)"."""

    cost_share_id: int
    agreement_id: int
    agreement_code: str
    partner: str
    share_pct: Decimal
    position: int
    releasable_to: str


def shares(db: Database, programme_id: int) -> list[ShareLabel]:
    """Every partner's share on the programme's agreements, by agreement code, then order."""
    with db.read() as session:
        found = session.execute(
            select(
                CostShare.id,
                CostShare.agreement_id,
                CostShareAgreement.code,
                func.coalesce(CostShare.nation, Organisation.short_name),
                CostShare.share_pct,
                CostShare.position,
                CostShare.releasable_to,
            )
            .join(CostShareAgreement, CostShareAgreement.id == CostShare.agreement_id)
            .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
            .where(CostShareAgreement.programme_id == programme_id)
            .order_by(bytewise(CostShareAgreement.code), CostShare.position, CostShare.id)
        )
        return [ShareLabel(*row) for row in found]


def workstream_codes(db: Database, programme_id: int) -> dict[int, str]:
    """Workstream id -> code, of the programme's workstreams (codes only: cheap)."""
    with db.read() as session:
        found = session.execute(
            select(Workstream.id, Workstream.code).where(Workstream.programme_id == programme_id)
        )
        return {i: code for i, code in found}


def covered_workstreams(db: Database, programme_id: int) -> dict[int, tuple[int, str]]:
    """Workstream id -> (agreement id, agreement code) of the agreement that covers it."""
    with db.read() as session:
        found = session.execute(
            select(
                AgreementWorkstream.workstream_id,
                CostShareAgreement.id,
                CostShareAgreement.code,
            )
            .join(CostShareAgreement, CostShareAgreement.id == AgreementWorkstream.agreement_id)
            .where(CostShareAgreement.programme_id == programme_id)
            .order_by(AgreementWorkstream.workstream_id, CostShareAgreement.id)
        )
        return {workstream: (agreement, code) for workstream, agreement, code in found}


def risk_labels(
    db: Database, programme_id: int, only: Collection[int] | None = None
) -> dict[int, tuple[str, str, str]]:
    """Risk id -> (reference, title, releasable_to) of the programme's risks, by reference.

    `only` narrows it to the risks a page of rows refers to: the register of actions
    needs a page's worth, not the programme's tens of thousands.
    """
    query = select(Risk.id, Risk.reference, Risk.title, Risk.releasable_to).where(
        Risk.programme_id == programme_id
    )
    if only is not None:
        query = query.where(Risk.id.in_(only))
    with db.read() as session:
        found = session.execute(query.order_by(bytewise(Risk.reference), Risk.id))
        return {i: (reference, title, nations) for i, reference, title, nations in found}


def audit_entities(db: Database) -> list[str]:
    """The kinds of record the audit log holds entries for, alphabetically."""
    with db.read() as session:
        # GROUP BY, not DISTINCT: with DISTINCT, PostgreSQL wants the ORDER BY expression
        # (the column COLLATE "C") among the selected ones.
        found = session.scalars(
            select(AuditEntry.entity)
            .group_by(AuditEntry.entity)
            .order_by(bytewise(AuditEntry.entity))
        )
        return list(found)


# Pickers ----------------------------------------------------------------------------
# Named tuples, the cheapest immutable rows to build: a picker may list thousands.


class WorkstreamTitle(NamedTuple):
    """A workstream as a picker offers it, with the protection a record under it starts with."""

    id: int
    code: str
    title: str
    marking: int
    releasable_to: str

    @property
    def label(self) -> str:
        """How every picker names a workstream: "WS-01 — Seeker development"."""
        return f"{self.code} — {self.title}"


def workstream_titles(db: Database, programme_id: int) -> list[WorkstreamTitle]:
    """The programme's workstreams by code, as a picker lists them."""
    with db.read() as session:
        found = session.execute(
            select(
                Workstream.id,
                Workstream.code,
                Workstream.title,
                Workstream.marking,
                Workstream.releasable_to,
            )
            .where(Workstream.programme_id == programme_id)
            .order_by(bytewise(Workstream.code), Workstream.id)
        )
        return [WorkstreamTitle(*row) for row in found]


class ContractTitle(NamedTuple):
    """A contract as a picker offers it."""

    id: int
    number: str
    title: str

    @property
    def label(self) -> str:
        """How every picker names a contract: "JP/CP/2025/004 — Radome production lot 1"."""
        return f"{self.number} — {self.title}"


def contract_titles(db: Database, programme_id: int) -> list[ContractTitle]:
    """The programme's contracts by number, as a picker lists them."""
    with db.read() as session:
        found = session.execute(
            select(Contract.id, Contract.number, Contract.title)
            .where(Contract.programme_id == programme_id)
            .order_by(bytewise(Contract.number), Contract.id)
        )
        return [ContractTitle(*row) for row in found]


class OrganisationTitle(NamedTuple):
    """An organisation as a picker offers it (suppliers, customers, partners' shares)."""

    id: int
    short_name: str
    name: str
    nation: str


def organisation_titles(db: Database, programme_id: int) -> list[OrganisationTitle]:
    """The programme's organisations by nation, then short name, as a picker lists them."""
    with db.read() as session:
        found = session.execute(
            select(Organisation.id, Organisation.short_name, Organisation.name, Organisation.nation)
            .where(Organisation.programme_id == programme_id)
            .order_by(
                bytewise(Organisation.nation), bytewise(Organisation.short_name), Organisation.id
            )
        )
        return [OrganisationTitle(*row) for row in found]
