"""MongoDBAtlasVectorDB: MongoDB Atlas Vector Search (pymongo). It needs an Atlas cluster (or an Atlas local
deployment): plain MongoDB servers have no ``$vectorSearch``. The connection is checked when the store is made."""

from __future__ import annotations

import time
from typing import Any, Callable, Optional

from ._store import StoreBase, check_docs
from .base import Document, ItemID
from .utils import require

__all__ = ["MongoDBAtlasVectorDB"]

EMBEDDING_FIELD = "embedding"


def _pymongo() -> Any:
    return require("pymongo", "retrievechat-mongodb", "MongoDBAtlasVectorDB")


class MongoDBAtlasVectorDB(StoreBase):
    """A MongoDB Atlas Vector Search store: one MongoDB collection per collection, with a vector search index.

    Args:
        connection_string: the Atlas URI (``mongodb+srv://...``).
        database_name: the database holding the collections.
        embedding_function: ``f(texts) -> vectors``; default all-MiniLM-L6-v2, offline.
        collection_name: the collection made active at once, if given.
        index_name: the vector search index of each collection.
        overwrite: with ``collection_name``: replace that collection.
        wait_until_index_ready / wait_until_document_ready: seconds to wait for Atlas to build the index or to
            make inserted documents searchable (None: do not wait).
        server_selection_timeout_ms: how long to look for the server before giving up.

    Raises:
        ConnectionError: no MongoDB server is reachable at ``connection_string`` (naming it and what is needed).
    """

    type = "mongodb"
    label = "MongoDB"

    def __init__(
        self,
        connection_string: str = "",
        database_name: str = "vector_db",
        embedding_function: Optional[Callable[..., Any]] = None,
        collection_name: Optional[str] = None,
        index_name: str = "vector_index",
        overwrite: bool = False,
        wait_until_index_ready: Optional[float] = None,
        wait_until_document_ready: Optional[float] = None,
        server_selection_timeout_ms: int = 5000,
    ) -> None:
        super().__init__(embedding_function)
        pymongo = _pymongo()
        if not connection_string:
            raise ValueError(
                "MongoDBAtlasVectorDB needs connection_string: the URI of a MongoDB Atlas cluster with Vector Search "
                "(mongodb+srv://user:password@cluster.example.mongodb.net)."
            )
        self.client = pymongo.MongoClient(connection_string, serverSelectionTimeoutMS=server_selection_timeout_ms)
        try:
            self.client.admin.command("ping")
        except pymongo.errors.PyMongoError as e:
            raise ConnectionError(
                f"cannot reach MongoDB at {self._redacted(connection_string)!r} ({type(e).__name__}): "
                "MongoDBAtlasVectorDB needs a running MongoDB Atlas cluster (or Atlas local deployment) with Vector "
                "Search; check connection_string and the network, or use vector_db='chroma'."
            ) from e
        self.db = self.client[database_name]
        self.index_name = index_name
        self.wait_until_index_ready = wait_until_index_ready
        self.wait_until_document_ready = wait_until_document_ready
        if collection_name:
            self.create_collection(collection_name, overwrite=overwrite, get_or_create=True)

    @staticmethod
    def _redacted(uri: str) -> str:
        scheme, sep, rest = uri.partition("://")
        return f"{scheme}{sep}***@{rest.split('@', 1)[1]}" if "@" in rest else uri

    # ---- collections (the life cycle is StoreBase's) ---------------------------------------------------
    def _exists(self, name: str) -> bool:
        return name in self.db.list_collection_names()

    def _create(self, name: str) -> Any:
        self.db.create_collection(name)
        self._create_index(name)
        return self.db[name]

    def _open(self, name: str) -> Any:
        return self.db[name]

    def _drop(self, name: str) -> None:
        self.db.drop_collection(name)

    def _stored_dimension(self, collection: Any) -> int:
        return self.dimension  # the search index fixes it

    def _create_index(self, name: str) -> None:
        from pymongo.operations import SearchIndexModel

        definition = {
            "fields": [
                {"type": "vector", "path": EMBEDDING_FIELD, "numDimensions": self.dimension, "similarity": "cosine"}
            ]
        }
        model = SearchIndexModel(definition=definition, name=self.index_name, type="vectorSearch")
        self.db[name].create_search_index(model=model)
        self._wait(self.wait_until_index_ready, lambda: self._index_ready(name))

    def _index_ready(self, name: str) -> bool:
        return any(i.get("queryable") for i in self.db[name].list_search_indexes(self.index_name))

    @staticmethod
    def _wait(timeout: Optional[float], ready: Callable[[], bool]) -> None:
        if timeout is None:
            return
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError(f"Atlas was not ready within {timeout} s: raise the wait_until_* timeout")
            time.sleep(0.5)

    # ---- documents --------------------------------------------------------------------------------
    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        """Add ``docs`` (``upsert`` replaces same-id documents); each batch is embedded before it is written."""
        from pymongo import ReplaceOne

        if not docs:
            return
        check_docs(docs)
        collection = self.get_collection(collection_name)
        for batch in self._batches(docs):
            vectors = self._embed([d["content"] for d in batch], collection.name, self.dimension)
            records = [
                {"_id": d["id"], "content": d["content"], "metadata": d.get("metadata"), EMBEDDING_FIELD: v}
                for d, v in zip(batch, vectors)
            ]
            if upsert:
                collection.bulk_write([ReplaceOne({"_id": r["_id"]}, r, upsert=True) for r in records])
            else:
                collection.insert_many(records)

    def delete_docs(self, ids: list[ItemID], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Delete the documents with these ids."""
        self.get_collection(collection_name).delete_many({"_id": {"$in": list(ids)}})

    @staticmethod
    def _document(record: dict[str, Any]) -> Document:
        doc: Document = {"id": record["_id"], "content": record.get("content", ""), "metadata": record.get("metadata")}
        if EMBEDDING_FIELD in record:
            doc["embedding"] = record[EMBEDDING_FIELD]
        return doc

    def _search(self, collection: Any, vector: list[float], n_results: int) -> list[tuple[Document, float]]:
        """``$vectorSearch``; distance = 1 - Atlas's cosine score."""
        stage = {
            "index": self.index_name,
            "path": EMBEDDING_FIELD,
            "queryVector": vector,
            "numCandidates": max(n_results * 10, 100),
            "limit": n_results,
        }
        pipeline = [
            {"$vectorSearch": stage},
            {"$project": {EMBEDDING_FIELD: 0, "score": {"$meta": "vectorSearchScore"}}},
        ]
        return [(self._document(r), 1.0 - float(r["score"])) for r in collection.aggregate(pipeline)]

    def get_docs_by_ids(
        self,
        ids: Optional[list[ItemID]] = None,
        collection_name: Optional[str] = None,
        include: Optional[list[str]] = None,
        **kwargs: Any,
    ) -> list[Document]:
        """The documents with these ids (None: all); ``include=["embeddings"]`` adds the vectors."""
        query = {} if ids is None else {"_id": {"$in": list(ids)}}
        projection = None if include and "embeddings" in include else {EMBEDDING_FIELD: 0}
        return [self._document(r) for r in self.get_collection(collection_name).find(query, projection)]
