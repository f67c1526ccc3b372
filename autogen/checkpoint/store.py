"""Where durable chats keep their journals: SQLite (the default) or Redis, behind one small protocol.

A store holds, per run id, an append-only list of journal entries (each one JSON object, written
atomically: a crash mid-write leaves the earlier entries valid) and one metadata object (status,
the chat's messages so far, usage) that is replaced as the run goes. Different run ids can share
one store from many threads or processes. Nothing here ever holds an API key: entries are model
replies, tool results and human input, and they pass through the same redaction as logs.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Optional, Protocol, Union, runtime_checkable

from ..logger.redact import redact

__all__ = ["CheckpointStore", "RedisCheckpointStore", "SQLiteCheckpointStore", "open_store"]

Entry = dict[str, Any]


@runtime_checkable
class CheckpointStore(Protocol):
    """What a durable chat needs from a store."""

    def entries(self, run_id: str) -> list[Entry]:
        """The run's journal, oldest first (empty for a new run)."""
        ...

    def append(self, run_id: str, entry: Entry) -> None:
        """Add one entry to the run's journal, atomically."""
        ...

    def get_meta(self, run_id: str) -> Optional[dict[str, Any]]:
        """The run's metadata, or None if the run is unknown."""
        ...

    def set_meta(self, run_id: str, meta: dict[str, Any]) -> None:
        """Replace the run's metadata, atomically."""
        ...

    def run_ids(self) -> list[str]:
        """Every run id in the store, oldest first."""
        ...


def _dump(value: Any) -> str:
    return json.dumps(redact(value), default=str)


class SQLiteCheckpointStore:
    """A store in one SQLite file (WAL mode: many readers, one writer at a time, safe across processes)."""

    def __init__(self, path: Union[str, os.PathLike[str]]) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ValueError(f"checkpoint store {str(self.path)!r} is a directory; give a file path such as runs.db")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(self.path), timeout=30, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS entries (run_id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, "
            "PRIMARY KEY (run_id, seq))"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, created REAL DEFAULT (julianday('now')), "
            "meta TEXT NOT NULL)"
        )

    def entries(self, run_id: str) -> list[Entry]:
        with self._lock:
            rows = self._db.execute("SELECT body FROM entries WHERE run_id = ? ORDER BY seq", (run_id,)).fetchall()
        return [json.loads(body) for (body,) in rows]

    def append(self, run_id: str, entry: Entry) -> None:
        body = _dump(entry)
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute(
                    "SELECT COALESCE(MAX(seq), -1) FROM entries WHERE run_id = ?", (run_id,)
                ).fetchone()
                self._db.execute("INSERT INTO entries VALUES (?, ?, ?)", (run_id, last + 1, body))
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def get_meta(self, run_id: str) -> Optional[dict[str, Any]]:
        with self._lock:
            row = self._db.execute("SELECT meta FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        return None if row is None else json.loads(row[0])

    def set_meta(self, run_id: str, meta: dict[str, Any]) -> None:
        body = _dump(meta)
        with self._lock:
            self._db.execute(
                "INSERT INTO runs (run_id, meta) VALUES (?, ?) ON CONFLICT(run_id) DO UPDATE SET meta = excluded.meta",
                (run_id, body),
            )

    def run_ids(self) -> list[str]:
        with self._lock:
            return [r for (r,) in self._db.execute("SELECT run_id FROM runs ORDER BY created, rowid").fetchall()]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"SQLiteCheckpointStore({str(self.path)!r})"


class RedisCheckpointStore:
    """A store in a Redis server: one list of entries and one metadata string per run (needs the ``redis`` extra)."""

    def __init__(self, url: str, prefix: str = "autogen:runs") -> None:
        try:
            import redis
        except ImportError as e:
            raise ImportError(
                f"A Redis checkpoint store needs the redis package: pip install 'autogen[redis]' ({e})"
            ) from e
        self.url = url
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url)

    def entries(self, run_id: str) -> list[Entry]:
        return [json.loads(body) for body in self._redis.lrange(f"{self.prefix}:{run_id}:entries", 0, -1)]

    def append(self, run_id: str, entry: Entry) -> None:
        self._redis.rpush(f"{self.prefix}:{run_id}:entries", _dump(entry))

    def get_meta(self, run_id: str) -> Optional[dict[str, Any]]:
        body = self._redis.hget(f"{self.prefix}:meta", run_id)
        return None if body is None else json.loads(body)

    def set_meta(self, run_id: str, meta: dict[str, Any]) -> None:
        pipe = self._redis.pipeline(transaction=True)
        pipe.hset(f"{self.prefix}:meta", run_id, _dump(meta))
        pipe.zadd(f"{self.prefix}:order", {run_id: float(self._redis.time()[0])}, nx=True)
        pipe.execute()

    def run_ids(self) -> list[str]:
        ids: list[Any] = list(self._redis.zrange(f"{self.prefix}:order", 0, -1))
        return [r.decode() if isinstance(r, bytes) else str(r) for r in ids]

    def close(self) -> None:
        self._redis.close()

    def __repr__(self) -> str:
        return f"RedisCheckpointStore({self.url!r})"


_open: dict[str, CheckpointStore] = {}
_open_lock = threading.Lock()


def open_store(spec: Union[str, os.PathLike[str], CheckpointStore]) -> CheckpointStore:
    """The store named by ``spec``: a file path (SQLite), a ``redis://`` URL, or a store object as is.

    Stores opened by name are kept open and shared within the process.
    """
    if isinstance(spec, CheckpointStore) and not isinstance(spec, (str, os.PathLike)):
        return spec
    if not isinstance(spec, (str, os.PathLike)):
        raise TypeError(
            f"checkpoint must be a file path, a redis:// URL or a CheckpointStore, not {type(spec).__name__}"
        )
    name = os.fspath(spec)
    with _open_lock:
        store = _open.get(name)
        if store is None:
            is_redis = name.startswith(("redis://", "rediss://", "unix://"))
            store = RedisCheckpointStore(name) if is_redis else SQLiteCheckpointStore(name)
            _open[name] = store
        return store
