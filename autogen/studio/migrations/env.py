"""Alembic environment of the Studio database: runs on the connection the Studio hands over."""

from __future__ import annotations

from alembic import context

from autogen.studio.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the Studio always passes its connection
    raise RuntimeError("the Studio migrations run through autogen.studio.database.migrate(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    version_table="studio_alembic_version",
)
with context.begin_transaction():
    context.run_migrations()
