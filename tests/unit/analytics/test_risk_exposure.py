"""Risk exposure and overdue actions, against figures worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.database import Database
from app.domain import Rating
from app.services import actions, risks, workstreams
from app.services.actions import ActionDraft
from app.services.analytics_risk import (
    HighRisk,
    OverdueAction,
    RiskFigures,
    open_high_risks,
    risk_exposure,
)
from app.services.analytics_scope import Scope
from app.services.audience import Audience
from app.services.risks import ReviewDraft, RiskDraft, RiskRow
from app.services.workstreams import WorkstreamDraft
from tests.conftest import Fixture

D = date(2026, 6, 30)
LAKH = 10**5 * 100  # one lakh rupees, in paise


def exposure(
    db: Database, programme: Fixture, audience: str = "joint", top_n: int = 10
) -> RiskFigures:
    with db.read() as s:
        scope = Scope.of(s, programme.programme_id, D, Audience.parse(audience))
        return risk_exposure(s, scope, top_n)


def a_risk(db: Database, programme: Fixture, reference: str, **changes: object) -> RiskRow:
    draft = RiskDraft(
        reference=reference,
        title=f"Risk {reference}",
        category="technical",
        raised_on=date(2025, 3, 1),
        likelihood=3,
        impact=3,
        residual_likelihood=1,
        residual_impact=1,
        owner="Col. A. Rao",
    )
    return risks.raise_risk(db, programme.programme_id, replace(draft, **changes))  # type: ignore[arg-type]


def reviewed(db: Database, risk: RiskRow, on: date, likelihood: int, impact: int) -> RiskRow:
    return risks.review_risk(db, risk.id, risk.version, ReviewDraft(on, "JWG", likelihood, impact))


def test_matrix_rows_are_likelihood_down_columns_impact_up(
    db: Database, programme: Fixture
) -> None:
    a_risk(db, programme, "R-1", likelihood=5, impact=1, residual_likelihood=2)
    a_risk(db, programme, "R-2", likelihood=1, impact=5, residual_impact=3)
    a_risk(db, programme, "R-3", likelihood=4, impact=2)
    a_risk(db, programme, "R-4", likelihood=2, impact=4)
    closed = a_risk(db, programme, "R-5", likelihood=5, impact=5)
    risks.close_risk(db, closed.id, closed.version)
    a_risk(db, programme, "R-6", likelihood=5, impact=5, status="realised")
    got = exposure(db, programme)
    # Row = 5 - likelihood, column = impact - 1; R-5 (closed) and R-6 (realised) absent.
    assert got.matrix_inherent == (
        (1, 0, 0, 0, 0),  # L5: R-1 at impact 1
        (0, 1, 0, 0, 0),  # L4: R-3 at impact 2
        (0, 0, 0, 0, 0),
        (0, 0, 0, 1, 0),  # L2: R-4 at impact 4
        (0, 0, 0, 0, 1),  # L1: R-2 at impact 5
    )
    # Residual: R-1 L2 I1; R-2 L1 I3; L1 I1.
    assert got.matrix_residual == (
        (0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0),
        (2, 0, 1, 0, 0),
    )
    # Ratings: L5 I1 LOW; L4 I2, L2 I4, L1 I5 MEDIUM; the closed L5 I5 HIGH is not counted.
    assert got.by_rating == {Rating.HIGH: 0, Rating.MEDIUM: 3, Rating.LOW: 1}
    assert got.by_status == {"open": 4, "closed": 1, "realised": 1}
    out = got.to_json()
    assert out["by_rating"] == {"HIGH": 0, "MEDIUM": 3, "LOW": 1}
    assert out["matrix_inherent"][0] == [1, 0, 0, 0, 0]
    assert out["matrix_inherent"][4] == [0, 0, 0, 0, 1]
    assert out["by_status"] == {"open": 4, "closed": 1, "realised": 1}


def test_expected_value_by_category_rounds_once(db: Database, programme: Fixture) -> None:
    a_risk(db, programme, "R-1", likelihood=3, cost_impact_minor=10 * LAKH)  # 40 % of ₹10,00,000.00
    a_risk(db, programme, "R-2", likelihood=1, cost_impact_minor=333)  # 5 %
    a_risk(db, programme, "R-3", likelihood=2, cost_impact_minor=3)  # 20 %
    a_risk(db, programme, "R-4", category="cost", likelihood=5, cost_impact_minor=1_000_000)
    a_risk(
        db,
        programme,
        "R-5",
        category="schedule",
        likelihood=5,
        cost_impact_minor=999,
        status="closed",
    )
    got = exposure(db, programme)
    # technical: 0.40 x 100,000,000 + 0.05 x 333 + 0.20 x 3 = 40,000,000 + 16.65 + 0.6
    #            = 40,000,017.25 -> 40,000,017 (rounding each risk would give ...018).
    # cost: 0.85 x 1,000,000 = 850,000. schedule has no open risk: omitted.
    assert got.expected_value_by_category == {"cost": 850_000, "technical": 40_000_017}
    out = got.to_json()["expected_value_by_category"]
    assert list(out) == ["cost", "technical"]
    assert out == {"cost": "8500.00", "technical": "400000.17"}


def test_rising_needs_two_reviews_by_d_and_a_higher_score(db: Database, programme: Fixture) -> None:
    rising = a_risk(db, programme, "R-A")
    rising = reviewed(db, rising, date(2026, 1, 10), 2, 2)  # score 4
    rising = reviewed(db, rising, date(2026, 3, 10), 3, 3)  # score 9: rising 4 -> 9
    reviewed(db, rising, date(2026, 8, 1), 1, 1)  # after D: ignored
    reviewed(db, a_risk(db, programme, "R-B"), date(2026, 2, 1), 5, 5)  # one review only
    a_risk(db, programme, "R-C")  # no reviews
    falling = a_risk(db, programme, "R-D")
    reviewed(db, reviewed(db, falling, date(2026, 1, 1), 3, 3), date(2026, 2, 1), 2, 2)
    same = a_risk(db, programme, "R-E")
    reviewed(db, reviewed(db, same, date(2026, 1, 1), 2, 3), date(2026, 2, 1), 3, 2)  # 6 -> 6
    closed = a_risk(db, programme, "R-F")
    closed = reviewed(db, reviewed(db, closed, date(2026, 1, 1), 1, 1), date(2026, 2, 1), 5, 5)
    risks.close_risk(db, closed.id, closed.version)
    got = exposure(db, programme)
    assert [(r.reference, r.from_score, r.to_score) for r in got.rising] == [("R-A", 4, 9)]
    assert got.to_json()["rising"] == [{"ref": "R-A", "from": 4, "to": 9}]


def test_top_by_score_then_proximity_none_last_then_reference(
    db: Database, programme: Fixture
) -> None:
    high = {"likelihood": 4, "impact": 4}  # score 16
    a_risk(db, programme, "T-3", **high)
    a_risk(db, programme, "T-2", proximity=date(2026, 9, 1), **high)
    a_risk(db, programme, "T-1", **high)
    a_risk(db, programme, "T-4", proximity=date(2026, 8, 1), **high)
    a_risk(db, programme, "T-5", likelihood=5, impact=5, owner="Dr. I. Petrov")  # 25
    a_risk(db, programme, "T-6", likelihood=1, impact=1)  # 1: sixth, beyond top 5
    a_risk(db, programme, "T-7", likelihood=5, impact=5, status="closed")
    got = exposure(db, programme, top_n=5)
    assert [t.reference for t in got.top] == ["T-5", "T-4", "T-2", "T-1", "T-3"]
    assert [t.reference for t in exposure(db, programme).top][-1] == "T-6"
    assert got.to_json()["top"][:2] == [
        {
            "ref": "T-5",
            "title": "Risk T-5",
            "score": 25,
            "rating": "HIGH",
            "owner": "Dr. I. Petrov",
            "proximity": None,
        },
        {
            "ref": "T-4",
            "title": "Risk T-4",
            "score": 16,
            "rating": "HIGH",
            "owner": "Col. A. Rao",
            "proximity": "2026-08-01",
        },
    ]


def test_risk_releasable_to_india_only(db: Database, programme: Fixture) -> None:
    a_risk(
        db, programme, "R-IND", likelihood=5, impact=5, cost_impact_minor=100, releasable_to="IND"
    )
    joint = exposure(db, programme)
    assert joint.by_status == {"open": 0, "closed": 0, "realised": 0}
    assert sum(map(sum, joint.matrix_inherent)) == 0
    assert (joint.top, joint.expected_value_by_category) == ((), {})
    india = exposure(db, programme, "national:IND")
    assert india.matrix_inherent[0][4] == 1
    assert india.by_rating[Rating.HIGH] == 1
    assert india.expected_value_by_category == {"technical": 85}  # 0.85 x 100
    assert [t.reference for t in india.top] == ["R-IND"]
    with db.read() as s:
        for audience, expected in (("joint", 0), ("national:IND", 1)):
            scope = Scope.of(s, programme.programme_id, D, Audience.parse(audience))
            assert len(open_high_risks(s, scope)) == expected


def test_overdue_actions_due_before_d_and_not_finished(db: Database, programme: Fixture) -> None:
    risk = a_risk(db, programme, "R-1")
    hidden = a_risk(db, programme, "R-2", releasable_to="IND")

    def action(title: str, due_on: date, **changes: object) -> None:
        draft = replace(ActionDraft(title, "Maj. S. Iyer", due_on), **changes)  # type: ignore[arg-type]
        actions.create_action(db, programme.programme_id, draft)

    action("A yesterday", date(2026, 6, 29))  # 1 day overdue
    action("B due on D", D)  # not overdue yet
    action("C done", date(2026, 6, 1), status="done", done_on=date(2026, 6, 2))
    action("D cancelled", date(2026, 5, 1), status="cancelled")
    action("E for R-1", date(2026, 5, 15), status="in progress", risk_id=risk.id)  # 46 days
    # An action takes its risk's releasability: R-2's action is India's only.
    action("F for R-2", date(2026, 6, 10), risk_id=hidden.id)
    got = exposure(db, programme).overdue_actions
    assert got == (
        OverdueAction("E for R-1", "Maj. S. Iyer", date(2026, 5, 15), 46, "R-1"),
        OverdueAction("A yesterday", "Maj. S. Iyer", date(2026, 6, 29), 1, None),
    )
    india = exposure(db, programme, "national:IND").overdue_actions
    assert india[1].risk_reference == "R-2"
    assert exposure(db, programme).to_json()["overdue_actions"][0] == {
        "title": "E for R-1",
        "owner": "Maj. S. Iyer",
        "due_on": "2026-05-15",
        "days_overdue": 46,
        "risk_ref": "R-1",
    }


def test_open_high_risks_by_reference(db: Database, programme: Fixture) -> None:
    ws = workstreams.create_workstream(
        db,
        programme.programme_id,
        WorkstreamDraft(
            "WS-1", "Seeker", "joint R&D", "design", 4, 6, 3, 6, date(2025, 1, 1), date(2027, 1, 1)
        ),
    )
    a_risk(
        db,
        programme,
        "H-2",
        likelihood=5,
        impact=3,
        workstream_id=ws.id,
        proximity=date(2026, 7, 15),
    )
    a_risk(db, programme, "H-1", likelihood=3, impact=5)  # HIGH, no workstream
    a_risk(db, programme, "M-1", likelihood=3, impact=4)  # MEDIUM
    a_risk(db, programme, "H-0", likelihood=5, impact=5, status="closed")
    with db.read() as s:
        scope = Scope.of(s, programme.programme_id, D, Audience.parse("joint"))
        assert open_high_risks(s, scope) == (
            HighRisk("H-1", "Risk H-1", None, None),
            HighRisk("H-2", "Risk H-2", ws.id, date(2026, 7, 15)),
        )
