"""What every store shares: the embedding function, the active collection, the collection life cycle, checks on
documents and dimensions, and nearest-first retrieval. Each store fills in a few small hooks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Optional

from .base import Document, ItemID, QueryResults
from .embeddings import embed, resolve_embedding_function
from .utils import filter_results_by_distance

__all__ = ["StoreBase", "check_docs"]

PROBE_TEXT = "dimension probe"
BATCH_SIZE = 256


def check_docs(docs: Sequence[Document]) -> None:
    """Each document has an id and a str content; no id twice.

    Raises:
        ValueError: naming the first bad document.
    """
    seen = set()
    for i, doc in enumerate(docs):
        if not isinstance(doc, dict) or "id" not in doc or not isinstance(doc.get("content"), str):
            raise ValueError(f"docs[{i}] must be a dict with an 'id' and a str 'content', not {doc!r:.200}")
        if doc["id"] in seen:
            raise ValueError(f"docs[{i}] repeats the id {doc['id']!r}: ids must be unique")
        seen.add(doc["id"])


def _name_of(collection: Any) -> Any:
    """A collection handle's name (Chroma and MongoDB handles are objects; the others are names)."""
    return getattr(collection, "name", collection)


class StoreBase:
    """Base of the stores. A store implements ``_exists``, ``_create``, ``_open``, ``_drop``,
    ``_stored_dimension`` and ``_search`` (or its own ``retrieve_docs``), plus the document methods."""

    type: str = ""
    label: str = ""  # the store's name in messages
    embedding_function: Optional[Callable[..., Any]]

    def __init__(self, embedding_function: Optional[Callable[..., Any]] = None) -> None:
        self.embedding_function = resolve_embedding_function(embedding_function)
        self.active_collection: Any = None
        self._dimension: Optional[int] = None

    @property
    def dimension(self) -> int:
        """How many numbers the embedding function gives per text (found by embedding one probe text)."""
        if self._dimension is None:
            self._dimension = len(embed(self.embedding_function, [PROBE_TEXT])[0])
        return self._dimension

    # ---- hooks ------------------------------------------------------------------------------------
    def _exists(self, name: str) -> bool:
        raise NotImplementedError

    def _create(self, name: str) -> Any:
        """Create the (new or dropped) collection; returns its handle."""
        raise NotImplementedError

    def _open(self, name: str) -> Any:
        """The handle of the existing collection ``name``."""
        return name

    def _drop(self, name: str) -> None:
        raise NotImplementedError

    def _stored_dimension(self, collection: Any) -> Optional[int]:
        """The dimension of the collection's embeddings (None while it is unknown)."""
        raise NotImplementedError

    def _search(self, collection: Any, vector: list[float], n_results: int) -> list[tuple[Document, float]]:
        raise NotImplementedError

    # ---- collections ------------------------------------------------------------------------------
    def create_collection(self, collection_name: str, overwrite: bool = False, get_or_create: bool = True) -> Any:
        """Create the collection; an existing one is returned with ``get_or_create``, replaced with ``overwrite``.

        Raises:
            ValueError: it exists and neither ``get_or_create`` nor ``overwrite`` is set.
        """
        exists = self._exists(collection_name)
        if exists and not overwrite and not get_or_create:
            raise ValueError(
                f"{self.label} collection {collection_name!r} already exists: pass get_or_create=True to use it, or "
                "overwrite=True to delete and rebuild it."
            )
        if exists and overwrite:
            self._drop(collection_name)
        self.active_collection = (
            self._open(collection_name) if exists and not overwrite else self._create(collection_name)
        )
        return self.active_collection

    def get_collection(self, collection_name: Optional[str] = None) -> Any:
        """The collection ``collection_name``, or the active one.

        Raises:
            ValueError: there is no such collection (or none is active).
        """
        if collection_name is None:
            if self.active_collection is None:
                raise ValueError(
                    f"No active {self.label} collection: pass collection_name, or call create_collection first."
                )
            return self.active_collection
        if not self._exists(collection_name):
            raise ValueError(
                f"{self.label} collection {collection_name!r} does not exist: create it with "
                f"create_collection({collection_name!r}) or fill it by giving docs_path to RetrieveUserProxyAgent."
            )
        self.active_collection = self._open(collection_name)
        return self.active_collection

    def delete_collection(self, collection_name: str) -> None:
        """Delete the collection (the active one is forgotten if it is this one)."""
        self._drop(collection_name)
        if self.active_collection is not None and _name_of(self.active_collection) == collection_name:
            self.active_collection = None

    # ---- documents --------------------------------------------------------------------------------
    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        raise NotImplementedError

    def update_docs(self, docs: list[Document], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Replace documents with the same ids (and add the others)."""
        self.insert_docs(docs, collection_name, upsert=True)

    def retrieve_docs(
        self,
        queries: list[str],
        collection_name: Optional[str] = None,
        n_results: int = 10,
        distance_threshold: float = -1,
        **kwargs: Any,
    ) -> QueryResults:
        """The ``n_results`` nearest documents of each query, as (document, distance), nearest first; only those
        nearer than ``distance_threshold`` when it is >= 0."""
        collection = self.get_collection(collection_name)
        vectors = self._embed(queries, _name_of(collection), self._stored_dimension(collection))
        results = [self._search(collection, vector, n_results) for vector in vectors]
        return filter_results_by_distance(results, distance_threshold)

    def _embed(self, texts: Sequence[str], collection_name: str, stored_dimension: Optional[int]) -> list[list[float]]:
        """Embed ``texts``, refusing vectors of another dimension than the collection holds."""
        vectors = embed(self.embedding_function, texts)
        if vectors and stored_dimension is not None and len(vectors[0]) != stored_dimension:
            raise ValueError(
                f"{self.type} collection {collection_name!r} holds {stored_dimension}-dimensional embeddings, but "
                f"embedding_function {self.embedding_function!r} gives {len(vectors[0])} dimensions: use the "
                "embedding function the collection was made with, another collection_name, or overwrite=True to "
                "rebuild it."
            )
        return vectors

    def _batches(self, docs: Sequence[Document]) -> list[Sequence[Document]]:
        return [docs[i : i + BATCH_SIZE] for i in range(0, len(docs), BATCH_SIZE)]

    @staticmethod
    def _ids(ids: Sequence[ItemID]) -> list[str]:
        return [str(i) for i in ids]
