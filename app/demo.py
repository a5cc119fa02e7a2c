"""The fictional demo programme, built through the services so that it is validated and
audited like anything an officer types (and `audit --verify` passes on it).

Dates are laid out relative to the day it is built, so the demo always has work done,
work overdue and work ahead. `scale` repeats every register that many times within the
one programme (for benchmarks); the same seed on the same day gives the same data. The
whole build is one unit of work: quick, and all or nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy.orm import Session

from app import demo_data as data
from app import demo_money
from app.database import Database
from app.demo_money import BASE_RATES, CRORE, months
from app.domain import (
    ActionStatus,
    DecisionStatus,
    RiskResponse,
    RiskStatus,
    WorkStatus,
)
from app.services import (
    actions,
    decisions,
    fx,
    milestones,
    programmes,
    risks,
    workstreams,
)

Progress = Callable[[int, int], None]


class DrawnMilestone(NamedTuple):
    """A milestone as drawn, with its reported history and its re-baselining, if any
    (the new baseline and the day it was approved)."""

    history: milestones.MilestoneHistory
    rebaselined: tuple[date, date] | None


class DrawnRisk(NamedTuple):
    """A risk as drawn, with its reviews and the action on it (its risk id set on writing)."""

    draft: risks.RiskDraft
    reviews: list[risks.ReviewDraft]
    action: actions.ActionDraft | None


def build(
    db: Database,
    *,
    scale: int = 1,
    seed: int = 1,
    progress: Progress | None = None,
    today: date | None = None,
) -> str:
    """Create the demo programme in `db`; returns its code."""
    with db.begin() as session:
        builder = Builder(db, session, random.Random(seed), today or date.today())
        builder.programme()
        builder.rates()
        for copy in range(scale):
            builder.copy(copy)
            if progress is not None:
                progress(copy + 1, scale)
    return data.PROGRAMME["code"]


class Builder:
    """Builds the demo through the services, in the one unit of work `session` belongs to.

    Records whose id the demo never needs (spending, payments, actions, participants...)
    go through the services' `new_*` checks and are queued, then written in batches by
    the next flush. Milestones with their reported history, and risks with their
    reviews, are drawn one by one (so the seed gives the same data) and then written
    together (`milestones.new_milestones`, `risks.review_risks`), each change still
    audited on its own. The rest is written as it is made: what follows refers to it.
    """

    def __init__(self, db: Database, session: Session, rng: random.Random, today: date) -> None:
        self.db, self.session, self.rng, self.today = db, session, rng, today
        self.start = months(today.replace(day=1), -30)
        self.programme_id = 0
        self.monthly: dict[int, int] = {}  # each workstream's planned spend per month
        self.counts = {"workstream": 0, "contract": 0, "risk": 0, "agreement": 0}

    def number(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]

    # Most records are low-marked and joint; a few of every level, a few for one nation.
    def marking(self) -> int:
        return self.rng.choices(range(5), weights=(50, 25, 15, 8, 2))[0]

    def releasable(self) -> str | None:
        roll = self.rng.random()
        return "IND" if roll < 0.08 else "RUS" if roll < 0.12 else None

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randint(0, max((last - first).days, 0)))

    def programme(self) -> None:
        row = programmes.create_programme(
            self.db,
            programmes.ProgrammeDraft(
                code=data.PROGRAMME["code"],
                name=data.PROGRAMME["name"],
                description=data.PROGRAMME["description"],
                base_currency="INR",
                start_date=self.start,
                end_date=months(self.start, 96),
            ),
            [programmes.PartnerDraft(nation, name) for nation, name in data.PARTNERS],
        )
        self.programme_id = row.id

    def rates(self) -> None:
        """Monthly RUB/INR and USD/INR rates from before the first transaction to today."""
        for month in range(-1, 31):
            for (src, dst), base in BASE_RATES.items():
                wobble = Decimal(self.rng.randint(-400, 400)) / 10000
                rate = (base * (1 + wobble)).quantize(Decimal("0.0001"))
                draft = fx.RateDraft(months(self.start, month), src, dst, rate)
                fx.new_rate(self.session, self.programme_id, draft)

    def copy(self, n: int) -> None:
        """One copy of every register (n = 0 is the demo itself; more copies scale it)."""
        suffix = "" if n == 0 else f" {n + 1}"
        orgs = [
            programmes.add_organisation(
                self.db,
                self.programme_id,
                programmes.OrganisationDraft(short + suffix, name + suffix, nation, kind),
            ).id
            for short, name, nation, kind in data.ORGANISATIONS
        ]
        works = [self.workstream(i, spec, orgs) for i, spec in enumerate(data.WORKSTREAMS)]
        streams = [ws_id for ws_id, _ in works]
        self.schedule([drawn for _, schedule in works for drawn in schedule])
        deals = [demo_money.contract(self, spec, orgs, streams) for spec in data.CONTRACTS]
        demo_money.cost_sharing(self, streams)
        self.risk_register(streams, deals)
        for title in data.DECISIONS:
            self.decision(title)

    # Workstreams and milestones ---------------------------------------------------------

    def workstream(
        self, index: int, spec: data.WorkstreamSpec, orgs: list[int]
    ) -> tuple[int, list[DrawnMilestone]]:
        """A workstream with its participants and spending; its milestones as drawn."""
        title, kind, phase, lead, trl, mrl, offset, length, crore = spec
        begins = months(self.start, offset)
        finish = months(begins, length)
        row = workstreams.create_workstream(
            self.db,
            self.programme_id,
            workstreams.WorkstreamDraft(
                code=f"WS-{self.number('workstream'):02}",
                title=title,
                kind=kind,
                phase=phase,
                trl_now=trl[0],
                trl_target=trl[1],
                mrl_now=mrl[0],
                mrl_target=mrl[1],
                baseline_start=begins,
                baseline_finish=finish,
                forecast_finish=finish + timedelta(days=self.rng.choice((0, 0, 30, 90, -15))),
                status=WorkStatus.ACTIVE if begins <= self.today else WorkStatus.NOT_STARTED,
                lead_organisation_id=orgs[lead],
                budget_minor=crore * CRORE,
                marking=self.rng.choice((0, 1, 1, 2)),
                # Export support is India's business with third countries: India only.
                releasable_to="IND" if index == 6 else None,
            ),
        )
        partner = orgs[(lead + 4) % len(orgs)]
        workstreams.new_participant(self.session, row.id, orgs[lead], "lead")
        workstreams.new_participant(self.session, row.id, partner, "partner")
        schedule = [
            self.milestone(row, step, title) for step, title in enumerate(data.MILESTONES, 1)
        ]
        demo_money.expenditures(self, row.id, begins, row.budget_minor // length)
        return row.id, schedule

    def schedule(self, drawn: list[DrawnMilestone]) -> None:
        """Every workstream's milestones with the progress reported on them since.

        Each milestone's history is drawn whole, in turn, with its workstream; then all
        are written together (`milestones.new_milestones`), and the re-baselinings last.
        """
        made = milestones.new_milestones(self.session, [history for history, _ in drawn])
        for milestone, (_, rebaselined) in zip(made, drawn, strict=True):
            if rebaselined is not None:
                new_date, approved_on = rebaselined
                milestones.rebaseline(
                    self.db,
                    milestone.id,
                    milestone.version,
                    new_date,
                    "Scope change agreed after the critical design review",
                    data.FORUMS[0],
                    approved_on,
                )

    def milestone(self, ws: workstreams.WorkstreamRow, step: int, title: str) -> DrawnMilestone:
        """A milestone as reported on over time, and its re-baselining (new date, approval)."""
        span = (ws.baseline_finish - ws.baseline_start).days
        baseline = ws.baseline_start + timedelta(days=span * step // (len(data.MILESTONES) + 1))
        reported = max(ws.baseline_start, baseline - timedelta(days=365))
        draft = milestones.MilestoneDraft(
            title=title,
            baseline_date=baseline,
            forecast_date=baseline,
            acceptance_criteria=f"{title}: minutes signed by both partners",
            value_weight=self.rng.choice((1, 2, 2, 3)),
            marking=ws.marking,
            releasable_to=ws.releasable_to,
        )
        first_reported = min(reported, self.today)
        # Forecasts move as the work is reported on: the milestone-trend series.
        edit, reports = draft.edit(), []
        forecast = baseline
        for _ in range(self.rng.randint(0, 3)):
            reported += timedelta(days=91)
            if reported > self.today:
                break
            forecast += timedelta(days=self.rng.choice((0, 14, 30, 45, -10)))
            forecast = max(forecast, ws.baseline_start)
            edit = replace(edit, forecast_date=forecast)
            reports.append(milestones.Report(edit, reported))
        # Long past milestones were achieved; a few recent ones are late (overdue).
        recent = forecast > self.today - timedelta(days=90)
        rebaselined = None
        if forecast < self.today - timedelta(days=20) and (not recent or self.rng.random() < 0.6):
            actual = forecast + timedelta(days=self.rng.randint(-5, 10))
            edit = replace(edit, actual_date=min(max(actual, ws.baseline_start), self.today))
            reports.append(milestones.Report(edit, self.today))
        elif step == len(data.MILESTONES) and self.rng.random() < 0.4:
            rebaselined = (
                max(forecast, baseline) + timedelta(days=self.rng.randint(14, 45)),
                min(self.today, ws.baseline_start + timedelta(days=200)),
            )
        history = milestones.MilestoneHistory(ws.id, draft, first_reported, tuple(reports))
        return DrawnMilestone(history, rebaselined)

    # Risks, actions, decisions -----------------------------------------------------------

    def risk_register(self, streams: list[int], deals: list[int]) -> None:
        """The risks, their reviews at the risk board, and the actions taken on them.

        Each risk is drawn whole, in turn (so the seed gives the same data), and then
        written a register at a time: the risks, all their reviews, all the actions.
        """
        drawn = [self.risk(index, streams, deals) for index in range(len(data.RISKS) * 6)]
        raised = [risks.new_risk(self.session, self.programme_id, r.draft) for r in drawn]
        self.session.flush()  # the reviews and actions name their risk by its id
        pairs = list(zip(raised, drawn, strict=True))
        risks.review_risks(
            self.db, [(risk.id, risk.version, r.reviews) for risk, r in pairs if r.reviews]
        )
        for risk, r in pairs:
            if r.action is not None:
                action = replace(r.action, risk_id=risk.id)
                actions.new_action(self.session, self.programme_id, action)

    def risk(self, index: int, streams: list[int], deals: list[int]) -> DrawnRisk:
        title, cause, category = data.RISKS[index % len(data.RISKS)]
        area = data.WORKSTREAMS[index % len(data.WORKSTREAMS)][0]
        raised = self.day_between(self.start, self.today - timedelta(days=30))
        likelihood, impact = self.rng.randint(1, 5), self.rng.randint(1, 5)
        status = self.rng.choices(list(RiskStatus), weights=(80, 12, 8))[0]
        workstream = self.rng.choice(streams) if self.rng.random() < 0.6 else None
        contract = self.rng.choice(deals) if self.rng.random() < 0.15 else None
        # A risk of a workstream or contract takes its releasability; others vary.
        releasable = None if workstream or contract else self.releasable()
        draft = risks.RiskDraft(
            reference=f"JPK-R-{self.number('risk'):03}",
            title=title if index < len(data.RISKS) else f"{title}: {area}",
            category=category,
            raised_on=raised,
            likelihood=likelihood,
            impact=impact,
            residual_likelihood=max(1, likelihood - self.rng.randint(0, 2)),
            residual_impact=max(1, impact - self.rng.randint(0, 1)),
            owner=self.rng.choice(data.OWNERS),
            cause=cause,
            effect="Delay to the joint delivery schedule and added cost",
            response=self.rng.choice(list(RiskResponse)),
            mitigation="Agreed in the Joint Working Group; see actions",
            proximity=self.today + timedelta(days=self.rng.randint(-15, 420))
            if self.rng.random() < 0.7
            else None,
            cost_impact_minor=self.rng.randint(1, 50) * CRORE,
            status=status,
            workstream_id=workstream,
            contract_id=contract,
            marking=index if index < 5 else self.marking(),  # every level at least once
            releasable_to=releasable,
        )
        reviewed = sorted(
            self.day_between(raised, self.today) for _ in range(self.rng.randint(0, 3))
        )
        reviews = [
            risks.ReviewDraft(
                day,
                self.rng.choice(data.OWNERS),
                self.rng.randint(1, 5),
                self.rng.randint(1, 5),
                "Reviewed at the monthly risk board",
            )
            for day in reviewed
        ]
        action = None
        if self.rng.random() < 0.6:
            due = self.day_between(raised, self.today + timedelta(days=180))
            done = due < self.today - timedelta(days=30) and self.rng.random() < 0.6
            action = actions.ActionDraft(
                title=self.rng.choice(data.ACTIONS),
                owner=self.rng.choice(data.OWNERS),
                due_on=due,
                status=ActionStatus.DONE if done else ActionStatus.OPEN,
                done_on=due if done else None,
            )
        return DrawnRisk(draft, reviews, action)

    def decision(self, title: str) -> None:
        needed = self.day_between(
            self.today - timedelta(days=180), self.today + timedelta(days=200)
        )
        status = DecisionStatus.PENDING
        if needed < self.today:  # mostly taken; some still waiting, some put off
            status = self.rng.choices(list(DecisionStatus), weights=(25, 60, 15))[0]
        decisions.new_decision(
            self.session,
            self.programme_id,
            decisions.DecisionDraft(
                title=title,
                forum=self.rng.choice(data.FORUMS),
                needed_by=needed,
                status=status,
                outcome="Agreed as proposed" if status == DecisionStatus.TAKEN else "",
                decided_on=needed if status == DecisionStatus.TAKEN else None,
                marking=self.marking(),
            ),
        )
