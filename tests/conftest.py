"""Shared fixtures: a migrated template database copied per test (Anki's pylib tests)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A short busy timeout keeps the lock tests quick; the default is for people.
os.environ.setdefault("SETU_BUSY_TIMEOUT", "1")

from app.config import resolve
from app.database import Database, Mode, open_database
from app.domain import OrganisationKind
from app.services import programmes
from app.services.programmes import OrganisationDraft, PartnerDraft, ProgrammeDraft


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
