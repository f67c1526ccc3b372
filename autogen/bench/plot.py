"""The ``--plot`` chart: success rate vs mean cost per run, one point per configuration."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BenchError

if TYPE_CHECKING:
    from .tabulate import ConfigResult

__all__ = ["plot_success_vs_cost"]


def plot_success_vs_cost(configs: list[ConfigResult], path: Path) -> None:
    """Write the chart to ``path`` (format from its suffix)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise BenchError('--plot needs matplotlib: pip install "autogen[graph]"') from None
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for config in configs:
        summary = config.summary()
        rate = summary["success_rate"]
        cost = summary["mean_cost"] or 0.0
        if rate is None:
            continue
        label = config.name + (f" ({', '.join(config.models)})" if config.models else "")
        axes.scatter([cost], [rate * 100], s=60)
        axes.annotate(label, (cost, rate * 100), textcoords="offset points", xytext=(6, 4), fontsize=8)
    axes.set_xlabel("mean cost per run (USD)")
    axes.set_ylabel("success rate (%)")
    axes.set_ylim(-5, 105)
    axes.set_title("autogen bench: success vs cost")
    axes.grid(True, alpha=0.3)
    figure.tight_layout()
    try:
        figure.savefig(path)
    except (OSError, ValueError) as err:
        raise BenchError(f"cannot write the chart to {str(path)!r}: {err}") from None
    finally:
        plt.close(figure)
