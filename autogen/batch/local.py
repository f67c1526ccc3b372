"""The local backend: jobs run in a pool of threads in this process.

Threads, not processes, because batch jobs wait on I/O (model endpoints, a Docker container or a
subprocess a run starts), not on Python: a thread starts in microseconds, shares the process's pooled
HTTP connections and needs nothing pickled, which keeps 50 parallel short runs close to ideal on one
machine. ``fn`` must therefore not change process-wide state (``os.chdir``, ``os.environ``); run such
work in a subprocess from ``fn``. A thread cannot die on its own, so ``retries`` has nothing to do here;
it matters for the Ray backend, where a worker process can be killed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar

from ._backend import Resources, check_max_concurrency, run_windowed

__all__ = ["LocalBackend"]

K = TypeVar("K")
T = TypeVar("T")
R = TypeVar("R")


class LocalBackend:
    """Runs jobs on up to ``max_concurrency`` threads of this process (see the module docstring)."""

    name = "local"

    def map_unordered(
        self,
        fn: Callable[[T], R],
        items: Iterable[tuple[K, T]],
        *,
        max_concurrency: int,
        resources: Resources = Resources(),
        retries: int = 2,
    ) -> Iterator[tuple[K, R | BaseException]]:
        check_max_concurrency(max_concurrency)
        return self._run(fn, items, max_concurrency)

    def _run(
        self, fn: Callable[[T], R], items: Iterable[tuple[K, T]], max_concurrency: int
    ) -> Iterator[tuple[K, R | BaseException]]:
        with ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="autogen-batch") as pool:
            yield from run_windowed(
                items,
                max_concurrency,
                submit=lambda _key, item: pool.submit(fn, item),
                wait_any=lambda running: wait(running, return_when=FIRST_COMPLETED).done,
                outcome=_outcome,
                cancel=Future.cancel,
            )

    def close(self) -> None:
        """Nothing to release: each ``map_unordered`` call owns its threads."""


def _outcome(future: Future[R]) -> R | BaseException:
    error = future.exception()
    return error if error is not None else future.result()
