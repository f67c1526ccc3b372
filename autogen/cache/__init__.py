"""Caches of LLM responses: ``Cache.disk()``, ``Cache.redis()``, ``Cache.in_memory()``, ``Cache.cosmos_db()``."""

from __future__ import annotations

from .abstract_cache_base import AbstractCache
from .cache import Cache

__all__ = ["AbstractCache", "Cache"]
