"""Smoke test of ``bench/retrieval.py``: tiny sizes, our Chroma store and the 0.2 API path, one table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "retrieval.py"


@pytest.mark.slow
def test_the_retrieval_benchmark_prints_a_row_per_case():
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--only", "api,chroma"], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ours")]
    assert len(rows) == 2 and all("| 50 |" in row for row in rows)
