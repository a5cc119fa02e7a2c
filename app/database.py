"""Opening a database safely, and the units of work every service runs in.

The order matters: look at a file read-only first (app.preflight), back it up and
upgrade it only if it is a Setu database behind this code, and only then open it with
the pragmas that make SQLite safe for a desktop (WAL, synchronous=FULL, foreign keys,
a busy timeout). Python's sqlite3 driver delays BEGIN until the first write, which
breaks read consistency and SAVEPOINTs; as SQLAlchemy's SQLite dialect documents, we
turn that off and emit BEGIN ourselves, `BEGIN IMMEDIATE` for writes so a second
writer waits for the lock at the start instead of failing half-way.

An encrypted file is opened the same way through SQLCipher's driver (app.encryption),
which unlocks each connection with the key before these pragmas run.

A PostgreSQL database is opened by app.server, with the same units of work.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import QueuePool

from app import audit_chain, encryption, migrations, preflight, storage
from app.config import BUSY_TIMEOUT_S, Target
from app.encryption import Key
from app.errors import ConflictError, DatabaseUnusable, SetuError

# What the drivers raise: wrapped by SQLAlchemy, or unwrapped from a pool's connect hooks.
_DRIVER_ERRORS: tuple[type[Exception], ...] = (DBAPIError, *encryption.driver_errors())

# The unit of work open in this thread (or worker), so nested service calls share it.
_current: ContextVar[tuple[Database, Session, bool] | None] = ContextVar(
    "setu_unit_of_work", default=None
)


class Mode(Enum):
    READ = "read"  # the command only reads; a read-only file is fine
    WRITE = "write"  # the command writes; upgrades a file behind the code
    CREATE = "create"  # init/demo: a new or empty file, created at the newest revision


def login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (e.g. a service account without one)
        return "unknown"


class Database:
    """An open Setu database: an engine, its sessions, and who is using it."""

    def __init__(
        self, engine: Engine, target: Target, *, read_only: bool, warnings: tuple[str, ...] = ()
    ) -> None:
        self.engine = engine
        self.target = target
        self.read_only = read_only
        self.user = login()
        # Things the user should know but that do not stop the work (CLI: stderr).
        self.warnings = warnings
        self._writer = sessionmaker(
            bind=engine.execution_options(setu_write=True), expire_on_commit=False
        )
        reader = engine
        if engine.dialect.name == "postgresql":
            # One snapshot for the whole read, as SQLite's BEGIN gives; and no writes.
            reader = engine.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)
        audit_chain.watch(self._writer)

    @property
    def label(self) -> str:
        return self.target.label

    @contextmanager
    def begin(self) -> Iterator[Session]:
        """One write transaction; a nested call joins the unit of work already open."""
        if self.read_only and not self._joined(write=True):
            raise DatabaseUnusable(
                "the database is open read-only; changes cannot be saved", self.label
            )
        with self._unit(self._writer, write=True) as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent read transaction (joins an open unit of work).

        It always ends in a rollback: a read has nothing to commit, and a stray write in
        one (whose session is not audited) must never be saved.
        """
        with self._unit(self._reader, write=False) as session:
            yield session

    def _joined(self, *, write: bool) -> bool:
        current = _current.get()
        if current is None or current[0] is not self:
            return False
        if write and not current[2]:
            raise RuntimeError("a write was started inside a read-only unit of work")
        return True

    @contextmanager
    def _unit(self, factory: sessionmaker[Session], *, write: bool) -> Iterator[Session]:
        current = _current.get()
        if self._joined(write=write):
            assert current is not None
            yield current[1]
            return
        with _translated(self), factory() as session:
            session.info["user"] = self.user
            token = _current.set((self, session, write))
            try:
                if write:
                    with session.begin():
                        yield session
                else:
                    session.begin()
                    try:
                        yield session
                    finally:
                        session.rollback()
            finally:
                _current.reset(token)

    def close(self) -> None:
        """Checkpoint the WAL and close, so the .db file alone is a complete copy."""
        if self.engine.dialect.name == "sqlite":
            try:
                raw = self.engine.raw_connection()  # outside any transaction, as checkpoints need
            except _DRIVER_ERRORS:
                raw = None  # a damaged file: there is nothing to checkpoint into
            if raw is not None:
                try:
                    raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()  # type: ignore[union-attr]
                except encryption.driver_errors():
                    pass  # another process is using the database; it checkpoints on close
                finally:
                    raw.close()
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _translated(db: Database) -> Iterator[None]:
    """Driver errors become messages a programme officer can act on."""
    try:
        yield
    except StaleDataError as exc:
        raise ConflictError.unseen() from exc
    except IntegrityError as exc:
        raise SetuError(f"the change breaks a database rule: {exc.orig}", db.label) from exc
    except _DRIVER_ERRORS as exc:
        if db.target.path is None:
            raise preflight.server_unusable(exc, db.label) from exc
        raise preflight.unusable(exc, db.label) from exc


