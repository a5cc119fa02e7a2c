"""Cost-share reconciliation: who owes what under each agreement, and who pays whom.

DOMAIN.md ("Analytics", "Cost share"): eligible cost is split by shares, contributions
are set against it, the pool of unspent cash (or the deficit) is split again, and the
balances left over are settled in at most n-1 transfers. Every split uses the
largest-remainder method, so the figures reconcile to the minor unit: Σ owed = eligible
and Σ balance = 0 exactly, which a pack reader can check by adding up the columns.

The arithmetic (`allocate`, `settle`, `reconcile`) is pure so it can be property-tested;
`cost_share` only gathers its inputs from the database, in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from app.domain import FxRule
from app.errors import SetuError
from app.models import (
    AgreementRate,
    AgreementWorkstream,
    Contribution,
    CostShare,
    CostShareAgreement,
    Expenditure,
    Organisation,
    Workstream,
)
from app.services import fx
from app.services.analytics_format import money, ratio
from app.services.analytics_scope import Scope, SpotConverter, inverse, rate_day
from app.services.collation import bytewise

# (from currency, to currency, rate as applied, transaction date; None for a fixed rate)
RateUsed = tuple[str, str, Decimal, date | None]
RateOf = Callable[[str, date], Decimal]


class MissingFixedRate(SetuError):
    """A fixed agreement has no stored rate for a currency it was paid or spent in.

    Not `fx.MissingRate`: adding a spot rate would not help, the agreement must be amended.
    """

    def __init__(self, agreement: str, from_ccy: str, to_ccy: str) -> None:
        super().__init__(
            f"fixed agreement {agreement} has no rate {from_ccy}->{to_ccy} (nor {to_ccy}->"
            f"{from_ccy}); add one to the agreement",
            f"agreement {agreement}",
        )
        self.agreement = agreement
        self.from_ccy = from_ccy
        self.to_ccy = to_ccy


@dataclass(frozen=True)
class PartnerFigures:
    partner: str  # the nation code or the organisation's short name
    share_pct: Decimal
    owed: int
    contributed: int
    net: int
    balance: int  # negative: pays in the settlement; positive: is paid


@dataclass(frozen=True)
class Transfer:
    from_: str
    to: str
    amount: int


@dataclass(frozen=True)
class AgreementFigures:
    """One agreement reconciled at the status date; money in base-currency minor units."""

    agreement: str
    title: str
    fx_rule: str
    eligible: int
    pool: int
    partners: tuple[PartnerFigures, ...]
    settlement: tuple[Transfer, ...]
    rates_used: tuple[RateUsed, ...]  # for the briefing pack's "FX rates used" table

    def to_json(self, currency: str) -> dict[str, Any]:
        """The `cost_share[]` entry of `summary --json` (CLI.md)."""
        return {
            "agreement": self.agreement,
            "fx_rule": self.fx_rule,
            "eligible": money(self.eligible, currency),
            "pool": money(self.pool, currency),
            "partners": [
                {
                    "partner": p.partner,
                    "share_pct": ratio(p.share_pct),
                    **{k: money(getattr(p, k), currency) for k in _PARTNER_MONEY},
                }
                for p in self.partners
            ],
            "settlement": [
                {"from": t.from_, "to": t.to, "amount": money(t.amount, currency)}
                for t in self.settlement
            ],
        }


_PARTNER_MONEY = ("owed", "contributed", "net", "balance")


# The arithmetic ---------------------------------------------------------------------------


def allocate(total: int, weights: Sequence[Decimal]) -> list[int]:
    """Split `total` in proportion to `weights` into integers that sum to it exactly.

    Largest remainder: everyone gets the floor of their exact quota, and the units left
    go one each to the largest fractional remainders, ties to the earlier weight (the
    partner listed first). A negative total is split by its magnitude and negated, so
    a deficit is shared exactly as a surplus would be rather than rounded towards -inf.
    """
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    exact = [Fraction(w) for w in weights]
    whole = sum(exact, Fraction(0))
    if whole <= 0 or any(w < 0 for w in exact):
        raise ValueError(f"weights must be non-negative with a positive sum: {list(weights)}")
    quotas = [total * w / whole for w in exact]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (parts[i] - quotas[i], i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


def settle(balances: Sequence[int]) -> list[tuple[int, int, int]]:
    """Transfers (payer index, payee index, amount) that bring every balance to zero.

    Each step the most negative balance pays the most positive the smaller magnitude,
    ties to the earlier index. Every step clears at least one balance and the last
    clears two, so there are at most n-1 transfers.
    """
    if sum(balances) != 0:
        raise ValueError(f"balances must sum to zero: {list(balances)}")
    left = list(balances)
    transfers: list[tuple[int, int, int]] = []
    while any(left):
        payer = min(range(len(left)), key=lambda i: (left[i], i))
        payee = min(range(len(left)), key=lambda i: (-left[i], i))
        amount = min(-left[payer], left[payee])
        left[payer] += amount
        left[payee] -= amount
        transfers.append((payer, payee, amount))
    return transfers


def reconcile(
    eligible: int, partners: Sequence[tuple[str, Decimal, int]]
) -> tuple[int, tuple[PartnerFigures, ...], tuple[Transfer, ...]]:
    """Pool, partners' figures and settlement from the eligible cost and each partner's
    (label, share %, contributed), given in agreement order."""
    shares = [share for _, share, _ in partners]
    owed = allocate(eligible, shares)
    net = [contributed - o for (_, _, contributed), o in zip(partners, owed, strict=True)]
    pool = sum(net)
    balance = [n - part for n, part in zip(net, allocate(pool, shares), strict=True)]
    figures = tuple(
        PartnerFigures(label, share, o, contributed, n, b)
        for (label, share, contributed), o, n, b in zip(partners, owed, net, balance, strict=True)
    )
    names = [label for label, _, _ in partners]
    settlement = tuple(Transfer(names[p], names[q], amount) for p, q, amount in settle(balance))
    return pool, figures, settlement


# Conversion -------------------------------------------------------------------------------


def _fixed_rates(agreement: str, base: str, stored: Iterable[tuple[str, str, Decimal]]) -> RateOf:
    """A fixed agreement's rate into `base`, whatever the date; a stored rate serves both
    ways, a rate between two other currencies none (there are no cross rates)."""
    table = {base: Decimal(1)}
    inverted: dict[str, Decimal] = {}
    for from_ccy, to_ccy, rate in stored:
        if to_ccy == base:
            table[from_ccy] = rate
        elif from_ccy == base:
            inverted[to_ccy] = inverse(rate)
    table = {**inverted, **table}  # a direct rate, were there both, is the exact one

    def rate_of(currency: str, on: date) -> Decimal:
        if currency not in table:
            raise MissingFixedRate(agreement, currency, base)
        return table[currency]

    return rate_of


@dataclass
class _Ledger:
    """Converts one agreement's group sums into the base currency, noting the rates used."""

    rate_of: RateOf
    base: str
    fixed: bool
    used: set[RateUsed] = field(default_factory=set)

    def total(self, groups: Iterable[tuple[str, date | None, int]]) -> int:
        """Σ of (currency, date, amount) groups in base minor units.

        The groups are SQL sums per currency and date: every transaction in one shares
        the same rate, so each group is converted and rounded half-up once. Base-currency
        amounts come summed whatever their date (date None, see `rate_day`): they need
        no rate.
        """
        result = 0
        for currency, on, amount in groups:
            if on is None:  # a base-currency sum
                result += amount
                continue
            rate = self.rate_of(currency, on)
            self.used.add((currency, self.base, rate, None if self.fixed else on))
            result += fx.convert(amount, currency, self.base, rate)
        return result

    def rates_used(self) -> tuple[RateUsed, ...]:
        return tuple(sorted(self.used, key=lambda r: (r[0], r[1], r[3] or date.min, r[2])))


