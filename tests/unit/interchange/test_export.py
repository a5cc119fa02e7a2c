"""Exporting registers, and the round trip: export, import elsewhere, export again."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.config import resolve
from app.database import Database, open_database
from app.domain import OrganisationKind
from app.errors import UsageError
from app.interchange import export, import_file
from app.interchange.registers import REGISTERS
from app.services import (
    actions,
    agreements,
    contract_items,
    contracts,
    costs,
    decisions,
    fx,
    milestones,
    programmes,
    risks,
    workstreams,
)
from app.services.actions import ActionDraft
from app.services.agreements import AgreementDraft, ShareDraft
from app.services.contract_items import DeliverableDraft, TotDraft
from app.services.contracts import ContractDraft
from app.services.costs import ContributionDraft, ExpenditureDraft
from app.services.decisions import DecisionDraft
from app.services.fx import RateDraft
from app.services.milestones import MilestoneDraft
from app.services.programmes import OrganisationDraft, PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, risk_draft, workstream_draft

INJECTIONS = ("=1+1", '=HYPERLINK("http://evil","x")', "+SUM(A1)", "-2 dB margin", "@cmd", "\tTab")

Cells = list[list[object]]


def new_programme(db: Database) -> Fixture:
    """The conftest programme (JP-TEST, IND and RUS, one organisation each), in `db`."""
    row = programmes.create_programme(
        db,
        ProgrammeDraft("JP-TEST", "Test programme", "INR", date(2024, 1, 1), date(2030, 12, 31)),
        [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
    )
    kinds = (OrganisationKind.GOVERNMENT_LAB, OrganisationKind.STATE_ENTERPRISE)
    india, russia = (
        programmes.add_organisation(db, row.id, OrganisationDraft(short, name, nation, kind))
        for short, name, nation, kind in zip(
            ("TRL-Lab", "Severny Luch"),
            ("तरंग रडार प्रयोगशाला", "НПО «Северный луч»"),
            ("IND", "RUS"),
            kinds,
            strict=True,
        )
    )
    return Fixture(row.id, india.id, russia.id)


@pytest.fixture
def other(template_db: Path, tmp_path: Path) -> Iterator[tuple[Database, Fixture]]:
    """A second, empty database with the same programme: where exports are imported."""
    path = tmp_path / "other.db"
    shutil.copyfile(template_db, path)
    database = open_database(resolve(str(path)))
    yield database, new_programme(database)
    database.close()


def agreement(db: Database, programme: Fixture, workstream_id: int) -> None:
    shares = (ShareDraft("IND", None, Decimal(60)), ShareDraft("RUS", None, Decimal(40)))
    draft = AgreementDraft(
        "CSA-DEV", "Development", "spot", date(2025, 1, 1), shares, (workstream_id,)
    )
    agreements.create_agreement(db, programme.programme_id, draft)


def populate(db: Database, programme: Fixture) -> None:
    """A record in every register, with links, money, percentages, dates and markings."""
    pid = programme.programme_id
    ws = workstreams.create_workstream(
        db,
        pid,
        workstream_draft(lead_organisation_id=programme.india_org, budget_minor=12_345_650),
    )
    milestones.create_milestone(
        db, ws.id, MilestoneDraft("PDR", date(2025, 6, 30), date(2025, 7, 15), "Design agreed")
    )
    contract = contracts.create_contract(
        db,
        pid,
        ContractDraft(
            "C-2025-01",
            "Radar co-production",
            "co-production",
            programme.russia_org,
            programme.india_org,
            500_000_000,
            "USD",
            status="signed",
            signed_on=date(2025, 2, 1),
            ic_target_pct=Decimal("33.3333"),
            ic_achieved_pct=Decimal("12.5"),
            procurement_category="Buy (Indian)",
            workstream_id=ws.id,
            marking=1,
        ),
    )
    contract_items.add_deliverable(
        db, contract.id, DeliverableDraft("Radar set", 10, date(2026, 1, 31), 2)
    )
    contract_items.add_tot(
        db, contract.id, TotDraft("Antenna drawings", "documentation", date(2025, 9, 1))
    )
    risk = risks.raise_risk(db, pid, risk_draft(workstream_id=ws.id, proximity=date(2025, 9, 30)))
    second = risk_draft(reference="R-002", title=INJECTIONS[0], mitigation=INJECTIONS[2])
    risks.raise_risk(db, pid, replace(second, contract_id=contract.id, cost_impact_minor=10**8))
    actions.create_action(
        db, pid, ActionDraft("Second source", "Col. Rao", date(2025, 5, 1), risk_id=risk.id)
    )
    decisions.create_decision(
        db, pid, DecisionDraft("Approve second source", "JWG", date(2025, 6, 1))
    )
    agreement(db, programme, ws.id)
    share = agreements.list_agreements(db, pid)[0].shares[0]
    for amount in (1_000_000_00, 1_000_000_00):  # two alike: a register without a key
        costs.create_contribution(
            db, pid, ContributionDraft(share.id, date(2025, 3, 1), "cash", amount, "INR", "Tranche")
        )
    costs.create_expenditure(
        db, pid, ExpenditureDraft(ws.id, date(2025, 3, 15), 250_000_00, "EUR", "labour", "Team")
    )
    fx.add_rate(db, pid, RateDraft(date(2025, 1, 1), "USD", "INR", Decimal("83.1234567891")))


def sheets(path: Path) -> dict[str, Cells]:
    book = load_workbook(path)
    return {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}


def test_export_all_has_a_sheet_per_register_marked_and_frozen(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    populate(db, programme)
    out = export(db, "all", tmp_path / "all.xlsx", programme.programme_id, "joint")
    book = load_workbook(out)
    assert book.sheetnames == [r.sheet for r in REGISTERS.values()]
    assert (book.properties.keywords, book.properties.category) == ("RESTRICTED", "RESTRICTED")
    for register, sheet in zip(REGISTERS.values(), book.worksheets, strict=True):
        assert sheet["A1"].value == "RESTRICTED"
        assert [c.value for c in sheet[2]] == [f.header for f in register.fields]
        assert sheet["A2"].font.bold
        assert sheet.freeze_panes == "A3"
        assert sheet.column_dimensions["A"].width >= 8
    risks_sheet = book["Risks"]
    header = [c.value for c in risks_sheet[2]]
    r1 = {h: c for h, c in zip(header, risks_sheet[3], strict=True)}
    assert r1["Raised"].is_date and r1["Raised"].value == datetime(2025, 3, 1)
    assert r1["Workstream"].value == "WS-07"
    contracts_sheet = book["Contracts"]
    header = [c.value for c in contracts_sheet[2]]
    c1 = {h: c for h, c in zip(header, contracts_sheet[3], strict=True)}
    assert (c1["Value"].value, c1["Currency"].value) == (5_000_000, "USD")
    assert c1["Value"].data_type == "n"
    assert (
        c1["IC target %"].value == pytest.approx(0.333333)
        and "%" in c1["IC target %"].number_format
    )
    assert (c1["Supplier"].value, c1["Marking"].value) == ("Severny Luch", "RESTRICTED")


def test_a_one_register_workbook_starts_with_that_register(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    populate(db, programme)
    out = export(db, "decisions", tmp_path / "d.xlsx", programme.programme_id)
    assert load_workbook(out).sheetnames == ["Decisions"]
    assert sheets(out)["Decisions"][0][0] == "UNCLASSIFIED"


def test_the_audience_sees_only_what_it_may(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    pid = programme.programme_id
    risks.raise_risk(db, pid, risk_draft(reference="R-IND", releasable_to="IND"))
    secret_org = programmes.add_organisation(
        db,
        pid,
        OrganisationDraft("Secret-Works", "Works", "IND", "private industry", releasable_to="IND"),
    )
    contracts.create_contract(
        db,
        pid,
        ContractDraft(
            "C-1", "Joint", "co-production", secret_org.id, programme.russia_org, 0, "INR"
        ),
    )
    joint = sheets(export(db, "all", tmp_path / "joint.xlsx", pid, "joint"))
    assert [row[0] for row in joint["Risks"][2:]] == []
    supplier = joint["Contracts"][1].index("Supplier")
    assert joint["Contracts"][2][supplier] is None  # not even as a code in another record
    indian = sheets(export(db, "risks", tmp_path / "ind.xlsx", pid, "national:IND"))
    assert [row[0] for row in indian["Risks"][2:]] == ["R-IND"]
    with pytest.raises(UsageError, match="not a partner nation"):
        export(db, "risks", tmp_path / "x.xlsx", pid, "national:USA")


def test_formula_text_round_trips_as_text(
    db: Database, programme: Fixture, other: tuple[Database, Fixture], tmp_path: Path
) -> None:
    texts = (*INJECTIONS, "\rCR first")
    for n, text in enumerate(texts):
        risks.raise_risk(db, programme.programme_id, risk_draft(reference=f"R-{n}", title=text))
    target, there = other
    for suffix in (".xlsx", ".csv"):
        out = export(db, "risks", tmp_path / f"risks{suffix}", programme.programme_id)
        if suffix == ".xlsx":
            for row in load_workbook(out)["Risks"].iter_rows(min_row=3):
                assert row[1].data_type == "s"  # a text cell, never a formula
        else:
            written = out.read_bytes()
            assert written.startswith(b"\xef\xbb\xbf")
            with out.open(encoding="utf-8-sig", newline="") as stream:
                titles = [row[1] for row in list(csv.reader(stream))[2:]]
            assert titles == ["'" + t for t in texts]
        import_file(target, "risks", out, there.programme_id)
        back = {r.reference: r.title for r in risks.list_risks(target, there.programme_id)}
        # XML turns a bare CR into LF, so in a workbook "\r" reads back as "\n".
        expected = [t if suffix == ".csv" or t[0] != "\r" else "\n" + t[1:] for t in texts]
        assert [back[f"R-{n}"] for n in range(len(texts))] == expected


def test_export_import_export_gives_the_same_workbook(
    db: Database, programme: Fixture, other: tuple[Database, Fixture], tmp_path: Path
) -> None:
    populate(db, programme)
    first = export(db, "all", tmp_path / "first.xlsx", programme.programme_id)
    target, there = other
    for kind in REGISTERS:
        if kind == "contributions":  # agreements are not a register of their own
            agreement(target, there, workstreams.list_workstreams(target, there.programme_id)[0].id)
        report = import_file(target, kind, first, there.programme_id)
        assert report.problems == [] and report.created > 0, kind
    second = export(target, "all", tmp_path / "second.xlsx", there.programme_id)
    assert sheets(second) == sheets(first)
    again = import_file(target, "contributions", first, there.programme_id)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_csv_round_trip(
    db: Database, programme: Fixture, other: tuple[Database, Fixture], tmp_path: Path
) -> None:
    populate(db, programme)
    target, there = other
    for kind in ("workstreams", "milestones", "contracts", "risks", "exchange-rates"):
        first = export(db, kind, tmp_path / f"{kind}.csv", programme.programme_id)
        assert import_file(target, kind, first, there.programme_id).problems == []
        second = export(target, kind, tmp_path / f"{kind}-2.csv", there.programme_id)
        assert second.read_bytes() == first.read_bytes(), kind


def test_export_refusals(db: Database, programme: Fixture, tmp_path: Path) -> None:
    pid, folder = programme.programme_id, tmp_path / "out"
    folder.mkdir()
    with pytest.raises(UsageError, match="one register"):
        export(db, "all", folder / "all.csv", pid)
    with pytest.raises(UsageError, match=r"\.xlsx or \.csv"):
        export(db, "risks", folder / "r.pdf", pid)
    with pytest.raises(UsageError, match="not a register"):
        export(db, "budgets", folder / "r.xlsx", pid)
    with pytest.raises(UsageError, match="folder"):
        export(db, "risks", folder / "absent" / "r.xlsx", pid)
    assert not list(folder.iterdir())


def test_a_marking_names_the_highest_record(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    pid = programme.programme_id
    risks.raise_risk(db, pid, replace(risk_draft(), marking=2))
    out = export(db, "risks", tmp_path / "r.csv", pid)
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "CONFIDENTIAL"
