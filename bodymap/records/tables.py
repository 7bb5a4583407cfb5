"""The records' tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Moments are ISO 8601 text in UTC (``2025-03-04T07:30:00Z``, which sorts as time does) beside
the local offset in minutes, so a visit shows on the day it happened wherever it is read.
The parts of a visit that are documents of their own (that day's profile, the steps done, the
plan snapshot) are JSON, shaped as the plan document and the plan's JSON are.

Every patient and visit row carries a ``version``: an edit names the version it was based on
and is refused if the row has moved on (two computers editing one patient on a clinic's server
never overwrite each other silently).

The Alembic revisions in ``bodymap/records/migrations`` build exactly this schema;
tests/test_records_migrations.py compares the two.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: length of a stored moment (``YYYY-MM-DDTHH:MM:SSZ``)
MOMENT = 20

patients = sa.Table(
    "patients",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    #: the name case-folded with its spaces collapsed: finds duplicates and searches
    sa.Column("name_key", sa.String(200), nullable=False),
    sa.Column("birth_year", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("created_utc", sa.String(MOMENT), nullable=False),
    sa.Column("created_offset", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.CheckConstraint("birth_year IS NULL OR birth_year BETWEEN 1900 AND 2100",
                       name="birth_year"),
    sa.CheckConstraint("length(name) > 0", name="name"),
)
#: one patient per name and year of birth (no year counts as one more year)
sa.Index("ix_patients_identity", patients.c.name_key,
         sa.func.coalesce(patients.c.birth_year, 0), unique=True)

findings = sa.Table(
    "findings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("patient_id", sa.Integer,
              sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("at_utc", sa.String(MOMENT), nullable=False),
    sa.Column("at_offset", sa.Integer, nullable=False),
    sa.Column("conditions", sa.JSON, nullable=False),
    sa.Column("findings", sa.JSON, nullable=False),
)

visits = sa.Table(
    "visits",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("uid", sa.String(36), nullable=False, unique=True),
    sa.Column("patient_id", sa.Integer,
              sa.ForeignKey("patients.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at_utc", sa.String(MOMENT), nullable=False),
    sa.Column("at_offset", sa.Integer, nullable=False),
    sa.Column("session", sa.Integer, nullable=False),
    sa.Column("pain_before", sa.Integer, nullable=True),
    sa.Column("pain_after", sa.Integer, nullable=True),
    #: that day's profile: conditions, findings, screening answers, lesions, pain points
    sa.Column("profile", sa.JSON, nullable=False),
    #: screening groups confirmed "unchanged since <date>" that day
    sa.Column("confirmed", sa.JSON, nullable=False),
    sa.Column("steps", sa.JSON, nullable=False),
    #: steps shortened and skipped, counted when saved (the course chart reads these)
    sa.Column("shortened", sa.Integer, nullable=False, server_default="0"),
    sa.Column("skipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("reaction", sa.Text, nullable=False, server_default=""),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    sa.Column("subjective", sa.Text, nullable=False, server_default=""),
    sa.Column("objective", sa.Text, nullable=False, server_default=""),
    sa.Column("assessment", sa.Text, nullable=False, server_default=""),
    sa.Column("soap_plan", sa.Text, nullable=False, server_default=""),
    #: the plan as it was that day (Plan.to_json()), or NULL
    sa.Column("plan", sa.JSON, nullable=True),
    sa.Column("signed_utc", sa.String(MOMENT), nullable=True),
    sa.Column("signed_offset", sa.Integer, nullable=True),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.CheckConstraint("session BETWEEN 1 AND 60", name="session"),
    sa.CheckConstraint("pain_before IS NULL OR pain_before BETWEEN 0 AND 10",
                       name="pain_before"),
    sa.CheckConstraint("pain_after IS NULL OR pain_after BETWEEN 0 AND 10", name="pain_after"),
)
sa.Index("ix_visits_patient_at", visits.c.patient_id, visits.c.at_utc)

addenda = sa.Table(
    "addenda",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("visit_id", sa.Integer,
              sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("at_utc", sa.String(MOMENT), nullable=False),
    sa.Column("at_offset", sa.Integer, nullable=False),
    sa.Column("section", sa.String(32), nullable=False, server_default=""),
    sa.Column("text", sa.Text, nullable=False),
    sa.CheckConstraint("length(text) > 0", name="text"),
)
