"""One benchmark run, start to finish: :func:`execute_run` is what the batch backend maps over.

A run is expanded into a hidden temporary folder next to its final place, run there, scored, and
then renamed to ``<task id>/<repeat>``: a run is finished iff its final folder exists, so a job that
is retried (a lost worker) or interrupted never records twice or leaves half a result behind.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from autogen.version import __version__

from .expand import expand_task, write_run_script
from .record import RESULT_FILE, RunRecord, read_record, usage_of_run
from .sandbox import run_in_docker, run_natively, write_run_file
from .tasks import Task

__all__ = ["RunSpec", "SecretEnv", "execute_run", "final_dir", "remove_partials"]

PARTIAL_MARK = ".partial-"


class SecretEnv:
    """Environment variables for the scenario (they hold API keys): never shown in a repr or traceback."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = dict(values)

    def __repr__(self) -> str:
        return f"SecretEnv({len(self.values)} variables, values hidden)"


@dataclass(frozen=True)
class RunSpec:
    """Everything a worker needs to perform one (task, repeat) run. Plain data, so it pickles."""

    task: Task
    repeat: int
    results_dir: str
    env: SecretEnv = field(repr=False)
    timeout: float = 1800.0
    native: bool = False
    docker_image: str = "autogen-python:bookworm"
    docker_network: str = "bridge"
    requirements: Optional[str] = None
    models: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.task.scenario, self.task.id, self.repeat)


def final_dir(results_dir: str, task: Task, repeat: int) -> Path:
    """``Results/<task file name>/<task id>/<repeat>``."""
    return Path(results_dir, task.scenario, task.id, str(repeat))


def remove_partials(task_dir: Path, repeat: Optional[int] = None) -> int:
    """Delete unfinished runs' temporary folders in ``task_dir`` (of one repeat, or all); returns how many."""
    if not task_dir.is_dir():
        return 0
    prefix = f".{repeat}{PARTIAL_MARK}" if repeat is not None else "."
    removed = 0
    for path in task_dir.iterdir():
        if path.name.startswith(prefix) and PARTIAL_MARK in path.name and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def execute_run(spec: RunSpec) -> RunRecord:
    """Perform one run from a blank folder and return its record (an already finished run is not redone)."""
    final = final_dir(spec.results_dir, spec.task, spec.repeat)
    if final.is_dir():
        return read_record(final)
    task_dir = final.parent
    task_dir.mkdir(parents=True, exist_ok=True)
    remove_partials(task_dir, spec.repeat)
    work = task_dir / f".{spec.repeat}{PARTIAL_MARK}{uuid.uuid4().hex[:12]}"
    try:
        expand_task(spec.task, work, spec.requirements)
        write_run_script(work, setting="Native" if spec.native else "Docker", timeout=spec.timeout, version=__version__)
        started = time.time()
        if spec.native:
            code, timed_out = run_natively(work, spec.env.values, spec.timeout)
        else:
            code, timed_out = run_in_docker(
                work, spec.env.values, spec.timeout, image=spec.docker_image, network=spec.docker_network
            )
        finished = time.time()
        if timed_out:
            note = f"\nautogen bench: the run exceeded its {spec.timeout:g} s limit and was stopped !#!#\n"
            write_run_file(work / "console_log.txt", note.encode(), append=True)
        cost, turns, calls = usage_of_run(work)
        result = {
            "task_id": spec.task.id,
            "repeat": spec.repeat,
            "status": "timeout" if timed_out else ("completed" if code == 0 else "error"),
            "exit_code": code,
            "started_at": datetime.fromtimestamp(started, timezone.utc).isoformat(),
            "finished_at": datetime.fromtimestamp(finished, timezone.utc).isoformat(),
            "duration_s": round(finished - started, 3),
            "cost": cost,
            "turns": turns,
            "llm_calls": calls,
            "mode": "native" if spec.native else f"docker:{spec.docker_image}",
            "models": list(spec.models),
        }
        write_run_file(work / RESULT_FILE, json.dumps(result, indent=2).encode())
        try:
            work.rename(final)
        except OSError:  # another attempt of this run finished first: keep its result
            shutil.rmtree(work, ignore_errors=True)
            if not final.is_dir():
                raise
        return read_record(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
