"""How the contracts, cost-sharing, decisions, actions and audit registers are listed.

The `ListSpec`s the GUI's register pages page through (`app.services.listing.page`);
what the pages show beside a screenful of rows (a contribution's partner) is in
`app.services.register_labels`.

A column that names another record (a contract's supplier) sorts and filters by that
record's name through a correlated subquery, so "sort by supplier" means by name, not
by id. Exchange rates and the audit log belong to no programme: their specs list them
whole, whichever programme is selected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Self

from sqlalchemy import ScalarSelect, Select, func, select

from app.database import Database
from app.models import (
    Action,
    AuditEntry,
    Contract,
    Contribution,
    CostShare,
    CostShareAgreement,
    Decision,
    ExchangeRate,
    Expenditure,
    Organisation,
    Risk,
    Workstream,
)
from app.services import listing
from app.services.actions import ActionRow
from app.services.contracts import ContractRow
from app.services.costs import ContributionRow, ExpenditureRow
from app.services.decisions import DecisionRow
from app.services.fx import RateRow
from app.services.listing import ListSpec, Parent
from app.services.listing_schedule import workstreams_of
from app.services.records import Row

# Rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementListRow(Row):
    """An agreement's own columns: what its register lists (shares come from `shares`)."""

    id: int
    version: int
    programme_id: int
    code: str
    title: str
    fx_rule: str
    signed_on: date
    marking: int
    releasable_to: str


@dataclass(frozen=True)
class AuditListRow(Row):
    """One audit entry with its values decoded (None where the action has none)."""

    id: int
    at: str
    user: str
    entity: str
    entity_id: int
    action: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None

    @classmethod
    def of(cls, source: Any) -> Self:
        values = {f.name: getattr(source, f.name) for f in fields(cls)}
        for name in ("old_values", "new_values"):
            if isinstance(values[name], str):
                values[name] = json.loads(values[name])
        return cls(**values)


# Correlated subqueries: a linked record's name, for sorting and filtering --------------


def _blanks_last(expression: ScalarSelect[Any]) -> ScalarSelect[Any]:
    """Mark a linked record's name as possibly missing, so `listing` sorts blanks last.

    `listing` asks an expression whether it is `nullable`, as a column answers; a
    subquery cannot know, and a missing link (an action of no risk) reads as NULL.
    """
    expression.nullable = True  # type: ignore[attr-defined]
    return expression


def _organisation_name(column: Any) -> ScalarSelect[str]:
    return select(Organisation.short_name).where(Organisation.id == column).scalar_subquery()


def _share_partner() -> ScalarSelect[str]:
    return (
        select(func.coalesce(CostShare.nation, Organisation.short_name))
        .outerjoin(Organisation, Organisation.id == CostShare.organisation_id)
        .where(CostShare.id == Contribution.cost_share_id)
        .scalar_subquery()
    )


def _share_agreement_code() -> ScalarSelect[str]:
    return (
        select(CostShareAgreement.code)
        .join(CostShare, CostShare.agreement_id == CostShareAgreement.id)
        .where(CostShare.id == Contribution.cost_share_id)
        .scalar_subquery()
    )


def _share_agreement_id() -> ScalarSelect[int]:
    return (
        select(CostShare.agreement_id)
        .where(CostShare.id == Contribution.cost_share_id)
        .scalar_subquery()
    )


def _workstream_code(column: Any) -> ScalarSelect[str]:
    return select(Workstream.code).where(Workstream.id == column).scalar_subquery()


def _risk_reference() -> ScalarSelect[str]:
    return select(Risk.reference).where(Risk.id == Action.risk_id).scalar_subquery()


def _shares_of(programme_id: int) -> Select[int]:
    """The ids of the partners' shares in the programme's agreements: contributions' parents."""
    return (
        select(CostShare.id)
        .join(CostShareAgreement, CostShareAgreement.id == CostShare.agreement_id)
        .where(CostShareAgreement.programme_id == programme_id)
    )


# Registers -----------------------------------------------------------------------------

CONTRACTS: ListSpec[ContractRow] = ListSpec(
    model=Contract,
    row_type=ContractRow,
    columns={
        "number": Contract.number,
        "title": Contract.title,
        "kind": Contract.kind,
        "supplier": _organisation_name(Contract.supplier_id),
        "customer": _organisation_name(Contract.customer_id),
        "workstream": _blanks_last(_workstream_code(Contract.workstream_id)),
        # By amount as entered: values in different currencies are not converted here.
        "value": Contract.value_minor,
        "currency": Contract.currency,
        "signed_on": Contract.signed_on,
        "period_end": Contract.period_end,
        "status": Contract.status,
        "ic_target_pct": Contract.ic_target_pct,
        "ic_achieved_pct": Contract.ic_achieved_pct,
        "procurement_category": Contract.procurement_category,
        "offset_obligation": Contract.offset_obligation_minor,
        "marking": Contract.marking,
    },
    searchable=(
        Contract.number,
        Contract.title,
        Contract.kind,
        Contract.status,
        Contract.procurement_category,
        _organisation_name(Contract.supplier_id),
        _organisation_name(Contract.customer_id),
    ),
    filters={
        "id": Contract.id,
        "status": Contract.status,
        "kind": Contract.kind,
        "supplier_id": Contract.supplier_id,
        "customer_id": Contract.customer_id,
        "workstream_id": Contract.workstream_id,
    },
)

