"""The search: Optuna proposes configurations, the evaluator scores them, the budget stops it.

A space of lists only is searched exhaustively (Optuna's brute-force sampler: every combination once,
in a seeded random order); a space with a range uses Optuna's TPE sampler. The search stops when the
money spent reaches the budget, when every combination was tried, or after ``max_trials``. Inside a
trial no run starts once the spend reached the budget, so the spend passes the budget by at most the
runs already in flight. A trial the budget cut short is kept (pruned) but never chosen as the best.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .evaluate import TrialResult
from .space import Choice, Range, SearchSpace

__all__ = ["Evaluator", "TuneOutcome", "best_trial", "pareto_front", "tune"]

METRICS = ("success",)


class Evaluator(Protocol):
    def evaluate(self, config: dict[str, Any], budget_left_usd: float) -> TrialResult: ...


@dataclass
class TuneOutcome:
    """Every trial, the money spent, and why the search stopped."""

    trials: list[TrialResult] = field(default_factory=list)
    spent_usd: float = 0.0
    budget_usd: float = 0.0
    stop_reason: str = ""

    @property
    def best(self) -> TrialResult | None:
        return best_trial(self.trials)


def best_trial(trials: list[TrialResult]) -> TrialResult | None:
    """The complete trial with the highest success; the cheapest among equals."""
    complete = [t for t in trials if t.complete]
    return max(complete, key=lambda t: (t.success, -t.cost_usd), default=None)


def pareto_front(trials: list[TrialResult]) -> list[TrialResult]:
    """Complete trials no other beats on both success (higher) and cost (lower), cheapest first."""
    complete = [t for t in trials if t.complete]
    front = [
        t
        for t in complete
        if not any(
            o.success >= t.success and o.cost_usd <= t.cost_usd and (o.success > t.success or o.cost_usd < t.cost_usd)
            for o in complete
        )
    ]
    unique: dict[tuple[float, float], TrialResult] = {}
    for t in sorted(front, key=lambda t: (t.cost_usd, -t.success)):
        unique.setdefault((t.success, t.cost_usd), t)
    return list(unique.values())


def _suggest(trial: Any, space: SearchSpace) -> dict[str, Any]:
    config: dict[str, Any] = {}
    for knob, dim in space.dimensions.items():
        if isinstance(dim, Choice):
            config[knob] = dim.values[0] if len(dim.values) == 1 else trial.suggest_categorical(knob, list(dim.values))
        elif isinstance(dim, Range) and dim.integer:
            config[knob] = trial.suggest_int(knob, int(dim.low), int(dim.high), log=dim.log)
        else:
            config[knob] = trial.suggest_float(knob, dim.low, dim.high, log=dim.log)
    return config


def tune(
    space: SearchSpace,
    evaluator: Evaluator,
    budget_usd: float,
    *,
    metric: str = "success",
    max_trials: int = 100,
    seed: int = 0,
    on_trial: Callable[[TrialResult, TuneOutcome], object] | None = None,
) -> TuneOutcome:
    """Search ``space`` for the configuration with the best ``metric`` while spending at most ``budget_usd``."""
    try:
        import optuna
    except ImportError as err:
        raise ImportError('autogen bench tune needs Optuna: pip install "autogen[tune]"') from err
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r} is not supported; choose one of: {', '.join(METRICS)}")
    if not (budget_usd > 0 and math.isfinite(budget_usd)):
        raise ValueError(f"the budget must be a positive amount of USD, got {budget_usd!r}")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():  # BruteForceSampler is marked experimental; its behaviour is what we test
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        samplers = optuna.samplers
        sampler = samplers.BruteForceSampler(seed=seed) if space.finite else samplers.TPESampler(seed=seed)
    study = optuna.create_study(direction="maximize", sampler=sampler)
    outcome = TuneOutcome(budget_usd=budget_usd, stop_reason=f"{max_trials} trials run (--max-trials)")
    seen: dict[str, TrialResult] = {}

    def objective(trial: Any) -> float:
        config = _suggest(trial, space)
        key = repr(sorted(config.items()))
        if key in seen:  # TPE may propose a configuration again: its score is known, nothing is spent
            result = seen[key]
        else:
            result = evaluator.evaluate(config, budget_usd - outcome.spent_usd)
            seen[key] = result
            outcome.trials.append(result)
            outcome.spent_usd += result.spent_usd
            if on_trial is not None:
                on_trial(result, outcome)
        if result.error is not None:
            raise RuntimeError(f"configuration {config} failed: {result.error}")
        if not result.complete:
            raise optuna.TrialPruned()
        return result.success

    def stop_at_budget(study: Any, trial: Any) -> None:
        if outcome.spent_usd >= budget_usd:
            outcome.stop_reason = f"the budget is spent (${outcome.spent_usd:.6f} of ${budget_usd:g})"
            study.stop()

    study.optimize(objective, n_trials=max_trials, callbacks=[stop_at_budget], catch=(RuntimeError,))
    if outcome.spent_usd < budget_usd and space.finite and len(outcome.trials) >= space.size:
        outcome.stop_reason = f"every one of the {int(space.size)} configurations was tried"
    return outcome
