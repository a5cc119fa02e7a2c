"""The summary's benchmark cases: the figures in-process against the same aggregates in
raw sqlite3, and `setu summary --json` as a whole process at two scales.

The floor of the in-process case does in plain SQL every sum, count and list the
programme's figures read, for the same audience (the joint one: records releasable to
every partner) and the same status date, on one open connection as Setu keeps one. It
leaves out only what is not SQL: converting currencies, reconciling cost shares,
rating and formatting. Run by bench/run.py, with bench/ on the path.
"""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path

from timing import Result, median_time, paired_median_times, process_env, run_process

from app.config import resolve
from app.database import Mode, open_database
from app.domain import Rating, rating
from app.services import programmes, settings
from app.services.analytics import programme_figures
from app.services.analytics_industry import years_before
from app.services.audience import Audience
from app.services.contracts import OFFSETS_KEY

LEVELS = range(1, 6)
LOOKAHEAD_DAYS = 90
# Scale 500 holds ten times the records of scale 50: the time must grow less.
SUB_LINEAR = 10.0


def _visible(table: str, partners: list[str]) -> str:
    """The joint audience's test: releasable to every partner nation."""
    return " AND ".join(
        f"(' ' || {table}.releasable_to || ' ') LIKE '% {nation} %'" for nation in partners
    )


