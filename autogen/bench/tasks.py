"""Reading AutoGenBench task files: JSONL rows of ``{"id", "template", "substitutions"}``.

A task file's runs go under ``Results/<file name without .jsonl>/<task id>/<repeat>/``. A ``template``
is a folder or file path (relative paths resolve against the task file's folder), or a list of
``path`` / ``[source, destination]`` copy operations, as AutoGenBench accepted.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Union

from .errors import BenchError

__all__ = ["Subsample", "Task", "TaskFileError", "load_tasks", "parse_subsample", "subsample_tasks"]

# AutoGenBench drew subsamples from a Random seeded with this value, so the same tasks are picked.
SUBSAMPLE_SEED = 425


class TaskFileError(BenchError):
    """A task file (or a row in it) does not follow the AutoGenBench format."""


@dataclass(frozen=True)
class Task:
    """One row of a task file."""

    scenario: str  # the task file's name without .jsonl: the first folder under Results/
    id: str
    template: Union[str, list[Any]]
    substitutions: dict[str, dict[str, str]]
    base_dir: str  # where relative template paths resolve (the task file's folder)


def load_tasks(path: Union[str, Path]) -> list[list[Task]]:
    """The tasks of a ``.jsonl`` file, or of every ``.jsonl`` file in a folder (one list per file)."""
    source = Path(path)
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file() and p.suffix.lower() == ".jsonl")
        if not files:
            raise TaskFileError(f"folder {str(path)!r} holds no .jsonl task files")
    elif source.is_file():
        files = [source]
    else:
        raise TaskFileError(f"task file {str(path)!r} does not exist; give a .jsonl file or a folder of them")
    return [_read_file(file) for file in files]


def _read_file(file: Path) -> list[Task]:
    scenario = file.name[: -len(file.suffix)] if file.suffix else file.name
    base_dir = str(file.resolve().parent)
    tasks: list[Task] = []
    seen: set[str] = set()
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{file}, line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise TaskFileError(f"{where} is not valid JSON: {err.msg}") from None
        task = _task_from_row(row, scenario, base_dir, where)
        if task.id in seen:
            raise TaskFileError(f"{where}: task id {task.id!r} appears twice; ids must be unique in a file")
        seen.add(task.id)
        tasks.append(task)
    return tasks


def _task_from_row(row: Any, scenario: str, base_dir: str, where: str) -> Task:
    if not isinstance(row, dict):
        raise TaskFileError(f"{where} must be a JSON object with 'id', 'template' and 'substitutions'")
    task_id = row.get("id")
    if not isinstance(task_id, str) or not task_id or "/" in task_id or task_id in (".", ".."):
        raise TaskFileError(f"{where}: 'id' must be a non-empty string usable as a folder name, got {task_id!r}")
    template = row.get("template")
    if not isinstance(template, (str, list)) or not template:
        raise TaskFileError(f"{where}: 'template' must be a path or a list of paths, got {template!r}")
    # Older files named the substitutions "values", and some gave them for scenario.py only (one level).
    substitutions = row.get("substitutions", row.get("values", {}))
    if not isinstance(substitutions, dict):
        raise TaskFileError(f"{where}: 'substitutions' must be an object of file -> {{find: replace}}")
    if substitutions and all(isinstance(v, str) for v in substitutions.values()):
        substitutions = {"scenario.py": substitutions}
    for name, pairs in substitutions.items():
        if not isinstance(pairs, dict) or not all(isinstance(v, str) for v in pairs.values()):
            raise TaskFileError(f"{where}: substitutions for {name!r} must map strings to strings")
    return Task(scenario, task_id, template, substitutions, base_dir)


@dataclass(frozen=True)
class Subsample:
    """How many tasks of each file to run: a fraction (``0.3``) or a count (``5``)."""

    value: float
    is_fraction: bool


def parse_subsample(text: Optional[str]) -> Optional[Subsample]:
    """``--subsample``: a fraction with a decimal point (``0.3``) or a count without one (``5``)."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise TaskFileError(f"--subsample must be a fraction like 0.3 or a count like 5, got {text!r}") from None
    if "." in text:
        if not 0.0 <= value <= 1.0:
            raise TaskFileError(f"--subsample {text}: a fraction must be between 0.0 and 1.0")
        return None if value == 1.0 else Subsample(value, True)
    if value < 0:
        raise TaskFileError(f"--subsample {text}: a count must not be negative")
    return Subsample(value, False)


def subsample_tasks(tasks: list[Task], subsample: Optional[Subsample]) -> list[Task]:
    """Pick tasks at random with AutoGenBench's seed (a fresh generator per file, so picks are stable)."""
    if subsample is None:
        return tasks
    value = subsample.value
    count = int(len(tasks) * value + 0.5) if subsample.is_fraction else int(value)
    count = max(0, min(count, len(tasks)))
    return random.Random(SUBSAMPLE_SEED).sample(tasks, count)
