"""Durable chats: a journal of every effect a chat had, in a store that survives the process.

``initiate_chat(..., checkpoint="runs.db", run_id="job-42")`` records the run as it goes; calling it
again with the same ``run_id`` after a crash replays what was recorded (no model or tool call is
made twice) and goes on from the last completed turn. See the README, "Beyond 0.2".
"""

from .journal import INTERRUPTED_TOOL_RESULT, Journal, idempotent, is_idempotent
from .store import CheckpointStore, RedisCheckpointStore, SQLiteCheckpointStore, open_store

__all__ = [
    "INTERRUPTED_TOOL_RESULT",
    "CheckpointStore",
    "Journal",
    "RedisCheckpointStore",
    "SQLiteCheckpointStore",
    "idempotent",
    "is_idempotent",
    "open_store",
]
