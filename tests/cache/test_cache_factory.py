"""CacheFactory picks the backend from the options that are set."""

from __future__ import annotations

import sys

import pytest

from autogen.cache.cache_factory import CacheFactory
from autogen.cache.disk_cache import DiskCache
from autogen.cache.redis_cache import RedisCache


def test_no_options_gives_a_disk_cache_under_dot_cache(tmp_path):
    cache = CacheFactory.cache_factory(seed=5)
    try:
        assert isinstance(cache, DiskCache)
        assert cache.directory == str(tmp_path / ".cache" / "5")
    finally:
        cache.close()


def test_cache_path_root_sets_the_disk_location(tmp_path):
    cache = CacheFactory.cache_factory(seed="s", cache_path_root=tmp_path / "elsewhere")
    try:
        assert cache.directory == str(tmp_path / "elsewhere" / "s")
    finally:
        cache.close()


@pytest.mark.redis
def test_redis_url_gives_a_redis_cache():
    cache = CacheFactory.cache_factory(seed="factory", redis_url="redis://127.0.0.1:6379/0")
    try:
        assert isinstance(cache, RedisCache)
    finally:
        cache.close()


def test_cosmos_config_selects_the_cosmos_backend(monkeypatch):
    monkeypatch.setitem(sys.modules, "azure.cosmos", None)
    with pytest.raises(ImportError, match="azure-cosmos"):
        CacheFactory.cache_factory(seed=1, cosmosdb_config={"connection_string": "x"})
