"""Cache: the facade with disk, Redis, in-memory and Cosmos DB factories."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest

from autogen.cache import AbstractCache, Cache
from autogen.cache.disk_cache import DiskCache
from autogen.cache.in_memory_cache import InMemoryCache
from autogen.cache.redis_cache import RedisCache


def test_allowed_config_keys_match_0_2():
    assert Cache.ALLOWED_CONFIG_KEYS == ["cache_seed", "redis_url", "cache_path_root", "cosmos_db_config"]


def test_unknown_config_key_is_rejected_naming_it_and_the_allowed_keys():
    with pytest.raises(ValueError) as info:
        Cache({"cache_seed": 1, "cache_dir": "x"})
    message = str(info.value)
    assert "cache_dir" in message
    assert "cache_path_root" in message


def test_config_without_backend_options_is_a_disk_cache_with_seed_42(tmp_path):
    with Cache({}) as cache:
        assert isinstance(cache.cache, DiskCache)
        assert cache.cache.directory == str(tmp_path / ".cache" / "42")


def test_disk_factory_stores_under_root_and_seed(tmp_path):
    with Cache.disk(cache_seed=9, cache_path_root=tmp_path / "c") as cache:
        cache.set("k", "v")
        assert cache.get("k") == "v"
    assert (tmp_path / "c" / "9" / "cache.db").is_file()


def test_disk_factory_defaults(tmp_path):
    with Cache.disk() as cache:
        assert cache.config == {"cache_seed": 42, "cache_path_root": ".cache"}
        assert cache.cache.directory == str(tmp_path / ".cache" / "42")


def test_leaving_the_with_block_closes_the_backend():
    with Cache.disk(cache_seed=1) as cache:
        backend = cache.cache
        assert backend._store is not None
    assert backend._store is None


def test_get_returns_default_when_missing():
    with Cache.in_memory() as cache:
        assert cache.get("absent", "d") == "d"


def test_in_memory_factory_gives_a_private_in_memory_cache():
    with Cache.in_memory(cache_seed=3) as cache, Cache.in_memory(cache_seed=3) as other:
        assert isinstance(cache.cache, InMemoryCache)
        cache.set("k", 1)
        assert cache.get("k") == 1
        assert other.get("k") is None


def test_cache_satisfies_the_abstract_cache_protocol():
    members = ("get", "set", "close", "__enter__", "__exit__")
    for backend in (Cache.in_memory(), InMemoryCache()):
        assert all(callable(getattr(backend, name)) for name in members)
    assert all(hasattr(AbstractCache, name) for name in members)


def test_disk_entries_are_visible_to_another_process(tmp_path):
    with Cache.disk(cache_seed="xproc", cache_path_root=tmp_path) as cache:
        cache.set("question", {"reply": "answer"})
    script = (
        "import sys\nfrom autogen.cache import Cache\n"
        "with Cache.disk(cache_seed='xproc', cache_path_root=sys.argv[1]) as c:\n"
        "    print(c.get('question'))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "{'reply': 'answer'}", out.stderr


@pytest.mark.redis
def test_redis_factory_round_trips_through_the_server():
    seed = f"test-{uuid.uuid4().hex}"
    with Cache.redis(cache_seed=seed, redis_url="redis://127.0.0.1:6379/0") as cache:
        assert isinstance(cache.cache, RedisCache)
        try:
            cache.set("k", {"v": 1})
            assert cache.get("k") == {"v": 1}
        finally:
            cache.cache._redis.delete(f"autogen:{seed}:k")


def test_redis_factory_default_url_is_localhost():
    cache = Cache.redis(cache_seed="default-url")
    try:
        kwargs = cache.cache._redis.connection_pool.connection_kwargs
        assert (kwargs["host"], kwargs["port"], kwargs["db"]) == ("localhost", 6379, 0)
    finally:
        cache.close()


def test_repr_names_backend():
    assert "InMemoryCache" in repr(Cache.in_memory(cache_seed=1))


def test_importing_autogen_cache_loads_no_backend_library():
    script = (
        "import sys, autogen, autogen.cache\n"
        "print(sorted(m for m in ('diskcache', 'redis', 'azure.cosmos') if m in sys.modules))"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert out.stdout.strip() == "[]", out.stderr


def test_cache_disk_accepts_absolute_paths_as_0_2(tmp_path):
    from autogen.cache.cache import Cache

    with Cache.disk(cache_seed=str(tmp_path / "abs_seed"), cache_path_root=str(tmp_path / "root")) as cache:
        cache.set("k", 1)
        assert cache.get("k") == 1
    assert (tmp_path / "abs_seed" / "cache.db").is_file()
    with Cache.disk(cache_seed=3, cache_path_root=str(tmp_path / "abs_root")) as cache:
        cache.set("k", 2)
    assert (tmp_path / "abs_root" / "3" / "cache.db").is_file()
