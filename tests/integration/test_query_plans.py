"""The registers' first pages, the heat map and the programme's figures read indexes.

Each check runs the service on the demo database, records the statements it issues,
and asks SQLite for their plans (EXPLAIN QUERY PLAN). A first page must come out of
an index in its order, so the database reads one page and stops; "USE TEMP B-TREE FOR
ORDER BY" means it sorted every matching record first. The figures aggregate whole
registers, so their statements may sort groups, but each must reach its rows through
an index from the programme, never by scanning a table. Demo databases hold no
statistics (no ANALYZE), so the plans depend on the schema and the SQL alone, not on
the demo's size.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from app.config import resolve
from app.database import Database, Mode, open_database
from app.demo import build
from app.models import Base
from app.services import listing, listing_registers, listing_schedule, programmes
from app.services.analytics import programme_figures
from app.services.audience import Audience
from app.services.listing import ListSpec

pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 11, 26)
Statement = tuple[str, Any]

# Tables too small to matter: a handful of rows per programme or per office.
SMALL_TABLES = {"programme", "partner_nation", "setting", "exchange_rate", "alembic_version"}
BIG_TABLES = set(Base.metadata.tables) - SMALL_TABLES

REGISTERS: dict[str, ListSpec[Any]] = {
    "risks": listing.RISKS,
    "workstreams": listing_schedule.WORKSTREAMS,
    "milestones": listing_schedule.MILESTONES,
    "contracts": listing_registers.CONTRACTS,
    "agreements": listing_registers.AGREEMENTS,
    "contributions": listing_registers.CONTRIBUTIONS,
    "expenditures": listing_registers.EXPENDITURES,
    "decisions": listing_registers.DECISIONS,
    "actions": listing_registers.ACTIONS,
    "audit": listing_registers.AUDIT,
}

# The order each register page opens in (ui/pages: `default_sort`), and the index that
# serves it ("rowid": the table itself, in id order). The risk register opens by score,
# likelihood x impact, which no index on plain columns orders: it is left out here.
OPENING_ORDERS = [
    ("workstreams", "code", False, "sqlite_autoindex_workstream_1"),
    ("milestones", "baseline_date", False, "ix_milestone_baseline_date"),
    ("contracts", "number", False, "sqlite_autoindex_contract_1"),
    ("agreements", "code", False, "sqlite_autoindex_cost_share_agreement_1"),
    ("contributions", "contributed_on", True, "ix_contribution_contributed_on"),
    ("expenditures", "spent_on", True, "ix_expenditure_spent_on"),
    ("decisions", "needed_by", False, "ix_decision_programme_needed_by"),
    ("actions", "due_on", False, "ix_action_programme_due_on"),
    ("audit", "id", True, "rowid"),
]

# Sorts by a plain column of the audit log, the largest table.
AUDIT_SORTS = [
    ("at", "ix_audit_entry_at"),
    ("user", "ix_audit_entry_user"),
    ("entity_id", "ix_audit_entry_entity_id"),
    ("action", "ix_audit_entry_action"),
]


def demo_database(folder: Path, scale: int) -> Path:
    path = folder / f"demo-{scale}.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, scale=scale, today=TODAY)
    return path


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_database(tmp_path_factory.mktemp("plans"), 1)


@pytest.fixture(scope="module")
def demo(demo_path: Path) -> Iterator[Database]:
    with open_database(resolve(str(demo_path)), Mode.READ) as db:
        yield db


@contextmanager
def statements(db: Database) -> Iterator[list[Statement]]:
    """Every statement `db` sends to the database inside the block, with its parameters."""
    found: list[Statement] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        found.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield found
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def plan(path: Path, statement: Statement) -> list[str]:
    """SQLite's plan for `statement`: one line per step, e.g. 'SCAN risk'."""
    conn = sqlite3.connect(path)
    try:
        sql, parameters = statement
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", parameters)]
    finally:
        conn.close()


def first_page_plan(db: Database, path: Path, name: str, sort: str | None, desc: bool) -> list[str]:
    programme = programmes.choose(db, None)
    with statements(db) as found:
        listing.page(
            db,
            REGISTERS[name],
            programme.id,
            sort=sort,
            descending=desc,
            text="",
            offset=0,
            limit=50,
        )
    (rows,) = [s for s in found if " LIMIT " in s[0]]
    return plan(path, rows)


