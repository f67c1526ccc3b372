"""The shipped Alembic migrations build exactly the models' schema, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, inspect

from autogen.studio import create_app
from autogen.studio.database import alembic_config, migrate, resolve_uri
from autogen.studio.tables import Base

from .conftest import make


def _differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": "studio_alembic_version"})
        return compare_metadata(context, Base.metadata)


def test_the_migration_head_matches_the_models(tmp_path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    migrate(engine)
    assert _differences(engine) == []
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as connection:
        assert (
            MigrationContext.configure(
                connection, opts={"version_table": "studio_alembic_version"}
            ).get_current_revision()
            == head
        )
    assert set(inspect(engine).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
    migrate(engine)  # running again at start-up changes nothing
    assert _differences(engine) == []


def test_database_uris_are_resolved_or_refused(tmp_path) -> None:
    assert resolve_uri(tmp_path, None) == f"sqlite:///{(tmp_path / 'studio.db').resolve()}"
    assert resolve_uri(tmp_path, "postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    with pytest.raises(ValueError, match="is not a database URI"):
        resolve_uri(tmp_path, "studio.db")


@pytest.fixture(scope="module")
def postgres_uri() -> Iterator[str]:
    """A fresh database on a PostgreSQL started from the pgserver wheel."""
    import pgserver
    import psycopg

    folder = tempfile.mkdtemp(prefix="autogen-studio-pg-")
    os.chmod(folder, 0o755)  # as root, pgserver runs PostgreSQL as its own user, who must reach the folder
    server = pgserver.get_server(folder, cleanup_mode="delete")
    try:
        name = f"studio_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server.get_uri(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        yield server.get_uri().replace("/postgres?", f"/{name}?", 1)
    finally:
        server.cleanup()


@pytest.mark.slow
def test_postgresql_migrates_and_round_trips(tmp_path, postgres_uri: str) -> None:
    with TestClient(create_app(tmp_path / "studio", database_uri=postgres_uri)) as client:
        model = make(client, "models", name="pg", model="gpt-4o-mini", api_key="sk-pg-key-0000000000001234")
        agent = make(client, "agents", name="a", type="assistant", model_id=model["id"], skill_ids=[])
        user = make(client, "agents", name="u", type="userproxy")
        workflow = make(
            client, "workflows", name="w", kind="twoagent", initiator_id=user["id"], receiver_id=agent["id"]
        )
        session = make(client, "sessions", workflow_id=workflow["id"])
        assert client.put(f"/api/models/{model['id']}", json={**model, "description": "on postgres"}).status_code == 200
        assert client.get(f"/api/models/{model['id']}").json()["description"] == "on postgres"
        assert client.get(f"/api/agents/{agent['id']}").json()["model_id"] == model["id"]
        assert client.delete(f"/api/workflows/{workflow['id']}").status_code == 204
        assert client.get(f"/api/sessions/{session['id']}").status_code == 404  # deleted along, by the database
    engine = create_engine(resolve_uri(tmp_path, postgres_uri))
    assert engine.dialect.name == "postgresql"
    assert _differences(engine) == []
    engine.dispose()
