"""``Cache``: the facade users pass as ``cache=`` to ``initiate_chat`` and ``OpenAIWrapper.create``."""

from __future__ import annotations

import os
from typing import Any, Optional, Union

from .abstract_cache_base import AbstractCache, CacheContextMixin
from .cache_factory import CacheFactory
from .cosmos_db_cache import DEFAULT_DATABASE_ID


class Cache(CacheContextMixin):
    """A cache of LLM responses, on disk, in Redis, in Cosmos DB or in memory.

    Use a factory (``Cache.disk()``, ``Cache.redis()``, ``Cache.in_memory()``,
    ``Cache.cosmos_db()``) or pass a config dict. Works as a context manager that closes the
    backend on exit::

        with Cache.disk(cache_seed=7) as cache:
            assistant.initiate_chat(user, message="hi", cache=cache)

    Args:
        config: any of :attr:`ALLOWED_CONFIG_KEYS`; ``cache_seed`` defaults to 42. A
            ``redis_url`` selects Redis, a ``cosmos_db_config`` Cosmos DB, otherwise the
            cache is on disk under ``cache_path_root`` (default ``.cache``).

    Raises:
        ValueError: when ``config`` has a key that is not allowed.
    """

    ALLOWED_CONFIG_KEYS = ["cache_seed", "redis_url", "cache_path_root", "cosmos_db_config"]

    def __init__(self, config: dict[str, Any]) -> None:
        unknown = sorted(str(key) for key in config if key not in self.ALLOWED_CONFIG_KEYS)
        if unknown:
            raise ValueError(f"Invalid cache config key(s) {unknown}; allowed keys are {self.ALLOWED_CONFIG_KEYS}")
        self.config = config
        self.cache: AbstractCache = CacheFactory.cache_factory(
            seed=config.get("cache_seed", 42),
            redis_url=config.get("redis_url"),
            cache_path_root=config.get("cache_path_root", ".cache"),
            cosmosdb_config=config.get("cosmos_db_config"),
        )

    @classmethod
    def _with_backend(cls, config: dict[str, Any], backend: AbstractCache) -> Cache:
        cache = cls.__new__(cls)
        cache.config = config
        cache.cache = backend
        return cache

    @staticmethod
    def disk(cache_seed: Union[str, int] = 42, cache_path_root: Union[str, os.PathLike[str]] = ".cache") -> Cache:
        """A cache on local disk in ``<cache_path_root>/<cache_seed>``, safe across processes."""
        return Cache({"cache_seed": cache_seed, "cache_path_root": cache_path_root})

    @staticmethod
    def redis(cache_seed: Union[str, int] = 42, redis_url: str = "redis://localhost:6379/0") -> Cache:
        """A cache in the Redis server at ``redis_url`` (needs the ``redis`` extra)."""
        return Cache({"cache_seed": cache_seed, "redis_url": redis_url})

    @staticmethod
    def in_memory(cache_seed: Union[str, int] = 42) -> Cache:
        """A cache in this process's memory, private to the returned object."""
        from .in_memory_cache import InMemoryCache

        return Cache._with_backend({"cache_seed": cache_seed}, InMemoryCache(cache_seed))

    @staticmethod
    def cosmos_db(
        connection_string: Optional[str] = None,
        container_id: Optional[str] = None,
        cache_seed: Union[str, int] = 42,
        client: Optional[Any] = None,
    ) -> Cache:
        """A cache in an Azure Cosmos DB container (needs ``azure-cosmos``)."""
        cosmos_config: dict[str, Any] = {"database_id": DEFAULT_DATABASE_ID, "cache_seed": cache_seed}
        if connection_string is not None:
            cosmos_config["connection_string"] = connection_string
        if container_id is not None:
            cosmos_config["container_id"] = container_id
        if client is not None:
            cosmos_config["client"] = client
        return Cache({"cache_seed": cache_seed, "cosmos_db_config": cosmos_config})

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return the value stored under ``key``, or ``default`` when there is none."""
        return self.cache.get(key, default)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``."""
        self.cache.set(key, value)

    def close(self) -> None:
        """Close the backend."""
        self.cache.close()

    def __repr__(self) -> str:
        return f"Cache({self.cache!r})"
