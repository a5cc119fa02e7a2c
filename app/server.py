"""A PostgreSQL database shared by a whole office: opening it and upgrading it.

It gets the same look as a file (its tables and `alembic_version`, read first), but
only `setu migrate`, an administrator's act, upgrades it. Every write transaction takes
one advisory lock first: the audit log is a hash chain, and two officers saving at once
must not both chain to the same previous entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError

from app import migrations, preflight
from app.config import BUSY_TIMEOUT_S, Target
from app.database import Database, Mode
from app.errors import DatabaseUnusable
from app.models.base import APPLICATION_ID

# The advisory lock every PostgreSQL write transaction takes first ("SETU"), and that
# `setu migrate` holds for a whole upgrade: writes and upgrades happen one at a time.
WRITE_LOCK = APPLICATION_ID
# How long `setu migrate` waits for another workstation's upgrade or write to finish.
MIGRATE_WAIT_S = 60.0


def _server_engine(target: Target, *, lock_wait_s: float = BUSY_TIMEOUT_S) -> Engine:
    """An engine for a server URL; every write transaction starts with `WRITE_LOCK`.

    A lock wait longer than `lock_wait_s` fails (exit 3), as SQLite's busy timeout does.
    """
    url = target.url
    wanted = {
        "application_name": "setu",
        "connect_timeout": "10",
        "options": f"-c lock_timeout={int(lock_wait_s * 1000)}",
    }
    connect_args = {k: v for k, v in wanted.items() if k not in url.query}
    try:
        engine = create_engine(url, connect_args=connect_args, pool_pre_ping=True)
    except ImportError as exc:
        raise DatabaseUnusable(
            "PostgreSQL support is not installed (pip install 'setu[postgres]')", target.label
        ) from exc

    @event.listens_for(engine, "begin")
    def _serialise_writes(conn: Connection) -> None:
        if conn.get_execution_options().get("setu_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    return engine


@contextmanager
def _server(target: Target, *, lock_wait_s: float = BUSY_TIMEOUT_S) -> Iterator[Engine]:
    """A server engine that is disposed of on any error, with driver errors translated."""
    engine = _server_engine(target, lock_wait_s=lock_wait_s)
    try:
        yield engine
    except DBAPIError as exc:
        engine.dispose()
        raise preflight.server_unusable(exc, target.label) from exc
    except BaseException:
        engine.dispose()
        raise


def _look_server(engine: Engine, target: Target) -> preflight.FileLook:
    with engine.connect() as conn:
        found = preflight.look_server(conn, target.label)
        conn.rollback()
    return found


def _refuse_unsuitable(found: preflight.FileLook, target: Target, *, create: bool) -> None:
    """`init` needs an empty database; everything else needs Setu's tables."""
    if create and not found.empty:
        raise DatabaseUnusable(
            "the database already has tables; `init` and `demo` need an empty one", target.label
        )
    if found.empty and not create:
        raise DatabaseUnusable(
            "not a Setu database (it has no tables; `setu init` creates Setu's)", target.label
        )


def open_server(target: Target, mode: Mode, *, read_only: bool) -> Database:
    with _server(target) as engine:
        found = _look_server(engine, target)
        _refuse_unsuitable(found, target, create=mode is Mode.CREATE)
        if mode is Mode.CREATE:
            migrate_server(target, create=True)
            found = _look_server(engine, target)
        if found.revision != migrations.head():
            raise DatabaseUnusable(
                f"the database is at schema {found.revision}, behind this Setu "
                f"({migrations.head()}); only `setu migrate` upgrades a server database "
                "(an administrator's act)",
                target.label,
            )
        read_only = read_only or mode is Mode.READ or not found.writable
        return Database(engine, target, read_only=read_only)


def migrate_server(target: Target, *, create: bool = False) -> tuple[str | None, str]:
    """Upgrade a server database to the newest revision; returns (from, to) revisions.

    The upgrade holds `WRITE_LOCK` at session level from its look to its end, so a second
    workstation's `migrate` waits and then finds nothing to do, and no write lands
    half-way. PostgreSQL runs the DDL in one transaction: a failed upgrade changes nothing.
    No copy is made; a server is backed up with its own tools (pg_dump).
    """
    with _server(target, lock_wait_s=MIGRATE_WAIT_S) as engine:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({WRITE_LOCK})")
                conn.commit()  # a session-level lock outlives the transaction that took it
                try:
                    found = preflight.look_server(conn, target.label)
                    conn.rollback()
                    _refuse_unsuitable(found, target, create=create)
                    if found.revision != migrations.head():
                        migrations.upgrade(conn)
                finally:
                    _unlock(conn)
        finally:
            engine.dispose()
    return found.revision, migrations.head()


def _unlock(conn: Connection) -> None:
    try:
        conn.rollback()
        conn.exec_driver_sql(f"SELECT pg_advisory_unlock({WRITE_LOCK})")
        conn.commit()
    except DBAPIError:
        pass  # the connection is gone, and the lock with it
