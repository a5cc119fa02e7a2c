"""Shared fixtures: a migrated template database copied per test (Anki's pylib tests)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A short busy timeout keeps the lock tests quick; the default is for people.
os.environ.setdefault("SETU_BUSY_TIMEOUT", "1")

from app.config import resolve
from app.database import Database, Mode, open_database
from app.domain import OrganisationKind
from app.models import AuditEntry
from app.services import programmes
from app.services.programmes import OrganisationDraft, PartnerDraft, ProgrammeDraft
from app.services.risks import RiskDraft
from app.services.workstreams import WorkstreamDraft


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest revision, migrated once per test run."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(resolve(str(path)), Mode.CREATE).close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "setu.db"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(resolve(str(db_path)))
    yield database
    database.close()


def audit_count(db: Database) -> int:
    """How many audit entries there are: every committed change adds at least one."""
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def workstream_draft(**changes: object) -> WorkstreamDraft:
    """A valid workstream starting 2025-01-01, with `changes` applied."""
    draft = WorkstreamDraft(
        code="WS-07",
        title="Export support",
        kind="export support",
        phase="development",
        trl_now=5,
        trl_target=8,
        mrl_now=4,
        mrl_target=8,
        baseline_start=date(2025, 1, 1),
        baseline_finish=date(2027, 12, 31),
        budget_minor=0,
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def risk_draft(**changes: object) -> RiskDraft:
    """A valid open risk raised 2025-03-01, with `changes` applied."""
    draft = RiskDraft(
        reference="R-001",
        title="Radome supplier capacity",
        category="supply chain",
        raised_on=date(2025, 3, 1),
        likelihood=4,
        impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


class Fixture:
    """Ids of the small programme most service tests start from."""

    def __init__(self, programme_id: int, india_org: int, russia_org: int) -> None:
        self.programme_id = programme_id
        self.india_org = india_org
        self.russia_org = russia_org


@pytest.fixture
def programme(db: Database) -> Fixture:
    """Programme JP-TEST (base INR) with partners IND, RUS and one organisation each."""
    row = programmes.create_programme(
        db,
        ProgrammeDraft(
            code="JP-TEST",
            name="Test programme",
            base_currency="INR",
            start_date=date(2024, 1, 1),
            end_date=date(2030, 12, 31),
        ),
        [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
    )
    india = programmes.add_organisation(
        db,
        row.id,
        OrganisationDraft("TRL-Lab", "तरंग रडार प्रयोगशाला", "IND", OrganisationKind.GOVERNMENT_LAB),
    )
    russia = programmes.add_organisation(
        db,
        row.id,
        OrganisationDraft(
            "Severny Luch", "НПО «Северный луч»", "RUS", OrganisationKind.STATE_ENTERPRISE
        ),
    )
    return Fixture(row.id, india.id, russia.id)
