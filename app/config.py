"""Where the database is: `--db` flag, else SETU_DATABASE_URL, else the user's data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from app.encryption import Key
from app.errors import UsageError

ENV_DATABASE = "SETU_DATABASE_URL"
DEFAULT_FILE = "setu.db"
BUSY_TIMEOUT_S = float(os.environ.get("SETU_BUSY_TIMEOUT", "5"))


@dataclass(frozen=True)
class Target:
    """A resolved database: a SQLite file path, or a server URL.

    An encrypted file's key travels with it, as a server's password travels in its URL:
    once a file is open, a backup of it (perhaps in a background job, where nobody can
    be asked) needs the key again.
    """

    url: URL
    path: Path | None  # set for SQLite files
    is_default: bool  # the per-user default file, created on first use
    key: Key | None = field(default=None, repr=False, compare=False)  # an encrypted file's

    @property
    def label(self) -> str:
        if self.path is not None:
            return str(self.path)
        return self.url.render_as_string(hide_password=True)


def default_path() -> Path:
    return user_data_path("Setu", appauthor=False) / DEFAULT_FILE


def resolve(target: str | None) -> Target:
    """Turn a `--db` value (path or SQLAlchemy URL) into a `Target`."""
    is_default = False
    if not target:
        target = os.environ.get(ENV_DATABASE) or ""
    if not target:
        target, is_default = str(default_path()), True
    if "://" not in target:
        path = Path(target).expanduser().absolute()
        return Target(URL.create("sqlite", database=str(path)), path, is_default)
    try:
        url = make_url(target)
    except ArgumentError as exc:
        raise UsageError(f"not a database path or URL: {target}", "--db") from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise UsageError("an in-memory database cannot hold a programme", "--db")
        path = Path(url.database).expanduser().absolute()
        return Target(URL.create("sqlite", database=str(path)), path, is_default)
    if backend != "postgresql":
        raise UsageError(
            f"Setu runs on SQLite files or PostgreSQL servers, not {backend}",
            url.render_as_string(hide_password=True),
        )
    if not url.database:
        raise UsageError(
            "the URL names no database (postgresql+psycopg://user@host/DBNAME)",
            url.render_as_string(hide_password=True),
        )
    # Psycopg 3 is the one PostgreSQL driver Setu ships with (the `postgres` extra);
    # a plain postgresql:// would make SQLAlchemy look for psycopg2.
    return Target(url.set(drivername=f"{backend}+psycopg"), None, is_default)
