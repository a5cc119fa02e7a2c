"""Importing registers from spreadsheets: defaults, updates, all or nothing."""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.database import Database
from app.errors import UsageError
from app.interchange import ImportRejected, RowProblem, import_file
from app.services import contract_items, contracts, milestones, risks, workstreams
from app.services.milestones import MilestoneDraft
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft

FIVE = ["Ref", "Title", "Likelihood", "Impact", "Owner"]


def workbook(path: Path, rows: list[list[object]], title: str = "Risks") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


MESSY_HEADER = [
    *("Risk No.", "Risk Description", "Probability", "Consequence", "Risk Owner"),
    *("Date Identified", "Mitigation Actions"),
]


FORMULA = '=B5&" backup"'


def messy_register(path: Path, *, bad: bool = True) -> Path:
    """Title block, merged headings, word ratings, text dates, a formula, a bad row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Risk Register"
    sheet["A1"] = "JP-TEST risk register"
    sheet.merge_cells("A1:G1")
    sheet["A2"] = "As of March 2025"
    rows: list[list[object]] = [
        [],  # row 3
        MESSY_HEADER,  # row 4
        ["R-001", "Radome supplier capacity", "High", "Major", "Col. Rao", "01/03/2025"],
        ["Schedule risks"],  # row 6, merged across the sheet below
        ["R-002", "Range slot", "Almost certain", "4 - Major", "Ivan", "15-Mar-2025", FORMULA],
        ["R-003", "Seeker licence", "Often" if bad else "Rare", "Severe", "DG", "2025-03-20"],
        [],  # row 9
        ["R-004", "Currency swing", 2, 3, "Finance", date(2025, 2, 1)],  # row 10
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A6:G6")
    book.save(path)
    return path


def by_ref(db: Database, programme: Fixture) -> dict[str, risks.RiskRow]:
    return {r.reference: r for r in risks.list_risks(db, programme.programme_id)}


def test_a_five_column_register_imports_with_defaults(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "r.xlsx", [FIVE, ["R-001", "Radome", "High", "Minor", "Rao"]])
    report = import_file(db, "risks", path, programme.programme_id)
    assert (report.created, report.updated, report.problems) == (1, 0, [])
    risk = by_ref(db, programme)["R-001"]
    assert (risk.likelihood, risk.impact, risk.owner) == (4, 2, "Rao")
    assert (risk.residual_likelihood, risk.residual_impact) == (4, 2)
    assert (risk.status, risk.category, risk.raised_on) == ("open", "unassigned", date.today())


def test_messy_register_dry_run_names_the_bad_row_and_writes_nothing(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    before = audit_count(db)
    report = import_file(
        db, "risks", messy_register(tmp_path / "r.xlsx"), programme.programme_id, dry_run=True
    )
    assert report.problems == [
        RowProblem(
            "Risk Register",
            8,
            "Probability",
            "'Often' is not a rating 1-5 or a word such as Low, Medium, High, Likely or Major",
        )
    ]
    assert (report.created, report.updated, report.header_row) == (3, 0, 4)
    assert str(report.problems[0]).startswith("Risk Register row 8, Probability: 'Often'")
    assert audit_count(db) == before
    assert risks.list_risks(db, programme.programme_id) == []


def test_a_real_import_with_a_bad_row_imports_nothing(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    before = audit_count(db)
    with pytest.raises(ImportRejected) as err:
        import_file(db, "risks", messy_register(tmp_path / "r.xlsx"), programme.programme_id)
    assert err.value.exit_code == 1
    assert [p.row for p in err.value.report.problems] == [8]
    assert "nothing imported" in str(err.value)
    assert audit_count(db) == before
    assert risks.list_risks(db, programme.programme_id) == []


def test_messy_register_imports_once_fixed(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    path = messy_register(tmp_path / "r.xlsx", bad=False)
    report = import_file(db, "risks", path, programme.programme_id)
    assert report.created == 4
    found = by_ref(db, programme)
    assert (found["R-001"].likelihood, found["R-001"].impact) == (4, 4)
    assert found["R-001"].raised_on == date(2025, 3, 1)
    assert (found["R-002"].likelihood, found["R-002"].raised_on) == (5, date(2025, 3, 15))
    assert found["R-002"].mitigation == FORMULA  # the formula's text, never evaluated
    assert (found["R-003"].likelihood, found["R-003"].impact) == (1, 5)
    assert found["R-004"].raised_on == date(2025, 2, 1)


def test_bom_semicolon_csv_imports(db: Database, programme: Fixture, tmp_path: Path) -> None:
    path = tmp_path / "risks.csv"
    text = (
        "Risk register;;;;\r\n"
        "Ref;Title;Likelihood;Impact;Owner;Raised\r\n"
        "R-001;Радиопрозрачный обтекатель;Likely;Moderate;Иванов;31-Mar-2025\r\n"
        'R-002;"Costs; rising";2;2;Rao;31/03/2025\r\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    report = import_file(db, "risks", path, programme.programme_id)
    assert report.created == 2
    found = by_ref(db, programme)
    assert found["R-001"].title == "Радиопрозрачный обтекатель"
    assert found["R-002"].title == "Costs; rising"
    assert found["R-002"].raised_on == date(2025, 3, 31)


def test_reimport_updates_instead_of_duplicating(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    risks.raise_risk(db, programme.programme_id, risk_draft(category="technical", marking=1))
    rows = [FIVE, ["R-001", "Radome supplier", 5, 4, "Rao"], ["R-002", "New", 1, 1, "X"]]
    report = import_file(db, "risks", workbook(tmp_path / "r.xlsx", rows), programme.programme_id)
    assert (report.created, report.updated, report.unchanged) == (1, 1, 0)
    found = by_ref(db, programme)
    assert len(found) == 2
    assert (found["R-001"].title, found["R-001"].likelihood) == ("Radome supplier", 5)
    # What the file does not say is kept, protection above all.
    assert (found["R-001"].category, found["R-001"].marking) == ("technical", 1)
    assert found["R-001"].raised_on == date(2025, 3, 1)
    again = import_file(db, "risks", tmp_path / "r.xlsx", programme.programme_id)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_record_twice_in_one_file(db: Database, programme: Fixture, tmp_path: Path) -> None:
    rows = [FIVE, ["R-001", "One", 1, 1, "A"], ["R-001", "Two", 2, 2, "B"]]
    report = import_file(
        db, "risks", workbook(tmp_path / "r.xlsx", rows), programme.programme_id, dry_run=True
    )
    assert report.problems == [
        RowProblem("Risks", 3, "Ref", "the same record as row 2; a file may hold each record once")
    ]


def test_service_problems_are_named_by_the_sheets_column(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    rows = [
        ["ID", "Risk", "Probability", "Severity", "Rel. to", "Workstream"],
        ["R-001", "", 3, 3, "IND USA", None],
        ["R-002", "Linked", 3, 3, None, "WS-99"],
    ]
    path = workbook(tmp_path / "r.xlsx", rows)
    report = import_file(db, "risks", path, programme.programme_id, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [
        (2, "Risk"),
        (2, "Rel. to"),
        (3, "Workstream"),
    ]
    assert report.problems[0].reason == "must not be empty"
    assert "USA is not a partner nation" in report.problems[1].reason
    assert report.problems[2].reason == "no workstream 'WS-99' in this programme"


def test_a_missing_column_is_reported_once(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    path = workbook(tmp_path / "r.xlsx", [["Title", "Likelihood", "Owner"], ["T", 1, "O"]])
    report = import_file(db, "risks", path, programme.programme_id, dry_run=True)
    assert report.problems == [
        RowProblem("Risks", 1, "Ref", "the sheet has no such column"),
        RowProblem("Risks", 1, "Impact", "the sheet has no such column"),
    ]


def test_a_partial_sheet_updates_but_cannot_create(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    risks.raise_risk(db, programme.programme_id, risk_draft())
    rows = [["Ref", "Likelihood"], ["R-001", "Rare"], ["R-002", "Rare"]]
    path = workbook(tmp_path / "r.xlsx", rows)
    report = import_file(db, "risks", path, programme.programme_id, dry_run=True)
    assert report.updated == 1
    reason = "the sheet has no such column; a new record needs it"
    assert report.problems == [
        RowProblem("Risks", 3, "Title", reason),
        RowProblem("Risks", 3, "Impact", reason),
    ]


def test_map_option(db: Database, programme: Fixture, tmp_path: Path) -> None:
    rows = [["No", "Heading", "P", "I"], ["R-1", "Mapped", "Low", "High"]]
    path = workbook(tmp_path / "r.xlsx", rows)
    mapping = {"No": "reference", "Heading": "title", "P": "likelihood", "I": "impact"}
    assert import_file(db, "risks", path, programme.programme_id, mapping=mapping).created == 1
    assert by_ref(db, programme)["R-1"].title == "Mapped"


def test_unreadable_files_import_nothing(db: Database, programme: Fixture, tmp_path: Path) -> None:
    before = audit_count(db)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\x00\xff" * 1000)
    with pytest.raises(UsageError) as err:
        import_file(db, "risks", junk, programme.programme_id)
    assert err.value.exit_code == 2
    with pytest.raises(UsageError, match="not a register"):
        import_file(db, "budgets", junk, programme.programme_id)
    assert audit_count(db) == before


def test_ten_thousand_rows_with_a_bad_row_at_9000_leave_the_database_as_it_was(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    """The bad row is one only the database can judge, so 8,999 rows are written first."""
    risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-00001", title="Old"))
    before = audit_count(db)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Risks")
    sheet.append([*FIVE, "Releasable to"])
    for n in range(1, 10_001):
        sheet.append(
            [f"R-{n:05}", f"Risk {n}", "Low", 3, "Owner", "IND USA" if n == 9000 else None]
        )
    book.save(tmp_path / "big.xlsx")
    started = time.perf_counter()
    with pytest.raises(ImportRejected) as err:
        import_file(db, "risks", tmp_path / "big.xlsx", programme.programme_id)
    elapsed = time.perf_counter() - started
    assert [(p.row, p.column) for p in err.value.report.problems] == [(9001, "Releasable to")]
    assert err.value.report.created == 9998 and err.value.report.updated == 1
    assert audit_count(db) == before
    assert [r.title for r in risks.list_risks(db, programme.programme_id)] == ["Old"]
    assert elapsed < 60, f"{elapsed:.1f} s"


def _workstream_with_milestone(db: Database, programme: Fixture) -> int:
    ws = workstreams.create_workstream(db, programme.programme_id, workstream_draft())
    milestones.create_milestone(
        db, ws.id, MilestoneDraft("PDR", date(2025, 6, 30), date(2025, 7, 15))
    )
    return ws.id


def test_a_milestone_baseline_moves_only_by_rebaselining(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    _workstream_with_milestone(db, programme)
    rows = [
        ["Workstream", "Milestone", "Baseline", "Forecast"],
        ["WS-07", "PDR", "2025-06-30", "2025-08-01"],
        ["WS-07", "CDR", "2025-12-01", None],
    ]
    path = workbook(tmp_path / "m.xlsx", rows, "Milestones")
    report = import_file(db, "milestones", path, programme.programme_id)
    assert (report.created, report.updated) == (1, 1)
    found = {m.title: m for m in milestones.list_milestones(db, programme.programme_id)}
    assert found["PDR"].forecast_date == date(2025, 8, 1)
    assert found["CDR"].forecast_date == date(2025, 12, 1)  # forecast defaults to baseline
    path = workbook(tmp_path / "m2.xlsx", [rows[0], ["ws-07", "PDR", "2025-07-31", None]])
    report = import_file(db, "milestones", path, programme.programme_id, dry_run=True)
    assert [(p.row, p.column) for p in report.problems] == [(2, "Baseline")]
    assert "re-baselining" in report.problems[0].reason


def test_contracts_and_children_with_money_and_percentages(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    rows = [
        [
            "Contract No",
            "Title",
            "Kind",
            "Supplier",
            "Customer",
            "Value",
            "Currency",
            "IC target %",
            "Signed",
        ],
        [
            "C-1",
            "Radar",
            "co-production",
            "Severny Luch",
            "trl-lab",
            "1,250,000.50",
            "usd",
            "33.3333%",
            "2025-02-01",
        ],
    ]
    report = import_file(
        db, "contracts", workbook(tmp_path / "c.xlsx", rows, "Contracts"), programme.programme_id
    )
    assert report.problems == [] and report.created == 1
    contract = contracts.list_contracts(db, programme.programme_id)[0]
    assert (contract.value_minor, contract.currency) == (125_000_050, "USD")
    assert contract.ic_target_pct == Decimal("33.3333")
    assert (contract.supplier_id, contract.customer_id) == (
        programme.russia_org,
        programme.india_org,
    )
    rows = [["Contract", "Item", "Qty", "Due"], ["C-1", "Radar set", 10, "31-Jan-2026"]]
    report = import_file(
        db, "deliverables", workbook(tmp_path / "d.xlsx", rows), programme.programme_id
    )
    assert report.created == 1
    assert contract_items.list_deliverables(db, contract.id)[0].quantity_ordered == 10
    money_rows = [
        ["Number", "Title", "Kind", "Supplier", "Customer", "Value", "Currency"],
        ["C-2", "Spares", "spares and support", "TRL-Lab", "TRL-Lab", "10.005", "INR"],
    ]
    report = import_file(
        db,
        "contracts",
        workbook(tmp_path / "c2.xlsx", money_rows),
        programme.programme_id,
        dry_run=True,
    )
    assert [(p.column, p.reason) for p in report.problems] == [
        ("Value", "10.005 has more than 2 decimal places for INR")
    ]
