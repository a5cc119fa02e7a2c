"""Risk exposure and overdue actions (DOMAIN.md "Risks, actions, decisions", "Analytics").

Exposure is about open risks only: a closed or realised risk is no longer a threat to
be managed, so it appears in the counts by status and nowhere else. Counting and
ordering happen in SQL, so the cost does not grow with the register's history; only
the expected value's probabilities are applied in Python, exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain import LIKELIHOOD_PROBABILITY, ActionStatus, Rating, RiskStatus, rating
from app.models import Action, Risk, RiskReview
from app.services import analytics_format as fmt
from app.services.analytics_scope import Scope
from app.services.collation import bytewise

LEVELS = range(1, 6)
TOP_LEVEL = 5
# An action in one of these states needs nobody's attention, so it is never overdue.
FINISHED_ACTIONS = (ActionStatus.DONE.value, ActionStatus.CANCELLED.value)

# Rows: likelihood 5 (index 0) down to 1; columns: impact 1 (index 0) up to 5.
Matrix = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class RisingRisk:
    reference: str
    from_score: int
    to_score: int


@dataclass(frozen=True)
class TopRisk:
    reference: str
    title: str
    score: int
    rating: Rating
    owner: str
    proximity: date | None


@dataclass(frozen=True)
class OverdueAction:
    title: str
    owner: str
    due_on: date
    days_overdue: int
    risk_reference: str | None  # None for a programme action, or a risk not visible


@dataclass(frozen=True)
class HighRisk:
    reference: str
    title: str
    workstream_id: int | None
    proximity: date | None


@dataclass(frozen=True)
class RiskFigures:
    """Exposure as at D; expected values in base-currency minor units."""

    base_currency: str
    by_status: Mapping[str, int]
    matrix_inherent: Matrix
    matrix_residual: Matrix
    expected_value_by_category: Mapping[str, int]  # keys sorted
    rising: tuple[RisingRisk, ...]
    top: tuple[TopRisk, ...]
    overdue_actions: tuple[OverdueAction, ...]

    @property
    def by_rating(self) -> dict[Rating, int]:
        """Open risks per rating of their current values: read off the inherent matrix."""
        counts = dict.fromkeys((Rating.HIGH, Rating.MEDIUM, Rating.LOW), 0)
        for row, cells in enumerate(self.matrix_inherent):
            for column, count in enumerate(cells):
                counts[rating(TOP_LEVEL - row, column + 1)] += count
        return counts

    def to_json(self) -> dict[str, Any]:
        """CLI.md's `risks` object, plus `by_status` and `overdue_actions`."""
        return {
            "by_rating": {str(band): n for band, n in self.by_rating.items()},
            "matrix_inherent": [list(row) for row in self.matrix_inherent],
            "matrix_residual": [list(row) for row in self.matrix_residual],
            "expected_value_by_category": {
                category: fmt.money(minor, self.base_currency)
                for category, minor in self.expected_value_by_category.items()
            },
            "rising": [
                {"ref": r.reference, "from": r.from_score, "to": r.to_score} for r in self.rising
            ],
            "top": [
                {
                    "ref": t.reference,
                    "title": t.title,
                    "score": t.score,
                    "rating": str(t.rating),
                    "owner": t.owner,
                    "proximity": fmt.iso(t.proximity),
                }
                for t in self.top
            ],
            "by_status": dict(self.by_status),
            "overdue_actions": [
                {
                    "title": a.title,
                    "owner": a.owner,
                    "due_on": fmt.iso(a.due_on),
                    "days_overdue": a.days_overdue,
                    "risk_ref": a.risk_reference,
                }
                for a in self.overdue_actions
            ],
        }


def _open(scope: Scope) -> tuple[ColumnElement[bool], ...]:
    """The programme's open risks this audience may see."""
    return (
        Risk.programme_id == scope.programme_id,
        Risk.status == RiskStatus.OPEN.value,
        scope.visible(Risk),
    )


def _by_status(session: Session, scope: Scope) -> dict[str, int]:
    counts = {status.value: 0 for status in RiskStatus}
    rows = session.execute(
        select(Risk.status, func.count())
        .where(Risk.programme_id == scope.programme_id, scope.visible(Risk))
        .group_by(Risk.status)
    )
    for status, count in rows:
        counts[status] = count
    return counts


def _matrix(
    session: Session,
    scope: Scope,
    likelihood: InstrumentedAttribute[int],
    impact: InstrumentedAttribute[int],
) -> Matrix:
    cells = [[0] * len(LEVELS) for _ in LEVELS]
    rows = session.execute(
        select(likelihood, impact, func.count()).where(*_open(scope)).group_by(likelihood, impact)
    )
    for level, severity, count in rows:
        cells[TOP_LEVEL - level][severity - 1] = count
    return tuple(tuple(row) for row in cells)


def _expected_values(session: Session, scope: Scope) -> dict[str, int]:
    """Σ probability(likelihood) x cost impact per category, rounded once per category."""
    rows = session.execute(
        select(Risk.category, Risk.likelihood, func.sum(Risk.cost_impact_minor))
        .where(*_open(scope))
        .group_by(Risk.category, Risk.likelihood)
    )
    exact: dict[str, Fraction] = {}
    for category, level, cost in rows:
        share = Fraction(LIKELIHOOD_PROBABILITY[level]) * int(cost)
        exact[category] = exact.get(category, Fraction(0)) + share
    return {category: fmt.round_minor(exact[category]) for category in sorted(exact)}


