"""The first records schema: patients, their dated findings, visits and addenda.

Revision ID: 0001
Revises:
Create Date: 2025-06-01

A revision is frozen once shipped: it spells out its tables rather than reading
bodymap.records.tables, which moves on with later revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _moment(name: str, nullable: bool = False) -> list[sa.Column[object]]:
    return [sa.Column(f"{name}_utc", sa.String(20), nullable=nullable),
            sa.Column(f"{name}_offset", sa.Integer, nullable=nullable)]


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(200), nullable=False),
        sa.Column("birth_year", sa.Integer, nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        *_moment("created"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                           name="ck_patients_birth_year"),
        sa.CheckConstraint("length(name) > 0", name="ck_patients_name"),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("uid", name="uq_patients_uid"),
    )
    op.create_index("ix_patients_identity", "patients",
                    ["name_key", sa.text("coalesce(birth_year, 0)")], unique=True)
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("patient_id", sa.Integer, nullable=False),
        *_moment("at"),
        sa.Column("conditions", sa.JSON, nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE",
                                name="fk_findings_patient_id_patients"),
    )
    op.create_index("ix_findings_patient_id", "findings", ["patient_id"])
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False),
        sa.Column("patient_id", sa.Integer, nullable=False),
        *_moment("at"),
        sa.Column("session", sa.Integer, nullable=False),
        sa.Column("pain_before", sa.Integer, nullable=True),
        sa.Column("pain_after", sa.Integer, nullable=True),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("confirmed", sa.JSON, nullable=False),
        sa.Column("steps", sa.JSON, nullable=False),
        sa.Column("shortened", sa.Integer, nullable=False, server_default="0"),
        sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
        *(sa.Column(name, sa.Text, nullable=False, server_default="")
          for name in ("reaction", "notes", "subjective", "objective", "assessment",
                       "soap_plan")),
        sa.Column("plan", sa.JSON, nullable=True),
        *_moment("signed", nullable=True),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.CheckConstraint("session BETWEEN 1 AND 60", name="ck_visits_session"),
        sa.CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10",
                           name="ck_visits_pain_before"),
        sa.CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10",
                           name="ck_visits_pain_after"),
        sa.PrimaryKeyConstraint("id", name="pk_visits"),
        sa.UniqueConstraint("uid", name="uq_visits_uid"),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"], ondelete="CASCADE",
                                name="fk_visits_patient_id_patients"),
    )
    op.create_index("ix_visits_patient_at", "visits", ["patient_id", "at_utc"])
    op.create_table(
        "addenda",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visit_id", sa.Integer, nullable=False),
        *_moment("at"),
        sa.Column("section", sa.String(32), nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False),
        sa.CheckConstraint("length(text) > 0", name="ck_addenda_text"),
        sa.PrimaryKeyConstraint("id", name="pk_addenda"),
        sa.ForeignKeyConstraint(["visit_id"], ["visits.id"], ondelete="CASCADE",
                                name="fk_addenda_visit_id_visits"),
    )
    op.create_index("ix_addenda_visit_id", "addenda", ["visit_id"])


def downgrade() -> None:
    op.drop_table("addenda")
    op.drop_table("visits")
    op.drop_table("findings")
    op.drop_table("patients")
