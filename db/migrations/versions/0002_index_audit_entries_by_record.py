"""index audit entries by record

Verification and a record's history look entries up by (entity, entity_id).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 14:57:28.458270
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_record", ["entity", "entity_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entry_record")
