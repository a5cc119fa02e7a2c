"""initial schema: every register, the audit log and briefing snapshots

The SQLite header's application_id marks the file as Setu's, so the read-only look
before opening can tell a Setu database from another application's.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 14:52:12.332207
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.base import APPLICATION_ID

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    op.create_table(
        "audit_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("user", sa.String(length=120), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("old_values", sa.Text(), nullable=True),
        sa.Column("new_values", sa.Text(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    op.create_table(
        "exchange_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("from_currency", sa.String(length=3), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_exchange_rate_marking")),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_rate")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rate")),
        sa.UniqueConstraint(
            "from_currency",
            "to_currency",
            "rate_date",
            name=op.f("uq_exchange_rate_from_currency_to_currency_rate_date"),
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("base_currency", sa.String(length=3), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_programme_marking")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting")),
        sa.UniqueConstraint("key", name=op.f("uq_setting_key")),
    )
    op.create_table(
        "briefing_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("status_date", sa.String(length=10), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_briefing_snapshot_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_snapshot")),
    )
    with op.batch_alter_table("briefing_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_briefing_snapshot_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "cost_share_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("fx_rule", sa.String(length=10), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_cost_share_agreement_marking")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_cost_share_agreement_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_share_agreement")),
        sa.UniqueConstraint(
            "programme_id", "code", name=op.f("uq_cost_share_agreement_programme_id_code")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("cost_share_agreement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cost_share_agreement_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("forum", sa.String(length=200), nullable=False),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_decision_marking")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_decision_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("short_name", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_organisation_marking")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_organisation_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint(
            "programme_id", "short_name", name=op.f("uq_organisation_programme_id_short_name")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_organisation_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "partner_nation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_partner_nation_marking")),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_partner_nation_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_nation")),
        sa.UniqueConstraint(
            "programme_id", "nation", name=op.f("uq_partner_nation_programme_id_nation")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("partner_nation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_nation_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "agreement_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("from_currency", sa.String(length=3), nullable=False),
        sa.Column("to_currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_agreement_rate_marking")),
        sa.CheckConstraint("rate > 0", name=op.f("ck_agreement_rate_rate")),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["cost_share_agreement.id"],
            name=op.f("fk_agreement_rate_agreement_id_cost_share_agreement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_rate")),
        sa.UniqueConstraint(
            "agreement_id",
            "from_currency",
            "to_currency",
            name=op.f("uq_agreement_rate_agreement_id_from_currency_to_currency"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("agreement_rate", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_rate_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "cost_share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("nation", sa.String(length=3), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("share_pct", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "(nation IS NULL) <> (organisation_id IS NULL)", name=op.f("ck_cost_share_one_partner")
        ),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_cost_share_marking")),
        sa.CheckConstraint(
            "share_pct > 0 AND share_pct <= 1000000", name=op.f("ck_cost_share_share")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["cost_share_agreement.id"],
            name=op.f("fk_cost_share_agreement_id_cost_share_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_cost_share_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cost_share")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("cost_share", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cost_share_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "workstream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("lead_organisation_id", sa.Integer(), nullable=True),
        sa.Column("phase", sa.String(length=40), nullable=False),
        sa.Column("trl_now", sa.Integer(), nullable=False),
        sa.Column("trl_target", sa.Integer(), nullable=False),
        sa.Column("mrl_now", sa.Integer(), nullable=False),
        sa.Column("mrl_target", sa.Integer(), nullable=False),
        sa.Column("baseline_start", sa.Date(), nullable=False),
        sa.Column("baseline_finish", sa.Date(), nullable=False),
        sa.Column("forecast_finish", sa.Date(), nullable=True),
        sa.Column("actual_finish", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("budget_minor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("budget_minor >= 0", name=op.f("ck_workstream_budget")),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_workstream_marking")),
        sa.CheckConstraint(
            "mrl_now BETWEEN 1 AND 10 AND mrl_target BETWEEN 1 AND 10",
            name=op.f("ck_workstream_mrl"),
        ),
        sa.CheckConstraint(
            "trl_now BETWEEN 1 AND 9 AND trl_target BETWEEN 1 AND 9", name=op.f("ck_workstream_trl")
        ),
        sa.ForeignKeyConstraint(
            ["lead_organisation_id"],
            ["organisation.id"],
            name=op.f("fk_workstream_lead_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_workstream_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstream")),
        sa.UniqueConstraint("programme_id", "code", name=op.f("uq_workstream_programme_id_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workstream", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workstream_lead_organisation_id"), ["lead_organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workstream_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "agreement_workstream",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_agreement_workstream_marking")),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["cost_share_agreement.id"],
            name=op.f("fk_agreement_workstream_agreement_id_cost_share_agreement"),
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["workstream.id"],
            name=op.f("fk_agreement_workstream_workstream_id_workstream"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agreement_workstream")),
        sa.UniqueConstraint(
            "agreement_id",
            "workstream_id",
            name=op.f("uq_agreement_workstream_agreement_id_workstream_id"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("agreement_workstream", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agreement_workstream_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_agreement_workstream_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("supplier_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=True),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("ic_target_pct", sa.BigInteger(), nullable=False),
        sa.Column("ic_achieved_pct", sa.BigInteger(), nullable=False),
        sa.Column("procurement_category", sa.String(length=80), nullable=True),
        sa.Column("offset_obligation_minor", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "ic_target_pct BETWEEN 0 AND 1000000 AND ic_achieved_pct BETWEEN 0 AND 1000000",
            name=op.f("ck_contract_indigenous_content"),
        ),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_contract_marking")),
        sa.CheckConstraint(
            "offset_obligation_minor >= 0", name=op.f("ck_contract_offset_obligation")
        ),
        sa.CheckConstraint("value_minor >= 0", name=op.f("ck_contract_value")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["organisation.id"], name=op.f("fk_contract_customer_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_contract_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["organisation.id"], name=op.f("fk_contract_supplier_id_organisation")
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"], ["workstream.id"], name=op.f("fk_contract_workstream_id_workstream")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("programme_id", "number", name=op.f("uq_contract_programme_id_number")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_customer_id"), ["customer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contract_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contract_supplier_id"), ["supplier_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contract_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "contribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cost_share_id", sa.Integer(), nullable=False),
        sa.Column("contributed_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_contribution_amount")),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_contribution_marking")),
        sa.ForeignKeyConstraint(
            ["cost_share_id"],
            ["cost_share.id"],
            name=op.f("fk_contribution_cost_share_id_cost_share"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contribution")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contribution_contributed_on"), ["contributed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contribution_cost_share_id"), ["cost_share_id"], unique=False
        )

    op.create_table(
        "expenditure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("amount_minor >= 0", name=op.f("ck_expenditure_amount")),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_expenditure_marking")),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["workstream.id"],
            name=op.f("fk_expenditure_workstream_id_workstream"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenditure")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expenditure_spent_on"), ["spent_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_expenditure_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "milestone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("acceptance_criteria", sa.Text(), nullable=False),
        sa.Column("baseline_date", sa.Date(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("value_weight", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_milestone_marking")),
        sa.CheckConstraint("value_weight >= 0", name=op.f("ck_milestone_value_weight")),
        sa.ForeignKeyConstraint(
            ["workstream_id"], ["workstream.id"], name=op.f("fk_milestone_workstream_id_workstream")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "workstream_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_workstream_participant_marking")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_workstream_participant_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"],
            ["workstream.id"],
            name=op.f("fk_workstream_participant_workstream_id_workstream"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstream_participant")),
        sa.UniqueConstraint(
            "workstream_id",
            "organisation_id",
            name=op.f("uq_workstream_participant_workstream_id_organisation_id"),
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("workstream_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workstream_participant_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_workstream_participant_workstream_id"), ["workstream_id"], unique=False
        )

    op.create_table(
        "deliverable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("quantity_ordered", sa.Integer(), nullable=False),
        sa.Column("quantity_delivered", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_deliverable_marking")),
        sa.CheckConstraint(
            "quantity_ordered >= 0 AND quantity_delivered >= 0",
            name=op.f("ck_deliverable_quantities"),
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_deliverable_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliverable")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deliverable_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "milestone_baseline",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("old_date", sa.Date(), nullable=False),
        sa.Column("new_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("authority", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_milestone_baseline_marking")),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_baseline_milestone_id_milestone"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_baseline")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("milestone_baseline", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_baseline_milestone_id"), ["milestone_id"], unique=False
        )

    op.create_table(
        "milestone_forecast",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("forecast_date", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_milestone_forecast_marking")),
        sa.ForeignKeyConstraint(
            ["milestone_id"],
            ["milestone.id"],
            name=op.f("fk_milestone_forecast_milestone_id_milestone"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_milestone_forecast")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("milestone_forecast", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_milestone_forecast_milestone_id"), ["milestone_id"], unique=False
        )

    op.create_table(
        "offset_discharge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("discharged_on", sa.Date(), nullable=False),
        sa.Column("description", sa.String(length=400), nullable=False),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("multiplier", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_offset_discharge_marking")),
        sa.CheckConstraint("multiplier > 0", name=op.f("ck_offset_discharge_multiplier")),
        sa.CheckConstraint("value_minor >= 0", name=op.f("ck_offset_discharge_value")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_offset_discharge_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offset_discharge")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("offset_discharge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_offset_discharge_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("cause", sa.Text(), nullable=False),
        sa.Column("effect", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("residual_likelihood", sa.Integer(), nullable=False),
        sa.Column("residual_impact", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=20), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=False),
        sa.Column("proximity", sa.Date(), nullable=True),
        sa.Column("cost_impact_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("workstream_id", sa.Integer(), nullable=True),
        sa.Column("contract_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("cost_impact_minor >= 0", name=op.f("ck_risk_cost_impact")),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_impact")),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_likelihood")),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_risk_marking")),
        sa.CheckConstraint("residual_impact BETWEEN 1 AND 5", name=op.f("ck_risk_residual_impact")),
        sa.CheckConstraint(
            "residual_likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_residual_likelihood")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_risk_contract_id_contract")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_risk_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(
            ["workstream_id"], ["workstream.id"], name=op.f("fk_risk_workstream_id_workstream")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
        sa.UniqueConstraint(
            "programme_id", "reference", name=op.f("uq_risk_programme_id_reference")
        ),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_contract_id"), ["contract_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_risk_workstream_id"), ["workstream_id"], unique=False)

    op.create_table(
        "tot_package",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("planned_date", sa.Date(), nullable=False),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_tot_package_marking")),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_tot_package_contract_id_contract")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tot_package")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("tot_package", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tot_package_contract_id"), ["contract_id"], unique=False
        )

    op.create_table(
        "action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_action_marking")),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_action_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(["risk_id"], ["risk.id"], name=op.f("fk_action_risk_id_risk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_risk_id"), ["risk_id"], unique=False)

    op.create_table(
        "risk_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("reviewer", sa.String(length=120), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("impact", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("marking", sa.Integer(), nullable=False),
        sa.Column("releasable_to", sa.String(length=200), nullable=False),
        sa.CheckConstraint("impact BETWEEN 1 AND 5", name=op.f("ck_risk_review_impact")),
        sa.CheckConstraint("likelihood BETWEEN 1 AND 5", name=op.f("ck_risk_review_likelihood")),
        sa.CheckConstraint("marking >= 0", name=op.f("ck_risk_review_marking")),
        sa.ForeignKeyConstraint(["risk_id"], ["risk.id"], name=op.f("fk_risk_review_risk_id_risk")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_review")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("risk_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_review_risk_id"), ["risk_id"], unique=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("PRAGMA application_id = 0")
    with op.batch_alter_table("risk_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_review_risk_id"))

    op.drop_table("risk_review")
    with op.batch_alter_table("action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_risk_id"))
        batch_op.drop_index(batch_op.f("ix_action_programme_id"))

    op.drop_table("action")
    with op.batch_alter_table("tot_package", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tot_package_contract_id"))

    op.drop_table("tot_package")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_risk_status"))
        batch_op.drop_index(batch_op.f("ix_risk_programme_id"))
        batch_op.drop_index(batch_op.f("ix_risk_contract_id"))

    op.drop_table("risk")
    with op.batch_alter_table("offset_discharge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_offset_discharge_contract_id"))

    op.drop_table("offset_discharge")
    with op.batch_alter_table("milestone_forecast", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_forecast_milestone_id"))

    op.drop_table("milestone_forecast")
    with op.batch_alter_table("milestone_baseline", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_baseline_milestone_id"))

    op.drop_table("milestone_baseline")
    with op.batch_alter_table("deliverable", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliverable_contract_id"))

    op.drop_table("deliverable")
    with op.batch_alter_table("workstream_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workstream_participant_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_workstream_participant_organisation_id"))

    op.drop_table("workstream_participant")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_workstream_id"))

    op.drop_table("milestone")
    with op.batch_alter_table("expenditure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expenditure_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_expenditure_spent_on"))

    op.drop_table("expenditure")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contribution_cost_share_id"))
        batch_op.drop_index(batch_op.f("ix_contribution_contributed_on"))

    op.drop_table("contribution")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contract_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_contract_supplier_id"))
        batch_op.drop_index(batch_op.f("ix_contract_programme_id"))
        batch_op.drop_index(batch_op.f("ix_contract_customer_id"))

    op.drop_table("contract")
    with op.batch_alter_table("agreement_workstream", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_workstream_workstream_id"))
        batch_op.drop_index(batch_op.f("ix_agreement_workstream_agreement_id"))

    op.drop_table("agreement_workstream")
    with op.batch_alter_table("workstream", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workstream_programme_id"))
        batch_op.drop_index(batch_op.f("ix_workstream_lead_organisation_id"))

    op.drop_table("workstream")
    with op.batch_alter_table("cost_share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_share_agreement_id"))

    op.drop_table("cost_share")
    with op.batch_alter_table("agreement_rate", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agreement_rate_agreement_id"))

    op.drop_table("agreement_rate")
    with op.batch_alter_table("partner_nation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_nation_programme_id"))

    op.drop_table("partner_nation")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_programme_id"))

    op.drop_table("organisation")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_programme_id"))

    op.drop_table("decision")
    with op.batch_alter_table("cost_share_agreement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cost_share_agreement_programme_id"))

    op.drop_table("cost_share_agreement")
    with op.batch_alter_table("briefing_snapshot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_briefing_snapshot_programme_id"))

    op.drop_table("briefing_snapshot")
    op.drop_table("setting")
    op.drop_table("programme")
    op.drop_table("exchange_rate")
    op.drop_table("audit_entry")
