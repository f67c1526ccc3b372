"""Validation of cache seeds, shared by every backend."""

from __future__ import annotations

from typing import Union

CacheSeed = Union[str, int]


def check_seed(seed: object) -> str:
    """Return ``seed`` as the string the backends use, or raise if it cannot name a cache.

    Args:
        seed: the cache seed given by the user; an ``int`` or a ``str``.

    Raises:
        TypeError: when ``seed`` is neither an ``int`` nor a ``str`` (``bool`` included).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, str)):
        raise TypeError(f"cache_seed must be an int or a str, got {seed!r} ({type(seed).__name__})")
    return str(seed)
