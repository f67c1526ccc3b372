"""Vector stores for retrieval (AutoGen 0.2's ``contrib.vectordb``): one protocol, several backends.

``base`` holds the protocol and the factory; each backend lives in its own module (``chromadb``,
``qdrant``, ``pgvectordb``, ``mongodb``) and imports its client library only when used.
"""

from __future__ import annotations

from .base import Document, ItemID, QueryResults, VectorDB, VectorDBFactory

__all__ = ["Document", "ItemID", "QueryResults", "VectorDB", "VectorDBFactory"]
