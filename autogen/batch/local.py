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

from ._backend import Resources, check_max_concurrency

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
        source = iter(items)
        seen: set[K] = set()
        running: dict[Future[R], K] = {}
        with ThreadPoolExecutor(max_workers=max_concurrency, thread_name_prefix="autogen-batch") as pool:
            try:
                exhausted = False
                while True:
                    while not exhausted and len(running) < max_concurrency:
                        try:
                            key, item = next(source)
                        except StopIteration:
                            exhausted = True
                            break
                        if key in seen:
                            raise ValueError(f"duplicate batch key {key!r}: every job needs its own key")
                        seen.add(key)
                        running[pool.submit(fn, item)] = key
                    if not running:
                        return
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        key = running.pop(future)
                        error = future.exception()
                        yield key, (error if error is not None else future.result())
            finally:  # the caller stopped early (or failed): jobs not yet started never start
                for future in running:
                    future.cancel()

    def close(self) -> None:
        """Nothing to release: each ``map_unordered`` call owns its threads."""
