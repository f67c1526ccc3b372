"""RetrieveUserProxyAgent's ``retrieve_config``: the keys of AutoGen 0.2, checked where they enter."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from ...retrieve_utils import CHUNK_MODES, TEXT_FORMATS
from ...token_count_utils import count_token
from .retrieve_prompts import TASKS
from .vectordb.base import VectorDB, VectorDBFactory
from .vectordb.embeddings import resolve_embedding_function

__all__ = ["KNOWN_KEYS", "RetrieveSettings", "get_max_tokens", "parse_retrieve_config"]

logger = logging.getLogger(__name__)

_KEYS = """task vector_db db_config client docs_path extra_docs new_docs model chunk_token_size context_max_tokens
chunk_mode must_break_at_empty_line embedding_model embedding_function customized_prompt customized_answer_prefix
update_context collection_name get_or_create overwrite custom_token_count_function custom_text_split_function
custom_text_types recursive distance_threshold"""
KNOWN_KEYS = frozenset(_KEYS.split())


def get_max_tokens(model: str = "gpt-3.5-turbo") -> int:
    """0.2's rough context size of ``model``, from its name."""
    if "32k" in model:
        return 32000
    if "16k" in model:
        return 16000
    if "gpt-4" in model:
        return 8000
    return 4000


@dataclass
class RetrieveSettings:
    """The checked ``retrieve_config``."""

    task: str
    vector_db: VectorDB
    collection_name: str
    docs_path: Union[str, list[str], None]
    extra_docs: bool
    new_docs: bool
    model: str
    chunk_token_size: int
    context_max_tokens: float
    chunk_mode: str
    must_break_at_empty_line: bool
    customized_prompt: Optional[str]
    customized_answer_prefix: str
    update_context: bool
    get_or_create: bool
    overwrite: bool
    custom_token_count_function: Callable[[str, str], int]
    custom_text_split_function: Optional[Callable[[str], list[str]]]
    custom_text_types: Sequence[str]
    recursive: bool
    distance_threshold: float


def _make_vector_db(config: dict[str, Any]) -> VectorDB:
    vector_db = config.get("vector_db", "chroma")
    if isinstance(vector_db, VectorDB):
        return vector_db
    if not isinstance(vector_db, str):
        raise TypeError(
            f"retrieve_config['vector_db'] must be a store name {VectorDBFactory.PREDEFINED_VECTOR_DB} or a VectorDB "
            f"instance, not {type(vector_db).__name__}"
        )
    db_config = config.get("db_config") or {}
    if not isinstance(db_config, dict):
        raise TypeError(f"retrieve_config['db_config'] must be a dict, not {type(db_config).__name__}")
    db_config = dict(db_config)
    if config.get("client") is not None and vector_db.lower() in ("chroma", "chromadb"):
        db_config.setdefault("client", config["client"])
    if "embedding_function" not in db_config:
        db_config["embedding_function"] = resolve_embedding_function(
            config.get("embedding_function"), config.get("embedding_model")
        )
    return VectorDBFactory.create_vector_db(vector_db, **db_config)


def _check_choice(config: dict[str, Any], key: str, default: str, choices: Sequence[str]) -> str:
    value = config.get(key, default)
    if not isinstance(value, str) or value.lower() not in choices:
        raise ValueError(f"retrieve_config[{key!r}] must be one of {list(choices)}, not {value!r}")
    return value.lower()


def parse_retrieve_config(config: Optional[dict[str, Any]]) -> RetrieveSettings:
    """Check ``config`` and fill in 0.2's defaults.

    Raises:
        ValueError / TypeError: a bad value, naming the key and what it accepts.
    """
    config = dict(config or {})
    unknown = sorted(set(config) - KNOWN_KEYS)
    if unknown:
        known = sorted(KNOWN_KEYS)
        warnings.warn(f"retrieve_config keys {unknown} are unknown and ignored; known keys: {known}", stacklevel=3)
    task = _check_choice(config, "task", "default", TASKS)
    chunk_mode = _check_choice(config, "chunk_mode", "multi_lines", CHUNK_MODES)
    if "docs_path" not in config:
        logger.warning("retrieve_config has no docs_path: the collection must exist (docs_path=None hides this)")
    docs_path = config.get("docs_path")
    if docs_path is not None and not isinstance(docs_path, (str, list)):
        raise TypeError(f"retrieve_config['docs_path'] must be a path, a URL or a list of them, not {docs_path!r}")
    model = config.get("model", "gpt-4")
    max_tokens = get_max_tokens(model)
    distance_threshold = float(config.get("distance_threshold", -1))
    return RetrieveSettings(
        task=task,
        vector_db=_make_vector_db(config),
        collection_name=config.get("collection_name", "autogen-docs"),
        docs_path=docs_path,
        extra_docs=bool(config.get("extra_docs", False)),
        new_docs=bool(config.get("new_docs", True)),
        model=model,
        chunk_token_size=int(config.get("chunk_token_size", max_tokens * 0.4)),
        context_max_tokens=config.get("context_max_tokens", max_tokens * 0.8),
        chunk_mode=chunk_mode,
        must_break_at_empty_line=bool(config.get("must_break_at_empty_line", True)),
        customized_prompt=config.get("customized_prompt"),
        customized_answer_prefix=str(config.get("customized_answer_prefix", "")).upper(),
        update_context=bool(config.get("update_context", True)),
        get_or_create=bool(config.get("get_or_create", False)) if docs_path is not None else True,
        overwrite=bool(config.get("overwrite", False)),
        custom_token_count_function=config.get("custom_token_count_function", count_token),
        custom_text_split_function=config.get("custom_text_split_function"),
        custom_text_types=config.get("custom_text_types", TEXT_FORMATS),
        recursive=bool(config.get("recursive", True)),
        distance_threshold=distance_threshold if distance_threshold >= 0 else -1,
    )
