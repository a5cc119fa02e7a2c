"""index the orders the registers open in and the audit log's sort columns

A register page reads one screenful in its order: with an index on that order the
database reads a page of the index and stops, instead of sorting every record of the
programme first. Milestones open by baseline date, actions by due date (the overdue
ones, those due before the status date, are a range of the same index), decisions by
the date they are needed. The audit log, the largest table, is sorted by any of its
columns. The risk heat map counts open risks per likelihood and impact from an index
holding all it needs, without reading the risks.

Plain `CREATE INDEX` on both dialects: no table is rebuilt, so the audit log keeps the
triggers of 0003.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, columns)
INDEXES = (
    ("ix_milestone_baseline_date", "milestone", ["baseline_date"]),
    ("ix_action_programme_due_on", "action", ["programme_id", "due_on"]),
    ("ix_decision_programme_needed_by", "decision", ["programme_id", "needed_by"]),
    ("ix_audit_entry_at", "audit_entry", ["at"]),
    ("ix_audit_entry_user", "audit_entry", ["user"]),
    ("ix_audit_entry_entity_id", "audit_entry", ["entity_id"]),
    ("ix_audit_entry_action", "audit_entry", ["action"]),
    (
        "ix_risk_heat_map",
        "risk",
        [
            "programme_id",
            "status",
            "likelihood",
            "impact",
            "residual_likelihood",
            "residual_impact",
        ],
    ),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
