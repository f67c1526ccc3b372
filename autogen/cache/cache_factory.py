"""Choosing a cache backend from the config keys that are set."""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from .abstract_cache_base import AbstractCache


class CacheFactory:
    """Builds the backend a cache config asks for."""

    @staticmethod
    def cache_factory(
        seed: Union[str, int],
        redis_url: Optional[str] = None,
        cache_path_root: Union[str, os.PathLike[str]] = ".cache",
        cosmosdb_config: Optional[dict[str, Any]] = None,
    ) -> AbstractCache:
        """Return a Redis cache if ``redis_url`` is set, else Cosmos DB if configured, else a disk cache.

        Args:
            seed: names the cache; different seeds never share entries.
            redis_url: a Redis server URL, e.g. ``redis://localhost:6379/0``.
            cache_path_root: the directory of disk caches (one sub-directory per seed).
            cosmosdb_config: Cosmos DB settings, see :class:`~autogen.cache.cosmos_db_cache.CosmosDBConfig`.
        """
        if redis_url:
            from .redis_cache import RedisCache

            return RedisCache(seed, redis_url)
        if cosmosdb_config:
            from .cosmos_db_cache import CosmosDBCache

            return CosmosDBCache.from_config(seed, cosmosdb_config)  # type: ignore[arg-type]
        from .disk_cache import DiskCache

        return DiskCache(seed, cache_path_root)
