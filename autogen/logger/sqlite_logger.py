"""Runtime log in a SQLite database (tables as in AutoGen 0.2)."""

from __future__ import annotations

import os
import sqlite3
import threading
from typing import Any, Optional

from .queued_logger import QueuedLogger
from .records import Record

__all__ = ["SqliteLogger"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chat_completions (
    id INTEGER PRIMARY KEY, invocation_id TEXT, client_id INTEGER, wrapper_id INTEGER, session_id TEXT,
    source_name TEXT, request TEXT, response TEXT, is_cached INTEGER, cost REAL,
    start_time DATETIME DEFAULT CURRENT_TIMESTAMP, end_time DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS agents (
    id INTEGER PRIMARY KEY, agent_id INTEGER, wrapper_id INTEGER, session_id TEXT, name TEXT, class TEXT,
    init_args TEXT, timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(agent_id, session_id));
CREATE TABLE IF NOT EXISTS oai_wrappers (
    id INTEGER PRIMARY KEY, wrapper_id INTEGER, session_id TEXT, init_args TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(wrapper_id, session_id));
CREATE TABLE IF NOT EXISTS oai_clients (
    id INTEGER PRIMARY KEY, client_id INTEGER, wrapper_id INTEGER, session_id TEXT, class TEXT, init_args TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP, UNIQUE(client_id, session_id));
CREATE TABLE IF NOT EXISTS version (id INTEGER PRIMARY KEY CHECK (id = 1), version_number INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    event_name TEXT, source_id INTEGER, source_name TEXT, agent_module TEXT DEFAULT NULL,
    agent_class_name TEXT DEFAULT NULL, id INTEGER PRIMARY KEY, json_state TEXT,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS function_calls (
    source_id INTEGER, source_name TEXT, function_name TEXT, args TEXT DEFAULT NULL, returns TEXT DEFAULT NULL,
    timestamp DATETIME DEFAULT CURRENT_TIMESTAMP);
"""

_INSERTS: dict[str, str] = {
    "chat_completion": "INSERT INTO chat_completions (invocation_id, client_id, wrapper_id, session_id, source_name,"
    " request, response, is_cached, cost, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "new_agent": "INSERT OR REPLACE INTO agents (agent_id, wrapper_id, session_id, name, class, init_args, timestamp)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)",
    "new_wrapper": "INSERT OR IGNORE INTO oai_wrappers (wrapper_id, session_id, init_args, timestamp)"
    " VALUES (?, ?, ?, ?)",
    "new_client": "INSERT OR IGNORE INTO oai_clients (client_id, wrapper_id, session_id, class, init_args, timestamp)"
    " VALUES (?, ?, ?, ?, ?, ?)",
    "event": "INSERT INTO events (source_id, source_name, event_name, agent_module, agent_class_name, json_state,"
    " timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "function_use": "INSERT INTO function_calls (source_id, source_name, function_name, args, returns, timestamp)"
    " VALUES (?, ?, ?, ?, ?, ?)",
}


def _row(session_id: str, record: Record, p: dict[str, str]) -> tuple[Any, ...]:
    f = record.fields
    if record.kind == "chat_completion":
        return (
            f["invocation_id"],
            f["client_id"],
            f["wrapper_id"],
            session_id,
            f["source_name"],
            p["request"],
            p["response"],
            f["is_cached"],
            f["cost"],
            f["start_time"],
            f["end_time"],
        )
    if record.kind == "new_agent":
        wrapper_id = f["wrapper_id"] if f["wrapper_id"] is not None else ""
        return (f["agent_id"], wrapper_id, session_id, f["agent_name"], f["agent_type"], p["args"], f["timestamp"])
    if record.kind == "new_wrapper":
        return (f["wrapper_id"], session_id, p["json_state"], f["timestamp"])
    if record.kind == "new_client":
        return (f["client_id"], f["wrapper_id"], session_id, f["client_class"], p["json_state"], f["timestamp"])
    if record.kind == "event":
        return (
            f["source_id"],
            f["source_name"],
            f["event_name"],
            f["agent_module"],
            f["agent_class"],
            p["json_state"],
            f["timestamp"],
        )
    if record.kind == "function_use":
        return (f["source_id"], f["source_name"], f["function_name"], p["input_args"], p["returns"], f["timestamp"])
    raise ValueError(f"unknown log record kind {record.kind!r}")


class SqliteLogger(QueuedLogger):
    """Writes the runtime log into a SQLite database.

    Args:
        config: ``{"dbname": "logs.db"}`` (the default); ``":memory:"`` keeps the log in memory
            for this process, readable through :meth:`get_connection`.
    """

    def __init__(self, config: Optional[dict[str, Any]] = None) -> None:
        super().__init__()
        config = dict(config or {})
        unknown = sorted(set(config) - {"dbname"})
        if unknown:
            raise ValueError(f"SqliteLogger config has unknown keys {unknown}; the only key is 'dbname'")
        dbname = config.get("dbname", "logs.db")
        if not isinstance(dbname, (str, os.PathLike)):
            raise TypeError(f"SqliteLogger config 'dbname' must be a path or ':memory:', got {dbname!r}")
        self.dbname = os.fspath(dbname)
        self.con: Optional[sqlite3.Connection] = None  # the writer's connection
        self._reader: Optional[sqlite3.Connection] = None  # the one get_connection() hands out
        self._con_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.dbname, check_same_thread=False, timeout=30.0)

    def _open(self) -> None:
        if self.con is None:
            con = self._connect()
            with self._con_lock:
                con.executescript(_SCHEMA)
                con.execute("INSERT OR IGNORE INTO version (id, version_number) VALUES (1, ?)", (SCHEMA_VERSION,))
                con.commit()
            self.con = con

    def _write(self, batch: list[tuple[Record, dict[str, str]]]) -> None:
        con = self.con
        if con is None:
            return
        with self._con_lock:
            for record, payloads in batch:
                con.execute(_INSERTS[record.kind], _row(self.session_id, record, payloads))
            con.commit()

    def _close(self) -> None:
        # An in-memory log lives only in its connection, so that one stays open to be read.
        if self.con is not None and self.dbname != ":memory:":
            with self._con_lock:
                self.con.close()
                self.con = None

    def get_connection(self) -> Optional[sqlite3.Connection]:
        """Return a connection to read the log, after everything logged so far has been written.

        For a database file this is a connection of its own, so reading never interferes with the
        background writer; for ``":memory:"`` it is the writer's connection (the only one that sees
        the data). Both stay usable after ``stop()``.
        """
        self.flush()
        if self.dbname == ":memory:":
            return self.con
        if self._reader is None:
            self._reader = self._connect()
        return self._reader
