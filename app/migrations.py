"""Alembic, driven from code: where the scripts are, which revisions exist, upgrading.

Every command asks "which revisions does this code know, and which is the newest?"
before it opens a file. Answering that through Alembic means importing it and loading
every migration script, a tenth of a second on each start; the revision headers are
read here directly instead (a test checks the answer equals Alembic's), and Alembic is
imported only when a file is actually upgraded.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import app

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = (?:None|"([^"]+)")', re.MULTILINE)


def script_location() -> Path:
    """db/migrations beside the app package, in a checkout and in an installed wheel alike.

    Found from app's own location rather than by importing `db`, which a folder called
    "db" in the current directory would shadow.
    """
    return Path(app.__file__).resolve().parent.parent / "db" / "migrations"


@cache
def revisions() -> dict[str, str | None]:
    """Each revision this code ships, with the revision it upgrades from."""
    found: dict[str, str | None] = {}
    for script in sorted((script_location() / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            raise RuntimeError(f"{script.name} has no revision header")
        found[revision.group(1)] = down.group(1)
    return found


def head() -> str:
    """The newest revision: the one no other revision upgrades from."""
    graph = revisions()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations must have one head, not {sorted(heads)}")
    return heads.pop()


def known(revision: str) -> bool:
    """True if this code's migrations include `revision` (False: the file is newer)."""
    return revision in revisions()


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(script_location()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), target)


def downgrade(connection: Connection, target: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), target)
