"""Every store keeps the VectorDB contract: collections, documents, nearest-first retrieval, clear errors."""

from __future__ import annotations

import socket

import pytest

from autogen.agentchat.contrib.vectordb.base import VectorDB, VectorDBFactory
from autogen.agentchat.contrib.vectordb.chromadb import ChromaVectorDB
from autogen.agentchat.contrib.vectordb.mongodb import MongoDBAtlasVectorDB
from autogen.agentchat.contrib.vectordb.pgvectordb import PGVectorDB

from .conftest import STORES, hash_embedding

DOCS = [
    {"id": "cat", "content": "The cat sleeps on the warm windowsill all afternoon.", "metadata": {"source": "a"}},
    {
        "id": "bank",
        "content": "Interest rates at the central bank rose by half a percent.",
        "metadata": {"source": "b"},
    },
    {"id": "goal", "content": "The striker scored the winning goal in extra time.", "metadata": {"source": "c"}},
]


@pytest.fixture(params=STORES)
def kind(request) -> str:
    return request.param


def test_stores_follow_the_protocol(make_store, kind):
    assert isinstance(make_store(kind, embedding_function=hash_embedding), VectorDB)


def test_collection_lifecycle(make_store, kind):
    db = make_store(kind, embedding_function=hash_embedding)
    db.create_collection("docs-one")
    db.insert_docs(DOCS[:1], "docs-one")
    with pytest.raises(ValueError, match=r"'docs-one' already exists: pass get_or_create=True.*overwrite=True"):
        db.create_collection("docs-one", get_or_create=False)
    db.create_collection("docs-one", get_or_create=True)
    assert [d["id"] for d in db.get_docs_by_ids(None, "docs-one")] == ["cat"]  # kept
    db.create_collection("docs-one", overwrite=True)
    assert db.get_docs_by_ids(None, "docs-one") == []
    db.delete_collection("docs-one")
    with pytest.raises(ValueError, match=r"collection 'docs-one' does not exist"):
        db.get_collection("docs-one")


def test_documents_insert_update_delete(make_store, kind):
    db = make_store(kind, embedding_function=hash_embedding)
    db.create_collection("docs-two")
    db.insert_docs(DOCS, "docs-two")
    with pytest.raises(ValueError, match=r"already exist.*upsert=True"):
        db.insert_docs(DOCS[:1], "docs-two")
    db.update_docs([{"id": "cat", "content": "The cat now sleeps in the garden.", "metadata": {"source": "z"}}])
    (cat,) = db.get_docs_by_ids(["cat"], "docs-two")
    assert cat["content"] == "The cat now sleeps in the garden." and cat["metadata"] == {"source": "z"}
    db.delete_docs(["bank"], "docs-two")
    assert sorted(d["id"] for d in db.get_docs_by_ids(None, "docs-two")) == ["cat", "goal"]
    with_vectors = db.get_docs_by_ids(["goal"], "docs-two", include=["documents", "metadatas", "embeddings"])
    assert with_vectors[0]["embedding"] == pytest.approx(hash_embedding([DOCS[2]["content"]])[0], abs=1e-5)


def test_bad_documents_are_named(make_store, kind):
    db = make_store(kind, embedding_function=hash_embedding)
    db.create_collection("docs-bad")
    with pytest.raises(ValueError, match=r"docs\[1\] must be a dict with an 'id' and a str 'content'"):
        db.insert_docs([DOCS[0], {"content": "no id"}], "docs-bad")
    with pytest.raises(ValueError, match=r"docs\[1\] repeats the id 'cat'"):
        db.insert_docs([DOCS[0], DOCS[0]], "docs-bad")


def test_retrieval_is_nearest_first_with_a_distance_threshold(make_store, kind):
    db = make_store(kind)  # the default embedding model
    db.create_collection("docs-three")
    db.insert_docs(DOCS, "docs-three")
    (results,) = db.retrieve_docs(["Who won the football match?"], "docs-three", n_results=3)
    assert results[0][0]["id"] == "goal"
    distances = [d for _, d in results]
    assert distances == sorted(distances) and len(results) == 3
    assert results[0][0]["content"] == DOCS[2]["content"] and results[0][0]["metadata"] == {"source": "c"}
    (near,) = db.retrieve_docs(["Who won the football match?"], "docs-three", 3, distance_threshold=distances[0] + 1e-3)
    assert [doc["id"] for doc, _ in near] == ["goal"]


