"""Runtime logging: record every LLM call, agent, wrapper, client, event and tool use of a session.

Example:
    >>> import autogen.runtime_logging as runtime_logging
    >>> session_id = runtime_logging.start(config={"dbname": "logs.db"})
    >>> # ... run agents ...
    >>> runtime_logging.stop()

Logging calls only snapshot their arguments and queue them; one background thread per logger
writes them (SQLite or JSON lines). Secrets (API keys, tokens, authorization headers) are removed
before anything is written. Callers guard with ``if logging_enabled():`` so the disabled path
costs one function call.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import TYPE_CHECKING, Any, Callable, Literal, Optional

if TYPE_CHECKING:
    import sqlite3

    from autogen.logger.base_logger import BaseLogger
    from autogen.logger.summary import LogSummary

__all__ = [
    "get_connection",
    "log_chat_completion",
    "log_event",
    "log_function_use",
    "log_new_agent",
    "log_new_client",
    "log_new_wrapper",
    "logging_enabled",
    "start",
    "stop",
    "summarize",
]

logger = logging.getLogger(__name__)

autogen_logger: Optional[BaseLogger] = None
is_logging = False
_state_lock = threading.Lock()


def start(
    logger: Optional[BaseLogger] = None,
    logger_type: Literal["sqlite", "file"] = "sqlite",
    config: Optional[dict[str, Any]] = None,
) -> str:
    """Start logging and return the session id.

    Args:
        logger: A ready logger to use; when None, one is made from ``logger_type`` and ``config``.
        logger_type: ``"sqlite"`` (``config={"dbname": ...}``) or ``"file"`` (``config={"filename": ...}``).
        config: Settings for the built-in logger.

    A session that is already running is stopped first (its pending records are written).
    """
    global autogen_logger, is_logging
    from autogen.logger.base_logger import BaseLogger
    from autogen.logger.logger_factory import LoggerFactory

    if logger is not None and not isinstance(logger, BaseLogger):
        raise TypeError(f"logger must be an autogen.logger.BaseLogger, got {type(logger).__name__}")
    new_logger = logger if logger is not None else LoggerFactory.get_logger(logger_type=logger_type, config=config)
    with _state_lock:
        previous = autogen_logger if is_logging else None
        is_logging = False
    if previous is not None and previous is not new_logger:
        previous.stop()
    session_id = new_logger.start()
    with _state_lock:
        autogen_logger = new_logger
        is_logging = True
    return session_id


def stop() -> None:
    """Stop logging: write everything pending and close the log (it stays readable)."""
    global is_logging
    with _state_lock:
        current = autogen_logger if is_logging else None
        is_logging = False
    if current is not None:
        current.stop()


def get_connection() -> Optional[sqlite3.Connection]:
    """Return the SQLite connection of the current (or last) logger, with all records written; None otherwise."""
    if autogen_logger is None:
        logger.error("[runtime logging] get_connection: logging was never started")
        return None
    return autogen_logger.get_connection()


def logging_enabled() -> bool:
    """Whether a logging session is running."""
    return is_logging


def _forward(method_name: str, /, *args: Any, **kwargs: Any) -> None:
    """Call ``method_name`` on the running logger, if any; its errors are logged, never raised."""
    current = autogen_logger if is_logging else None
    if current is None:
        return
    try:
        getattr(current, method_name)(*args, **kwargs)
    except Exception:  # logging must never break the chat it records
        logger.exception("[runtime logging] %s failed", method_name)


def log_chat_completion(
    invocation_id: uuid.UUID,
    client_id: int,
    wrapper_id: int,
    agent: Any,
    request: dict[str, Any],
    response: Any,
    is_cached: int,
    cost: float,
    start_time: str,
) -> None:
    """Log one LLM request and response (``agent`` is the calling agent, its name, or None)."""
    _forward(
        "log_chat_completion",
        invocation_id,
        client_id,
        wrapper_id,
        agent,
        request,
        response,
        is_cached,
        cost,
        start_time,
    )


def log_new_agent(agent: Any, init_args: dict[str, Any] = {}) -> None:  # noqa: B006 - 0.2's signature
    """Log the creation of an agent with its constructor arguments."""
    _forward("log_new_agent", agent, init_args)


def log_event(source: Any, name: str, **kwargs: Any) -> None:
    """Log a named event (``received_message``, ``reply_func_executed``, ...) raised by ``source``."""
    _forward("log_event", source, name, **kwargs)


def log_function_use(agent: Any, function: Callable[..., Any], args: dict[str, Any], returns: Any) -> None:
    """Log one execution of a registered function or tool."""
    _forward("log_function_use", agent, function, args, returns)


def log_new_wrapper(wrapper: Any, init_args: dict[str, Any]) -> None:
    """Log the creation of an ``OpenAIWrapper``."""
    _forward("log_new_wrapper", wrapper, init_args)


def log_new_client(client: Any, wrapper: Any, init_args: dict[str, Any]) -> None:
    """Log a model client created inside a wrapper."""
    _forward("log_new_client", client, wrapper, init_args)


def summarize(
    session_id: Optional[str] = None, dbname: Optional[str] = None, filename: Optional[str] = None
) -> LogSummary:
    """Summarise a logged session: calls, tokens, cost and time, in total and per agent.

    Args:
        session_id: The session to summarise; default: the current (or last) session, else the
            latest session in the log.
        dbname: A SQLite log to read; default: the current SQLite logger's database.
        filename: A JSON-lines log to read instead of a database.
    """
    from autogen.logger import summary

    if session_id is None and autogen_logger is not None and dbname is None and filename is None:
        session_id = getattr(autogen_logger, "session_id", None)
    if filename is not None:
        return summary.summarize_file(filename, session_id=session_id)
    if dbname is not None:
        return summary.summarize_sqlite(dbname, session_id=session_id)
    if autogen_logger is None:
        raise ValueError("summarize: logging was never started; pass dbname= or filename= of a log to read")
    log_file = getattr(autogen_logger, "log_file", None)
    if log_file is not None:
        autogen_logger_flush = getattr(autogen_logger, "flush", None)
        if autogen_logger_flush is not None:
            autogen_logger_flush()
        return summary.summarize_file(log_file, session_id=session_id)
    con = autogen_logger.get_connection()
    if con is None:
        raise ValueError("summarize: the current logger has no readable log; pass dbname= or filename=")
    return summary.summarize_connection(con, session_id=session_id)
