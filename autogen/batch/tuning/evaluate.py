"""Scoring one configuration: run the benchmark's tasks with it through ``autogen bench``'s runner.

Each configuration gets its own results folder, ``<work dir>/trials/<config id>/``, laid out as
``autogen bench run`` lays it out, so a configuration evaluated before (earlier in this search or in an
earlier ``tune`` with the same work dir) is read back, not run again. With ``--native`` every run also
shares one disk cache of model answers (the project's cache, ``<work dir>/cache``; an absolute
``cache_seed`` in the config entries), so a request asked before is answered free. Money *spent* is
the runs' ``usage_excluding_cached_inference`` cost; a configuration's *cost* (for the Pareto front)
counts cached answers too, as that is what it costs on a cold cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from .space import PROMPT_SLOT

__all__ = ["BenchEvaluator", "RunOutcome", "TrialResult", "config_id", "trial_config_list"]


@dataclass(frozen=True)
class RunOutcome:
    """One (task, repeat) run of a configuration."""

    task_id: str
    repeat: int
    success: bool
    cost_usd: float  # including cached answers
    spent_usd: float  # paid now: cached answers and runs finished earlier are free


@dataclass
class TrialResult:
    """How one configuration did."""

    config: dict[str, Any]
    runs: list[RunOutcome] = field(default_factory=list)
    planned: int = 0
    error: Optional[str] = None

    @property
    def complete(self) -> bool:
        """Whether every planned run finished (a search stopped by the budget leaves a trial incomplete)."""
        return self.error is None and len(self.runs) == self.planned and self.planned > 0

    @property
    def success(self) -> float:
        return sum(r.success for r in self.runs) / len(self.runs) if self.runs else 0.0

    @property
    def cost_usd(self) -> float:
        return sum(r.cost_usd for r in self.runs)

    @property
    def spent_usd(self) -> float:
        return sum(r.spent_usd for r in self.runs)


def config_id(config: dict[str, Any]) -> str:
    """A short stable id of a configuration (its results folder's name)."""
    return hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:12]


def trial_config_list(config_list: list[dict[str, Any]], config: dict[str, Any]) -> list[dict[str, Any]]:
    """The config entries a configuration runs with: its model's entries, carrying its request parameters."""
    params = {k: v for k, v in config.items() if k not in ("model", "prompt")}
    entries = config_list if "model" not in config else [e for e in config_list if e.get("model") == config["model"]]
    if not entries:
        models = sorted({str(e.get("model")) for e in config_list})
        raise ValueError(
            f"model {config['model']!r} of the search space has no entry in the config list; "
            f"add one, or use one of: {', '.join(models)}"
        )
    return [{**entry, **params} for entry in entries]


def _spent(run_dir: Path, recorded_cost: Optional[float]) -> tuple[float, float]:
    """(cost including cached answers, cost excluding them) of a finished run folder."""
    from autogen.bench.record import USAGE_FILE

    try:
        usage = json.loads((run_dir / USAGE_FILE).read_text(encoding="utf-8"))["usage"]
        including = float(usage["usage_including_cached_inference"]["total_cost"])
        excluding = float(usage["usage_excluding_cached_inference"]["total_cost"])
    except (OSError, ValueError, KeyError, TypeError):
        cost = float(recorded_cost or 0.0)
        return cost, cost
    return including, excluding


class BenchEvaluator:
    """Runs a task file's tasks with one configuration at a time (see the module docstring)."""

    def __init__(
        self,
        tasks_path: str,
        config_list: list[dict[str, Any]],
        work_dir: str,
        *,
        prompt_key: str = "__PROMPT__",
        repeat: int = 1,
        subsample: Optional[str] = None,
        native: bool = False,
        docker_image: Optional[str] = None,
        timeout: float = 600.0,
        backend: str = "local",
        address: Optional[str] = None,
        parallel: int = 1,
    ) -> None:
        from autogen.bench.tasks import load_tasks, parse_subsample, subsample_tasks

        self.tasks_path = Path(tasks_path)
        subsample_spec = parse_subsample(subsample)
        self.tasks = [t for tasks in load_tasks(self.tasks_path) for t in subsample_tasks(tasks, subsample_spec)]
        if not any(prompt_key in values for t in self.tasks for values in t.substitutions.values()):
            raise ValueError(
                f"no task in {tasks_path} has the substitution {prompt_key!r} that prompt templates rewrite; "
                "set prompt_key in the space file to one of its substitutions"
            )
        self.config_list = config_list
        self.work_dir = Path(work_dir).resolve()
        self.prompt_key = prompt_key
        self.repeat = repeat
        self.native = native
        self.docker_image = docker_image
        self.timeout = timeout
        self.backend = backend
        self.address = address
        self.parallel = parallel

    @property
    def runs_per_trial(self) -> int:
        return len(self.tasks) * self.repeat

    def _task_with_prompt(self, task: Any, template: Optional[str]) -> Any:
        if template is None:
            return task
        substitutions = {
            file: {
                name: (template.replace(PROMPT_SLOT, value) if name == self.prompt_key else value)
                for name, value in values.items()
            }
            for file, values in task.substitutions.items()
        }
        return dataclasses.replace(task, substitutions=substitutions)

    def _specs(self, config: dict[str, Any]) -> list[Any]:
        from autogen.bench.runner import spec_template

        entries = trial_config_list(self.config_list, config)
        if self.native:  # one answer cache shared by every run (an absolute seed is the cache folder itself)
            entries = [{**e, "cache_seed": str(self.work_dir / "cache")} for e in entries]
        make_spec = spec_template(
            self.tasks_path,
            entries,
            results_dir=str(self.work_dir / "trials" / config_id(config)),
            timeout=self.timeout,
            native=self.native,
            docker_image=self.docker_image,
        )
        return [
            make_spec(self._task_with_prompt(task, config.get("prompt")), repeat)
            for task in self.tasks
            for repeat in range(self.repeat)
        ]

    def evaluate(self, config: dict[str, Any], budget_left_usd: float) -> TrialResult:
        """Run every task with ``config``; a new run starts only while this trial spent under ``budget_left_usd``."""
        from autogen.batch import Resources, get_backend
        from autogen.bench.execute import execute_run, final_dir
        from autogen.bench.record import read_record

        result = TrialResult(config=dict(config))
        specs = self._specs(config)
        result.planned = len(specs)
        todo = []
        for spec in specs:
            final = final_dir(spec.results_dir, spec.task, spec.repeat)
            if final.is_dir():  # run earlier: read back, nothing spent
                record = read_record(final)
                cost, _ = _spent(final, record.cost)
                result.runs.append(RunOutcome(spec.task.id, spec.repeat, bool(record.success), cost, 0.0))
            else:
                todo.append(spec)
        if not todo:
            return result

        def items() -> Iterator[tuple[int, Any]]:
            for index, spec in enumerate(todo):
                if result.spent_usd >= budget_left_usd:
                    return
                yield index, spec

        backend = get_backend(self.backend, address=self.address)
        try:
            for index, outcome in backend.map_unordered(
                execute_run, items(), max_concurrency=self.parallel, resources=Resources()
            ):
                spec = todo[index]
                if isinstance(outcome, BaseException):
                    result.error = f"{type(outcome).__name__}: {outcome}"
                    continue
                cost, spent = _spent(final_dir(spec.results_dir, spec.task, spec.repeat), outcome.cost)
                result.runs.append(RunOutcome(spec.task.id, spec.repeat, bool(outcome.success), cost, spent))
        finally:
            backend.close()
        return result
