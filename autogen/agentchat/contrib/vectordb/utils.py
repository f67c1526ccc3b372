"""Helpers shared by the vector stores (0.2's ``vectordb.utils``)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from .base import QueryResults

__all__ = ["chroma_results_to_query_results", "filter_results_by_distance", "get_logger", "require"]


def get_logger(name: str, level: int = logging.INFO) -> logging.Logger:
    """The named logger at ``level`` (0.2 added a coloured handler; we leave handlers to the application)."""
    logger = logging.getLogger(name)
    logger.setLevel(level)
    return logger


def require(module: str, extra: str, what: str) -> Any:
    """Import ``module`` or raise an ImportError naming the extra that installs it."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f'{what} needs the {module!r} package: pip install "autogen[{extra}]" ({e})') from e


def filter_results_by_distance(results: QueryResults, distance_threshold: float = -1) -> QueryResults:
    """Keep the results nearer than ``distance_threshold``; a negative threshold keeps them all."""
    if distance_threshold < 0:
        return results
    return [[(doc, distance) for doc, distance in query if distance < distance_threshold] for query in results]


def chroma_results_to_query_results(data_dict: dict[str, Any], special_key: str = "distances") -> QueryResults:
    """Turn Chroma's column-wise result (``{"ids": [[...]], "contents": [[...]], "distances": [[...]]}``) into
    :data:`QueryResults`: per query, ``(document, distance)`` pairs; each key loses its plural ``s``."""
    keys = [k for k, v in data_dict.items() if k != special_key and isinstance(v, list)]
    results: QueryResults = []
    for i, distances in enumerate(data_dict[special_key]):
        row = []
        for j, distance in enumerate(distances):
            doc = {k[:-1]: data_dict[k][i][j] for k in keys if len(data_dict[k]) > i and data_dict[k][i] is not None}
            row.append((doc, float(distance)))
        results.append(row)  # type: ignore[arg-type]
    return results
