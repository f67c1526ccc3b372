"""``autogen bench tabulate DIR``: success per task and overall (mean and per repeat), cost, turns, time.

``DIR`` is a results folder (``Results/``, one folder per task file) or one task file's folder
(``Results/<task file name>``). A scenario's ``custom_tabulate.py`` is honoured as AutoGenBench did:
its ``main(args)`` gets the command line; scenarios that call AutoGenBench's ``default_tabulate``
(optionally with their own ``scorer``) get this module's tables with their scorer.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .errors import BenchError
from .record import RunRecord, Scorer, default_scorer, read_record

__all__ = ["ConfigResult", "TaskResult", "collect", "default_tabulate", "render_csv", "render_json", "render_table"]

EXCLUDE_DIR_NAMES = ("__pycache__",)


@dataclass
class TaskResult:
    """All runs of one task."""

    task_id: str
    runs: list[RunRecord] = field(default_factory=list)

    def trial(self, repeat: int) -> Optional[RunRecord]:
        return next((run for run in self.runs if run.repeat == repeat), None)

    @property
    def success_rate(self) -> Optional[float]:
        scored = [run.success for run in self.runs if run.success is not None]
        return sum(scored) / len(scored) if scored else None


@dataclass
class ConfigResult:
    """One task file's results (a configuration: agents, prompts and models)."""

    name: str
    tasks: list[TaskResult] = field(default_factory=list)

    @property
    def runs(self) -> list[RunRecord]:
        return [run for task in self.tasks for run in task.runs]

    @property
    def repeats(self) -> int:
        return max((run.repeat + 1 for run in self.runs), default=0)

    @property
    def models(self) -> list[str]:
        return sorted({model for run in self.runs for model in run.models})

    def per_repeat_success(self) -> list[Optional[float]]:
        """Success rate of each repeat over the tasks that have a verdict for it."""
        rates: list[Optional[float]] = []
        for repeat in range(self.repeats):
            scored = [run.success for run in self.runs if run.repeat == repeat and run.success is not None]
            rates.append(sum(scored) / len(scored) if scored else None)
        return rates

    def summary(self) -> dict[str, Any]:
        runs = self.runs
        scored = [run.success for run in runs if run.success is not None]
        costs = [run.cost for run in runs if run.cost is not None]
        turns = [run.turns for run in runs if run.turns is not None]
        times = [run.duration_s for run in runs if run.duration_s is not None]
        return {
            "tasks": len(self.tasks),
            "runs": len(runs),
            "successes": sum(scored),
            "failures": len(scored) - sum(scored),
            "missing": len(runs) - len(scored) + sum(self.repeats - len(task.runs) for task in self.tasks),
            "success_rate": sum(scored) / len(scored) if scored else None,
            "success_rate_per_repeat": self.per_repeat_success(),
            "total_cost": sum(costs) if costs else None,
            "mean_cost": statistics.fmean(costs) if costs else None,
            "mean_turns": statistics.fmean(turns) if turns else None,
            "mean_time_s": statistics.fmean(times) if times else None,
        }


def _is_config_dir(path: Path) -> bool:
    """A task file's folder: its children are task folders holding numbered run folders."""
    return any(
        child.is_dir() and any(run.is_dir() and run.name.isdigit() for run in child.iterdir())
        for child in path.iterdir()
        if child.is_dir()
    )


def collect(root: Path, scorer: Scorer = default_scorer) -> list[ConfigResult]:
    """Read every finished run under ``root``."""
    if not root.is_dir():
        raise BenchError(f"results folder {str(root)!r} does not exist; give the --out folder of `autogen bench run`")
    folders = [root] if _is_config_dir(root) else sorted(p for p in root.iterdir() if p.is_dir() and _is_config_dir(p))
    if not folders:
        raise BenchError(f"no finished runs under {str(root)!r} (expected <task file>/<task id>/<repeat>/ folders)")
    configs = []
    for folder in folders:
        config = ConfigResult(folder.name)
        for task_dir in sorted(folder.iterdir(), key=lambda p: p.name):
            if not task_dir.is_dir() or task_dir.name in EXCLUDE_DIR_NAMES or task_dir.name.startswith("."):
                continue
            task = TaskResult(task_dir.name)
            repeats = sorted(
                (p for p in task_dir.iterdir() if p.is_dir() and p.name.isdigit()), key=lambda p: int(p.name)
            )
            task.runs = [read_record(run_dir, scorer) for run_dir in repeats]
            config.tasks.append(task)
        configs.append(config)
    return configs


def _fmt(value: Optional[float], kind: str) -> str:
    if value is None:
        return "-"
    if kind == "rate":
        return f"{value:.0%}"
    if kind == "cost":
        return f"${value:.4f}"
    if kind == "time":
        return f"{value:.1f}s"
    return f"{value:.1f}"


def _verdict(run: Optional[RunRecord]) -> str:
    if run is None or run.success is None:
        return "-"
    return "yes" if run.success else "no"


