"""The progress line of ``autogen bench run`` keeps runs that did not complete apart from tasks that failed."""

from __future__ import annotations

import io

from rich.console import Console

from autogen.bench.progress import RunProgress


def test_incomplete_runs_are_counted_apart_from_failed_checks():
    progress = RunProgress(3, console=Console(file=io.StringIO()))
    for _ in range(3):
        progress.started()
    progress.finished(failed=False, cost=0.25)  # completed; its check may have failed, which is not counted here
    progress.finished(failed=True, cost=None)  # timed out
    assert progress.status().startswith("running 1  incomplete 1  cost $0.2500  left ~")
    assert "failed" not in progress.status()
