"""The pack's money sections: co-production contracts and cost sharing.

Split from `sections` to keep each file readable; built from the same blocks
(`sections_common`). Every amount is exact, in the base currency unless a column says
otherwise; charts round for the eye, tables never do.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.domain import TotState
from app.reporting import charts
from app.reporting.briefing import BriefingData, ContractLine
from app.reporting.sections_common import (
    PORTRAIT_WIDTH,
    Markup,
    Plain,
    bold,
    bullets,
    count,
    day,
    export_command,
    gap,
    heading,
    join,
    left_out,
    markup,
    money,
    name,
    para,
    pct,
    small,
    worst_first,
)
from app.reporting.tables import table
from app.services.analytics_costshare import AgreementFigures

AGREEMENTS_LISTED = 6  # agreements with a line in the contents
AGREEMENTS_DETAILED = 12  # agreements set out in full, the largest
CONTRACTS_LISTED = 40

# 3 Co-production contracts ---------------------------------------------------------------


def _tot(states: dict[str, int]) -> Markup:
    """Absorbed of all packages first (what counts), then the other states held."""
    total = sum(states.values())
    if not total:
        return markup("none")
    absorbed = states.get(TotState.ABSORBED.value, 0)
    rest = [f"{n} {state}" for state, n in states.items() if n and state != TotState.ABSORBED]
    return join(f"{absorbed} of {total} absorbed", small(", ".join(rest)) if rest else "")


def _contract_row(c: ContractLine, ccy: str) -> list[str | Flowable]:
    delivered = f"{c.delivered} of {c.ordered}" if c.ordered else "none ordered"
    ic = join(pct(c.ic_achieved_pct), small(f"target {pct(c.ic_target_pct)}"))
    if c.below_minimum:
        ic = join(ic, Markup("<br/>"), bold("BELOW MINIMUM"))
    offset = (
        join(
            money(c.offset_discharged_minor, ccy),
            small(f"of {money(c.offset_obligation_minor, ccy)}"),
        )
        if c.offset_obligation_minor
        else Plain("no obligation")
    )
    parties = join("Supplier:", name(c.supplier), Markup("<br/>Customer:"), name(c.customer))
    return [
        join(bold(c.number), c.title, small(parties)),
        join(money(c.value_minor, c.currency), small(money(c.value_base_minor, ccy))),
        Plain(delivered),
        ic,
        _tot(c.tot),
        offset,
    ]


def contracts(data: BriefingData) -> list[Flowable]:
    industry = data.figures.industry
    ccy = data.base_currency
    intro = (
        f"Indigenous content (IC), weighted by contract value: {pct(industry.ic_achieved_pct)} "
        f"achieved against a target of {pct(industry.ic_target_pct)}. Technology transfer "
        f"(ToT): {industry.tot_absorbed} of {count(industry.tot_total, 'package')} absorbed. "
        f"Offsets: {money(industry.offset_discharged, ccy)} discharged of an obligation of "
        f"{money(industry.offset_obligation, ccy)} ({pct(industry.offset_discharge_pct)})."
    )
    listed = worst_first(data.contracts, CONTRACTS_LISTED, lambda c: int(c.below_minimum))
    return [
        *heading("3 Co-production contracts", 0),
        para(intro),
        gap(2 * mm),
        *left_out(
            len(listed),
            len(data.contracts),
            "contracts",
            "Those below their category's IC minimum come first; "
            f"{export_command('contracts', data.audience)} lists them all.",
        ),
        table(
            (
                "Contract",
                f"Value ({ccy} below)",
                "Delivered",
                "IC achieved",
                "ToT packages",
                "Offset discharged",
            ),
            [_contract_row(c, ccy) for c in listed],
            (50, 29, 15, 19, 27, 29),
            PORTRAIT_WIDTH,
            numeric={1, 2, 3, 5},
            empty="No contract is visible to this audience.",
        ),
        gap(2 * mm),
        para(
            "Value is in the contract's own currency, with the "
            f"{ccy} equivalent at the rate on the signature date below it. BELOW MINIMUM: "
            "the IC target or the IC achieved is below the minimum its procurement category "
            "requires.",
            "note",
        ),
    ]


# 4 Cost sharing --------------------------------------------------------------------------


def _agreement(agreement: AgreementFigures, ccy: str, level: int) -> list[Flowable]:
    p = agreement.partners
    rows: list[list[str | Flowable]] = [
        [
            x.partner,
            Plain(f"{x.share_pct:.4f}".rstrip("0").rstrip(".") + " %"),
            money(x.owed, ccy),
            money(x.contributed, ccy),
            money(x.net, ccy),
            money(x.balance, ccy),
        ]
        for x in p
    ]
    rows.append(
        [
            Plain("Total"),
            Plain("100 %"),
            money(agreement.eligible, ccy),
            money(sum(x.contributed for x in p), ccy),
            money(agreement.pool, ccy),
            money(sum(x.balance for x in p), ccy),
        ]
    )
    pool = "unspent cash" if agreement.pool >= 0 else "deficit"
    settle = [
        join(bold(t.from_), "pays", bold(t.to), money(t.amount, ccy)) for t in agreement.settlement
    ]
    chart_rows = [(x.partner, x.owed, x.contributed) for x in p]
    body = [
        para(
            f"FX rule {agreement.fx_rule}. Eligible cost {money(agreement.eligible, ccy)}; "
            f"pool {money(agreement.pool, ccy)} ({pool}). Net is contributed minus owed; "
            "the balance is net minus the partner's share of the pool."
        ),
        gap(2 * mm),
        table(
            ("Partner", "Share", "Owed", "Contributed", "Net", "Balance"),
            rows,
            (28, 14, 26, 26, 26, 26),
            PORTRAIT_WIDTH,
            numeric={1, 2, 3, 4, 5},
            total=True,
            empty="No partner share is visible to this audience.",
        ),
        gap(2 * mm),
        *(
            [para(bold("Settlement"), "body"), *bullets(settle)]
            if settle
            else [para("No settlement is needed: every balance is zero.")]
        ),
        gap(2 * mm),
        charts.cost_share_chart(chart_rows, ccy, PORTRAIT_WIDTH * 0.75, 22 * mm + 9 * mm * len(p))
        if p
        else gap(0),
    ]
    return heading(
        f"{agreement.agreement}: {agreement.title}",
        level,
        body,
        room=60 * mm,
        toc=f"Agreement {agreement.agreement}",
    )


def cost_sharing(data: BriefingData) -> list[Flowable]:
    ccy = data.base_currency
    story: list[Flowable] = [
        *heading("4 Cost sharing", 0),
        para(
            f"Per agreement, as at {data.status_date.isoformat()}, in {ccy}: what each partner "
            "owes under its agreed share of the eligible cost, what it has contributed, and "
            "the transfers that settle the balances."
        ),
    ]
    if not data.figures.cost_share:
        story.append(para("No cost-share agreement is visible to this audience."))
    agreements = data.figures.cost_share
    # The largest are set out; a few agreements also get a line in the contents.
    detailed = worst_first(agreements, AGREEMENTS_DETAILED, lambda a: a.eligible)
    story += left_out(
        len(detailed),
        len(agreements),
        "agreements",
        "The largest by eligible cost are set out; `setu summary --json` reconciles "
        "every agreement.",
    )
    level = 1 if len(detailed) <= AGREEMENTS_LISTED else 2
    for agreement in detailed:
        story += _agreement(agreement, ccy, level)
    rates = table(
        ("From", "To", "Rate", "Date"),
        [
            (
                Plain(r.from_currency),
                Plain(r.to_currency),
                Plain(f"{r.rate.normalize():f}"),
                day(r.on, "fixed at signature"),
            )
            for r in data.rates
        ],
        (15, 15, 30, 40),
        PORTRAIT_WIDTH * 0.7,
        numeric={2},
        empty=f"No conversion was needed: every amount was in {ccy}.",
    )
    return [*story, *heading("FX rates used", 1, [rates])]
