"""InMemoryCache: a private, per-object store that hands out copies."""

from __future__ import annotations

from autogen.cache.in_memory_cache import InMemoryCache


def test_value_set_is_returned_by_get():
    cache = InMemoryCache()
    cache.set("k", [1, 2])
    assert cache.get("k") == [1, 2]


def test_missing_key_returns_default():
    assert InMemoryCache().get("absent", default=0) == 0


def test_mutating_a_hit_does_not_change_the_cached_value():
    cache = InMemoryCache()
    cache.set("k", {"n": 1})
    hit = cache.get("k")
    hit["n"] = 2
    assert cache.get("k") == {"n": 1}


def test_two_caches_with_the_same_seed_are_separate():
    first, second = InMemoryCache(seed=1), InMemoryCache(seed=1)
    first.set("k", "v")
    assert second.get("k") is None


def test_context_manager_returns_the_cache():
    with InMemoryCache("s") as cache:
        cache.set("k", "v")
        assert isinstance(cache, InMemoryCache)
        assert cache.get("k") == "v"
