"""A pandas-free summary of a logged session: LLM calls, tokens, cost and time, per agent."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Optional

__all__ = ["AgentUsage", "LogSummary", "summarize_connection", "summarize_file", "summarize_sqlite"]

_TS_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S")


@dataclass
class AgentUsage:
    """Totals of the LLM calls made by one agent (or by no agent: source ``None``)."""

    calls: int = 0
    cached_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    cost: float = 0.0
    duration_s: float = 0.0

    def add(self, usage: dict[str, Any], cost: float, is_cached: bool, duration_s: float) -> None:
        """Add one call."""
        self.calls += 1
        self.cached_calls += int(is_cached)
        self.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        self.completion_tokens += int(usage.get("completion_tokens") or 0)
        self.total_tokens += int(usage.get("total_tokens") or 0)
        self.cost += cost
        self.duration_s += duration_s


@dataclass
class LogSummary:
    """What one session of the runtime log adds up to."""

    session_id: Optional[str]
    total: AgentUsage = field(default_factory=AgentUsage)
    per_agent: dict[Optional[str], AgentUsage] = field(default_factory=dict)
    models: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for JSON or printing."""
        return {
            "session_id": self.session_id,
            "total": vars(self.total).copy(),
            "per_agent": {str(k): vars(v).copy() for k, v in self.per_agent.items()},
            "models": dict(self.models),
        }

    def __str__(self) -> str:
        head = (
            f"{'agent':<24}{'calls':>7}{'cached':>8}{'prompt':>10}{'completion':>12}"
            f"{'total':>10}{'cost':>12} {'time s':>10}"
        )
        rows = [f"Session {self.session_id}", head]
        for name, u in [*sorted(self.per_agent.items(), key=lambda kv: str(kv[0])), ("TOTAL", self.total)]:
            rows.append(
                f"{name!s:<24}{u.calls:>7}{u.cached_calls:>8}{u.prompt_tokens:>10}{u.completion_tokens:>12}"
                f"{u.total_tokens:>10}{u.cost:>12.6f} {u.duration_s:>10.3f}"
            )
        return "\n".join(rows)


def _seconds(start: Any, end: Any) -> float:
    for fmt in _TS_FORMATS:
        try:
            return max(0.0, (datetime.strptime(str(end), fmt) - datetime.strptime(str(start), fmt)).total_seconds())
        except ValueError:
            continue
    return 0.0


def _as_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return {}
    return value if value is not None else {}


def _build(session_id: Optional[str], rows: Iterable[dict[str, Any]]) -> LogSummary:
    summary = LogSummary(session_id=session_id)
    for row in rows:
        response = _as_json(row.get("response"))
        usage = response.get("usage") if isinstance(response, dict) else None
        usage = usage if isinstance(usage, dict) else {}
        cost = float(row.get("cost") or 0.0)
        is_cached = bool(row.get("is_cached"))
        duration = _seconds(row.get("start_time"), row.get("end_time"))
        source = row.get("source_name")
        summary.total.add(usage, cost, is_cached, duration)
        summary.per_agent.setdefault(source, AgentUsage()).add(usage, cost, is_cached, duration)
        model = response.get("model") if isinstance(response, dict) else None
        if isinstance(model, str):
            summary.models[model] = summary.models.get(model, 0) + 1
    return summary


def summarize_connection(con: sqlite3.Connection, session_id: Optional[str] = None) -> LogSummary:
    """Summarise one session of a SQLite log (default: the session of the latest LLM call)."""
    if session_id is None:
        latest = con.execute("SELECT session_id FROM chat_completions ORDER BY id DESC LIMIT 1").fetchone()
        session_id = latest[0] if latest else None
    cursor = con.execute(
        "SELECT source_name, response, is_cached, cost, start_time, end_time FROM chat_completions"
        " WHERE session_id = ? ORDER BY id",
        (session_id,),
    )
    names = [d[0] for d in cursor.description]
    return _build(session_id, (dict(zip(names, row)) for row in cursor))


def summarize_sqlite(dbname: str, session_id: Optional[str] = None) -> LogSummary:
    """Summarise one session of the SQLite log file ``dbname``."""
    if not os.path.exists(dbname):
        raise FileNotFoundError(f"summarize: no SQLite log at {dbname!r}")
    con = sqlite3.connect(dbname)
    try:
        return summarize_connection(con, session_id=session_id)
    finally:
        con.close()


def summarize_file(filename: str, session_id: Optional[str] = None) -> LogSummary:
    """Summarise one session of a JSON-lines log (default: the session of the latest LLM call)."""
    if not os.path.exists(filename):
        raise FileNotFoundError(f"summarize: no JSON-lines log at {filename!r}")
    calls: list[dict[str, Any]] = []
    with open(filename, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if isinstance(row, dict) and row.get("record") == "chat_completion":
                calls.append(row)
    if session_id is None and calls:
        session_id = calls[-1].get("session_id")
    return _build(session_id, (row for row in calls if row.get("session_id") == session_id))


def main(argv: Optional[list[str]] = None) -> None:
    """Print the summary of a log: ``python -m autogen.logger.summary LOG [--session ID] [--json]``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m autogen.logger.summary", description=main.__doc__)
    parser.add_argument("log", help="a SQLite log (logs.db) or a JSON-lines log (runtime.log)")
    parser.add_argument("--session", default=None, help="session id (default: the latest session)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    with open(args.log, "rb") as f:
        is_sqlite = f.read(16) == b"SQLite format 3\x00"
    summary = (summarize_sqlite if is_sqlite else summarize_file)(args.log, session_id=args.session)
    from autogen.io import IOStream

    IOStream.get_default().print(json.dumps(summary.to_dict(), indent=2) if args.json else summary)


if __name__ == "__main__":
    main()
