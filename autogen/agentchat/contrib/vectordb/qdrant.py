"""QdrantVectorDB: Qdrant through qdrant-client; by default embedded, persisted in a folder (no server)."""

from __future__ import annotations

import os
import uuid
from typing import Any, Callable, Optional

from ._store import StoreBase, check_docs
from .base import Document, ItemID
from .utils import require

__all__ = ["QdrantVectorDB"]

ID_NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")  # the URL namespace of RFC 4122
ID_KEY = "_id"
DEFAULT_PATH = "tmp/qdrant"


def _qdrant() -> Any:
    return require("qdrant_client", "retrievechat-qdrant", "QdrantVectorDB")


def _point_id(doc_id: ItemID) -> Any:
    """Qdrant takes unsigned ints and UUIDs as ids; other ids map to a UUID derived from them."""
    if isinstance(doc_id, int) and doc_id >= 0:
        return doc_id
    try:
        return str(uuid.UUID(str(doc_id)))
    except ValueError:
        return str(uuid.uuid5(ID_NAMESPACE, str(doc_id)))


class QdrantVectorDB(StoreBase):
    """A Qdrant store (cosine distance = 1 - Qdrant's cosine score).

    Args:
        client: a ``qdrant_client.QdrantClient``; default: embedded at ``path`` (or as ``**kwargs`` say).
        embedding_function: ``f(texts) -> vectors``; default all-MiniLM-L6-v2, offline.
        content_payload_key / metadata_payload_key: payload keys of the text and the metadata.
        collection_options: extra arguments of ``create_collection`` (e.g. ``hnsw_config``).
        **kwargs: ``QdrantClient`` arguments (``path``, ``location``, ``url``...); default ``path="tmp/qdrant"``.
    """

    type = "qdrant"
    label = "Qdrant"

    def __init__(
        self,
        *,
        client: Any = None,
        embedding_function: Optional[Callable[..., Any]] = None,
        content_payload_key: str = "_content",
        metadata_payload_key: str = "_metadata",
        collection_options: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(embedding_function)
        qdrant = _qdrant()
        if client is None:
            if not kwargs:
                kwargs = {"path": os.path.abspath(DEFAULT_PATH)}
            client = qdrant.QdrantClient(**kwargs)
            if any(key in kwargs for key in ("url", "host", "port")) or str(kwargs.get("location", "")).startswith(
                "http"
            ):
                self._check_server(client, kwargs)
        self.client = client
        self.models = qdrant.models
        self.content_payload_key = content_payload_key
        self.metadata_payload_key = metadata_payload_key
        self.collection_options = dict(collection_options or {})

    @staticmethod
    def _check_server(client: Any, kwargs: dict[str, Any]) -> None:
        try:
            client.get_collections()
        except Exception as e:  # qdrant-client wraps connection errors in its own exception types
            where = (
                kwargs.get("url")
                or kwargs.get("location")
                or f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6333)}"
            )
            raise ConnectionError(
                f"cannot reach the Qdrant server at {where!r} ({e}): start it, fix the address, or drop url/host to "
                "use embedded Qdrant on disk (path=...)."
            ) from e

    # ---- collections (the life cycle is StoreBase's; a collection's handle is its name) ---------------
    def _exists(self, name: str) -> bool:
        return bool(self.client.collection_exists(name))

    def _create(self, name: str) -> Any:
        params = self.models.VectorParams(size=self.dimension, distance=self.models.Distance.COSINE)
        self.client.create_collection(name, vectors_config=params, **self.collection_options)
        return name

    def _drop(self, name: str) -> None:
        self.client.delete_collection(name)

    def _stored_dimension(self, collection: Any) -> int:
        return int(self.client.get_collection(collection).config.params.vectors.size)

    # ---- documents --------------------------------------------------------------------------------
    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        """Add ``docs``; ``upsert`` replaces same-id documents. Each batch is embedded before it is written.

        Raises:
            ValueError: a bad document, an existing id without ``upsert``, or another embedding dimension.
        """
        if not docs:
            return
        check_docs(docs)
        name = self.get_collection(collection_name)
        if not upsert:
            existing = self.client.retrieve(name, ids=[_point_id(d["id"]) for d in docs], with_payload=[ID_KEY])
            if existing:
                found = [p.payload.get(ID_KEY, p.id) for p in existing[:5]]
                raise ValueError(f"documents {found} already exist in {name!r}: pass upsert=True to replace them")
        dimension = self._stored_dimension(name)
        for batch in self._batches(docs):
            vectors = self._embed([d["content"] for d in batch], name, dimension)
            points = [
                self.models.PointStruct(
                    id=_point_id(d["id"]),
                    vector=vector,
                    payload={
                        ID_KEY: d["id"],
                        self.content_payload_key: d["content"],
                        self.metadata_payload_key: dict(d.get("metadata") or {}),
                    },
                )
                for d, vector in zip(batch, vectors)
            ]
            self.client.upsert(name, points=points, wait=True)

    def delete_docs(self, ids: list[ItemID], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Delete the documents with these ids."""
        selector = self.models.PointIdsList(points=[_point_id(i) for i in ids])
        self.client.delete(self.get_collection(collection_name), points_selector=selector, wait=True)

    def _document(self, point: Any, with_vector: bool = False) -> Document:
        payload = point.payload or {}
        doc: Document = {
            "id": payload.get(ID_KEY, point.id),
            "content": payload.get(self.content_payload_key, ""),
            "metadata": payload.get(self.metadata_payload_key),
        }
        if with_vector and point.vector is not None:
            doc["embedding"] = list(point.vector)
        return doc

    def _search(self, collection: Any, vector: list[float], n_results: int) -> list[tuple[Document, float]]:
        """Distance = 1 - Qdrant's cosine score."""
        found = self.client.query_points(collection, query=vector, limit=n_results, with_payload=True).points
        return [(self._document(p), 1.0 - float(p.score)) for p in found]

    def get_docs_by_ids(
        self,
        ids: Optional[list[ItemID]] = None,
        collection_name: Optional[str] = None,
        include: Optional[list[str]] = None,
        **kwargs: Any,
    ) -> list[Document]:
        """The documents with these ids (None: all); ``include=["embeddings"]`` adds the vectors."""
        name = self.get_collection(collection_name)
        with_vectors = bool(include and "embeddings" in include)
        if ids is not None:
            points = self.client.retrieve(name, ids=[_point_id(i) for i in ids], with_vectors=with_vectors)
            return [self._document(p, with_vectors) for p in points]
        docs: list[Document] = []
        offset = None
        while True:
            points, offset = self.client.scroll(name, limit=1000, offset=offset, with_vectors=with_vectors)
            docs += [self._document(p, with_vectors) for p in points]
            if offset is None:
                return docs
