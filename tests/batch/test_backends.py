"""The backends' ``map_unordered`` contract: bounded concurrency, each key once, exceptions as values."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from autogen.batch import Resources, get_backend

from . import _teams


def test_local_backend_bounds_concurrency_and_yields_exceptions_as_values():
    running = peak = 0
    lock = threading.Lock()

    def job(number: int) -> int:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        if number == 3:
            raise KeyError(number)
        return number * 10

    backend = get_backend("local")
    results = dict(backend.map_unordered(job, ((f"k{n}", n) for n in range(8)), max_concurrency=3))
    assert peak == 3
    assert sorted(results) == [f"k{n}" for n in range(8)]
    assert isinstance(results["k3"], KeyError)
    assert {k: v for k, v in results.items() if k != "k3"} == {f"k{n}": n * 10 for n in range(8) if n != 3}


def test_duplicate_keys_and_bad_resources_are_refused():
    backend = get_backend("local")
    with pytest.raises(ValueError, match="duplicate batch key 'a'"):
        list(backend.map_unordered(str, [("a", 1), ("a", 2)], max_concurrency=1))
    with pytest.raises(ValueError, match=r"Resources\.cpus must be > 0, got 0"):
        Resources(cpus=0)
    with pytest.raises(ValueError, match="address='auto' is only for the 'ray' backend"):
        get_backend("local", address="auto")


@pytest.mark.slow
def test_ray_backend_declares_resources_and_never_retries_an_exception(ray_backend, tmp_path):
    attempts = tmp_path / "attempts.txt"
    results = dict(
        ray_backend.map_unordered(_teams.counting, [(n, (str(attempts), n)) for n in range(4)], max_concurrency=2)
    )
    assert results[0] == 0 and results[2] == 4
    assert isinstance(results[1], ValueError) and str(results[1]) == "odd number 1"
    assert Counter(attempts.read_text().split()) == Counter({"0": 1, "1": 1, "2": 1, "3": 1})

    half = Resources(cpus=0.5)
    cpus = dict(ray_backend.map_unordered(_teams.assigned_cpus, [(0, None)], max_concurrency=1, resources=half))
    assert cpus == {0: 0.5}

    squares = dict(ray_backend.map_unordered(_teams.slow_square, [(n, n) for n in range(4)], max_concurrency=4))
    assert {n: value[0] for n, value in squares.items()} == {n: n * n for n in range(4)}
    intervals = sorted(value[1:] for value in squares.values())
    assert any(later[0] < earlier[1] for earlier, later in zip(intervals, intervals[1:]))  # two ran side by side
