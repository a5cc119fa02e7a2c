"""The demo programme's money: contracts with their deliverables, ToT packages and
offsets, cost-share agreements with two years of contributions, and monthly spending.

Split from app.demo only to keep each file readable in one sitting; the functions take
the demo's builder for its random source, dates and the ids created so far.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from app import demo_data as data
from app.domain import ContractStatus, ContributionKind, ExpenditureCategory, FxRule, TotState
from app.services import agreements, contract_items, contracts, costs

if TYPE_CHECKING:
    from app.demo import Builder

CRORE = 10**7 * 100  # one crore rupees, in paise
MILLION = 10**6 * 100  # a million roubles or dollars, in minor units
BASE_RATES = {("RUB", "INR"): Decimal("0.9450"), ("USD", "INR"): Decimal("83.20")}


def months(start: date, count: int) -> date:
    """`start` moved by whole months (day clamped to 28, so every month has it)."""
    index = start.year * 12 + start.month - 1 + count
    return date(index // 12, index % 12 + 1, min(start.day, 28))


def contract(b: Builder, spec: data.ContractSpec, orgs: list[int], streams: list[int]) -> int:
    title, kind, supplier, customer, currency, millions, target, achieved, category = spec
    index = data.CONTRACTS.index(spec)
    signed = months(b.start, 1 + 2 * index)
    value = millions * MILLION
    offset = contracts.suggested_offset_obligation(b.db, b.programme_id, value, currency, signed)
    row = contracts.create_contract(
        b.db,
        b.programme_id,
        contracts.ContractDraft(
            number=f"JP-K/{signed.year}/{b.number('contract'):03}",
            title=title,
            kind=kind,
            supplier_id=orgs[supplier],
            customer_id=orgs[customer],
            value_minor=value,
            currency=currency,
            status=ContractStatus.IN_PROGRESS,
            signed_on=signed,
            period_start=signed,
            period_end=months(signed, 60),
            ic_target_pct=Decimal(target),
            ic_achieved_pct=Decimal(achieved),
            procurement_category=category,
            offset_obligation_minor=offset or 0,
            workstream_id=streams[data.CONTRACT_WORKSTREAM[index]],
            marking=b.marking(),
        ),
    )
    for item in b.rng.sample(data.DELIVERABLES, 2):
        due = months(signed, b.rng.randint(6, 40))
        ordered = b.rng.randint(2, 40) * 10
        delivered = ordered if due < b.today else ordered * b.rng.randint(0, 6) // 10
        contract_items.new_child(
            b.session,
            row.id,
            contract_items.DeliverableDraft(
                item, ordered, due, delivered, min(due, b.today) if delivered else None
            ),
        )
    for title_, tot_kind in b.rng.sample(data.TOT_PACKAGES, 3):
        planned = months(signed, b.rng.randint(3, 36))
        state = (
            b.rng.choice((TotState.TRANSFERRED, TotState.ABSORBED))
            if planned < b.today
            else TotState.IN_TRANSFER
            if planned < b.today + timedelta(days=120)
            else TotState.PLANNED
        )
        done = min(planned, b.today) if state in (TotState.TRANSFERRED, TotState.ABSORBED) else None
        contract_items.new_child(
            b.session, row.id, contract_items.TotDraft(title_, tot_kind, planned, state, done)
        )
    if row.offset_obligation_minor:
        for step, multiplier in enumerate(("1", "1.5", "2"), start=1):
            contract_items.new_child(
                b.session,
                row.id,
                contract_items.DischargeDraft(
                    months(signed, 6 * step),
                    f"Offset discharge {step}: components sourced from Indian industry",
                    row.offset_obligation_minor // 10,
                    Decimal(multiplier),
                ),
            )
    return row.id


def cost_sharing(b: Builder, streams: list[int]) -> None:
    """Development split evenly; production two-thirds India (separate agreements)."""
    for code, title, shares, covered, rule in data.AGREEMENTS:
        signed = b.start
        row = agreements.create_agreement(
            b.db,
            b.programme_id,
            agreements.AgreementDraft(
                code=f"{code}-{b.number('agreement'):02}",
                title=title,
                fx_rule=rule,
                signed_on=signed,
                shares=tuple(
                    agreements.ShareDraft(nation, None, Decimal(pct)) for nation, pct in shares
                ),
                workstream_ids=tuple(streams[i] for i in covered),
                fixed_rates=tuple(
                    agreements.FixedRateDraft(src, dst, rate)
                    for (src, dst), rate in BASE_RATES.items()
                )
                if rule == FxRule.FIXED
                else (),
            ),
        )
        quarterly = 3 * sum(b.monthly[streams[i]] for i in covered)
        for share in row.shares:
            contributions(b, share.id, share.nation or "", share.share_pct * quarterly / 100)


def contributions(b: Builder, share_id: int, nation: str, due_minor: Decimal) -> None:
    """Two years of quarterly payments of about the partner's share of the spending, in
    the partner's own currency or in dollars (so the balances are small but not zero)."""
    first = months(b.today.replace(day=15), -24)
    for quarter in range(8):
        day = months(first, 3 * quarter)
        currency = "INR" if nation == "IND" else b.rng.choice(("RUB", "RUB", "USD"))
        in_inr = int(due_minor) * b.rng.randint(85, 110) // 100
        amount = in_inr if currency == "INR" else int(in_inr / BASE_RATES[(currency, "INR")])
        costs.new_contribution(
            b.session,
            b.programme_id,
            costs.ContributionDraft(
                cost_share_id=share_id,
                contributed_on=day,
                kind=ContributionKind.IN_KIND if quarter == 5 else ContributionKind.CASH,
                amount_minor=amount,
                currency=currency,
                description=f"Quarterly contribution Q{quarter + 1}",
            ),
        )


def expenditures(b: Builder, ws_id: int, begins: date, monthly_minor: int) -> None:
    """Two years of monthly spending at about the budget's pace, in mixed currencies."""
    b.monthly[ws_id] = monthly_minor
    first = max(begins, months(b.today.replace(day=1), -24))
    month = 0
    while (day := months(first, month)) <= b.today:
        currency = b.rng.choice(("INR", "INR", "RUB", "USD"))
        in_inr = monthly_minor * b.rng.randint(80, 125) // 100
        rate = BASE_RATES.get((currency, "INR"), Decimal(1))
        costs.new_expenditure(
            b.session,
            b.programme_id,
            costs.ExpenditureDraft(
                workstream_id=ws_id,
                spent_on=day,
                amount_minor=int(in_inr / rate),
                currency=currency,
                category=b.rng.choice(list(ExpenditureCategory)),
                description="Monthly cost statement",
            ),
        )
        month += 1