def _aggregates(base: str, partners: list[str]) -> list[str]:
    """Every statement the figures need, by hand; `:p` the programme, `:d` the date."""

    def v(alias: str) -> str:
        return _visible(alias, partners)

    milestones = (
        f"FROM milestone m JOIN workstream w ON w.id = m.workstream_id "
        f"WHERE w.programme_id = :p AND {v('w')} AND {v('m')}"
    )
    still_open = "(m.actual_date IS NULL OR m.actual_date > :d)"
    complete = "(m.actual_date IS NOT NULL AND m.actual_date <= :d)"
    overdue = f"({still_open} AND m.forecast_date < :d)"
    day = f"CASE WHEN {{t}}.currency = '{base}' THEN NULL ELSE {{t}}.{{on}} END"
    open_risks = f"FROM risk r WHERE r.programme_id = :p AND r.status = 'open' AND {v('r')}"
    high = " OR ".join(
        f"(r.likelihood = {level} AND r.impact = {severity})"
        for level in LEVELS
        for severity in LEVELS
        if rating(level, severity) is Rating.HIGH
    )
    return [
        "SELECT base_currency FROM programme WHERE id = :p",
        "SELECT key, value FROM setting WHERE key IN ('rag', 'procurement_minimums', 'offsets')",
        # Schedule: counts per workstream, the slip, the next milestone, the next 90 days.
        f"SELECT m.workstream_id, count(*), sum({complete}), sum(m.baseline_date <= :d), "
        f"sum({overdue}), min(CASE WHEN {overdue} THEN m.forecast_date END) {milestones} "
        "GROUP BY m.workstream_id",
        f"SELECT m.baseline_date, max(CASE WHEN {complete} THEN m.actual_date "
        f"ELSE m.forecast_date END) {milestones} GROUP BY m.baseline_date",
        f"SELECT workstream_id, title, forecast_date, baseline_date FROM (SELECT "
        "m.workstream_id, m.title, m.forecast_date, m.baseline_date, row_number() OVER "
        "(PARTITION BY m.workstream_id ORDER BY m.forecast_date, m.id) AS nth "
        f"{milestones} AND {still_open} AND m.forecast_date >= :d) WHERE nth = 1",
        f"SELECT w.code, m.title, m.forecast_date, m.baseline_date {milestones} AND "
        f"{still_open} AND m.forecast_date BETWEEN :d AND :ahead "
        "ORDER BY m.forecast_date, w.code, m.id",
        # Earned value: weights per workstream, spending per workstream, currency and day.
        "SELECT w.id, w.code, w.title, w.budget_minor, sum(m.value_weight), "
        "sum(CASE WHEN m.baseline_date <= :d THEN m.value_weight ELSE 0 END), "
        f"sum(CASE WHEN {complete} THEN m.value_weight ELSE 0 END) FROM workstream w "
        f"LEFT JOIN milestone m ON m.workstream_id = w.id AND {v('m')} "
        f"WHERE w.programme_id = :p AND {v('w')} GROUP BY w.id ORDER BY w.code, w.id",
        f"SELECT e.workstream_id, e.currency, {day.format(t='e', on='spent_on')}, "
        "sum(e.amount_minor) FROM expenditure e JOIN workstream w ON w.id = e.workstream_id "
        f"WHERE w.programme_id = :p AND {v('w')} AND {v('e')} AND e.spent_on <= :d "
        "GROUP BY 1, 2, 3",
        "SELECT from_currency, to_currency, rate_date, rate FROM exchange_rate "
        f"WHERE '{base}' IN (from_currency, to_currency) ORDER BY rate_date",
        # The RAG's open HIGH risks.
        f"SELECT r.reference, r.title, r.workstream_id, r.proximity {open_risks} AND ({high}) "
        "ORDER BY r.reference, r.id",
        # Cost share: agreements, shares, eligible spending, contributions, fixed rates.
        "SELECT a.id, a.code, a.title, a.fx_rule FROM cost_share_agreement a "
        f"WHERE a.programme_id = :p AND {v('a')} ORDER BY a.code",
        "SELECT s.agreement_id, s.id, coalesce(s.nation, o.short_name), s.share_pct "
        "FROM cost_share s JOIN cost_share_agreement a ON a.id = s.agreement_id "
        f"LEFT JOIN organisation o ON o.id = s.organisation_id AND {v('o')} "
        f"WHERE a.programme_id = :p AND {v('a')} AND {v('s')} "
        "ORDER BY s.agreement_id, s.position, s.id",
        f"SELECT aw.agreement_id, e.currency, {day.format(t='e', on='spent_on')}, "
        "sum(e.amount_minor) FROM expenditure e "
        "JOIN agreement_workstream aw ON aw.workstream_id = e.workstream_id "
        "JOIN workstream w ON w.id = e.workstream_id "
        "JOIN cost_share_agreement a ON a.id = aw.agreement_id "
        f"WHERE a.programme_id = :p AND {v('a')} AND {v('aw')} AND {v('w')} AND {v('e')} "
        "AND e.spent_on <= :d GROUP BY 1, 2, 3",
        f"SELECT c.cost_share_id, c.currency, {day.format(t='c', on='contributed_on')}, "
        "sum(c.amount_minor) FROM contribution c JOIN cost_share s ON s.id = c.cost_share_id "
        "JOIN cost_share_agreement a ON a.id = s.agreement_id "
        f"WHERE a.programme_id = :p AND {v('a')} AND {v('s')} AND {v('c')} "
        "AND c.contributed_on <= :d GROUP BY 1, 2, 3",
        "SELECT ar.agreement_id, ar.from_currency, ar.to_currency, ar.rate "
        "FROM agreement_rate ar JOIN cost_share_agreement a ON a.id = ar.agreement_id "
        f"WHERE a.programme_id = :p AND a.fx_rule = 'fixed' AND {v('a')} AND {v('ar')}",
        # Industry: ToT packages by state at D, unexpired offset credit, the contracts.
        "SELECT t.contract_id, CASE WHEN t.state = 'absorbed' AND t.actual_date <= :d "
        "THEN 'absorbed' WHEN t.state = 'absorbed' THEN 'transferred' ELSE t.state END, "
        "count(*) FROM tot_package t JOIN contract x ON x.id = t.contract_id "
        f"WHERE x.programme_id = :p AND {v('x')} AND {v('t')} GROUP BY 1, 2",
        "SELECT od.contract_id, x.currency, od.discharged_on, od.value_minor, od.multiplier "
        "FROM offset_discharge od JOIN contract x ON x.id = od.contract_id "
        f"WHERE x.programme_id = :p AND {v('x')} AND {v('od')} "
        "AND od.discharged_on <= :d AND od.discharged_on > :expired",
        "SELECT x.id, x.number, x.title, x.currency, x.value_minor, x.signed_on, "
        "x.period_start, x.ic_target_pct, x.ic_achieved_pct, x.procurement_category, "
        f"x.offset_obligation_minor FROM contract x WHERE x.programme_id = :p AND {v('x')} "
        "ORDER BY x.number, x.id",
        # Risks: by status, both matrices, expected values, rising, top ten; overdue actions.
        f"SELECT r.status, count(*) FROM risk r WHERE r.programme_id = :p AND {v('r')} "
        "GROUP BY r.status",
        f"SELECT r.likelihood, r.impact, count(*) {open_risks} GROUP BY 1, 2",
        f"SELECT r.residual_likelihood, r.residual_impact, count(*) {open_risks} GROUP BY 1, 2",
        f"SELECT r.category, r.likelihood, sum(r.cost_impact_minor) {open_risks} GROUP BY 1, 2",
        "SELECT r.reference, scored.before, scored.score FROM risk r JOIN (SELECT "
        "rr.risk_id, rr.likelihood * rr.impact AS score, lag(rr.likelihood * rr.impact) "
        "OVER (PARTITION BY rr.risk_id ORDER BY rr.reviewed_on, rr.id) AS before, "
        "row_number() OVER (PARTITION BY rr.risk_id ORDER BY rr.reviewed_on DESC, rr.id DESC)"
        " AS recency FROM risk_review rr JOIN risk ON risk.id = rr.risk_id "
        f"WHERE risk.programme_id = :p AND risk.status = 'open' AND {v('risk')} AND {v('rr')} "
        "AND rr.reviewed_on <= :d) scored ON scored.risk_id = r.id "
        "WHERE scored.recency = 1 AND scored.score > scored.before ORDER BY r.reference, r.id",
        f"SELECT r.reference, r.title, r.likelihood, r.impact, r.owner, r.proximity "
        f"{open_risks} ORDER BY r.likelihood * r.impact DESC, r.proximity IS NULL, "
        "r.proximity, r.reference, r.id LIMIT 10",
        "SELECT a.title, a.owner, a.due_on, r.reference FROM action a "
        f"LEFT JOIN risk r ON r.id = a.risk_id AND {v('r')} WHERE a.programme_id = :p "
        f"AND {v('a')} AND a.status NOT IN ('done', 'cancelled') AND a.due_on < :d "
        "ORDER BY a.due_on, a.id",
    ]