# Gathering --------------------------------------------------------------------------------

Groups = dict[int, list[tuple[str, date | None, int]]]


def _sums(
    session: Session, scope: Scope, on: Any, key: Any, keys: list[int], *joins: tuple[Any, Any]
) -> Groups:
    """Visible amounts dated (`on`) <= D, summed per `key`, currency and date, oldest first
    (base-currency amounts per `key` alone, see `rate_day`).

    Each joined table must be visible too, so nothing reaches a total through a hidden link.
    """
    model = on.class_  # Expenditure or Contribution: both have amount_minor and currency
    rows = select(
        key.label("group_id"),
        model.currency,
        rate_day(scope, model.currency, on).label("day"),
        model.amount_minor,
    ).select_from(model)
    for table, onclause in joins:
        rows = rows.join(table, onclause).where(scope.visible(table))
    summed = rows.where(key.in_(keys), on <= scope.as_of, scope.visible(model)).subquery()
    groups = (summed.c.group_id, summed.c.currency, summed.c.day)
    query = (
        select(*groups, func.sum(summed.c.amount_minor))
        .group_by(*groups)
        .order_by(summed.c.group_id, summed.c.day, bytewise(summed.c.currency))
    )
    found: Groups = defaultdict(list)
    for group, currency, day, amount in session.execute(query):
        found[group].append((currency, day, int(amount)))  # PostgreSQL sums BIGINT as NUMERIC
    return found


