"""What `collect` reads from the demo database: the counts it shares with `setu summary`,
and the annex cap with what it leaves out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.reporting import collect as collect_module
from app.reporting.collect import BriefRequest, collect, excluded_records
from app.services import programmes, summary
from app.services.analytics_scope import Scope
from app.services.audience import Audience

TODAY = date(2026, 11, 26)
AUDIENCES = ("joint", "national:IND", "national:RUS")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("collect") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
    return path


@pytest.mark.parametrize("audience", AUDIENCES)
def test_excluded_records_are_those_setu_summary_counts(demo: Path, audience: str) -> None:
    """One statement for the pack, two counts per register for the summary: same number."""
    chosen = Audience.parse(audience)
    with open_database(resolve(str(demo))) as db:
        programme = programmes.choose(db, None)
        with db.read() as session:
            scope = Scope.of(session, programme.id, TODAY, chosen)
            counted = summary.counts(session, programme.id, chosen, TODAY)["excluded_records"]
            assert excluded_records(session, scope) == counted
        data, _ = collect(db, BriefRequest(as_of=TODAY, audience=audience))
    assert data.excluded_records == counted


def test_the_demo_hides_records_from_some_audience(demo: Path) -> None:
    """Else the test above would compare zeros."""
    with open_database(resolve(str(demo))) as db:
        hidden = [
            collect(db, BriefRequest(as_of=TODAY, audience=a))[0].excluded_records
            for a in AUDIENCES
        ]
    assert all(hidden[1:]) and hidden[0] > hidden[1]


def test_annex_is_capped_and_says_how_many_more(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(collect_module, "ANNEX_ROWS", 5)
    with open_database(resolve(str(demo))) as db:
        capped, content = collect(db, BriefRequest(as_of=TODAY))
    assert len(capped.risks) == 5 and capped.risks_total == len(content["risks"]) > 5
    assert len(capped.milestones) == 5 and capped.milestones_total > 5
    scores = [r.score for r in capped.risks]
    assert scores == sorted(scores, reverse=True)  # the most severe are kept
