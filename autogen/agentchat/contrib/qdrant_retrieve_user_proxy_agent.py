"""QdrantRetrieveUserProxyAgent: RetrieveUserProxyAgent on a Qdrant store (AutoGen 0.2's Qdrant RetrieveChat).

RetrieveUserProxyAgent with ``retrieve_config={"vector_db": "qdrant", ...}`` does the same; this class keeps
0.2's Qdrant-specific keys: ``client`` (a ``QdrantClient``), ``embedding_model`` (a fastembed model name; by
default the offline all-MiniLM-L6-v2), ``hnsw_config``, ``quantization_config``, ``on_disk``.
"""

from __future__ import annotations

from typing import Any, Callable, Literal, Optional

from .retrieve_user_proxy_agent import RetrieveUserProxyAgent
from .vectordb.embeddings import DEFAULT_EMBEDDING_MODEL, FastEmbedEmbeddingFunction, resolve_embedding_function
from .vectordb.qdrant import QdrantVectorDB

__all__ = ["QdrantRetrieveUserProxyAgent"]

Message = dict[str, Any]
QDRANT_KEYS = ("client", "embedding_model", "embedding_function", "hnsw_config", "quantization_config", "on_disk")
QDRANT_ONLY_KEYS = ("hnsw_config", "quantization_config", "on_disk", "parallel", "payload_indexing")


def _qdrant_store(config: dict[str, Any]) -> QdrantVectorDB:
    model = config.get("embedding_model")
    embedding_function: Optional[Callable[..., Any]] = config.get("embedding_function")
    if embedding_function is None and model and model != DEFAULT_EMBEDDING_MODEL:
        embedding_function = FastEmbedEmbeddingFunction(model)
    options: dict[str, Any] = {}
    for key in ("hnsw_config", "quantization_config", "on_disk"):
        if config.get(key) is not None:
            options["on_disk_payload" if key == "on_disk" else key] = config[key]
    return QdrantVectorDB(
        client=config.get("client"),
        embedding_function=resolve_embedding_function(embedding_function),
        collection_options=options,
    )


class QdrantRetrieveUserProxyAgent(RetrieveUserProxyAgent):
    """(Experimental) RetrieveUserProxyAgent whose store is Qdrant (embedded at ``tmp/qdrant`` unless ``client``).

    Args: as RetrieveUserProxyAgent; ``retrieve_config`` also takes ``client``, ``embedding_model`` (fastembed),
    ``hnsw_config``, ``quantization_config`` and ``on_disk``.
    """

    def __init__(
        self,
        name: str = "RetrieveChatAgent",
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "ALWAYS",
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        retrieve_config: Optional[dict[str, Any]] = None,
        **kwargs: Any,
    ) -> None:
        config = dict(retrieve_config or {})
        if "vector_db" not in config:
            config["vector_db"] = _qdrant_store(config)
        for key in (*QDRANT_KEYS, *QDRANT_ONLY_KEYS):
            config.pop(key, None)
        super().__init__(name, human_input_mode, is_termination_msg, config, **kwargs)