def _shares(
    session: Session, scope: Scope, agreement_ids: list[int]
) -> dict[int, list[tuple[int, str, Decimal]]]:
    """Each agreement's visible shares as (share id, partner, share %) in agreement order.

    An organisation the audience may not see lends its share no name: the share shows as
    "partner N" (its place on the agreement), which reveals nothing hidden.
    """
    shown = and_(Organisation.id == CostShare.organisation_id, scope.visible(Organisation))
    found = session.execute(
        select(
            CostShare.agreement_id,
            CostShare.id,
            func.coalesce(CostShare.nation, Organisation.short_name),
            CostShare.share_pct,
        )
        .outerjoin(Organisation, shown)
        .where(CostShare.agreement_id.in_(agreement_ids), scope.visible(CostShare))
        .order_by(CostShare.agreement_id, CostShare.position, CostShare.id)
    )
    shares: dict[int, list[tuple[int, str, Decimal]]] = defaultdict(list)
    for agreement_id, share_id, partner, share_pct in found:
        place = len(shares[agreement_id]) + 1
        shares[agreement_id].append((share_id, partner or f"partner {place}", share_pct))
    return shares


def _fixed(
    session: Session, scope: Scope, agreement_ids: list[int]
) -> dict[int, list[tuple[str, str, Decimal]]]:
    """The stored rates of the fixed agreements, as (from, to, rate) per agreement."""
    found = session.execute(
        select(
            AgreementRate.agreement_id,
            AgreementRate.from_currency,
            AgreementRate.to_currency,
            AgreementRate.rate,
        ).where(AgreementRate.agreement_id.in_(agreement_ids), scope.visible(AgreementRate))
    )
    rates: dict[int, list[tuple[str, str, Decimal]]] = defaultdict(list)
    for agreement_id, from_ccy, to_ccy, rate in found:
        rates[agreement_id].append((from_ccy, to_ccy, rate))
    return rates


def cost_share(session: Session, scope: Scope) -> tuple[AgreementFigures, ...]:
    """Every agreement the audience may see, reconciled at D, ordered by code.

    Raises `fx.MissingRate` (spot) or `MissingFixedRate` (fixed) when an amount cannot
    be converted: a figure built on a guessed rate would be worse than none.
    """
    agreements = session.scalars(
        select(CostShareAgreement)
        .where(
            CostShareAgreement.programme_id == scope.programme_id,
            scope.visible(CostShareAgreement),
        )
        .order_by(bytewise(CostShareAgreement.code))
    ).all()
    ids = [a.id for a in agreements]
    shares = _shares(session, scope, ids)
    spent = _sums(
        session,
        scope,
        Expenditure.spent_on,
        AgreementWorkstream.agreement_id,
        ids,
        (AgreementWorkstream, AgreementWorkstream.workstream_id == Expenditure.workstream_id),
        (Workstream, Workstream.id == Expenditure.workstream_id),
    )
    # Contributions belong to a share, whether its partner is a nation or an organisation.
    share_ids = [s[0] for a in ids for s in shares[a]]
    paid = _sums(session, scope, Contribution.contributed_on, Contribution.cost_share_id, share_ids)
    fixed = _fixed(session, scope, [a.id for a in agreements if a.fx_rule == FxRule.FIXED])
    # One spot converter for all agreements: its cache serves every (currency, date) once.
    spot = SpotConverter(session, scope.base_currency)
    result = []
    for a in agreements:
        is_fixed = a.fx_rule == FxRule.FIXED
        rate_of = _fixed_rates(a.code, scope.base_currency, fixed[a.id]) if is_fixed else spot.rate
        ledger = _Ledger(rate_of, scope.base_currency, is_fixed)
        eligible = ledger.total(spent[a.id])
        partners = [(label, pct, ledger.total(paid[i])) for i, label, pct in shares[a.id]]
        pool, figures, settlement = reconcile(eligible, partners)
        result.append(
            AgreementFigures(
                a.code, a.title, a.fx_rule, eligible, pool, figures, settlement, ledger.rates_used()
            )
        )
    return tuple(result)
