"""Alembic's environment for the records: runs on the connection bodymap hands it.

bodymap runs its migrations itself (bodymap.records.migrate), never through the ``alembic``
command: the connection arrives in ``config.attributes["connection"]``, already inside the
database bodymap opened (SQLite's pragmas set, the backup taken). Each revision runs in a
transaction of its own. Imported outside a migration (the architecture tests import every
module), it does nothing.
"""

from __future__ import annotations

from alembic import context

from bodymap.records.tables import metadata


def run_migrations() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=metadata,
        transaction_per_migration=True,
        # SQLite alters a table by copying it (its ALTER TABLE is limited)
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if hasattr(context, "config"):  # alembic sets it while it runs this environment
    run_migrations()
