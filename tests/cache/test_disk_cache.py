"""DiskCache: a diskcache store per seed directory, shared per process, read-only on hits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from autogen.cache import disk_cache
from autogen.cache.disk_cache import MAX_IDLE_STORES, DiskCache, close_idle_stores


def _child_env() -> dict[str, str]:
    """The environment for a child Python that must import this checkout's ``autogen``."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}


def test_value_set_is_returned_by_get(tmp_path):
    with DiskCache(1, tmp_path) as cache:
        cache.set("key", {"answer": [1, 2, 3]})
        assert cache.get("key") == {"answer": [1, 2, 3]}


def test_missing_key_returns_default(tmp_path):
    with DiskCache(1, tmp_path) as cache:
        assert cache.get("absent") is None
        assert cache.get("absent", default="fallback") == "fallback"


def test_cache_lives_in_seed_directory_under_root(tmp_path):
    with DiskCache("abc", tmp_path / "root") as cache:
        cache.set("k", 1)
    assert (tmp_path / "root" / "abc" / "cache.db").is_file()


def test_default_root_is_dot_cache_in_working_directory(tmp_path):
    with DiskCache(42) as cache:
        cache.set("k", 1)
    assert (tmp_path / ".cache" / "42").is_dir()


def test_different_seeds_do_not_share_entries(tmp_path):
    with DiskCache(1, tmp_path) as one, DiskCache(2, tmp_path) as two:
        one.set("k", "from one")
        assert two.get("k") is None


def test_entries_survive_close_and_reopen(tmp_path):
    with DiskCache(7, tmp_path) as cache:
        cache.set("k", "kept")
    close_idle_stores()
    with DiskCache(7, tmp_path) as cache:
        assert cache.get("k") == "kept"


def test_large_values_round_trip(tmp_path):
    big = "x" * 200_000
    with DiskCache(1, tmp_path) as cache:
        cache.set("big", big)
        cache.set("big_obj", {"text": big})
        assert cache.get("big") == big
        assert cache.get("big_obj") == {"text": big}


def test_two_caches_on_one_directory_share_the_open_store(tmp_path):
    first = DiskCache(1, tmp_path)
    second = DiskCache(1, tmp_path)
    try:
        assert first._cache is second._cache
    finally:
        first.close()
        second.close()


def test_deleted_directory_is_reopened_fresh_not_served_stale(tmp_path):
    with DiskCache(1, tmp_path) as cache:
        cache.set("k", "old")
    shutil.rmtree(tmp_path / "1")
    with DiskCache(1, tmp_path) as cache:
        assert cache.get("k") is None
        cache.set("k", "new")
    assert (tmp_path / "1" / "cache.db").is_file()


def test_at_most_max_idle_stores_stay_open_after_close(tmp_path):
    close_idle_stores()
    for seed in range(MAX_IDLE_STORES + 4):
        with DiskCache(seed, tmp_path) as cache:
            cache.set("k", seed)
    assert len(disk_cache._idle) == MAX_IDLE_STORES
    assert str(tmp_path / "0") not in {key[1] for key in disk_cache._idle}
    with DiskCache(0, tmp_path) as cache:
        assert cache.get("k") == 0


def test_store_in_use_is_never_evicted(tmp_path):
    close_idle_stores()
    held = DiskCache("held", tmp_path)
    try:
        for seed in range(MAX_IDLE_STORES + 2):
            DiskCache(seed, tmp_path).close()
        held.set("k", "still open")
        assert held.get("k") == "still open"
        assert disk_cache._stores[(os.getpid(), held.directory)] is held._store
    finally:
        held.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_forked_child_opens_its_own_store_and_parent_keeps_working(tmp_path):
    import multiprocessing

    with DiskCache("forked", tmp_path) as cache:
        cache.set("parent", 1)
        context = multiprocessing.get_context("fork")
        child = context.Process(target=_child_reads_and_writes, args=(str(tmp_path),))
        child.start()
        child.join(60)
        assert child.exitcode == 0
        assert cache.get("child") == 2
        cache.set("after", 3)
        assert cache.get("after") == 3


def _child_reads_and_writes(root: str) -> None:
    with DiskCache("forked", root) as cache:
        assert cache.get("parent") == 1
        cache.set("child", 2)


