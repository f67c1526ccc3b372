"""A cache on local disk, backed by ``diskcache`` (SQLite plus files), safe across processes.

Opening a ``diskcache.Cache`` writes its settings to SQLite and syncs the file (four
``fdatasync`` calls), which 0.2 paid on every cached LLM call. Here the open store for a
directory is kept per process and shared by every :class:`DiskCache` on that directory, so
opening one again is a dictionary lookup plus one ``stat``. The settings below make a ``get``
a pure SQLite read: no statistics counters, no access-time bookkeeping, no tag index.
"""

from __future__ import annotations

import atexit
import os
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from ._seed import check_seed
from .abstract_cache_base import CacheContextMixin

if TYPE_CHECKING:
    import diskcache

# A ``get`` touches nothing but a SELECT with these: "least-recently-stored" eviction
# updates no column on read (unlike "least-recently-used"), statistics are off and there is
# no tag index. WAL with synchronous=NORMAL keeps writes durable without a sync per commit.
DISKCACHE_SETTINGS: dict[str, Any] = {
    "statistics": False,
    "tag_index": False,
    "eviction_policy": "least-recently-stored",
    "size_limit": 2**30,
    "sqlite_journal_mode": "wal",
    "sqlite_synchronous": 1,
}
# Seconds SQLite waits for another process's write lock before diskcache gives up.
SQLITE_TIMEOUT_S = 60.0
_DB_FILE = "cache.db"


@dataclass
class _Store:
    """One open ``diskcache.Cache`` and how many :class:`DiskCache` objects use it."""

    cache: diskcache.Cache
    key: tuple[int, str]
    inode: int
    users: int = 0


_stores: dict[tuple[int, str], _Store] = {}
# Stores nobody uses right now, oldest first; at most MAX_IDLE_STORES stay open.
_idle: OrderedDict[tuple[int, str], None] = OrderedDict()
_stores_lock = threading.Lock()
# Open but unused stores kept for quick reopening; each holds a few file descriptors.
MAX_IDLE_STORES = 8


def _db_inode(directory: str) -> int:
    try:
        return os.stat(os.path.join(directory, _DB_FILE)).st_ino
    except OSError:
        return -1


def _open_store(directory: str, key: tuple[int, str]) -> _Store:
    import diskcache

    try:
        cache = diskcache.Cache(directory, timeout=SQLITE_TIMEOUT_S, **DISKCACHE_SETTINGS)
    except sqlite3.DatabaseError as e:
        raise RuntimeError(
            f"The disk cache at {directory!r} cannot be opened ({e}). Delete that directory to start a fresh cache."
        ) from e
    return _Store(cache=cache, key=key, inode=_db_inode(directory))


def _forget(store: _Store) -> None:
    """Take ``store`` out of the pool (lock held); close it if nobody uses it."""
    _stores.pop(store.key, None)
    _idle.pop(store.key, None)
    if store.users <= 0:
        store.cache.close()


def _acquire(directory: str) -> _Store:
    """Return the shared open store for ``directory``, opening it if needed."""
    key = (os.getpid(), directory)
    with _stores_lock:
        store = _stores.get(key)
        if store is not None and _db_inode(directory) != store.inode:
            # The directory was deleted or replaced since we opened it: never serve stale data.
            _forget(store)
            store = None
        if store is None:
            store = _open_store(directory, key)
            _stores[key] = store
        _idle.pop(key, None)
        store.users += 1
        return store


def _release(store: _Store) -> None:
    """Drop one user of ``store``; keep it open while idle, up to :data:`MAX_IDLE_STORES` stores."""
    if store.key[0] != os.getpid():
        return  # opened by the parent of this forked process, which still owns its connections
    with _stores_lock:
        store.users -= 1
        if store.users > 0:
            return
        if _stores.get(store.key) is not store:  # replaced while in use
            store.cache.close()
            return
        _idle[store.key] = None
        while len(_idle) > MAX_IDLE_STORES:
            oldest_key = next(iter(_idle))
            _forget(_stores[oldest_key])


_inherited: list[_Store] = []


def _forget_parent_stores_after_fork() -> None:
    """In a forked child, start with an empty pool and never touch the parent's connections."""
    global _stores_lock
    _inherited.extend(_stores.values())  # kept referenced, so garbage collection never closes them here
    _stores.clear()
    _idle.clear()
    _stores_lock = threading.Lock()  # another thread may have held it at the moment of the fork


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_parent_stores_after_fork)


@atexit.register
def close_idle_stores() -> None:
    """Close every pooled store of this process that no :class:`DiskCache` is using."""
    pid = os.getpid()
    with _stores_lock:
        for key in [key for key in _idle if key[0] == pid]:
            _forget(_stores[key])


def cache_directory(seed: Union[str, int], cache_path_root: Union[str, os.PathLike[str]]) -> str:
    """Return the directory of the disk cache for ``seed`` under ``cache_path_root``.

    As in 0.2, an absolute path given as the seed is the cache directory itself (``cache_path_root``,
    relative or absolute, is then not used).

    Raises:
        ValueError: when a relative seed climbs out of ``cache_path_root`` with ``..``.
    """
    seed_str = check_seed(seed)
    seed_path = Path(seed_str)
    if seed_path.is_absolute():
        return os.path.abspath(seed_str)
    if ".." in seed_path.parts:
        raise ValueError(
            f"cache_seed {seed_str!r} must not contain '..' (it would put the cache outside cache_path_root); "
            "give an absolute path to place the cache elsewhere."
        )
    return os.path.abspath(os.path.join(os.fspath(cache_path_root), seed_str))


class DiskCache(CacheContextMixin):
    """A disk cache in ``<cache_path_root>/<seed>``, shared safely by threads and processes.

    Values are pickled by ``diskcache``; only open caches you trust, as unpickling runs code.
    ``close`` releases this object's hold on the shared store; the store itself stays open
    for the next cache on the same directory until the process exits.

    Args:
        seed: names the cache; different seeds never see each other's entries.
        cache_path_root: the directory that holds one sub-directory per seed.
    """

    def __init__(self, seed: Union[str, int], cache_path_root: Union[str, os.PathLike[str]] = ".cache") -> None:
        self.directory = cache_directory(seed, cache_path_root)
        self._store: Optional[_Store] = _acquire(self.directory)
        self._cache = self._store.cache

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return the value stored under ``key``, or ``default``; a pure read."""
        return self._cache.get(key, default=default, retry=True)

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (waits for other processes' writes if needed)."""
        self._cache.set(key, value, retry=True)

    def close(self) -> None:
        """Release this cache; safe to call more than once."""
        store, self._store = self._store, None
        if store is not None:
            _release(store)

    def __repr__(self) -> str:
        return f"DiskCache(directory={self.directory!r})"
