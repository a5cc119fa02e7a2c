"""`setu check`: is this database sound? Storage, schema, the domain's rules, the audit log.

SQLite's storage checks are PRAGMAs with no PostgreSQL counterpart (the server keeps
its own pages and enforces foreign keys as it writes); the rest runs on both.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from app import migrations
from app.database import Database
from app.models import Contract, CostShare, CostShareAgreement, Milestone, Workstream
from app.services import audit
from app.services.collation import bytewise

HUNDRED = Decimal(100)
# The triggers that make the audit log append-only, as revision 0003 creates them.
APPEND_ONLY_TRIGGERS = {
    "sqlite": frozenset({"audit_entry_no_update", "audit_entry_no_delete"}),
    "postgresql": frozenset({"audit_entry_append_only", "audit_entry_no_truncate"}),
}
_TRIGGERS_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_entry'",
    # A disabled trigger protects nothing: it counts as missing.
    "postgresql": "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass"
    " AND NOT tgisinternal AND tgenabled <> 'D'",
}


def check(db: Database, expect_head: audit.ChainHead | None = None) -> list[str]:
    """One line per problem; an empty list means the database is sound."""
    try:
        damaged, problems = _storage(db)
        if damaged:  # the rest would read damaged pages
            return problems
        return problems + _rules(db) + audit.verify(db, expect_head)
    except DBAPIError as exc:
        return [f"the database is damaged: {exc.orig}"]


def _storage(db: Database) -> tuple[bool, list[str]]:
    """Storage problems, and whether the file itself is damaged."""
    problems: list[str] = []
    damaged = False
    with db.read() as session:
        if db.engine.dialect.name == "sqlite":
            verdict = [str(r) for r in session.execute(text("PRAGMA integrity_check")).scalars()]
            if verdict != ["ok"]:
                damaged = True
                problems.extend(f"storage: {line}" for line in verdict[:20])
            for table, rowid, parent, _fk in session.execute(text("PRAGMA foreign_key_check")):
                problems.append(f"{table} row {rowid} refers to a missing {parent}")
        revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if revision != migrations.head():
            problems.append(f"schema revision {revision} is not the newest ({migrations.head()})")
        else:
            dialect = db.engine.dialect.name
            found = {str(name) for name in session.execute(text(_TRIGGERS_SQL[dialect])).scalars()}
            for name in sorted(APPEND_ONLY_TRIGGERS[dialect] - found):
                problems.append(
                    f"the audit log is not protected: trigger {name} is missing or disabled "
                    "(changed outside Setu)"
                )
    return damaged, problems


def _rules(db: Database) -> list[str]:
    """DOMAIN.md's rules that span rows, which CHECK constraints cannot express."""
    problems: list[str] = []
    with db.read() as session:
        for code, total in session.execute(
            select(CostShareAgreement.code, func.sum(CostShare.share_pct))
            .join(CostShare)
            .group_by(CostShareAgreement.id, CostShareAgreement.code)
            .order_by(bytewise(CostShareAgreement.code))
        ):
            if total != HUNDRED:
                problems.append(
                    f"cost-share agreement {code}: shares add up to {total} %, not 100 %"
                )
        for code, start, finish in session.execute(
            select(Workstream.code, Workstream.baseline_start, Workstream.baseline_finish)
            .where(Workstream.baseline_finish < Workstream.baseline_start)
            .order_by(bytewise(Workstream.code))
        ):
            problems.append(f"workstream {code}: baseline finish {finish} is before start {start}")
        for number, begins, ends in session.execute(
            select(Contract.number, Contract.period_start, Contract.period_end)
            .where(Contract.period_end < Contract.period_start)
            .order_by(bytewise(Contract.number))
        ):
            problems.append(f"contract {number}: period ends {ends}, before it starts {begins}")
        for title, code, day in session.execute(
            select(Milestone.title, Workstream.code, Milestone.forecast_date)
            .join(Workstream)
            .where(Milestone.forecast_date < Workstream.baseline_start)
            .order_by(bytewise(Workstream.code), Milestone.id)
        ):
            problems.append(
                f"milestone {title!r} of {code}: forecast {day} is before the workstream starts"
            )
    return problems
