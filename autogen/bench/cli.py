"""The ``autogen bench`` subcommands' entry points (the parser lives in ``autogen.cli``)."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["clone_command", "run_command", "tabulate_command"]


def run_command(args: argparse.Namespace) -> int:
    """``autogen bench run``."""
    from .runner import run_bench

    return run_bench(args)


def tabulate_command(args: argparse.Namespace) -> int:
    """``autogen bench tabulate``: a scenario's custom_tabulate.py if there is one, else the default tables."""
    from .custom import find_custom_tabulate, run_custom_tabulate
    from .tabulate import default_tabulate

    argv = ["autogen bench tabulate", args.runlogs]
    argv += ["--csv"] if args.csv else []
    argv += ["--json"] if args.json else []
    argv += ["--plot", args.plot] if args.plot else []
    custom = None if args.no_custom else find_custom_tabulate(Path(args.runlogs))
    if custom is not None:
        from autogen.cli._console import error_console

        error_console().print(f"using the tabulation in {custom}", highlight=False)
        run_custom_tabulate(custom, argv)
    else:
        default_tabulate(argv)
    return 0


def clone_command(args: argparse.Namespace) -> int:
    """``autogen bench clone``."""
    from autogen.cli._console import make_console

    from .clone import clone_scenario, list_scenarios, write_full_tasks
    from .errors import BenchError

    out = make_console()
    if args.list or not args.name:
        if not args.list:
            raise BenchError("give a scenario name to clone, or --list to see them")
        out.print("Scenarios shipped with autogen bench:\n" + "\n".join(f"  {n}" for n in list_scenarios()))
        return 0
    dest = clone_scenario(args.name, Path(args.dest))
    out.print(f"cloned {args.name} into {dest}", highlight=False)
    if args.full:
        path = write_full_tasks(args.name, dest)
        out.print(f"wrote the full dataset's tasks to {path}", highlight=False)
    tasks = sorted(p.relative_to(dest.parent) for p in (dest / "Tasks").glob("*.jsonl"))
    out.print("task files:\n" + "\n".join(f"  {p}" for p in tasks), highlight=False)
    out.print(f"run one with: autogen bench run {tasks[0] if tasks else dest}  (see {dest / 'README.md'})")
    return 0
