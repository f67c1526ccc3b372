"""What every store shares: the embedding function, the active collection, checks on documents and dimensions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Callable, Optional

from .base import Document, QueryResults
from .embeddings import embed, resolve_embedding_function

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


class StoreBase:
    """Base of the stores: ``embedding_function``, ``active_collection`` and the embedding dimension."""

    type: str = ""
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
    def _no_collection(kind: str, name: Any) -> ValueError:
        return ValueError(
            f"{kind} collection {name!r} does not exist: create it with create_collection({name!r}) or fill it by "
            "giving docs_path to RetrieveUserProxyAgent."
        )

    @staticmethod
    def _truncate(results: QueryResults, n_results: int) -> QueryResults:
        return [query[:n_results] for query in results]
