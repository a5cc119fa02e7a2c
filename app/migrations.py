"""Alembic, driven from code: where the scripts are, which revisions exist, upgrading."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

import app


def script_location() -> Path:
    """db/migrations beside the app package, in a checkout and in an installed wheel alike.

    Found from app's own location rather than by importing `db`, which a folder called
    "db" in the current directory would shadow.
    """
    return Path(app.__file__).resolve().parent.parent / "db" / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    revision = _scripts().get_current_head()
    assert revision is not None, "the migrations have no head"
    return revision


def known(revision: str) -> bool:
    """True if this code's migrations include `revision` (False: the file is newer)."""
    return any(script.revision == revision for script in _scripts().walk_revisions())


def upgrade(connection: Connection, target: str = "head") -> None:
    command.upgrade(alembic_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    command.downgrade(alembic_config(connection), target)
