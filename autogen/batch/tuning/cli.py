"""``autogen bench tune TASKS --space space.yaml --budget-usd X``: find the best model configuration."""

from __future__ import annotations

import argparse

__all__ = ["add_tune_parser", "tune_command"]


def add_tune_parser(bench_commands: argparse._SubParsersAction) -> None:
    """Add ``tune`` to the ``autogen bench`` subcommands."""
    tune = bench_commands.add_parser(
        "tune", help="search models, temperature, max_tokens, n and prompts for the best success under a budget"
    )
    tune.add_argument("tasks", metavar="TASKS", help="a .jsonl task file, or a folder of them")
    tune.add_argument("--space", required=True, metavar="YAML", help="the search space (see docs/bench.md)")
    tune.add_argument("--budget-usd", required=True, type=float, metavar="X", help="stop when this much is spent")
    tune.add_argument("--metric", choices=("success",), default="success", help="what to maximise (default success)")
    tune.add_argument("-o", "--out", default="best_config.json", help="the best config (default best_config.json)")
    tune.add_argument("-c", "--config", metavar="FILE", help="OAI_CONFIG_LIST file (default: $OAI_CONFIG_LIST)")
    tune.add_argument("--local", action="store_true", help="use the embedded local model even if one is configured")
    tune.add_argument("-r", "--repeat", type=int, default=1, help="runs per task per configuration (default 1)")
    tune.add_argument("-s", "--subsample", metavar="F", help="a fraction (0.3) or a count (5) of each file's tasks")
    where = tune.add_mutually_exclusive_group()
    where.add_argument("-d", "--docker-image", metavar="IMAGE", help="image of the fresh container of each run")
    where.add_argument("--native", action="store_true", help="run in fresh folders on this machine, no container")
    tune.add_argument("--backend", choices=("local", "ray"), default="local", help="where runs execute")
    tune.add_argument("--address", help="Ray cluster address (auto, ray://HOST:PORT); with --backend ray")
    tune.add_argument("-p", "--parallel", type=int, default=1, help="runs at the same time (default 1)")
    tune.add_argument("-t", "--timeout", type=float, default=600.0, help="wall-clock seconds per run (default 600)")
    tune.add_argument("--max-trials", type=int, default=100, help="configurations to try at most (default 100)")
    tune.add_argument("--seed", type=int, default=0, help="the optimiser's random seed (default 0)")
    tune.add_argument("--work-dir", default="Tune", help="runs of every configuration and the answer cache")
    tune.set_defaults(command_key="bench tune")


def tune_command(args: argparse.Namespace) -> int:
    """The ``autogen bench tune`` command (a bad input is reported as one line, exit code 2)."""
    from autogen.cli._errors import CommandError

    try:
        return _tune(args)
    except ValueError as err:  # bad space file, option, model name, or nothing fit in the budget
        raise CommandError(str(err)) from None


def _tune(args: argparse.Namespace) -> int:
    from rich.markup import escape

    from autogen.bench.runner import NATIVE_WARNING
    from autogen.cli._console import error_console, make_console
    from autogen.cli._endpoints import open_endpoint

    from .evaluate import BenchEvaluator, TrialResult, config_id
    from .report import front_table, write_best
    from .search import TuneOutcome, tune
    from .space import load_space

    for name in ("repeat", "parallel", "max_trials"):
        if getattr(args, name) < 1:
            raise ValueError(f"--{name.replace('_', '-')} must be at least 1, got {getattr(args, name)}")
    space = load_space(args.space)
    out = make_console()
    if args.native:
        error_console().print(f"[yellow]{escape(NATIVE_WARNING)}[/yellow]")

    def report(trial: TrialResult, outcome: TuneOutcome) -> None:
        state = "" if trial.complete else (" (error)" if trial.error else " (cut short by the budget)")
        out.print(
            f"trial {len(outcome.trials)} {config_id(trial.config)}: success {trial.success:.0%}, "
            f"cost ${trial.cost_usd:.6f}; spent ${outcome.spent_usd:.6f} of ${outcome.budget_usd:g}{state}",
            highlight=False,
        )

    with open_endpoint(config=args.config, local=args.local) as endpoint:
        config_list = endpoint.config_list
        evaluator = BenchEvaluator(
            args.tasks,
            config_list,
            args.work_dir,
            prompt_key=space.prompt_key,
            repeat=args.repeat,
            subsample=args.subsample,
            native=args.native,
            docker_image=args.docker_image,
            timeout=args.timeout,
            backend=args.backend,
            address=args.address,
            parallel=args.parallel,
        )
        out.print(
            f"autogen bench tune: {evaluator.runs_per_trial} runs per configuration, budget ${args.budget_usd:g} "
            f"({escape(endpoint.source)}; work dir {escape(args.work_dir)})",
            highlight=False,
        )
        outcome = tune(
            space,
            evaluator,
            args.budget_usd,
            metric=args.metric,
            max_trials=args.max_trials,
            seed=args.seed,
            on_trial=report,
        )
    out.print(f"stopped: {outcome.stop_reason}; spent ${outcome.spent_usd:.6f}", highlight=False)
    out.print(front_table(outcome))
    path = write_best(args.out, outcome, config_list)
    best = outcome.best
    assert best is not None  # write_best raised otherwise
    prompt = f"; prompt template {best.config['prompt']!r}" if "prompt" in best.config else ""
    out.print(f"best configuration written to {escape(str(path))}{escape(prompt)}", highlight=False)
    return 0