def test_another_embedding_dimension_is_refused(make_store, kind):
    db = make_store(kind, embedding_function=hash_embedding)
    db.create_collection("docs-dim")
    db.insert_docs(DOCS, "docs-dim")
    db.embedding_function = lambda texts: hash_embedding(texts, dimension=8)
    with pytest.raises(ValueError, match=r"'docs-dim' holds 16-dimensional embeddings.*gives 8 dimensions.*overwrite"):
        db.retrieve_docs(["cat"], "docs-dim")
    with pytest.raises(ValueError, match="16-dimensional"):
        db.insert_docs([{"id": "new", "content": "new text"}], "docs-dim")
    assert len(db.get_docs_by_ids(None, "docs-dim")) == 3


def test_a_failure_mid_ingestion_leaves_the_collection_usable(make_store, kind):
    batches = []

    def flaky(texts):
        if len(texts) > 1:  # not the one-text dimension probe
            batches.append(len(texts))
        if len(batches) == 2:  # the second batch of documents fails
            raise RuntimeError("embedding service down")
        return hash_embedding(texts)

    db = make_store(kind, embedding_function=flaky)
    db.create_collection("docs-flaky")
    docs = [{"id": f"d{i}", "content": f"document number {i} of the set"} for i in range(300)]
    with pytest.raises(RuntimeError, match="embedding service down"):
        db.insert_docs(docs, "docs-flaky")
    db.embedding_function = hash_embedding
    stored = db.get_docs_by_ids(None, "docs-flaky")
    assert len(stored) in (0, 256)  # whole batches only (PostgreSQL: one transaction, so none)
    assert all(d["content"] == f"document number {d['id'][1:]} of the set" for d in stored)
    db.insert_docs(docs, "docs-flaky", upsert=True)  # the collection still works
    assert len(db.get_docs_by_ids(None, "docs-flaky")) == 300
    assert db.retrieve_docs([docs[7]["content"]], "docs-flaky", 1)[0][0][0]["id"] == "d7"


def test_factory_makes_stores_by_name_and_names_the_choices(tmp_path):
    db = VectorDBFactory.create_vector_db("chroma", path=str(tmp_path / "c"), embedding_function=hash_embedding)
    assert isinstance(db, ChromaVectorDB) and db.type == "chroma"
    with pytest.raises(ValueError, match=r"'faiss'.*\['chroma', 'pgvector', 'mongodb', 'qdrant'\]"):
        VectorDBFactory.create_vector_db("faiss")


def test_a_postgres_that_is_not_running_is_named():
    with pytest.raises(ConnectionError, match=r"cannot connect to PostgreSQL at .*127.0.0.1.*Start the server"):
        PGVectorDB(host="127.0.0.1", port=_free_port(), dbname="x", username="u", connect_timeout=2)


def test_a_qdrant_server_that_is_not_running_is_named():
    from autogen.agentchat.contrib.vectordb.qdrant import QdrantVectorDB

    url = f"http://127.0.0.1:{_free_port()}"
    with pytest.raises(ConnectionError, match=rf"cannot reach the Qdrant server at '{url}'.*embedded Qdrant"):
        QdrantVectorDB(url=url, timeout=2, embedding_function=hash_embedding)


def test_mongodb_without_atlas_is_a_clear_error():
    with pytest.raises(ValueError, match="needs connection_string"):
        MongoDBAtlasVectorDB(embedding_function=hash_embedding)
    uri = f"mongodb://user:secret@127.0.0.1:{_free_port()}/"
    with pytest.raises(ConnectionError, match=r"cannot reach MongoDB at 'mongodb://\*\*\*@127.0.0.1.*Atlas") as e:
        MongoDBAtlasVectorDB(uri, embedding_function=hash_embedding, server_selection_timeout_ms=300)
    assert "secret" not in str(e.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
