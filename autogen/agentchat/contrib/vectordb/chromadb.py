"""ChromaVectorDB: the default store, embedded Chroma persisted in a folder (``path``, default ``tmp/db``)."""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

from ._store import StoreBase, check_docs
from .base import Document, ItemID, QueryResults
from .utils import chroma_results_to_query_results, filter_results_by_distance, require

__all__ = ["CHROMA_MAX_BATCH_SIZE", "ChromaVectorDB"]

CHROMA_MAX_BATCH_SIZE = 5000
DEFAULT_METADATA = {"hnsw:space": "ip", "hnsw:construction_ef": 30, "hnsw:M": 32}


def _chromadb() -> Any:
    return require("chromadb", "retrievechat", "ChromaVectorDB")


class ChromaVectorDB(StoreBase):
    """A Chroma store.

    Args:
        client: a chromadb client to use; default: a persistent client at ``path`` (telemetry off).
        path: the folder of the persistent client; None keeps the data in memory.
        embedding_function: ``f(texts) -> vectors``; default all-MiniLM-L6-v2, offline.
        metadata: collection metadata; default inner-product HNSW as in 0.2 (vectors are normalised).
        **kwargs: passed to ``chromadb.PersistentClient``.
    """

    type = "chroma"
    label = "Chroma"

    def __init__(
        self,
        *,
        client: Any = None,
        path: Optional[str] = "tmp/db",
        embedding_function: Optional[Callable[..., Any]] = None,
        metadata: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(embedding_function)
        if client is None:
            chromadb = _chromadb()
            settings = kwargs.pop("settings", None) or chromadb.Settings(anonymized_telemetry=False)
            if path is None:
                client = chromadb.EphemeralClient(settings=settings, **kwargs)
            else:
                client = chromadb.PersistentClient(path=os.path.abspath(path), settings=settings, **kwargs)
        self.client = client
        self.path = path
        self.metadata = dict(metadata) if metadata else dict(DEFAULT_METADATA)

    # ---- collections (the life cycle is StoreBase's) ---------------------------------------------------
    def _exists(self, name: str) -> bool:
        return any(getattr(c, "name", c) == name for c in self.client.list_collections())

    def _create(self, name: str) -> Any:
        return self.client.get_or_create_collection(name, metadata=self.metadata, embedding_function=None)

    def _open(self, name: str) -> Any:
        return self.client.get_collection(name, embedding_function=None)

    def _drop(self, name: str) -> None:
        self.client.delete_collection(name)

    def _stored_dimension(self, collection: Any) -> Optional[int]:
        got = collection.get(limit=1, include=["embeddings"])
        embeddings = got.get("embeddings")
        return None if embeddings is None or len(embeddings) == 0 else len(embeddings[0])

    # ---- documents --------------------------------------------------------------------------------
    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        """Add ``docs`` (embedded here unless they carry ``embedding``); ``upsert`` replaces same-id documents.

        Each batch is embedded before anything of it is written, so a failing embedding writes nothing of it.

        Raises:
            ValueError: a bad document, an id that exists without ``upsert``, or another embedding dimension.
        """
        if not docs:
            return
        check_docs(docs)
        collection = self.get_collection(collection_name)
        if not upsert:
            existing = collection.get(ids=[str(d["id"]) for d in docs], include=[])["ids"]
            if existing:
                raise ValueError(
                    f"documents {existing[:5]} already exist in {collection.name!r}: pass upsert=True to replace them"
                )
        dimension = self._stored_dimension(collection)
        for batch in self._batches(docs):
            vectors = self._doc_vectors(batch, collection.name, dimension)
            dimension = len(vectors[0])
            write = collection.upsert if upsert else collection.add
            write(
                ids=[str(d["id"]) for d in batch],
                documents=[d["content"] for d in batch],
                embeddings=vectors,
                metadatas=[dict(d.get("metadata") or {}) or None for d in batch],
            )

    def _doc_vectors(self, batch: Any, name: str, dimension: Optional[int]) -> list[list[float]]:
        if all(d.get("embedding") is not None for d in batch):
            return [list(map(float, d["embedding"])) for d in batch]
        return self._embed([d["content"] for d in batch], name, dimension)

    def delete_docs(self, ids: list[ItemID], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Delete the documents with these ids."""
        self.get_collection(collection_name).delete(ids=[str(i) for i in ids], **kwargs)

    def query_raw(
        self, queries: list[str], collection_name: Optional[str], n_results: int, search_string: str = ""
    ) -> dict[str, Any]:
        """Chroma's own result dict for ``queries`` (used by ``retrieve_utils.query_vector_db``)."""
        collection = self.get_collection(collection_name)
        vectors = self._embed(queries, collection.name, self._stored_dimension(collection))
        return dict(
            collection.query(
                query_embeddings=vectors,
                n_results=n_results,
                where_document={"$contains": search_string} if search_string else None,
                include=["documents", "metadatas", "distances"],
            )
        )

    def retrieve_docs(
        self,
        queries: list[str],
        collection_name: Optional[str] = None,
        n_results: int = 10,
        distance_threshold: float = -1,
        **kwargs: Any,
    ) -> QueryResults:
        """The nearest documents of each query; ``where_document={"$contains": s}`` keeps those containing s."""
        where_document = kwargs.get("where_document") or {}
        search_string = where_document.get("$contains", "") if isinstance(where_document, dict) else ""
        raw = self.query_raw(queries, collection_name, n_results, search_string)
        raw["contents"] = raw.pop("documents")
        columns = {k: raw[k] for k in ("ids", "contents", "metadatas", "distances") if raw.get(k) is not None}
        return filter_results_by_distance(chroma_results_to_query_results(columns), distance_threshold)

    def get_docs_by_ids(
        self,
        ids: Optional[list[ItemID]] = None,
        collection_name: Optional[str] = None,
        include: Optional[list[str]] = None,
        **kwargs: Any,
    ) -> list[Document]:
        """The documents with these ids (None: all); ``include`` picks among "documents", "metadatas",
        "embeddings" (default: the first two)."""
        include = list(include or ["documents", "metadatas"])
        got = self.get_collection(collection_name).get(
            ids=[str(i) for i in ids] if ids is not None else None, include=include, **kwargs
        )
        docs: list[Document] = []
        for i, doc_id in enumerate(got["ids"]):
            doc: Document = {"id": doc_id}
            if got.get("documents") is not None:
                doc["content"] = got["documents"][i]
            if got.get("metadatas") is not None:
                doc["metadata"] = got["metadatas"][i]
            if got.get("embeddings") is not None:
                doc["embedding"] = list(map(float, got["embeddings"][i]))
            docs.append(doc)
        return docs
