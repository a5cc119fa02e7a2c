"""The checks an agreement draft must pass before any database is asked: at least two
partners whose shares add up to exactly 100 %, no workstream twice, fixed rates only
(and then at least one) under a fixed exchange-rate rule. The services run them, and
the agreement dialog runs them live as the officer types.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from app.domain import FxRule
from app.services import fx
from app.services.validation import TITLE_MAX, Checker

if TYPE_CHECKING:  # the drafts' module runs these checks, so it imports this one
    from app.services.agreements import AgreementDraft, FixedRateDraft, ShareDraft

HUNDRED = Decimal(100)


def _nested(check: Checker, field: str, label: str, sub: Checker) -> None:
    """Report a child's problems under the draft's field, saying which child they concern."""
    for problem in sub.problems:
        check.add(field, f"{label}: {problem.field} {problem.reason}")


def _check_shares(check: Checker, shares: Sequence[ShareDraft]) -> None:
    if len(shares) < 2:
        check.add("shares", "an agreement needs at least two partners")
    seen: set[tuple[str | None, int | None]] = set()
    total, summable = Decimal(0), bool(shares)
    for n, share in enumerate(shares, 1):
        sub = Checker()
        if (share.nation is None) == (share.organisation_id is None):
            sub.add("partner", "must be either a nation or an organisation, not both or neither")
        elif share.nation is not None:
            sub.nation("partner", share.nation)
        key = (share.nation, share.organisation_id)
        if key in seen:
            sub.add("partner", "is listed more than once")
        seen.add(key)
        fx.check_positive(sub, "share", share.share_pct, 4, HUNDRED)
        if sub.ok("share"):
            total += Decimal(share.share_pct)
        else:
            summable = False
        label = share.nation or f"organisation {share.organisation_id}"
        _nested(check, "shares", f"share {n} ({label})", sub)
    if summable and total != HUNDRED:
        check.add(
            "shares",
            f"the shares add up to {total.normalize():f} %; they must add up to exactly 100 %",
        )


def _check_fixed_rates(check: Checker, fx_rule: str, rates: Sequence[FixedRateDraft]) -> None:
    if fx_rule == FxRule.FIXED and not rates:
        check.add("fixed_rates", "a fixed agreement needs at least one fixed rate")
    if fx_rule == FxRule.SPOT and rates:
        check.add("fixed_rates", "a spot agreement uses the exchange-rate table; remove them")
    seen: set[frozenset[str]] = set()
    for n, rate in enumerate(rates, 1):
        sub = Checker()
        fx.check_pair(sub, "from currency", rate.from_currency, "to currency", rate.to_currency)
        fx.check_positive(sub, "rate", rate.rate, fx.RATE_PLACES)
        # One rate serves both directions, so A->B and B->A together would contradict.
        pair = frozenset((rate.from_currency, rate.to_currency))
        if pair in seen:
            sub.add("currencies", "already have a rate on this agreement")
        seen.add(pair)
        _nested(check, "fixed_rates", f"rate {n} ({rate.from_currency}->{rate.to_currency})", sub)


def check_agreement(draft: AgreementDraft) -> Checker:
    """The checks that need no database: used by the services and, live, by dialogs."""
    check = Checker()
    check.text("code", draft.code, max_len=40)
    check.text("title", draft.title, max_len=TITLE_MAX)
    check.choice("fx_rule", draft.fx_rule, FxRule)
    check.is_date("signed_on", draft.signed_on)
    _check_shares(check, draft.shares)
    for workstream_id in {w for w in draft.workstream_ids if draft.workstream_ids.count(w) > 1}:
        check.add("workstream_ids", f"workstream {workstream_id} is listed more than once")
    _check_fixed_rates(check, draft.fx_rule, draft.fixed_rates)
    return check
