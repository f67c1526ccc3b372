"""A cache that lives in this process's memory, for tests and short scripts."""

from __future__ import annotations

import pickle
from typing import Any, Optional, Union

from ._seed import check_seed
from .abstract_cache_base import CacheContextMixin


class InMemoryCache(CacheContextMixin):
    """A per-object in-memory cache; entries disappear with the object.

    Values are stored pickled, so a hit returns a fresh copy (as the disk and Redis caches
    do) and mutating it never changes what is cached.

    Args:
        seed: names the cache; kept for parity with the other backends.
    """

    def __init__(self, seed: Union[str, int] = "") -> None:
        self.seed = check_seed(seed)
        self._entries: dict[str, bytes] = {}

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return a copy of the value stored under ``key``, or ``default``."""
        raw = self._entries.get(key)
        if raw is None:
            return default
        return pickle.loads(raw)

    def set(self, key: str, value: Any) -> None:
        """Store a copy of ``value`` under ``key``."""
        self._entries[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def close(self) -> None:
        """Nothing to release; entries stay until the object is gone."""

    def __repr__(self) -> str:
        return f"InMemoryCache(seed={self.seed!r}, entries={len(self._entries)})"