def bench_summary_in_process(db_path: Path) -> Result:
    """The programme's figures through the service vs their aggregates in raw sqlite3."""
    as_of = date.today()
    with open_database(resolve(str(db_path)), Mode.READ) as db:
        programme = programmes.choose(db, None)
        with db.read() as session:
            credit_life = int(settings.value(session, OFFSETS_KEY)["credit_life_years"])
        conn = sqlite3.connect(db_path, isolation_level=None)
        try:
            partners = [
                nation
                for (nation,) in conn.execute(
                    "SELECT nation FROM partner_nation WHERE programme_id = ? "
                    "ORDER BY position, nation",
                    (programme.id,),
                )
            ]
            statements = _aggregates(programme.base_currency, partners)
            values = {
                "p": programme.id,
                "d": as_of.isoformat(),
                "ahead": (as_of + timedelta(days=LOOKAHEAD_DAYS)).isoformat(),
                "expired": years_before(as_of, credit_life).isoformat(),
            }

            def raw() -> object:
                conn.execute("BEGIN")
                try:
                    return [conn.execute(sql, values).fetchall() for sql in statements]
                finally:
                    conn.execute("ROLLBACK")

            joint = Audience.parse("joint")
            ours, floor = paired_median_times(
                lambda: programme_figures(db, programme.id, as_of, joint), raw
            )
        finally:
            conn.close()
    return Result(
        f"programme figures in-process ({db_path.stem}) vs raw sqlite3",
        ours,
        floor,
        ours / floor,
        "ratio < 5",
        ours / floor < 5,
    )


def bench_summary_growth(path50: Path, path500: Path, folder: Path) -> list[Result]:
    """`setu summary --json` as a whole process at scales 50 and 500, and how it grows."""
    env = process_env(folder)

    def summary_process(path: Path) -> float:
        setu = [sys.executable, "-m", "app", "summary", "--db", str(path), "--json"]
        run_process(setu, env)  # untimed: writes the bytecode
        return median_time(lambda: run_process(setu, env), 3)

    small, large = summary_process(path50), summary_process(path500)
    growth = large / small
    return [
        Result("setu summary --json (scale 50)", small, None, None, "< 1 s", small < 1),
        Result(
            f"setu summary --json (scale 500; x{growth:.1f} of scale 50)",
            large,
            None,
            None,
            f"x < {SUB_LINEAR:g}",
            growth < SUB_LINEAR,
        ),
    ]
