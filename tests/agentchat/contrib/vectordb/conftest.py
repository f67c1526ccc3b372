"""Real stores for the vector-store tests: Chroma and Qdrant embedded on disk, PostgreSQL + pgvector started
from the pgserver wheel (one server per test session, one fresh database per test)."""

from __future__ import annotations

import hashlib
import math
import os
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import pytest

STORES = ["chroma", "qdrant", "pgvector"]


@pytest.fixture(scope="session")
def pg_server_uri() -> Iterator[str]:
    """The URI of a PostgreSQL server with pgvector (pgserver), stopped and deleted at the end of the session.

    Its folder is outside pytest's private temp folder: as root, pgserver runs PostgreSQL as its own user, who
    must be able to reach the data folder."""
    import pgserver

    folder = tempfile.mkdtemp(prefix="autogen-pgvector-")
    os.chmod(folder, 0o755)
    server = pgserver.get_server(folder, cleanup_mode="delete")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


@pytest.fixture
def pg_uri(pg_server_uri: str) -> str:
    """A URI of a new, empty database on the session's server."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server_uri, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg_server_uri.replace("/postgres?", f"/{name}?", 1)


@pytest.fixture
def make_store(request, tmp_path) -> Callable[..., Any]:
    """``make_store(kind, **kwargs)``: a new store of that kind on fresh storage of this test."""
    made: list[Any] = []

    def make(kind: str, **kwargs: Any) -> Any:
        if kind == "chroma":
            from autogen.agentchat.contrib.vectordb.chromadb import ChromaVectorDB

            store = ChromaVectorDB(path=str(tmp_path / "chroma"), **kwargs)
        elif kind == "qdrant":
            from autogen.agentchat.contrib.vectordb.qdrant import QdrantVectorDB

            store = QdrantVectorDB(path=str(tmp_path / "qdrant"), **kwargs)
        else:
            from autogen.agentchat.contrib.vectordb.pgvectordb import PGVectorDB

            store = PGVectorDB(connection_string=request.getfixturevalue("pg_uri"), **kwargs)
        made.append(store)
        return store

    yield make
    for store in made:
        if store.type == "pgvector":
            store.conn.close()
        elif store.type == "qdrant":
            store.client.close()


def hash_embedding(texts: list[str], dimension: int = 16) -> list[list[float]]:
    """A cheap deterministic embedding (unit vectors from a hash) for tests about storage, not meaning."""
    out = []
    for text in texts:
        digest = hashlib.sha256(text.encode()).digest()
        vector = [b - 127.5 for b in digest[:dimension]]
        norm = math.sqrt(sum(x * x for x in vector))
        out.append([x / norm for x in vector])
    return out
