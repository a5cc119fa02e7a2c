"""Shared fixtures: a migrated template database copied per test (Anki's pylib tests).

Database tests run on SQLite always, and on PostgreSQL too when SETU_TEST_POSTGRES_URL
names a server database the tests may create databases from (for example
postgresql+psycopg://postgres@127.0.0.1:54329/postgres; `.ci/run` starts one). A test
asks for `db` (an open Database) or `db_target` (its `--db` value); the `dialect` it
runs on is generated from the environment, so nothing is skipped when there is no
server. Tests about SQLite files ask for `db_path` or are marked `sqlite_only`, and run
on SQLite alone; so do the tests outside `BOTH_DIALECTS` (GUI, reporting, interchange),
which are about other things and would only slow the suite down.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, func, make_url, select

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

POSTGRES_URL = os.environ.get("SETU_TEST_POSTGRES_URL", "")
# Test folders whose database tests run on both dialects (paths from the repository root).
BOTH_DIALECTS = ("tests/unit/services/", "tests/integration/")
_ROOT = Path(__file__).resolve().parent.parent
# The server's own tests are not even collected without a server: nothing is "skipped".
collect_ignore = [] if POSTGRES_URL else ["integration/test_postgres.py"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: a database test about SQLite files; never run on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgres_only: a database test about the server; only run on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if not POSTGRES_URL or "dialect" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("postgres_only") is not None:
        metafunc.parametrize("dialect", ["postgresql"])
        return
    where = Path(metafunc.definition.path).resolve().relative_to(_ROOT).as_posix()
    on_both = (
        where.startswith(BOTH_DIALECTS)
        and "db_path" not in metafunc.fixturenames
        and metafunc.definition.get_closest_marker("sqlite_only") is None
    )
    metafunc.parametrize("dialect", ["sqlite", "postgresql"] if on_both else ["sqlite"])


@pytest.fixture(scope="session", autouse=True)
def _user_data_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> None:
    """What Setu keeps in the user's data folder (the default database, the daily
    backups) goes to a folder of the test run's own, never the real one."""
    os.environ["XDG_DATA_HOME"] = str(tmp_path_factory.mktemp("user-data"))


@pytest.fixture
def dialect() -> str:
    """The dialect a database test runs on (parametrized when there is a server)."""
    return "sqlite"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database at the newest revision, migrated once per test run."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    open_database(resolve(str(path)), Mode.CREATE).close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """A fresh SQLite file (asking for it keeps a test on SQLite)."""
    path = tmp_path / "setu.db"
    shutil.copyfile(template_db, path)
    return path


def postgres_url(database: str) -> str:
    """SETU_TEST_POSTGRES_URL pointed at another database on the same server."""
    url = make_url(POSTGRES_URL).set(database=database)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[Engine]:
    """An autocommit connection to the server, for CREATE and DROP DATABASE."""
    engine = create_engine(
        make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
    )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_template(postgres_admin: Engine) -> Iterator[str]:
    """An empty Setu database on the server, migrated once per run; tests copy it."""
    name = f"setu_template_{os.getpid()}"
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    open_database(resolve(postgres_url(name)), Mode.CREATE).close()
    yield name
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_numbers = itertools.count(1)


@pytest.fixture
def postgres_empty(postgres_admin: Engine) -> Iterator[str]:
    """The URL of a new database on the server with no tables at all; dropped afterwards."""
    name = f"setu_test_{os.getpid()}_{next(_numbers)}"
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield postgres_url(name)
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_db(postgres_admin: Engine, postgres_template: str) -> Iterator[str]:
    """The URL of a fresh Setu database on the server, copied from the template."""
    name = f"setu_test_{os.getpid()}_{next(_numbers)}"
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{postgres_template}"')
    yield postgres_url(name)
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def db_target(dialect: str, request: pytest.FixtureRequest) -> str:
    """The `--db` value of the test's fresh database: a file path or a server URL."""
    if dialect == "postgresql":
        return str(request.getfixturevalue("postgres_db"))
    return str(request.getfixturevalue("db_path"))


@pytest.fixture
def db(db_target: str) -> Iterator[Database]:
    database = open_database(resolve(db_target))
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
