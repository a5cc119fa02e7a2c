"""The contracts and money registers, declared as data (see `spec.py`).

Amounts are numbers in major units; without a currency column they are in the
programme's base currency. Natural keys: contract number, deliverable item and ToT
package title within their contract, exchange rate by date and currency pair.
Contributions and expenditures have none, so a row is the same record only when every
field matches: re-importing a file changes nothing, and an edited amount is a new
record (the old one stays until deleted in Setu).
"""

from __future__ import annotations

from typing import Any

from app.domain import (
    ContractKind,
    ContractStatus,
    ContributionKind,
    ExpenditureCategory,
    TotKind,
    TotState,
)
from app.interchange.spec import (
    CURRENCY,
    MARKING,
    RELEASABLE,
    Context,
    Field,
    Register,
    T,
    const,
    link,
    parent,
)
from app.services import agreements, contract_items, contracts, costs, fx

CONTRACTS: Register = Register(
    kind="contracts",
    sheet="Contracts",
    draft=contracts.ContractDraft,
    sheet_words=("contract",),
    key=("number",),
    fields=(
        Field("number", "Number", T.TEXT, ("contract number", "contract no", "contract", "ref")),
        Field("title", "Title", T.TEXT, ("name", "description")),
        Field("kind", "Kind", T.CHOICE, ("type",), ContractKind),
        link("supplier_id", "Supplier", "organisation", "vendor", "seller"),
        link("customer_id", "Customer", "organisation", "buyer", "purchaser"),
        link("workstream_id", "Workstream", "workstream", "ws"),
        Field("value_minor", "Value", T.MONEY, ("contract value", "amount")),
        CURRENCY,
        Field("status", "Status", T.CHOICE, (), ContractStatus, default=const("draft")),
        Field("signed_on", "Signed", T.DATE, ("signed on", "signature date", "date signed")),
        Field("period_start", "Period start", T.DATE, ("start",)),
        Field("period_end", "Period end", T.DATE, ("end",)),
        Field("ic_target_pct", "IC target %", T.PERCENT, ("indigenous content target",)),
        Field("ic_achieved_pct", "IC achieved %", T.PERCENT, ("indigenous content achieved",)),
        Field("procurement_category", "Procurement category", T.OPTIONAL_TEXT, ("category",)),
        Field("offset_obligation_minor", "Offset obligation", T.MONEY, ("offset",)),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: contracts.list_contracts(c.db, c.programme_id),
    create=lambda c, s, v: contracts.new_contract(s, c.programme_id, CONTRACTS.make(v)),
    update=lambda c, r, v: contracts.update_contract(c.db, r.id, r.version, CONTRACTS.make(v)),
)


def _of_contracts(context: Context, listing: Any) -> list[Any]:
    return [row for c in CONTRACTS.listing(context) for row in listing(context.db, c.id)]


CONTRACT = link(
    "contract_id", "Contract", "contract", "contract number", "contract no", required=True
)

DELIVERABLES: Register = Register(
    kind="deliverables",
    sheet="Deliverables",
    draft=contract_items.DeliverableDraft,
    sheet_words=("deliverable",),
    key=("contract_id", "item"),
    fields=(
        CONTRACT,
        Field("item", "Item", T.TEXT, ("deliverable", "description", "title")),
        Field("quantity_ordered", "Ordered", T.WHOLE, ("quantity", "qty", "quantity ordered")),
        Field(
            "quantity_delivered",
            "Delivered",
            T.WHOLE,
            ("quantity delivered", "qty delivered"),
            default=const(0),
        ),
        Field("due_date", "Due", T.DATE, ("due date", "due on")),
        Field("delivered_on", "Delivered on", T.DATE, ("delivery date", "date delivered")),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: _of_contracts(c, contract_items.list_deliverables),
    create=lambda c, s, v: contract_items.new_child(
        s, parent(v, "contract_id", "contract"), DELIVERABLES.make(v)
    ),
    update=lambda c, r, v: contract_items.update_deliverable(
        c.db, r.id, r.version, DELIVERABLES.make(v)
    ),
)

TOT_PACKAGES: Register = Register(
    kind="tot-packages",
    sheet="ToT packages",
    draft=contract_items.TotDraft,
    sheet_words=("tot", "technologytransfer"),
    key=("contract_id", "title"),
    fields=(
        CONTRACT,
        Field("title", "Package", T.TEXT, ("title", "tot package", "name")),
        Field("kind", "Kind", T.CHOICE, ("type",), TotKind),
        Field("planned_date", "Planned", T.DATE, ("planned date", "planned on")),
        Field("actual_date", "Actual", T.DATE, ("actual date",)),
        Field("state", "State", T.CHOICE, ("status",), TotState, default=const("planned")),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: _of_contracts(c, contract_items.list_tot),
    create=lambda c, s, v: contract_items.new_child(
        s, parent(v, "contract_id", "contract"), TOT_PACKAGES.make(v)
    ),
    update=lambda c, r, v: contract_items.update_tot(c.db, r.id, r.version, TOT_PACKAGES.make(v)),
)


def _share(context: Context, row: Any) -> dict[str, Any]:
    agreement_id, partner = context.shares().get(row.cost_share_id, (None, None))
    return {"agreement": agreement_id, "partner": partner}


def _to_share(context: Context, values: dict[str, Any]) -> None:
    values["cost_share_id"] = context.share_of(values.get("agreement"), values.get("partner"))


CONTRIBUTIONS: Register = Register(
    kind="contributions",
    sheet="Contributions",
    draft=costs.ContributionDraft,
    sheet_words=("contribution",),
    key=None,
    fields=(
        link("agreement", "Agreement", "agreement", "cost share agreement", required=True),
        Field(
            "partner",
            "Partner",
            T.TEXT,
            ("nation", "contributor", "organisation"),
            required=True,
            also=("cost_share_id",),
        ),
        Field("contributed_on", "Date", T.DATE, ("contributed on", "paid on", "date paid")),
        Field("kind", "Kind", T.CHOICE, ("type",), ContributionKind),
        Field("amount_minor", "Amount", T.MONEY, ("value",)),
        CURRENCY,
        Field("description", "Description", T.TEXT, ("details", "note")),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: [
        row
        for a in agreements.list_agreements(c.db, c.programme_id)
        for row in costs.list_contributions(c.db, a.id)
    ],
    create=lambda c, s, v: costs.new_contribution(s, c.programme_id, CONTRIBUTIONS.make(v)),
    update=lambda c, r, v: costs.update_contribution(c.db, r.id, r.version, CONTRIBUTIONS.make(v)),
    extra=_share,
    prepare=_to_share,
)

EXPENDITURES: Register = Register(
    kind="expenditures",
    sheet="Expenditures",
    draft=costs.ExpenditureDraft,
    sheet_words=("expenditure", "spend"),
    key=None,
    fields=(
        link("workstream_id", "Workstream", "workstream", "ws", "workstream code"),
        Field("spent_on", "Date", T.DATE, ("spent on", "date spent")),
        Field("category", "Category", T.CHOICE, ("cost category", "type"), ExpenditureCategory),
        Field("amount_minor", "Amount", T.MONEY, ("value", "cost")),
        CURRENCY,
        Field("description", "Description", T.TEXT, ("details", "note")),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: costs.list_expenditures(c.db, c.programme_id),
    create=lambda c, s, v: costs.new_expenditure(s, c.programme_id, EXPENDITURES.make(v)),
    update=lambda c, r, v: costs.update_expenditure(c.db, r.id, r.version, EXPENDITURES.make(v)),
)

EXCHANGE_RATES: Register = Register(
    kind="exchange-rates",
    sheet="Exchange rates",
    draft=fx.RateDraft,
    sheet_words=("exchangerate", "fx", "rate"),
    key=("rate_date", "from_currency", "to_currency"),
    fields=(
        Field("rate_date", "Date", T.DATE, ("rate date", "as of")),
        Field("from_currency", "From", T.CURRENCY, ("from currency",)),
        Field("to_currency", "To", T.CURRENCY, ("to currency",)),
        Field("rate", "Rate", T.DECIMAL, ("exchange rate",)),
        MARKING,
        RELEASABLE,
    ),
    listing=lambda c: fx.list_rates(c.db),
    create=lambda c, s, v: fx.new_rate(s, c.programme_id, EXCHANGE_RATES.make(v)),
    update=lambda c, r, v: fx.update_rate(
        c.db, c.programme_id, r.id, r.version, EXCHANGE_RATES.make(v)
    ),
)
