"""What the register pages show beside a screenful of rows, read once per reload.

A contribution's agreement and partner, an expenditure's workstream, an action's risk:
each look-up is one query for the whole programme, never one per row, and returns
plain values (no ORM objects reach the GUI).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select

from app.database import Database
from app.models import (
    AgreementWorkstream,
    AuditEntry,
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


def risk_labels(db: Database, programme_id: int) -> dict[int, tuple[str, str, str]]:
    """Risk id -> (reference, title, releasable_to) of the programme's risks."""
    with db.read() as session:
        found = session.execute(
            select(Risk.id, Risk.reference, Risk.title, Risk.releasable_to)
            .where(Risk.programme_id == programme_id)
            .order_by(bytewise(Risk.reference), Risk.id)
        )
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
