"""The vector-store protocol of AutoGen 0.2: documents, query results, the ``VectorDB`` protocol, the factory."""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Optional, Protocol, TypedDict, Union, cast, runtime_checkable

__all__ = ["Document", "ItemID", "Metadata", "QueryResults", "Vector", "VectorDB", "VectorDBFactory"]

Metadata = Union[Mapping[str, Any], None]
Vector = Union[Sequence[float], Sequence[int]]
ItemID = Union[str, int]


class Document(TypedDict, total=False):
    """One chunk in a store: ``id`` and ``content`` are required; ``metadata`` and ``embedding`` optional."""

    id: ItemID
    content: str
    metadata: Optional[Metadata]
    embedding: Optional[Vector]


# one list per query, each of (document, distance) pairs, nearest first
QueryResults = list[list[tuple[Document, float]]]


@runtime_checkable
class VectorDB(Protocol):
    """What RetrieveUserProxyAgent needs from a vector store.

    Attributes:
        active_collection: the collection used when a method gets no ``collection_name``.
        type: the store's name ("chroma", "qdrant", "pgvector", "mongodb").
        embedding_function: ``f(texts) -> vectors``, used for documents and queries alike.
    """

    active_collection: Any = None
    type: str = ""
    embedding_function: Optional[Callable[..., Any]] = None

    def create_collection(self, collection_name: str, overwrite: bool = False, get_or_create: bool = True) -> Any:
        """Create (or, with ``get_or_create``, get) a collection; ``overwrite`` replaces an existing one."""
        ...

    def get_collection(self, collection_name: Optional[str] = None) -> Any:
        """The collection ``collection_name`` (default: the active one)."""
        ...

    def delete_collection(self, collection_name: str) -> Any:
        """Delete the collection ``collection_name``."""
        ...

    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        """Insert ``docs`` (``upsert``: replace documents with the same ids instead of refusing them)."""
        ...

    def update_docs(self, docs: list[Document], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Replace the documents with these ids."""
        ...

    def delete_docs(self, ids: list[ItemID], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Delete the documents with these ids."""
        ...

    def retrieve_docs(
        self,
        queries: list[str],
        collection_name: Optional[str] = None,
        n_results: int = 10,
        distance_threshold: float = -1,
        **kwargs: Any,
    ) -> QueryResults:
        """The ``n_results`` nearest documents of each query (only those nearer than ``distance_threshold``
        when it is >= 0)."""
        ...

    def get_docs_by_ids(
        self,
        ids: Optional[list[ItemID]] = None,
        collection_name: Optional[str] = None,
        include: Optional[list[str]] = None,
        **kwargs: Any,
    ) -> list[Document]:
        """The documents with these ids (None: all of them)."""
        ...


class VectorDBFactory:
    """Makes a store from its name: ``VectorDBFactory.create_vector_db("chroma", path="tmp/db")``."""

    PREDEFINED_VECTOR_DB = ["chroma", "pgvector", "mongodb", "qdrant"]
    _ALIASES = {
        "chroma": "chroma",
        "chromadb": "chroma",
        "pgvector": "pgvector",
        "pgvectordb": "pgvector",
        "mdb": "mongodb",
        "mongodb": "mongodb",
        "atlas": "mongodb",
        "qdrant": "qdrant",
        "qdrantdb": "qdrant",
    }
    _CLASSES = {
        "chroma": ("chromadb", "ChromaVectorDB"),
        "qdrant": ("qdrant", "QdrantVectorDB"),
        "pgvector": ("pgvectordb", "PGVectorDB"),
        "mongodb": ("mongodb", "MongoDBAtlasVectorDB"),
    }

    @staticmethod
    def create_vector_db(db_type: str, **kwargs: Any) -> VectorDB:
        """A new store of ``db_type`` made with ``kwargs``.

        Raises:
            ValueError: an unknown ``db_type`` (the message lists the known ones).
        """
        kind = VectorDBFactory._ALIASES.get(str(db_type).lower())
        if kind is not None:  # each store's module imports its client library, so it is loaded only when asked
            module_name, class_name = VectorDBFactory._CLASSES[kind]
            store_class = getattr(importlib.import_module(f"{__package__}.{module_name}"), class_name)
            return cast(VectorDB, store_class(**kwargs))
        raise ValueError(
            f"Unsupported vector database type {db_type!r}: use one of {VectorDBFactory.PREDEFINED_VECTOR_DB}, "
            "or pass a VectorDB instance as vector_db."
        )
