"""A cache in Redis, shared by every process that reaches the same server."""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any, Optional, Union, cast

from ._seed import check_seed
from .abstract_cache_base import CacheContextMixin

if TYPE_CHECKING:
    import redis

REDIS_EXTRA_HINT = "The Redis cache needs the 'redis' package: pip install 'autogen[redis]'."


def redact_url(url: str) -> str:
    """Return ``url`` with its credentials (``user:password@``) replaced by ``***@``."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, path = rest.partition("/")
    if not sep or "@" not in netloc:
        return url
    return f"{scheme}://***@{netloc.rpartition('@')[2]}{slash}{path}"


def _connect(redis_url: str) -> redis.Redis:
    try:
        import redis
    except ImportError as e:
        raise ImportError(REDIS_EXTRA_HINT) from e
    try:
        return redis.Redis.from_url(redis_url)
    except ValueError:
        shown = redact_url(redis_url)
        raise ValueError(f"redis_url {shown!r} is not a valid Redis URL; use e.g. redis://host:6379/0") from None


class RedisCache(CacheContextMixin):
    """A cache whose entries live in Redis under keys ``autogen:<seed>:<key>``.

    Values are pickled; only point this at a Redis server you trust, as unpickling runs code.
    The connection is made on first use.

    Args:
        seed: names the cache; different seeds never see each other's entries.
        redis_url: where the server is, e.g. ``redis://localhost:6379/0``.
    """

    def __init__(self, seed: Union[str, int], redis_url: str) -> None:
        self.seed = check_seed(seed)
        self._prefix = f"autogen:{self.seed}:"
        self._redis = _connect(redis_url)

    def _prefixed_key(self, key: str) -> str:
        return self._prefix + key

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return the value stored under ``key``, or ``default`` when there is none."""
        raw = self._redis.get(self._prefixed_key(key))
        if raw is None:
            return default
        return pickle.loads(cast(bytes, raw))  # decode_responses is off, so Redis returns bytes

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, replacing any previous value."""
        self._redis.set(self._prefixed_key(key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def close(self) -> None:
        """Close the connections to the server."""
        self._redis.close()

    def __repr__(self) -> str:
        return f"RedisCache(seed={self.seed!r})"
