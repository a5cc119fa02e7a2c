"""New records are imported in batches, and nothing is looked up row by row.

Each row's checks (its reference unused, its programme, partners and marking scale)
are answered from what the unit of work has read once, and new records and their
audit entries are written a batch at a time. So importing ten times the rows reads
the database exactly as often, and writes at most one statement more per extra row
(SQLite inserts rows with generated ids one at a time, even in a batch).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from app.database import Database
from app.interchange import ImportRejected, import_file
from app.models import Risk
from app.services import risks
from app.services.risks import RiskDraft
from tests.conftest import Fixture, audit_count, risk_draft
from tests.integration.test_query_plans import statements

HEADER = ["Ref", "Title", "Likelihood", "Impact", "Owner", "Releasable to"]


def register(path: Path, rows: int, first: int = 1) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Risks")
    sheet.append(HEADER)
    for n in range(first, first + rows):
        sheet.append([f"R-{n:05}", f"Risk {n}", 1 + n % 5, "Major", "Owner", "IND RUS"])
    book.save(path)
    return path


def imported(db: Database, programme: Fixture, path: Path) -> list[str]:
    with statements(db) as found:
        report = import_file(db, "risks", path, programme.programme_id)
    assert report.problems == []
    return [statement for statement, _ in found]


def reads(found: list[str]) -> int:
    return sum(statement.lstrip().upper().startswith("SELECT") for statement in found)


def test_ten_times_the_rows_read_no_more_and_write_one_statement_a_row_at_most(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    # A register already holding risks: every new reference is checked against them.
    risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-00000"))
    small = imported(db, programme, register(tmp_path / "small.xlsx", 100, first=1))
    large = imported(db, programme, register(tmp_path / "large.xlsx", 1000, first=101))
    assert reads(large) == reads(small)
    assert len(large) - len(small) <= 900 + 2  # a batch of writes more, at most


def test_an_update_after_queued_rows_writes_them_first_and_audits_each(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    """Rows that create wait for their batch; a row that updates a stored risk runs in a
    savepoint, so the queued rows are written before it, and every record is audited."""
    stored = risks.raise_risk(db, programme.programme_id, risk_draft(reference="R-99999"))
    before = audit_count(db)
    book = Workbook()
    sheet = book.active
    sheet.title = "Risks"
    sheet.append(["Ref", "Title", "Likelihood", "Impact", "Owner"])
    sheet.append(["R-00001", "New", 2, 2, "Owner"])
    sheet.append(["R-99999", "Renamed", 3, 3, "Owner"])
    sheet.append(["R-00002", "Also new", 2, 2, "Owner"])
    book.save(tmp_path / "mixed.xlsx")
    report = import_file(db, "risks", tmp_path / "mixed.xlsx", programme.programme_id)
    assert (report.created, report.updated) == (2, 1)
    titles = {r.reference: r.title for r in risks.list_risks(db, programme.programme_id)}
    assert titles == {"R-00001": "New", "R-99999": "Renamed", "R-00002": "Also new"}
    assert risks.get_risk(db, stored.id).version == stored.version + 1
    assert audit_count(db) == before + 3


def test_a_write_the_database_refuses_names_the_rows_of_its_batch(
    db: Database, programme: Fixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checks should leave the database nothing to refuse; if it does (a bug), the import
    stops, names the rows whose batch failed, and imports nothing."""
    checked = risks.new_risk

    def unchecked(session: Session, programme_id: int, draft: RiskDraft) -> Risk:
        risk = checked(session, programme_id, draft)
        if draft.reference == "R-00002":
            risk.likelihood = 9  # past the checks, into the database's own rule
        return risk

    monkeypatch.setattr(risks, "new_risk", unchecked)
    before = audit_count(db)
    with pytest.raises(ImportRejected) as err:
        import_file(db, "risks", register(tmp_path / "r.xlsx", 3), programme.programme_id)
    [problem] = err.value.report.problems
    assert problem.row == 4
    assert problem.reason.startswith("the database refused one of rows 2-4 (")
    assert problem.reason.endswith("; later rows were not checked")
    assert audit_count(db) == before
    assert risks.list_risks(db, programme.programme_id) == []
