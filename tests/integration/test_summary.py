"""`setu summary --json`: every key CLI.md fixes, stable bytes, and the analytics' figures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.demo import build
from app.services import analytics, programmes
from app.services.audience import Audience

TODAY = date(2026, 11, 26)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "demo.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, today=TODAY)
    return path


def summary(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert main(["summary", "--db", str(path), "--json", "--as-of", TODAY.isoformat(), *extra]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_every_documented_key(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = summary(capsys, demo)
    assert list(figures)[:2] == ["programme", "counts"]
    programme = figures["programme"]
    assert {"code", "name", "base_currency", "status_date", "rag", "rag_reasons"} <= set(programme)  # type: ignore[arg-type]
    assert programme["rag"] in {"RED", "AMBER", "GREEN"}  # type: ignore[index]
    assert programme["rag_reasons"]  # type: ignore[index]
    assert {"milestones_complete", "milestones_overdue", "max_slip_days", "next_90_days"} <= set(
        figures["schedule"]
    )  # type: ignore[arg-type]
    ev = figures["earned_value"]
    ev_keys = ["bac", "pv", "ev", "ac", "sv", "cv", "spi", "cpi", "eac", "vac"]
    assert list(ev["programme"]) == ev_keys  # type: ignore[index]
    for row in ev["workstreams"]:  # type: ignore[index]
        assert list(row) == ["code", "title", "rag", "rag_reasons", *ev_keys]
    for agreement in figures["cost_share"]:  # type: ignore[attr-defined]
        assert {"agreement", "fx_rule", "eligible", "pool", "partners", "settlement"} <= set(
            agreement
        )
        balances = [int(p["balance"].replace(".", "")) for p in agreement["partners"]]
        assert sum(balances) == 0  # reconciles to the paisa
        for partner in agreement["partners"]:
            assert set(partner) == {"partner", "share_pct", "owed", "contributed", "net", "balance"}
    assert {
        "ic_achieved_pct",
        "ic_target_pct",
        "tot_total",
        "tot_absorbed",
        "offset_obligation",
        "offset_discharged",
    } <= set(figures["indigenisation"])  # type: ignore[arg-type]
    risks = figures["risks"]
    assert {
        "by_rating",
        "matrix_inherent",
        "matrix_residual",
        "expected_value_by_category",
        "rising",
        "top",
    } <= set(risks)  # type: ignore[arg-type]
    assert set(risks["by_rating"]) == {"HIGH", "MEDIUM", "LOW"}  # type: ignore[index]
    matrix = risks["matrix_inherent"]  # type: ignore[index]
    assert len(matrix) == 5 and all(len(row) == 5 for row in matrix)
    assert sum(map(sum, matrix)) == figures["counts"]["open_risks"]  # type: ignore[index]
    assert sum(risks["by_rating"].values()) == figures["counts"]["open_risks"]  # type: ignore[index]


def test_money_and_ratio_formats(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = summary(capsys, demo)
    programme_ev = figures["earned_value"]["programme"]  # type: ignore[index]
    for key in ("bac", "pv", "ev", "ac", "sv", "cv"):
        whole, _, paise = programme_ev[key].lstrip("-").partition(".")
        assert whole.isdigit() and len(paise) == 2, programme_ev[key]
    for key in ("spi", "cpi"):
        value = programme_ev[key]
        assert value is None or round(value, 4) == value


def test_same_data_same_bytes(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    args = ["summary", "--db", str(demo), "--json", "--as-of", TODAY.isoformat()]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first


def test_summary_shows_exactly_the_analytics(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = summary(capsys, demo, "--audience", "national:IND")
    with open_database(resolve(str(demo)), Mode.READ) as db:
        programme = programmes.choose(db, None)
        computed = analytics.programme_figures(
            db, programme.id, TODAY, Audience.parse("national:IND")
        )
    assert figures["programme"]["rag"] == computed.rag.status  # type: ignore[index]
    expected = computed.to_json()
    for key in ("schedule", "earned_value", "cost_share", "indigenisation", "risks"):
        assert figures[key] == json.loads(json.dumps(expected[key]))


def test_audiences_differ(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    joint = summary(capsys, demo)
    india = summary(capsys, demo, "--audience", "national:IND")
    assert india["counts"]["workstreams"] > joint["counts"]["workstreams"]  # type: ignore[index]
    india_codes = {w["code"] for w in india["earned_value"]["workstreams"]}  # type: ignore[index]
    joint_codes = {w["code"] for w in joint["earned_value"]["workstreams"]}  # type: ignore[index]
    assert joint_codes < india_codes


def test_an_earlier_status_date(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    now = summary(capsys, demo)
    capsys.readouterr()
    assert main(["summary", "--db", str(demo), "--json", "--as-of", "2025-06-30"]) == 0
    then = json.loads(capsys.readouterr().out)
    assert then["programme"]["status_date"] == "2025-06-30"
    assert then["schedule"]["milestones_complete"] < now["schedule"]["milestones_complete"]  # type: ignore[index]


def test_a_missing_rate_is_named(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.services import costs, workstreams
    from tests.conftest import workstream_draft

    with open_database(resolve(str(db_path))) as db:
        row = programmes.create_programme(
            db,
            programmes.ProgrammeDraft("JP-X", "X", "INR", date(2024, 1, 1)),
            [programmes.PartnerDraft("IND", "India"), programmes.PartnerDraft("RUS", "Russia")],
        )
        ws = workstreams.create_workstream(db, row.id, workstream_draft())
        costs.create_expenditure(
            db, row.id, costs.ExpenditureDraft(ws.id, date(2025, 4, 1), 100_00, "RUB", "labour")
        )
    capsys.readouterr()
    assert main(["summary", "--db", str(db_path), "--json", "--as-of", "2025-12-31"]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "setu: error: no exchange rate RUB->INR on or before 2025-04-01"
