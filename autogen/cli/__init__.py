"""The ``autogen`` command (also ``python -m autogen``).

Subcommands: ``demo``, ``chat``, ``run TEAM_FILE``, ``config check``, ``local serve``, ``bench ...``,
``studio``. Each lives in its own module and is imported only when used, so ``autogen --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Optional

from autogen.version import __version__

__all__ = ["build_parser", "main"]

# subcommand -> "module:function" that runs it; the function takes the parsed args and returns an exit code
_COMMANDS = {
    "demo": "autogen.cli.demo:run_demo",
    "chat": "autogen.cli.chat:run_chat",
    "run": "autogen.cli.team:run_team",
    "config check": "autogen.cli.config_check:run_config_check",
    "local serve": "autogen.cli.serve:run_serve",
    "runs list": "autogen.cli.runs:list_runs",
    "runs show": "autogen.cli.runs:show_run",
    "runs resume": "autogen.cli.runs:resume_run",
    "bench run": "autogen.bench.cli:run_command",
    "bench tabulate": "autogen.bench.cli:tabulate_command",
    "bench clone": "autogen.bench.cli:clone_command",
    "bench tune": "autogen.batch.tuning.cli:tune_command",
    "studio": "autogen.cli.studio:run_studio",
}


def _add_endpoint_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("model endpoint (default: $OAI_CONFIG_LIST, else the embedded local model)")
    group.add_argument("--config", metavar="FILE", help="config-list JSON file (default: $OAI_CONFIG_LIST)")
    group.add_argument("--model", metavar="NAME", help="use only the config entries for this model")
    group.add_argument("--local", action="store_true", help="use the embedded local model even if one is configured")
    group.add_argument("--model-path", metavar="GGUF", help="run this GGUF model file locally (implies --local)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``autogen`` command."""
    parser = argparse.ArgumentParser(
        prog="autogen", description="Multi-agent conversations: try a demo, chat, or run a team from a file."
    )
    parser.add_argument("--version", action="version", version=f"autogen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="an assistant writes Python and a user proxy runs it")
    demo.add_argument("--task", help="what to ask the assistant (default: a small Python task)")
    demo.add_argument("--max-turns", type=_positive_int, default=None, help="round trips before stopping")
    _add_endpoint_options(demo)
    demo.set_defaults(command_key="demo")

    chat = commands.add_parser("chat", help="chat with an assistant in the terminal (type 'exit' to quit)")
    chat.add_argument("--system-message", default="You are a helpful assistant.", help="the assistant's instructions")
    chat.add_argument("--no-stream", action="store_true", help="print each reply when complete instead of streaming")
    _add_endpoint_options(chat)
    chat.set_defaults(command_key="chat")

    run = commands.add_parser("run", help="run a team of agents described in a YAML or JSON file")
    run.add_argument("team_file", metavar="TEAM_FILE", help="a .yaml/.yml/.json team description")
    run.add_argument("--task", help="replace the task given in the file")
    run.add_argument("--checkpoint", metavar="STORE", help="record the run in STORE (a file or redis:// URL)")
    run.add_argument("--run-id", help="the run's name in STORE; run the same command again to resume it")
    _add_endpoint_options(run)
    run.set_defaults(command_key="run")

    runs = commands.add_parser("runs", help="durable runs recorded with --checkpoint: list, show, resume")
    runs_commands = runs.add_subparsers(dest="runs_command", metavar="SUBCOMMAND", required=True)
    for name, help_text in (
        ("list", "list the runs in a store"),
        ("show", "show one run's status and messages"),
        ("resume", "resume a run started with `autogen run --checkpoint`"),
    ):
        sub = runs_commands.add_parser(name, help=help_text)
        if name != "list":
            sub.add_argument("run_id", metavar="RUN_ID")
        sub.add_argument("--store", default="runs.db", help="the store (a file or redis:// URL; default runs.db)")
        sub.set_defaults(command_key=f"runs {name}")

    _add_bench_parser(commands)

    studio = commands.add_parser("studio", help="the browser UI: build, run and watch agent teams")
    studio.add_argument("--host", default="127.0.0.1", help="address to listen on (not loopback: a token is required)")
    studio.add_argument("--port", type=int, default=8081, help="port to listen on (default 8081)")
    studio.add_argument("--appdir", default=None, help="where the Studio keeps its data (default ~/.autogen/studio)")
    studio.add_argument("--database-uri", default=None, help="a database URI instead of SQLite (postgresql://...)")
    studio.add_argument("--open", action="store_true", help="open the Studio in a web browser")
    studio.set_defaults(command_key="studio")

    config = commands.add_parser("config", help="check the model configuration")
    config_commands = config.add_subparsers(dest="config_command", metavar="SUBCOMMAND", required=True)
    check = config_commands.add_parser("check", help="validate OAI_CONFIG_LIST and say which endpoints answer")
    check.add_argument("--config", metavar="FILE", help="config-list JSON file (default: $OAI_CONFIG_LIST)")
    check.add_argument("file", nargs="?", action=_ConfigFile, metavar="FILE", help="the same as --config FILE")
    check.add_argument("--timeout", type=float, default=20.0, help="seconds to wait for each endpoint")
    check.set_defaults(command_key="config check")

    local = commands.add_parser("local", help="the embedded local model")
    local_commands = local.add_subparsers(dest="local_command", metavar="SUBCOMMAND", required=True)
    serve = local_commands.add_parser("serve", help="serve a local model until Ctrl-C")
    serve.add_argument("--model-path", metavar="GGUF", help="GGUF model file (default: the bundled SmolLM2-135M)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=None, help="default: a free port")
    serve.add_argument("--n-ctx", type=_positive_int, default=8192, help="context window in tokens")
    serve.add_argument("--write-config", metavar="FILE", help="also write the config list to FILE")
    serve.set_defaults(command_key="local serve")
    return parser


def _add_bench_parser(commands: argparse._SubParsersAction) -> None:
    """``autogen bench run|tabulate|clone``: AutoGenBench-format benchmarks (autogen/bench/)."""
    bench = commands.add_parser("bench", help="run benchmark scenarios many times, tabulate success and cost")
    bench_commands = bench.add_subparsers(dest="bench_command", metavar="SUBCOMMAND", required=True)
    run = bench_commands.add_parser("run", help="run the tasks of a JSONL task file (or folder) from a blank slate")
    run.add_argument("tasks", metavar="TASKS", help="a .jsonl task file, or a folder of them")
    run.add_argument("-r", "--repeat", type=_positive_int, default=1, help="runs per task (default 1)")
    run.add_argument("-s", "--subsample", metavar="F", help="a fraction (0.3) or a count (5) of each file's tasks")
    run.add_argument("-c", "--config", metavar="FILE", help="OAI_CONFIG_LIST file (default: $OAI_CONFIG_LIST)")
    run.add_argument("-m", "--model", help="only the config entries with this model or tag")
    run.add_argument("--local", action="store_true", help="use the embedded local model even if one is configured")
    run.add_argument("--requirements", metavar="FILE", help="a requirements.txt to install in every run")
    where = run.add_mutually_exclusive_group()
    where.add_argument("-d", "--docker-image", metavar="IMAGE", help="image of the fresh container of each run")
    where.add_argument("--native", action="store_true", help="run in a fresh folder on this machine, no container")
    run.add_argument("--docker-network", metavar="NET", help="container network (default: host for local endpoints)")
    run.add_argument("--warm-start", action="store_true", help="--native runs forked from a preloaded interpreter")
    run.add_argument("--backend", choices=("local", "ray"), default="local", help="where runs execute (default local)")
    run.add_argument("--address", help="Ray cluster address (auto, ray://HOST:PORT); with --backend ray")
    run.add_argument("-p", "--parallel", type=_positive_int, default=1, help="runs at the same time (default 1)")
    run.add_argument("--cpus-per-run", type=float, default=1.0, help="CPUs each run declares to Ray (default 1)")
    run.add_argument("-o", "--out", default="Results", help="results folder (default ./Results)")
    run.add_argument("-t", "--timeout", type=float, default=1800.0, help="wall-clock seconds per run (default 1800)")
    run.set_defaults(command_key="bench run")
    tab = bench_commands.add_parser("tabulate", help="success per task and overall, cost, turns, time")
    tab.add_argument("runlogs", metavar="DIR", help="the results folder (Results/ or Results/<task file name>)")
    fmt = tab.add_mutually_exclusive_group()
    fmt.add_argument("-c", "--csv", action="store_true", help="print CSV instead of a table")
    fmt.add_argument("--json", action="store_true", help="print JSON instead of a table")
    tab.add_argument("--plot", metavar="FILE", help="also write a chart of success vs cost per config")
    tab.add_argument("--no-custom", action="store_true", help="ignore the scenario's custom_tabulate.py")
    tab.set_defaults(command_key="bench tabulate")
    clone = bench_commands.add_parser("clone", help="copy a shipped scenario (HumanEval, MATH, Examples) here")
    clone.add_argument("name", metavar="NAME", nargs="?", help="the scenario to copy")
    clone.add_argument("-l", "--list", action="store_true", help="list the shipped scenarios")
    clone.add_argument("--dest", default=".", help="the folder to copy into (default: here)")
    clone.add_argument("--full", action="store_true", help="also fetch the whole dataset (needs `datasets`, online)")
    clone.set_defaults(command_key="bench clone")
    from autogen.batch.tuning.cli import add_tune_parser  # `bench tune` (autogen/batch/tuning/)

    add_tune_parser(bench_commands)


class _ConfigFile(argparse.Action):
    """A positional config-list file (``autogen config check OAI_CONFIG_LIST_sample``), stored as ``--config``."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, *_: object
    ) -> None:
        if values is not None:
            namespace.config = values


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the ``autogen`` command; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    key = getattr(args, "command_key", None)
    if key is None:
        parser.print_help()
        return 0
    module_name, function_name = _COMMANDS[key].split(":")
    command = getattr(importlib.import_module(module_name), function_name)
    from ._errors import report_errors

    with report_errors() as outcome:
        outcome.code = command(args)
    return outcome.code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
