"""A whole office on one PostgreSQL server: opening, upgrading, officers saving at once.

Collected only when SETU_TEST_POSTGRES_URL names a server (tests/conftest.py); `.ci/run`
starts one. What both dialects share (tampering, conflicts, units of work) is tested on
both elsewhere; this is what only a server has, and the byte-for-byte comparison of the
two.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, inspect, make_url, text

from app import migrations
from app.cli import main
from app.config import resolve
from app.database import Database, Mode, open_database
from app.demo import build
from app.errors import DatabaseUnusable
from app.server import WRITE_LOCK, migrate_server
from app.services import audit, programmes, risks, workstreams
from tests.conftest import Fixture, audit_count, risk_draft, workstream_draft
from tests.integration.test_audit_tampering import raw_sql

pytestmark = pytest.mark.postgres_only


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def revision(target: str) -> str:
    engine = create_engine(make_url(target))
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar())
    finally:
        engine.dispose()


def downgrade(target: str, to: str) -> None:
    """Put a server database back to an older revision, as an older Setu left it."""
    engine = create_engine(make_url(target))
    try:
        with engine.connect() as conn:
            migrations.downgrade(conn, to)
            conn.commit()
    finally:
        engine.dispose()


# Opening ---------------------------------------------------------------------------------


def test_init_creates_the_schema_in_an_empty_database(
    capsys: pytest.CaptureFixture[str], postgres_empty: str
) -> None:
    code, _, err = run(capsys, "summary", "--db", postgres_empty)
    assert code == 3 and "not a Setu database" in err
    assert run(capsys, "init", "--db", postgres_empty)[0] == 0
    assert revision(postgres_empty) == migrations.head()
    assert run(capsys, "check", "--db", postgres_empty)[0] == 0
    code, _, err = run(capsys, "init", "--db", postgres_empty)
    assert code == 3 and "already has tables" in err


def test_another_applications_database_is_left_alone(
    capsys: pytest.CaptureFixture[str], postgres_empty: str
) -> None:
    raw_sql(postgres_empty, "CREATE TABLE invoice (id integer PRIMARY KEY)")
    for command in ("summary", "migrate", "init"):
        code, _, err = run(capsys, command, "--db", postgres_empty)
        assert code == 3, command
        assert "not a Setu database" in err or "already has tables" in err


def test_a_database_behind_the_code_is_upgraded_only_by_migrate(
    capsys: pytest.CaptureFixture[str], postgres_db: str
) -> None:
    downgrade(postgres_db, "0002")
    for command in ("summary", "check", "audit"):
        code, _, err = run(capsys, command, "--db", postgres_db)
        assert code == 3, command
        assert "only `setu migrate` upgrades a server database" in err
    assert revision(postgres_db) == "0002"  # looked at, not touched
    code, out, _ = run(capsys, "migrate", "--db", postgres_db)
    assert code == 0
    assert f"from schema 0002 to {migrations.head()}" in out
    assert "no file backup is made" in out and "pg_dump" in out
    assert revision(postgres_db) == migrations.head()
    assert run(capsys, "check", "--db", postgres_db)[0] == 0
    code, out, _ = run(capsys, "migrate", "--db", postgres_db)
    assert code == 0 and "already at the newest" in out


def test_a_database_ahead_of_the_code_is_refused(
    capsys: pytest.CaptureFixture[str], postgres_db: str
) -> None:
    raw_sql(postgres_db, "UPDATE alembic_version SET version_num = '9999'")
    for command in ("summary", "migrate", "check"):
        code, _, err = run(capsys, command, "--db", postgres_db)
        assert code == 3 and "newer Setu" in err, command
    assert revision(postgres_db) == "9999"


def test_two_workstations_migrating_at_once(postgres_db: str) -> None:
    downgrade(postgres_db, "0001")
    target = resolve(postgres_db)
    results: list[tuple[str | None, str]] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def administrator() -> None:
        try:
            start.wait()
            results.append(migrate_server(target))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=administrator) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    head = migrations.head()
    # One upgraded; the other waited for the lock, then found nothing to do.
    assert sorted(results, key=str) == sorted([("0001", head), (head, head)], key=str)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_connection_problems_are_exit_3_and_never_show_the_password(
    capsys: pytest.CaptureFixture[str], postgres_db: str
) -> None:
    url = make_url(postgres_db)
    secret = "s3cret-Pa55"
    unreachable = url.set(password=secret, port=_closed_port()).render_as_string(False)
    code, _, err = run(capsys, "summary", "--db", unreachable)
    assert code == 3 and "cannot reach the database server" in err
    assert secret not in err and "***" in err
    no_database = url.set(database="setu_no_such_database").render_as_string(False)
    code, _, err = run(capsys, "summary", "--db", no_database)
    assert code == 3 and "no such database on the server" in err
    stranger = url.set(username="setu_no_such_role", password=secret).render_as_string(False)
    code, _, err = run(capsys, "summary", "--db", stranger)
    assert code == 3 and "refused the login" in err and secret not in err


def test_backup_and_restore_are_the_servers_job(
    capsys: pytest.CaptureFixture[str], postgres_db: str, tmp_path: Path
) -> None:
    code, _, err = run(capsys, "backup", "--db", postgres_db, "--out", str(tmp_path / "b.db"))
    assert code == 3 and "use the server's backup tools" in err
    code, _, err = run(capsys, "restore", "--db", postgres_db, "--from", str(tmp_path / "b.db"))
    assert code == 3 and "use the server's backup tools" in err


@pytest.fixture
def viewer(postgres_db: str, postgres_admin: Engine) -> Iterator[str]:
    """The database's URL for a role that may read everything and change nothing."""
    role, password = f"setu_viewer_{os.getpid()}", "viewer-pw"
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f"DROP ROLE IF EXISTS {role}")
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    raw_sql(postgres_db, f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    yield make_url(postgres_db).set(username=role, password=password).render_as_string(False)
    raw_sql(postgres_db, f"DROP OWNED BY {role}")
    with postgres_admin.connect() as conn:
        conn.exec_driver_sql(f"DROP ROLE {role}")


def test_a_viewer_role_opens_read_only(
    db: Database, programme: Fixture, viewer: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(resolve(viewer)) as seen:
        assert seen.read_only
        assert [p.code for p in programmes.list_programmes(seen)] == ["JP-TEST"]
        with pytest.raises(DatabaseUnusable, match="open read-only"):
            risks.raise_risk(seen, programme.programme_id, risk_draft())
    assert run(capsys, "summary", "--db", viewer)[0] == 0


# Officers saving at once -----------------------------------------------------------------


def test_officers_saving_at_once_never_chain_to_the_same_entry(
    db: Database, programme: Fixture, db_target: str
) -> None:
    """Two workstations, 50 audited changes each, at the same time: one unbroken chain."""
    before = audit_count(db)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def officer(prefix: str) -> None:
        try:
            with open_database(resolve(db_target)) as own:
                start.wait()
                for n in range(50):
                    reference = f"{prefix}-{n:03}"
                    risks.raise_risk(own, programme.programme_id, risk_draft(reference=reference))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=officer, args=(p,)) for p in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert audit_count(db) == before + 100
    assert audit.verify(db) == []


def test_a_write_waits_for_the_lock_then_exits_3(
    db: Database, programme: Fixture, postgres_admin: Engine, db_target: str
) -> None:
    holder = create_engine(make_url(db_target))
    try:
        with holder.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({WRITE_LOCK})")
            with pytest.raises(DatabaseUnusable, match="locked by another workstation"):
                risks.raise_risk(db, programme.programme_id, risk_draft())
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({WRITE_LOCK})")
    finally:
        holder.dispose()
    risks.raise_risk(db, programme.programme_id, risk_draft())  # and then it goes through
    assert audit.verify(db) == []


# The same data on both dialects ----------------------------------------------------------

TODAY = date(2026, 3, 16)


def _office_data(target: str) -> None:
    """The demo, and records whose order depends on how text is compared.

    A server's collation (en_US and the like) sorts "b" before "B" before "_c" and
    ignores case and punctuation at first; code point order does not. The extra
    workstreams and risks tie on everything but their codes and references.
    """
    with open_database(resolve(target), Mode.CREATE) as db:
        build(db, seed=11, today=TODAY)
        pid = programmes.choose(db, None).id
        for code in ("ws-b", "WS_C", "WS-a", "Ws-B", "_WS", "WS-Ä"):
            workstreams.create_workstream(db, pid, workstream_draft(code=code))
        for reference in ("r-900", "R_901", "R-902", "R-90a", "Ř-903"):
            draft = risk_draft(reference=reference, likelihood=5, impact=5)
            # Sooner than any demo risk, so they lead the top risks, tied but for reference.
            risks.raise_risk(db, pid, replace(draft, proximity=TODAY - timedelta(days=60)))


def test_summary_json_is_the_same_bytes_on_both(
    capsys: pytest.CaptureFixture[str], postgres_empty: str, tmp_path: Path
) -> None:
    on_file = str(tmp_path / "office.db")
    for target in (on_file, postgres_empty):
        _office_data(target)
    for audience in ("joint", "national:IND", "national:RUS"):
        outputs = []
        for target in (on_file, postgres_empty):
            argv = ["summary", "--db", target, "--json", "--as-of", TODAY.isoformat()]
            code, out, err = run(capsys, *argv, "--audience", audience)
            assert (code, err) == (0, "")
            outputs.append(out.encode())
        assert outputs[0] == outputs[1], audience
    assert '"ws-b"' in out and '"R_901"' in out  # the records that test the order are shown


# Migrations ------------------------------------------------------------------------------


def test_migrations_run_down_and_up_and_agree_with_the_models(postgres_empty: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from app.models import Base

    assert main(["init", "--db", postgres_empty]) == 0
    downgrade(postgres_empty, "base")
    engine = create_engine(make_url(postgres_empty))
    try:
        with engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) == {"alembic_version"}
            assert (
                conn.execute(
                    text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'audit%'")
                ).scalar()
                == 0
            )
            migrations.upgrade(conn)
            conn.commit()
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
    assert revision(postgres_empty) == migrations.head()