def render_table(configs: list[ConfigResult]) -> Any:
    """A rich renderable: one table per configuration, tasks as rows, repeats as columns, totals below."""
    from rich.console import Group
    from rich.table import Table

    tables = []
    for config in configs:
        title = config.name + (f" ({', '.join(config.models)})" if config.models else "")
        table = Table(title=title, title_justify="left", show_footer=False)
        table.add_column("task")
        for repeat in range(config.repeats):
            table.add_column(f"trial {repeat}", justify="center")
        for name in ("success", "cost", "turns", "time"):
            table.add_column(name, justify="right")
        for task in config.tasks:
            cells = [_verdict(task.trial(r)) for r in range(config.repeats)]
            costs = [run.cost for run in task.runs if run.cost is not None]
            turns = [run.turns for run in task.runs if run.turns is not None]
            times = [run.duration_s for run in task.runs if run.duration_s is not None]
            table.add_row(
                task.task_id,
                *cells,
                _fmt(task.success_rate, "rate"),
                _fmt(statistics.fmean(costs) if costs else None, "cost"),
                _fmt(statistics.fmean(turns) if turns else None, "n"),
                _fmt(statistics.fmean(times) if times else None, "time"),
                end_section=task is config.tasks[-1],
            )
        summary = config.summary()
        per_repeat = [_fmt(rate, "rate") for rate in summary["success_rate_per_repeat"]]
        table.add_row(
            "overall",
            *per_repeat,
            _fmt(summary["success_rate"], "rate"),
            _fmt(summary["mean_cost"], "cost"),
            _fmt(summary["mean_turns"], "n"),
            _fmt(summary["mean_time_s"], "time"),
        )
        table.caption = (
            f"{summary['successes']} successes, {summary['failures']} failures, {summary['missing']} missing; "
            f"total cost {_fmt(summary['total_cost'], 'cost')}"
        )
        tables.append(table)
    return Group(*tables)


def render_csv(configs: list[ConfigResult]) -> str:
    """One row per task (and an ``overall`` row per configuration): trials, success rate, cost, turns, time."""
    repeats = max((config.repeats for config in configs), default=0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "config",
            "task_id",
            *[f"trial_{r}_success" for r in range(repeats)],
            "success_rate",
            "mean_cost",
            "mean_turns",
            "mean_time_s",
        ]
    )
    for config in configs:
        for task in config.tasks:
            trials = []
            for repeat in range(repeats):
                run = task.trial(repeat)
                trials.append("" if run is None or run.success is None else str(run.success))
            costs = [run.cost for run in task.runs if run.cost is not None]
            turns = [run.turns for run in task.runs if run.turns is not None]
            times = [run.duration_s for run in task.runs if run.duration_s is not None]
            writer.writerow(
                [
                    config.name,
                    task.task_id,
                    *trials,
                    _plain(task.success_rate),
                    _plain(statistics.fmean(costs) if costs else None),
                    _plain(statistics.fmean(turns) if turns else None),
                    _plain(statistics.fmean(times) if times else None),
                ]
            )
        summary = config.summary()
        rates = summary["success_rate_per_repeat"] + [None] * (repeats - config.repeats)
        writer.writerow(
            [
                config.name,
                "overall",
                *[_plain(rate) for rate in rates],
                _plain(summary["success_rate"]),
                _plain(summary["mean_cost"]),
                _plain(summary["mean_turns"]),
                _plain(summary["mean_time_s"]),
            ]
        )
    return buffer.getvalue()


def _plain(value: Optional[float]) -> str:
    return "" if value is None else f"{value:.6g}"


def render_json(configs: list[ConfigResult]) -> str:
    """Every configuration's summary and every run's record, as JSON."""
    data = [
        {
            "config": config.name,
            "models": config.models,
            "summary": config.summary(),
            "tasks": [
                {"task_id": task.task_id, "success_rate": task.success_rate, "runs": [r.to_json() for r in task.runs]}
                for task in config.tasks
            ],
        }
        for config in configs
    ]
    return json.dumps({"configs": data}, indent=2)


def tabulate_parser(prog: str) -> argparse.ArgumentParser:
    """The options of ``autogen bench tabulate`` (also what ``default_tabulate`` parses)."""
    parser = argparse.ArgumentParser(prog=prog, description="Tabulate the results of `autogen bench run`.")
    parser.add_argument("runlogs", metavar="DIR", help="the results folder (Results/ or Results/<task file name>)")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("-c", "--csv", action="store_true", help="print CSV instead of a table")
    fmt.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--plot", metavar="FILE", help="also write a chart of success vs cost per config (PNG, SVG, PDF)"
    )
    return parser


def default_tabulate(args: list[str], scorer: Scorer = default_scorer, exclude_dir_names: Any = None) -> Any:
    """Tabulate with ``scorer`` (AutoGenBench's entry point for ``custom_tabulate.py``; ``args`` as ``sys.argv``)."""
    from autogen.cli._console import make_console

    parsed = tabulate_parser(args[0]).parse_args(args[1:])
    configs = collect(Path(parsed.runlogs), scorer)
    out = make_console()
    if parsed.csv:
        sys.stdout.write(render_csv(configs))
    elif parsed.json:
        sys.stdout.write(render_json(configs) + "\n")
    else:
        out.print(render_table(configs))
    if parsed.plot:
        from .plot import plot_success_vs_cost

        plot_success_vs_cost(configs, Path(parsed.plot))
        if not (parsed.csv or parsed.json):
            out.print(f"chart written to {parsed.plot}")
    return parsed, configs