AGREEMENTS: ListSpec[AgreementListRow] = ListSpec(
    model=CostShareAgreement,
    row_type=AgreementListRow,
    columns={
        "code": CostShareAgreement.code,
        "title": CostShareAgreement.title,
        "fx_rule": CostShareAgreement.fx_rule,
        "signed_on": CostShareAgreement.signed_on,
        "marking": CostShareAgreement.marking,
    },
    searchable=(CostShareAgreement.code, CostShareAgreement.title, CostShareAgreement.fx_rule),
    filters={"id": CostShareAgreement.id, "fx_rule": CostShareAgreement.fx_rule},
)

CONTRIBUTIONS: ListSpec[ContributionRow] = ListSpec(
    model=Contribution,
    row_type=ContributionRow,
    columns={
        "contributed_on": Contribution.contributed_on,
        "agreement": _share_agreement_code(),
        "partner": _share_partner(),
        "kind": Contribution.kind,
        "amount": Contribution.amount_minor,
        "currency": Contribution.currency,
        "description": Contribution.description,
        "marking": Contribution.marking,
    },
    searchable=(
        Contribution.description,
        Contribution.kind,
        Contribution.currency,
        _share_partner(),
        _share_agreement_code(),
    ),
    filters={
        "id": Contribution.id,
        "cost_share_id": Contribution.cost_share_id,
        "agreement_id": _share_agreement_id(),
        "kind": Contribution.kind,
        "currency": Contribution.currency,
    },
    parent=Parent(Contribution.cost_share_id, _shares_of),
)

EXPENDITURES: ListSpec[ExpenditureRow] = ListSpec(
    model=Expenditure,
    row_type=ExpenditureRow,
    columns={
        "spent_on": Expenditure.spent_on,
        "workstream": _workstream_code(Expenditure.workstream_id),
        "category": Expenditure.category,
        "amount": Expenditure.amount_minor,
        "currency": Expenditure.currency,
        "description": Expenditure.description,
        "marking": Expenditure.marking,
    },
    searchable=(
        Expenditure.description,
        Expenditure.category,
        Expenditure.currency,
        _workstream_code(Expenditure.workstream_id),
    ),
    filters={
        "id": Expenditure.id,
        "workstream_id": Expenditure.workstream_id,
        "category": Expenditure.category,
        "currency": Expenditure.currency,
    },
    parent=Parent(Expenditure.workstream_id, workstreams_of),
)

RATES: ListSpec[RateRow] = ListSpec(
    model=ExchangeRate,
    row_type=RateRow,
    columns={
        "rate_date": ExchangeRate.rate_date,
        "from_currency": ExchangeRate.from_currency,
        "to_currency": ExchangeRate.to_currency,
        "rate": ExchangeRate.rate,
        "marking": ExchangeRate.marking,
    },
    searchable=(ExchangeRate.from_currency, ExchangeRate.to_currency),
    filters={
        "id": ExchangeRate.id,
        "from_currency": ExchangeRate.from_currency,
        "to_currency": ExchangeRate.to_currency,
    },
    of_no_programme=True,
)

DECISIONS: ListSpec[DecisionRow] = ListSpec(
    model=Decision,
    row_type=DecisionRow,
    columns={
        "title": Decision.title,
        "forum": Decision.forum,
        "needed_by": Decision.needed_by,
        "status": Decision.status,
        "outcome": Decision.outcome,
        "decided_on": Decision.decided_on,
        "marking": Decision.marking,
    },
    searchable=(Decision.title, Decision.forum, Decision.outcome, Decision.status),
    filters={"id": Decision.id, "status": Decision.status},
)

ACTIONS: ListSpec[ActionRow] = ListSpec(
    model=Action,
    row_type=ActionRow,
    columns={
        "title": Action.title,
        "owner": Action.owner,
        "due_on": Action.due_on,
        "status": Action.status,
        "done_on": Action.done_on,
        "risk": _blanks_last(_risk_reference()),
        "marking": Action.marking,
    },
    searchable=(Action.title, Action.owner, Action.status, _risk_reference()),
    filters={"id": Action.id, "status": Action.status, "risk_id": Action.risk_id},
)

AUDIT: ListSpec[AuditListRow] = ListSpec(
    model=AuditEntry,
    row_type=AuditListRow,
    columns={
        "id": AuditEntry.id,
        "at": AuditEntry.at,
        "user": AuditEntry.user,
        "entity": AuditEntry.entity,
        "entity_id": AuditEntry.entity_id,
        "action": AuditEntry.action,
    },
    # The values too, so "Severny" finds every entry that touched that organisation.
    searchable=(
        AuditEntry.user,
        AuditEntry.entity,
        AuditEntry.action,
        AuditEntry.old_values,
        AuditEntry.new_values,
    ),
    filters={
        "id": AuditEntry.id,
        "entity": AuditEntry.entity,
        "entity_id": AuditEntry.entity_id,
        "action": AuditEntry.action,
        "user": AuditEntry.user,
    },
    of_no_programme=True,
)


def first(
    db: Database, spec: ListSpec[Any], programme_id: int, where: Mapping[str, object]
) -> Any | None:
    """The one record `where` picks (e.g. {"id": 7}), or None when there is none."""
    rows, _total = listing.page(
        db, spec, programme_id, sort=None, descending=False, text="", offset=0, limit=1, where=where
    )
    return rows[0] if rows else None
