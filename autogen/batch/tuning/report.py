"""Showing a search's result (the Pareto front of success vs cost) and writing the best configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .evaluate import TrialResult, config_id, trial_config_list
from .search import TuneOutcome, pareto_front

__all__ = ["best_config_list", "front_table", "write_best"]

_PARAMS = ("model", "temperature", "top_p", "max_tokens", "n")


def _short(text: str, width: int = 48) -> str:
    flat = text.replace("\n", "\\n")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def front_table(outcome: TuneOutcome) -> Any:
    """A rich table of the Pareto front (success vs cost), cheapest first; the best row is marked."""
    from rich.table import Table

    best = outcome.best
    table = Table(title=f"Pareto front: success vs cost ({len(outcome.trials)} configurations tried)")
    knobs = [k for k in (*_PARAMS, "prompt") if any(k in t.config for t in outcome.trials)]
    for column in ("", "config", *knobs):
        table.add_column(column)
    table.add_column("success", justify="right")
    table.add_column("cost (USD)", justify="right")
    for trial in pareto_front(outcome.trials):
        cells = [_short(str(trial.config[k])) if k in trial.config else "" for k in knobs]
        mark = "best" if trial is best else ""
        table.add_row(mark, config_id(trial.config), *cells, f"{trial.success:.0%}", f"{trial.cost_usd:.6f}")
    return table


def best_config_list(trial: TrialResult, config_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The best configuration as an ``OAI_CONFIG_LIST``: its entries and parameters, without any key."""
    from autogen.logger.redact import is_secret_key

    return [
        {k: v for k, v in entry.items() if not is_secret_key(k) and k != "tags"}
        for entry in trial_config_list(config_list, trial.config)
    ]


def write_best(path: str, outcome: TuneOutcome, config_list: list[dict[str, Any]]) -> Path:
    """Write the best configuration to ``path`` (an ``OAI_CONFIG_LIST``) and every trial to ``<path>.trials.json``.

    API keys are never written: give them as in any ``OAI_CONFIG_LIST`` (``OPENAI_API_KEY``, or add
    ``api_key`` to the file). The prompt template, success and cost of the best are in the trials file.
    """
    best = outcome.best
    if best is None:
        raise ValueError("no configuration finished all its runs within the budget; raise --budget-usd")
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(best_config_list(best, config_list), indent=2) + "\n", encoding="utf-8")

    def describe(trial: TrialResult) -> dict[str, Any]:
        return {
            "id": config_id(trial.config),
            "config": trial.config,
            "success": trial.success,
            "cost_usd": trial.cost_usd,
            "spent_usd": trial.spent_usd,
            "runs": len(trial.runs),
            "complete": trial.complete,
            "error": trial.error,
        }

    summary = {
        "best": describe(best),
        "pareto_front": [config_id(t.config) for t in pareto_front(outcome.trials)],
        "spent_usd": outcome.spent_usd,
        "budget_usd": outcome.budget_usd,
        "stop_reason": outcome.stop_reason,
        "trials": [describe(t) for t in outcome.trials],
    }
    out.with_name(out.name + ".trials.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return out