def sorts(steps: list[str]) -> list[str]:
    return [step for step in steps if "TEMP B-TREE" in step and "ORDER BY" in step]


def table_scans(steps: list[str]) -> list[str]:
    """Steps that read a big table whole, not through an index or its primary key."""
    return [
        step
        for step in steps
        if step.startswith("SCAN ") and step.split()[1] in BIG_TABLES and " USING " not in step
    ]


def reads_in_order_of(steps: list[str], index: str) -> bool:
    """The page comes out of `index` (or, for "rowid", its table in id order) unsorted."""
    if sorts(steps):
        return False
    if index == "rowid":
        return " USING " not in steps[0] or "INTEGER PRIMARY KEY" in steps[0]
    return f" INDEX {index}" in steps[0]


@pytest.mark.parametrize("name", sorted(REGISTERS))
def test_first_page_in_id_order_reads_one_page(demo: Database, demo_path: Path, name: str) -> None:
    steps = first_page_plan(demo, demo_path, name, None, False)
    assert sorts(steps) == [], steps


@pytest.mark.parametrize(("name", "sort", "desc", "index"), OPENING_ORDERS)
def test_first_page_in_opening_order_reads_its_index(
    demo: Database, demo_path: Path, name: str, sort: str, desc: bool, index: str
) -> None:
    steps = first_page_plan(demo, demo_path, name, sort, desc)
    assert reads_in_order_of(steps, index), steps


@pytest.mark.parametrize(("sort", "index"), AUDIT_SORTS)
def test_audit_log_sorts_read_an_index(
    demo: Database, demo_path: Path, sort: str, index: str
) -> None:
    for desc in (False, True):
        steps = first_page_plan(demo, demo_path, "audit", sort, desc)
        assert reads_in_order_of(steps, index), steps


def test_text_filter_in_an_indexed_order_stops_at_the_page(demo: Database, demo_path: Path) -> None:
    """A LIKE '%text%' must look at every row, but in index order it stops at the page."""
    programme = programmes.choose(demo, None)
    with statements(demo) as found:
        listing.page(
            demo,
            listing_registers.EXPENDITURES,
            programme.id,
            sort="spent_on",
            descending=True,
            text="travel",
            offset=0,
            limit=50,
        )
    (rows,) = [s for s in found if " LIMIT " in s[0]]
    assert reads_in_order_of(plan(demo_path, rows), "ix_expenditure_spent_on")


def test_programme_figures_reach_rows_through_indexes(demo: Database, demo_path: Path) -> None:
    programme = programmes.choose(demo, None)
    with statements(demo) as found:
        programme_figures(demo, programme.id, TODAY, Audience.parse("joint"))
    queries = [s for s in found if s[0].lstrip().upper().startswith("SELECT")]
    assert len(queries) > 20
    for query in queries:
        steps = plan(demo_path, query)
        assert table_scans(steps) == [], (query[0], steps)
    overdue = [s for s in queries if s[0].startswith("SELECT action.title")]
    assert len(overdue) == 1
    assert any(
        "ix_action_programme_due_on (programme_id=? AND due_on<?)" in step
        for step in plan(demo_path, overdue[0])
    )


def test_heat_map_counts_from_its_covering_index(demo: Database, demo_path: Path) -> None:
    """Both matrices count the open risks in the index alone, never reading a risk."""
    programme = programmes.choose(demo, None)
    with statements(demo) as found:
        listing.risk_matrices(demo, programme.id)
    queries = [s for s in found if s[0].lstrip().upper().startswith("SELECT")]
    assert len(queries) == 2
    for query in queries:
        steps = plan(demo_path, query)
        assert steps[0] == (
            "SEARCH risk USING COVERING INDEX ix_risk_heat_map (programme_id=? AND status=?)"
        ), steps
        assert table_scans(steps) == [], steps


def test_the_checks_notice_a_missing_index(demo: Database, demo_path: Path, tmp_path: Path) -> None:
    """Without the index, the same first page sorts every action: the checks above fail."""
    copy = tmp_path / "without.db"
    shutil.copyfile(demo_path, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DROP INDEX ix_action_programme_due_on")
    conn.close()
    steps = first_page_plan(demo, copy, "actions", "due_on", False)
    assert not reads_in_order_of(steps, "ix_action_programme_due_on")
    assert sorts(steps) != []
