"""The migrations build exactly the schema the models describe, and come back down."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from app import migrations
from app.database import create_sqlite
from app.models import Base


def tables(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_to_head_and_back(tmp_path: Path) -> None:
    path = tmp_path / "round.db"
    create_sqlite(path)
    assert set(Base.metadata.tables) <= tables(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        migrations.downgrade(conn, "base")
        conn.commit()
    assert tables(path) == {"alembic_version"}
    with engine.connect() as conn:
        migrations.upgrade(conn)
        conn.commit()
        assert MigrationContext.configure(conn).get_current_revision() == migrations.head()
    engine.dispose()
    assert set(Base.metadata.tables) <= tables(path)


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    path = tmp_path / "agree.db"
    create_sqlite(path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []


def test_every_constraint_is_named() -> None:
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            assert constraint.name, f"unnamed constraint on {table.name}"


def test_revision_headers_read_directly_agree_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrations.alembic_config())
    assert migrations.head() == scripts.get_current_head()
    assert set(migrations.revisions()) == {s.revision for s in scripts.walk_revisions()}
    assert {r: s.down_revision for r, s in ((s.revision, s) for s in scripts.walk_revisions())} == (
        migrations.revisions()
    )
