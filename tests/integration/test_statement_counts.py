"""Loading a page or computing the figures issues as many statements on a big programme as
on a small one: nothing is read one record (or one date) at a time.

The demo at scale 3 holds three times the records of the demo at scale 1. A count that
grows with the data is an N+1 query: a statement per row, per workstream, per
transaction date.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.config import resolve
from app.database import Database, Mode, open_database
from app.services import costs, listing, programmes, register_labels, summary
from app.services.analytics import programme_figures
from app.services.audience import Audience
from app.services.costs import ExpenditureDraft
from tests.integration.test_query_plans import REGISTERS, demo_database, statements

pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 11, 26)
SCALES = (1, 3)


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, Database]]:
    folder = tmp_path_factory.mktemp("counts")
    opened = {
        scale: open_database(resolve(str(demo_database(folder, scale))), Mode.READ)
        for scale in SCALES
    }
    yield opened
    for db in opened.values():
        db.close()


def issued(db: Database, work: Callable[[Database, int], object]) -> int:
    """How many statements `work(db, programme id)` sends to the database."""
    programme = programmes.choose(db, None)
    with statements(db) as found:
        work(db, programme.id)
    return len(found)


def counts(demos: dict[int, Database], work: Callable[[Database, int], object]) -> list[int]:
    return [issued(demos[scale], work) for scale in SCALES]


@pytest.mark.parametrize("name", sorted(REGISTERS))
@pytest.mark.parametrize("text", ["", "a"])
def test_a_first_page_costs_three_statements(
    demos: dict[int, Database], name: str, text: str
) -> None:
    """BEGIN, the count of matching records, the page's rows: whatever the register holds
    (the demo at scale 1 fills less than a page of most registers, at scale 3 more)."""

    def first_page(db: Database, programme_id: int) -> object:
        return listing.page(
            db,
            REGISTERS[name],
            programme_id,
            sort=None,
            descending=False,
            text=text,
            offset=0,
            limit=200,
        )

    assert counts(demos, first_page) == [3, 3]


def figures(db: Database, programme_id: int) -> object:
    return programme_figures(db, programme_id, TODAY, Audience.parse("joint"))


def test_programme_figures_cost_the_same_on_a_bigger_programme(
    demos: dict[int, Database],
) -> None:
    small, big = counts(demos, figures)
    assert small == big
    assert small < 40


def test_programme_figures_read_no_rate_per_transaction_date(
    demos: dict[int, Database], tmp_path: Path
) -> None:
    """Foreign spending on forty more dates: more sums to convert, not more statements.

    The demo's scales repeat the same dates, so this is the check that rates are not
    looked up one date at a time.
    """
    source = demos[1].target.path
    assert source is not None
    copy = tmp_path / "more-dates.db"
    shutil.copyfile(source, copy)
    with open_database(resolve(str(copy)), Mode.WRITE) as db:
        before = issued(db, figures)
        programme = programmes.choose(db, None)
        covered = next(iter(register_labels.covered_workstreams(db, programme.id)))
        for day in range(40):
            spent_on = date(2025, 1, 1) + timedelta(days=day)
            draft = ExpenditureDraft(covered, spent_on, 1_000_00 + day, "USD", "travel")
            costs.create_expenditure(db, programme.id, draft)
        assert issued(db, figures) == before


def test_the_summary_costs_the_same_on_a_bigger_programme(demos: dict[int, Database]) -> None:
    def whole_summary(db: Database, programme_id: int) -> object:
        programme = programmes.choose(db, None)
        return summary.summary(db, programme, Audience.parse("joint"), TODAY)

    small, big = counts(demos, whole_summary)
    assert small == big
    assert small < 60
