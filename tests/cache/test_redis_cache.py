"""RedisCache against the real Redis server on 127.0.0.1:6379."""

from __future__ import annotations

import pickle
import uuid
from collections.abc import Iterator

import pytest

from autogen.cache.redis_cache import RedisCache, redact_url

REDIS_URL = "redis://127.0.0.1:6379/0"

pytestmark = pytest.mark.redis


@pytest.fixture
def raw_redis() -> Iterator[object]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    yield client
    client.close()


@pytest.fixture
def seed(raw_redis) -> Iterator[str]:
    """A seed no other test uses; its keys are deleted afterwards."""
    value = f"test-{uuid.uuid4().hex}"
    yield value
    keys = list(raw_redis.scan_iter(match=f"autogen:{value}:*"))
    if keys:
        raw_redis.delete(*keys)


def test_value_set_is_returned_by_get(seed):
    with RedisCache(seed, REDIS_URL) as cache:
        cache.set("k", {"answer": 42})
        assert cache.get("k") == {"answer": 42}


def test_missing_key_returns_default(seed):
    with RedisCache(seed, REDIS_URL) as cache:
        assert cache.get("absent") is None
        assert cache.get("absent", default="d") == "d"


def test_keys_are_prefixed_with_autogen_and_seed_and_values_pickled(seed, raw_redis):
    with RedisCache(seed, REDIS_URL) as cache:
        cache.set("k", [1, "two"])
    assert pickle.loads(raw_redis.get(f"autogen:{seed}:k")) == [1, "two"]


def test_different_seeds_do_not_share_entries(seed, raw_redis):
    other = f"{seed}-other"
    try:
        with RedisCache(seed, REDIS_URL) as one, RedisCache(other, REDIS_URL) as two:
            one.set("k", "from one")
            assert two.get("k") is None
    finally:
        raw_redis.delete(f"autogen:{other}:k")


def test_entries_are_seen_by_a_new_connection(seed):
    with RedisCache(seed, REDIS_URL) as writer:
        writer.set("k", "shared")
    with RedisCache(seed, REDIS_URL) as reader:
        assert reader.get("k") == "shared"


def test_invalid_url_error_names_the_url_without_password():
    with pytest.raises(ValueError, match="not a valid Redis URL") as info:
        RedisCache("s", "http://user:hunter2@host:6379/0")
    assert "hunter2" not in str(info.value)
    assert "host:6379" in str(info.value)


def test_unreachable_server_raises_connection_error_on_use(seed):
    import redis

    with RedisCache(seed, "redis://127.0.0.1:1/0") as cache, pytest.raises(redis.exceptions.ConnectionError):
        cache.get("k")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:pw@h:1/0", "redis://***@h:1/0"),
        ("redis://user:pw@h:1/0", "redis://***@h:1/0"),
        ("redis://h:1/0", "redis://h:1/0"),
        ("rediss://u:p@h", "rediss://***@h"),
    ],
)
def test_redact_url_hides_credentials(url, shown):
    assert redact_url(url) == shown
