"""``autogen bench run``: plan the (task, repeat) runs, skip finished ones, run the rest on a backend."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from pathlib import Path
from typing import Any, Optional

from rich.markup import escape

from .environment import filter_by_model, find_env_file, loopback_endpoints, scenario_env
from .errors import BenchError
from .execute import RunSpec, SecretEnv, execute_run, final_dir, remove_partials
from .expand import check_template
from .progress import RunProgress
from .record import RunRecord
from .sandbox import autogen_source_dir, image_python, stop_all_runs
from .tasks import load_tasks, parse_subsample, subsample_tasks
from .warm import WarmServer

__all__ = ["DEFAULT_IMAGE", "NATIVE_WARNING", "plan_runs", "run_bench", "spec_template"]

DEFAULT_IMAGE = "autogen-python:bookworm"
NATIVE_WARNING = (
    "warning: --native runs the agents' code on this machine, outside any container, and runs can affect "
    "each other (files, installed packages); use it only with code you would run yourself."
)


def spec_template(
    tasks_path: Path,
    config_list: list[dict[str, Any]],
    *,
    results_dir: str,
    timeout: float,
    native: bool,
    docker_image: Optional[str],
    docker_network: Optional[str] = None,
    extra_env: Optional[dict[str, str]] = None,
) -> partial[RunSpec]:
    """``RunSpec(task, repeat)`` with the settings every run of ``config_list`` shares.

    The runs' environment holds the config list and the ``ENV.json`` nearest ``tasks_path``, then
    ``extra_env``; the Docker network is the host's when an endpoint is on this machine, unless given.
    """
    values = scenario_env(config_list, find_env_file(tasks_path if tasks_path.is_file() else tasks_path / "x"))
    return partial(
        RunSpec,
        results_dir=results_dir,
        env=SecretEnv({**values, **(extra_env or {})}),
        timeout=timeout,
        native=native,
        docker_image=docker_image or DEFAULT_IMAGE,
        docker_network=docker_network or ("host" if loopback_endpoints(config_list) else "bridge"),
        models=tuple(dict.fromkeys(str(entry["model"]) for entry in config_list)),
    )


def plan_runs(
    args: argparse.Namespace, config_list: list[dict[str, Any]], extra_env: Optional[dict[str, str]] = None
) -> tuple[list[RunSpec], int]:
    """The runs still to do and how many are already finished (their folders exist)."""
    task_path = Path(args.tasks)
    files = load_tasks(task_path)
    subsample = parse_subsample(args.subsample)
    make_spec = spec_template(
        task_path,
        config_list,
        results_dir=str(Path(args.out).resolve()),
        timeout=args.timeout,
        native=args.native,
        docker_image=args.docker_image,
        docker_network=args.docker_network,
        extra_env=extra_env,
    )
    requirements = None
    if args.requirements is not None:
        req = Path(args.requirements)
        if not req.is_file():
            raise BenchError(f"--requirements {args.requirements!r} does not exist")
        requirements = req.read_text(encoding="utf-8")
    todo: list[RunSpec] = []
    finished = 0
    for tasks in files:
        for task in subsample_tasks(tasks, subsample):
            check_template(task)
            for repeat in range(args.repeat):
                spec = make_spec(task, repeat, requirements=requirements)
                final = final_dir(spec.results_dir, task, repeat)
                if final.is_dir():
                    finished += 1
                    continue
                remove_partials(final.parent, repeat)  # an unfinished earlier attempt restarts clean
                todo.append(spec)
    return todo, finished


def _check_docker_image(image: str) -> None:
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    there = image_python(image)
    if there != here:
        raise BenchError(
            f"Docker image {image!r} has Python {there} but autogen here runs on Python {here}; the runs mount this "
            f"Python's packages ({autogen_source_dir()}), so use an image with Python {here}, or --native"
        )


@contextmanager
def _stop_runs_on_interrupt() -> Iterator[None]:
    """On Ctrl-C, kill the runs in flight first, so the interrupt is not held up until they end."""

    def handler(signum: int, frame: Any) -> None:
        stop_all_runs()
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def _resume_hint(out: Any, args: argparse.Namespace) -> Iterator[None]:
    try:
        yield
    except KeyboardInterrupt:
        out.print(
            "autogen bench: stopped; finished runs are kept, the others were discarded. "
            "Run the same command again to resume.",
            highlight=False,
        )
        raise


def _describe(key: tuple[str, str, int], outcome: Any) -> str:
    scenario, task_id, repeat = key
    name = escape(f"{scenario}/{task_id}/{repeat}")
    if isinstance(outcome, BaseException):
        return f"[red]error[/red]   {name}: {escape(type(outcome).__name__ + ': ' + str(outcome))}"
    record: RunRecord = outcome
    verdict = {True: "[green]passed[/green]", False: "[yellow]failed[/yellow]", None: "[dim]no verdict[/dim]"}[
        record.success
    ]
    extra = "" if record.status == "completed" else f" ({record.status})"
    cost = f"${record.cost:.4f}" if record.cost is not None else "$?"
    duration = f"{record.duration_s:.1f}s" if record.duration_s is not None else "?"
    return f"{verdict}  {name}{extra}  {cost}  {duration}"


def execute_all(
    todo: list[RunSpec], *, backend_name: str, address: Optional[str], parallel: int, cpus: float, progress: RunProgress
) -> int:
    """Run ``todo`` on the backend, reporting each run as it ends; returns how many runs raised."""
    from autogen.batch import Resources, get_backend

    backend = get_backend(backend_name, address=address)
    errors = 0

    def items() -> Iterator[tuple[tuple[str, str, int], RunSpec]]:
        for spec in todo:
            progress.started()
            yield spec.key, spec

    try:
        with _stop_runs_on_interrupt():
            outcomes = backend.map_unordered(
                execute_run, items(), max_concurrency=parallel, resources=Resources(cpus=cpus)
            )
            for key, outcome in outcomes:
                failed = isinstance(outcome, BaseException) or outcome.status != "completed"
                errors += int(isinstance(outcome, BaseException))
                cost = None if isinstance(outcome, BaseException) else outcome.cost
                progress.finished(failed=failed, cost=cost)
                progress.print(_describe(key, outcome))
    finally:
        backend.close()
    return errors


def run_bench(args: argparse.Namespace) -> int:
    """The ``autogen bench run`` command."""
    from autogen.cli._console import error_console, make_console
    from autogen.cli._endpoints import open_endpoint

    if args.native and args.docker_image:
        raise BenchError("--native and --docker-image exclude each other: pick one")
    if args.timeout <= 0:
        raise BenchError(f"--timeout must be a positive number of seconds, got {args.timeout}")
    if args.cpus_per_run <= 0:
        raise BenchError(f"--cpus-per-run must be a positive number (e.g. 0.5), got {args.cpus_per_run}")
    if args.address is not None and args.backend != "ray":
        raise BenchError(f"--address {args.address!r} is for --backend ray; add --backend ray or drop --address")
    warm_start = getattr(args, "warm_start", False)
    if warm_start and not (args.native and args.backend == "local"):
        raise BenchError("--warm-start works with --native runs on the local backend only")
    load_tasks(args.tasks)  # bad task files fail before a model starts
    if args.native:
        error_console().print(f"[yellow]{escape(NATIVE_WARNING)}[/yellow]")
    else:
        _check_docker_image(args.docker_image or DEFAULT_IMAGE)
    out = make_console()
    with open_endpoint(config=args.config, local=args.local) as endpoint, ExitStack() as stack:
        config_list = filter_by_model(endpoint.config_list, args.model)
        extra_env = stack.enter_context(WarmServer()).env() if warm_start else None
        todo, finished = plan_runs(args, config_list, extra_env)
        out.print(
            f"autogen bench: {len(todo)} runs to do, {finished} already finished "
            f"({escape(endpoint.source)}; {'native' if args.native else 'docker'}"
            f"{', warm start' if warm_start else ''}; backend {args.backend}; "
            f"results in {escape(args.out)})",
            highlight=False,
        )
        if not todo:
            return 0
        with RunProgress(len(todo), console=out) as progress, _resume_hint(out, args):
            errors = execute_all(
                todo,
                backend_name=args.backend,
                address=args.address,
                parallel=args.parallel,
                cpus=args.cpus_per_run,
                progress=progress,
            )
    out.print(
        f"autogen bench: {progress.done} runs ended ({progress.failed} incomplete: timed out or crashed, "
        f"{errors} errors), "
        f"cost ${progress.cost:.4f}. Tabulate with: autogen bench tabulate {escape(args.out)}",
        highlight=False,
    )
    return 1 if errors else 0
