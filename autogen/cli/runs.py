"""``autogen runs list|show|resume``: the durable runs recorded in a checkpoint store."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from ._console import make_console

__all__ = ["list_runs", "resume_run", "show_run"]


def _store(args: argparse.Namespace) -> Any:
    from autogen.checkpoint import open_store

    return open_store(args.store)


def _when(meta: dict[str, Any]) -> str:
    stamp = meta.get("updated")
    return datetime.datetime.fromtimestamp(stamp).strftime("%Y-%m-%d %H:%M:%S") if stamp else "-"


def list_runs(args: argparse.Namespace) -> int:
    """Print one line per run: id, status, why it stopped, messages, model calls, cost, last update."""
    from rich.table import Table

    store = _store(args)
    table = Table("run id", "status", "stop reason", "messages", "llm calls", "cost", "updated")
    for run_id in store.run_ids():
        meta = store.get_meta(run_id) or {}
        usage = meta.get("usage") or {}
        table.add_row(
            run_id,
            meta.get("status", "not started"),
            meta.get("stop_reason") or "-",
            str(len(meta.get("messages") or [])),
            str(usage.get("llm_calls", 0)),
            f"${usage.get('cost', 0):.4f}",
            _when(meta),
        )
    console = make_console()
    if table.row_count == 0:
        console.print(f"no runs in {args.store}", markup=False)
    else:
        console.print(table)
    return 0


def show_run(args: argparse.Namespace) -> int:
    """Print a run's status, usage and messages so far."""
    store = _store(args)
    meta = store.get_meta(args.run_id)
    if meta is None:
        raise SystemExit(f"no run {args.run_id!r} in {args.store}; `autogen runs list --store {args.store}` lists them")
    console = make_console()
    usage = meta.get("usage") or {}
    console.print(
        f"run {args.run_id}: {meta.get('status', 'not started')}"
        f" (stop reason: {meta.get('stop_reason') or '-'}; {usage.get('llm_calls', 0)} model calls, "
        f"${usage.get('cost', 0):.4f}; updated {_when(meta)})",
        markup=False,
    )
    if meta.get("error"):
        console.print(f"error: {meta['error']}", markup=False)
    for message in meta.get("messages") or []:
        speaker = message.get("name") or message.get("role", "?")
        content = message.get("content")
        if content is None and message.get("tool_calls"):
            content = "calls " + ", ".join(c.get("function", {}).get("name", "?") for c in message["tool_calls"])
        console.rule(str(speaker))
        console.print(str(content), markup=False)
    return 0


def resume_run(args: argparse.Namespace) -> int:
    """Run a recorded `autogen run` command again: what was recorded is replayed, the rest runs."""
    from .team import RESUME_OPTIONS, run_team

    meta = _store(args).get_meta(args.run_id)
    if meta is None:
        raise SystemExit(f"no run {args.run_id!r} in {args.store}; `autogen runs list --store {args.store}` lists them")
    command = meta.get("command")
    if not command:
        raise SystemExit(
            f"run {args.run_id!r} was started from Python: resume it by calling the same initiate_chat(..., "
            f"checkpoint={args.store!r}, run_id={args.run_id!r}) again"
        )
    options = {name: command.get(name) for name in RESUME_OPTIONS}
    return run_team(argparse.Namespace(**options, checkpoint=args.store, run_id=args.run_id))
