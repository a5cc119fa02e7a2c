"""The demo programme: believable, complete, audited, and reproducible."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from app.audit_chain import UNAUDITED
from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.models import Base
from app.services import audit, health

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
    return path


def counts(path: Path, *tables: str) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


def test_demo_has_what_the_issue_asks_for(demo_path: Path) -> None:
    found = counts(
        demo_path,
        "workstream",
        "milestone",
        "contract",
        "deliverable",
        "tot_package",
        "risk",
        "risk_review",
        "action",
        "decision",
        "contribution",
        "expenditure",
        "exchange_rate",
        "cost_share_agreement",
        "milestone_forecast",
        "milestone_baseline",
    )
    assert found["workstream"] >= 8 and found["milestone"] >= 40
    assert found["contract"] >= 6 and found["deliverable"] > 0 and found["tot_package"] > 0
    assert found["risk"] >= 60 and found["risk_review"] > 0 and found["action"] > 0
    assert found["cost_share_agreement"] >= 1 and found["exchange_rate"] > 0
    assert found["milestone_baseline"] > 0  # some milestones were re-baselined
    assert found["milestone_forecast"] > found["milestone"]  # forecasts moved over time
    conn = sqlite3.connect(demo_path)
    try:
        pending = conn.execute("SELECT COUNT(*) FROM decision WHERE status = 'pending'")
        assert pending.fetchone()[0] > 0
        currencies = {c for (c,) in conn.execute("SELECT DISTINCT currency FROM contribution")}
        assert {"INR", "RUB", "USD"} <= currencies | {
            c for (c,) in conn.execute("SELECT DISTINCT currency FROM expenditure")
        }
        first, last = conn.execute(
            "SELECT MIN(contributed_on), MAX(contributed_on) FROM contribution"
        ).fetchone()
        assert (date.fromisoformat(last) - date.fromisoformat(first)).days >= 600  # two years
        names = " ".join(n for (n,) in conn.execute("SELECT name FROM organisation"))
        assert any("\u0400" <= ch <= "\u04ff" for ch in names)  # Cyrillic
        assert any("\u0900" <= ch <= "\u097f" for ch in names)  # Devanagari
        markings = set()
        one_nation = 0
        for table in Base.metadata.tables.values():
            if "releasable_to" in table.c:
                markings |= {
                    m for (m,) in conn.execute(f"SELECT DISTINCT marking FROM {table.name}")
                }
                one_nation += conn.execute(
                    f"SELECT COUNT(*) FROM {table.name} WHERE releasable_to IN ('IND', 'RUS')"
                ).fetchone()[0]
        assert markings == {0, 1, 2, 3, 4}  # the whole default scale
        assert one_nation > 0
    finally:
        conn.close()


def test_demo_is_sound_and_fully_audited(demo_path: Path) -> None:
    with open_database(resolve(str(demo_path)), Mode.READ) as db:
        assert health.check(db) == []
        audited = sum(
            counts(demo_path, name)[name] for name in Base.metadata.tables if name not in UNAUDITED
        )
        # Every record was created through the services, so each has its entry.
        assert audit.head(db).count >= audited


def test_same_seed_same_day_gives_the_same_data(demo_path: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.db"
    with open_database(resolve(str(again)), Mode.CREATE) as db:
        build(db, today=TODAY)

    def dump(path: Path) -> list[object]:
        conn = sqlite3.connect(path)
        try:
            return [
                (name, conn.execute(f"SELECT * FROM {name} ORDER BY id").fetchall())
                for name in sorted(Base.metadata.tables)
                if name not in UNAUDITED
            ]
        finally:
            conn.close()

    assert dump(again) == dump(demo_path)


def test_scale_multiplies_every_register(tmp_path: Path, demo_path: Path) -> None:
    path = tmp_path / "scaled.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, scale=2, today=TODAY, seed=1)
    registers = (
        "workstream",
        "milestone",
        "contract",
        "deliverable",
        "tot_package",
        "risk",
        "organisation",
        "decision",
        "cost_share_agreement",
        "contribution",
        "expenditure",
    )
    one, two = counts(demo_path, *registers), counts(path, *registers)
    assert all(two[r] == 2 * one[r] for r in registers), (one, two)
    assert counts(path, "programme") == {"programme": 1}
    with open_database(resolve(str(path)), Mode.READ) as db:
        assert audit.verify(db) == []


def test_demo_command_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    assert main(["demo", "--db", str(path)]) == 0
    assert main(["check", "--db", str(path)]) == 0
    capsys.readouterr()
    assert main(["summary", "--db", str(path), "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["programme"]["code"] == "JP-KSHITIJ"
    assert figures["programme"]["status_date"] == date.today().isoformat()
    assert figures["counts"]["workstreams"] >= 8
    assert figures["counts"]["risks"] >= 60
    capsys.readouterr()
    assert main(["summary", "--db", str(path), "--json", "--audience", "national:IND"]) == 0
    india = json.loads(capsys.readouterr().out)
    assert india["counts"]["risks"] > figures["counts"]["risks"]
    assert main(["demo", "--db", str(path)]) == 3  # never over an existing database


def test_demo_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app import demo

    path = tmp_path / "broken.db"

    def fail(*_: object) -> None:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(demo.Builder, "decision", fail)
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        with pytest.raises(RuntimeError):
            build(db, today=TODAY)
    assert counts(path, "programme", "audit_entry") == {"programme": 0, "audit_entry": 0}