def _sqlite_engine(
    path: Path,
    *,
    read_only: bool,
    writable_file: bool = True,
    foreign_keys: bool = True,
    key: Key | None = None,
) -> Engine:
    """An engine whose connections carry Setu's pragmas and transaction handling.

    A read-only Database on a writable file still opens it read-write, with
    `query_only` on: then the last connection to close checkpoints and removes the
    -wal/-shm files, which a connection opened with `mode=ro` would leave behind.
    With a key, the connections are SQLCipher's; SQLAlchemy is told that driver
    (`module`) so that it wraps its errors as it wraps sqlite3's.
    """
    uri = preflight.file_uri(path) if writable_file else preflight.readonly_uri(path)

    def connect() -> sqlite3.Connection:
        return encryption.connect(
            uri, key, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )

    engine = create_engine(
        "sqlite+pysqlite://", creator=connect, poolclass=QueuePool, module=encryption.dbapi(key)
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (see module doc)
        on = "ON" if foreign_keys else "OFF"
        dbapi_connection.execute(f"PRAGMA foreign_keys={on}")
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        if writable_file:
            dbapi_connection.execute("PRAGMA journal_mode=WAL").fetchall()
            dbapi_connection.execute("PRAGMA synchronous=FULL")
        if read_only:
            dbapi_connection.execute("PRAGMA query_only=ON")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("setu_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def backup_path(path: Path, tag: str = "backup") -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(f"{path.stem}.{tag}-{stamp}{path.suffix or '.db'}")


def sqlite_uri(path: Path) -> str:
    """Read-write where allowed: its last close then tidies away the -wal/-shm files."""
    return preflight.file_uri(path) if preflight.writable(path) else preflight.readonly_uri(path)


def copy_sqlite(
    source: Path, dest: Path, key: Key | None = None, *, keep_wal: bool = False
) -> None:
    """A consistent copy through SQLite's online backup API (safe while others write).

    The destination is written page by page under SQLite's own locks, so this also
    restores into a live database. A new copy is switched out of WAL mode (unless
    `keep_wal`) so that it is one self-contained file that reading it later does not
    add -wal/-shm companions to. With `key`, both ends are encrypted with it: a copy of
    an encrypted database is never written in the clear.
    """
    src = encryption.connect(sqlite_uri(source), key, timeout=BUSY_TIMEOUT_S)
    try:
        dst = encryption.connect(preflight.file_uri(dest), key, timeout=BUSY_TIMEOUT_S)
        try:
            src.backup(dst)
            dst.execute(f"PRAGMA journal_mode={'WAL' if keep_wal else 'DELETE'}").fetchall()
        finally:
            dst.close()
    finally:
        src.close()


def _migrate_sqlite(path: Path, key: Key | None) -> None:
    engine = _sqlite_engine(path, read_only=False, foreign_keys=False, key=key)
    try:
        with engine.execution_options(setu_write=True).connect() as conn:
            migrations.upgrade(conn)
    except DBAPIError as exc:
        raise preflight.unusable(exc, str(path)) from exc
    finally:
        engine.dispose()


def create_sqlite(path: Path, key: Key | None = None) -> None:
    """Make `path` (absent or empty) a new Setu database at the newest revision.

    With `key` the new file is encrypted with it from its first page.
    """
    if path.exists() and (path.is_dir() or path.stat().st_size > 0):
        raise DatabaseUnusable(
            "a file is already here and is not empty; choose a new file name", str(path)
        )
    if not path.parent.is_dir():
        raise DatabaseUnusable("the folder for the database does not exist", str(path))
    _migrate_sqlite(path, key)


def migrate_sqlite(path: Path, *, keep_backup: bool = True, key: Key | None = None) -> Path | None:
    """Back up and upgrade a Setu file that is behind the code; returns the backup's path.

    An encrypted file is opened with `key` if given, else asked for; its backup is
    encrypted with the same key.
    """
    found = preflight.look(path, key)
    _refuse_unknown(found, path)
    if found.empty or found.revision == migrations.head():
        return None
    if not found.writable:
        raise DatabaseUnusable("the database needs upgrading but the file is read-only", str(path))
    if not keep_backup:
        _migrate_sqlite(path, found.key)
        return None
    saved = backup_path(path, "before-upgrade")
    copy_sqlite(path, saved, found.key)
    _migrate_sqlite(path, found.key)
    return saved


def _refuse_unknown(found: preflight.FileLook, path: Path) -> None:
    if found.revision is not None and not migrations.known(found.revision):
        raise DatabaseUnusable(
            f"the database was written by a newer Setu (schema {found.revision}); "
            "install the newer version to open it",
            str(path),
        )


def open_database(target: Target, mode: Mode = Mode.WRITE, *, read_only: bool = False) -> Database:
    """Open `target` for `mode`, refusing anything that is not a usable Setu database.

    A file behind the code is backed up and upgraded first (unless it may not be
    written); `Mode.READ` then opens it with a read-only engine, so a command that only
    reads can never change a byte. A server database behind the code is refused: only
    `setu migrate` upgrades it. `target.key` encrypts the file `Mode.CREATE` makes, and
    opens an encrypted file without asking for its key; the Database's target carries
    the key that opened it.
    """
    if target.path is None:
        from app import server  # imported only for a server URL (it imports this module)

        return server.open_server(target, mode, read_only=read_only)
    path = target.path
    if target.is_default and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)  # the per-user folder, on first use
        create_sqlite(path)
    elif mode is Mode.CREATE:
        create_sqlite(path, target.key)
    found = preflight.look(path, target.key)
    if found.empty:
        raise DatabaseUnusable("the file is empty: not a Setu database", str(path))
    _refuse_unknown(found, path)
    if found.revision != migrations.head():
        if read_only or not found.writable:
            raise DatabaseUnusable(
                "the database is from an older Setu and needs upgrading, but it may not be written",
                str(path),
            )
        migrate_sqlite(path, key=found.key)
    read_only = read_only or mode is Mode.READ or not found.writable
    engine = _sqlite_engine(path, read_only=read_only, writable_file=found.writable, key=found.key)
    shared = storage.warning(path)
    return Database(
        engine,
        replace(target, key=found.key),
        read_only=read_only,
        warnings=(shared,) if shared else (),
    )
