"""Alembic environment: batch mode for SQLite, foreign keys checked before commit.

Setu runs migrations from code (app.migrations) and hands over an open connection: on
SQLite one whose engine has foreign keys off, because batch mode re-creates tables; on
PostgreSQL a plain one, holding the advisory lock that keeps other workstations out
(app.server.migrate_server). Both run the whole upgrade as one transaction. Run from
the `alembic` command line instead, it builds its own connection from `sqlalchemy.url`.
"""

from typing import Any

from alembic import context
from sqlalchemy import Connection, create_engine, event

from app.errors import DatabaseUnusable
from app.models import Base
from app.models.base import ScaledDecimal

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Scaled decimals are plain BIGINTs in the schema; the scale lives in the models."""
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
        # Setu's SQLite connections emit their own BEGIN, so DDL is transactional too:
        # the whole upgrade, and the foreign-key check that ends it, is one transaction.
        transactional_ddl=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if connection.dialect.name == "sqlite":
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                # Raising here rolls the whole upgrade back: the file stays as it was.
                raise DatabaseUnusable(
                    f"the upgrade would leave {len(broken)} records pointing at missing ones "
                    f"(first: {broken[0][0]} row {broken[0][1]}); nothing was changed"
                )


def _standalone() -> None:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")

    @event.listens_for(engine, "connect")
    def _fk_off(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        if engine.dialect.name == "sqlite":
            dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


connection = config.attributes.get("connection")
if connection is None:
    _standalone()
else:
    _run(connection)