def test_close_twice_is_harmless(tmp_path):
    cache = DiskCache(1, tmp_path)
    cache.close()
    cache.close()
    with DiskCache(1, tmp_path) as again:
        again.set("k", 1)
        assert again.get("k") == 1


def test_get_writes_nothing_to_sqlite(tmp_path):
    with DiskCache(1, tmp_path) as cache:
        cache.set("k", {"v": 1})
        connection = cache._cache._con
        changes_before = connection.total_changes
        for _ in range(50):
            assert cache.get("k") == {"v": 1}
            assert cache.get("missing") is None
        assert connection.total_changes == changes_before


def test_relative_seed_that_climbs_out_of_the_root_is_rejected(tmp_path):
    with pytest.raises(ValueError, match=r"must not contain '\.\.'"):
        DiskCache("../escape", tmp_path)


def test_an_absolute_seed_is_the_cache_directory_as_in_0_2(tmp_path):
    target = tmp_path / "elsewhere" / "my_cache"
    with DiskCache(str(target), tmp_path / "root") as cache:
        cache.set("k", "v")
        assert cache.directory == str(target)
    assert (target / "cache.db").is_file()


@pytest.mark.parametrize("seed", [None, 1.5, True, ["a"]])
def test_seed_of_wrong_type_is_rejected(tmp_path, seed):
    with pytest.raises(TypeError, match="cache_seed must be an int or a str"):
        DiskCache(seed, tmp_path)  # type: ignore[arg-type]


def test_unreadable_database_gives_a_clear_error(tmp_path):
    (tmp_path / "1").mkdir()
    (tmp_path / "1" / "cache.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(RuntimeError, match="Delete that directory"):
        DiskCache(1, tmp_path)


_STRACE_SCRIPT = textwrap.dedent(
    """
    import os, sys
    from autogen.cache import Cache
    root = sys.argv[1]
    with Cache.disk(cache_seed=1, cache_path_root=root) as cache:
        cache.set("k", {"v": 1})
    os.write(2, b"==HITS START==\\n")
    for _ in range(20):
        with Cache.disk(cache_seed=1, cache_path_root=root) as cache:
            assert cache.get("k") == {"v": 1}
    os.write(2, b"==HITS END==\\n")
    """
)


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_cache_hits_including_reopening_make_no_fsync(tmp_path):
    result = subprocess.run(
        ["strace", "-f", "-e", "trace=fsync,fdatasync,write", sys.executable, "-c", _STRACE_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        env=_child_env(),
    )
    if result.returncode != 0 and "ptrace" in result.stderr:
        pytest.skip("strace is not permitted here")
    assert result.returncode == 0, result.stderr[-2000:]
    hits = result.stderr.split("==HITS START==")[1].split("==HITS END==")[0]
    assert "==HITS END==" in result.stderr
    assert "fsync(" not in hits and "fdatasync(" not in hits


_WORKER_SCRIPT = textwrap.dedent(
    """
    import sys
    from autogen.cache.disk_cache import DiskCache
    root, worker = sys.argv[1], sys.argv[2]
    with DiskCache("shared", root) as cache:
        for i in range(300):
            cache.set(f"own-{worker}-{i}", {"worker": worker, "i": i, "pad": "p" * (i * 50)})
            cache.set(f"common-{i % 20}", {"i": i % 20})
            value = cache.get(f"common-{(i * 7) % 20}")
            assert value is None or value == {"i": (i * 7) % 20}, value
    print("done", worker)
    """
)


@pytest.mark.slow
def test_processes_writing_one_fresh_cache_at_once_do_not_corrupt_it(tmp_path):
    env = _child_env()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER_SCRIPT, str(tmp_path), str(n)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(3)
    ]
    for n, proc in enumerate(workers):
        out, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-2000:]
        assert out.strip() == f"done {n}"
    with DiskCache("shared", tmp_path) as cache:
        for n in range(3):
            for i in range(300):
                assert cache.get(f"own-{n}-{i}") == {"worker": str(n), "i": i, "pad": "p" * (i * 50)}
        for i in range(20):
            assert cache.get(f"common-{i}") == {"i": i}
        assert cache._cache.check() == []