def _rising(session: Session, scope: Scope) -> tuple[RisingRisk, ...]:
    """Open risks whose latest review by D scores higher than the review before it.

    Reviews on the same day are ordered by id, the order they were entered, which is
    also the one `risks.review_risk` lets set the current values. One pass with lag()
    reads each review once (joining two ranked copies took SQLite a scan per risk).
    """
    score = RiskReview.likelihood * RiskReview.impact
    oldest_first = (RiskReview.reviewed_on, RiskReview.id)
    newest_first = (RiskReview.reviewed_on.desc(), RiskReview.id.desc())
    scored = (
        select(
            RiskReview.risk_id,
            score.label("score"),
            func.lag(score)
            .over(partition_by=RiskReview.risk_id, order_by=oldest_first)
            .label("before"),
            func.row_number()
            .over(partition_by=RiskReview.risk_id, order_by=newest_first)
            .label("recency"),
        )
        .join(Risk, Risk.id == RiskReview.risk_id)
        .where(*_open(scope), scope.visible(RiskReview), RiskReview.reviewed_on <= scope.as_of)
        .subquery("scored")
    )
    rows = session.execute(
        select(Risk.reference, scored.c.before, scored.c.score)
        .join(scored, scored.c.risk_id == Risk.id)
        .where(scored.c.recency == 1, scored.c.score > scored.c.before)
        .order_by(bytewise(Risk.reference), Risk.id)
    )
    return tuple(RisingRisk(ref, before, after) for ref, before, after in rows)


def _top(session: Session, scope: Scope, top_n: int) -> tuple[TopRisk, ...]:
    """By score descending, then proximity (none last), then reference."""
    # CASE rather than NULLS LAST, which older SQLite lacks; NULL sorts first there.
    undated_last = case((Risk.proximity.is_(None), 1), else_=0)
    rows = session.execute(
        select(
            Risk.reference,
            Risk.title,
            Risk.likelihood,
            Risk.impact,
            Risk.owner,
            Risk.proximity,
        )
        .where(*_open(scope))
        .order_by(
            (Risk.likelihood * Risk.impact).desc(),
            undated_last,
            Risk.proximity,
            bytewise(Risk.reference),
            Risk.id,
        )
        .limit(top_n)
    )
    return tuple(
        TopRisk(
            r.reference,
            r.title,
            r.likelihood * r.impact,
            rating(r.likelihood, r.impact),
            r.owner,
            r.proximity,
        )
        for r in rows
    )


def overdue_actions(session: Session, scope: Scope) -> tuple[OverdueAction, ...]:
    """Visible actions not done or cancelled and due before D (one due on D is not late).

    The risk's reference is shown only when the risk itself is visible: the join's
    condition carries the audience, so a hidden risk's reference never leaks.
    """
    rows = session.execute(
        select(Action.title, Action.owner, Action.due_on, Risk.reference)
        .outerjoin(Risk, and_(Risk.id == Action.risk_id, scope.visible(Risk)))
        .where(
            Action.programme_id == scope.programme_id,
            scope.visible(Action),
            Action.status.not_in(FINISHED_ACTIONS),
            Action.due_on < scope.as_of,
        )
        .order_by(Action.due_on, Action.id)
    )
    return tuple(
        OverdueAction(title, owner, due_on, (scope.as_of - due_on).days, reference)
        for title, owner, due_on, reference in rows
    )


def risk_exposure(session: Session, scope: Scope, top_n: int = 10) -> RiskFigures:
    """Counts, matrices, expected values, rising and top risks, overdue actions, at D."""
    if top_n < 0:
        raise ValueError(f"top_n must not be negative, not {top_n}")
    return RiskFigures(
        base_currency=scope.base_currency,
        by_status=_by_status(session, scope),
        matrix_inherent=_matrix(session, scope, Risk.likelihood, Risk.impact),
        matrix_residual=_matrix(session, scope, Risk.residual_likelihood, Risk.residual_impact),
        expected_value_by_category=_expected_values(session, scope),
        rising=_rising(session, scope),
        top=_top(session, scope, top_n),
        overdue_actions=overdue_actions(session, scope),
    )


# The matrix cells rated HIGH, from the one matrix in app.domain.
_HIGH = or_(
    *(
        and_(Risk.likelihood == level, Risk.impact == severity)
        for level in LEVELS
        for severity in LEVELS
        if rating(level, severity) is Rating.HIGH
    )
)


def open_high_risks(session: Session, scope: Scope) -> tuple[HighRisk, ...]:
    """Open visible risks rated HIGH on their current values, by reference (for the RAG)."""
    rows = session.execute(
        select(Risk.reference, Risk.title, Risk.workstream_id, Risk.proximity)
        .where(*_open(scope), _HIGH)
        .order_by(bytewise(Risk.reference), Risk.id)
    )
    return tuple(HighRisk(*row) for row in rows)
