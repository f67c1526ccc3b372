"""The batch backend interface: run a picklable function over keyed items, yield results as they finish.

A :class:`Backend` maps ``fn`` over ``(key, item)`` pairs with at most ``max_concurrency`` jobs in
flight and yields ``(key, result)`` as each job finishes, every key exactly once. An exception raised
by ``fn`` is yielded as the value, never raised, so one failed job does not stop the batch.

Two backends implement it: ``"local"`` (:class:`autogen.batch.local.LocalBackend`, threads of this process)
and ``"ray"`` (:class:`autogen.batch.ray_backend.RayBackend`, one Ray task per job); :mod:`.backends` picks one
by name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol, TypeVar

__all__ = ["Backend", "Resources", "check_max_concurrency", "run_windowed"]

K = TypeVar("K")
T = TypeVar("T")
R = TypeVar("R")
J = TypeVar("J", bound=Hashable)


@dataclass(frozen=True)
class Resources:
    """What one job needs: CPUs (may be fractional) and, optionally, memory in MiB (Ray schedules on both)."""

    cpus: float = 1.0
    memory_mb: int | None = None

    def __post_init__(self) -> None:
        if self.cpus <= 0:
            raise ValueError(f"Resources.cpus must be > 0, got {self.cpus!r}")
        if self.memory_mb is not None and self.memory_mb <= 0:
            raise ValueError(f"Resources.memory_mb must be > 0 or None, got {self.memory_mb!r}")


class Backend(Protocol):
    """Runs jobs somewhere and streams their results back."""

    name: str

    def map_unordered(
        self,
        fn: Callable[[T], R],
        items: Iterable[tuple[K, T]],
        *,
        max_concurrency: int,
        resources: Resources = Resources(),
        retries: int = 2,
    ) -> Iterator[tuple[K, R | BaseException]]:
        """Run ``fn(item)`` for each ``(key, item)``; yield ``(key, result or exception)`` as jobs finish.

        ``retries`` is how many times a job whose *worker died* is run again; an exception raised by ``fn``
        is a result, not a reason to retry. Keys must be hashable and distinct.
        """
        ...

    def close(self) -> None:
        """Release the workers (and, for a Ray cluster this backend started, shut it down)."""
        ...


def check_max_concurrency(max_concurrency: int) -> int:
    """``max_concurrency`` as a positive int, or a clear error."""
    if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int) or max_concurrency < 1:
        raise ValueError(f"max_concurrency must be a positive integer, got {max_concurrency!r}")
    return max_concurrency


def run_windowed(
    items: Iterable[tuple[K, T]],
    max_concurrency: int,
    *,
    submit: Callable[[K, T], J],
    wait_any: Callable[[list[J]], Iterable[J]],
    outcome: Callable[[J], R | BaseException],
    cancel: Callable[[J], object],
) -> Iterator[tuple[K, R | BaseException]]:
    """The scheduling loop every backend shares: at most ``max_concurrency`` jobs in flight.

    ``submit(key, item)`` starts a job and returns its handle, ``wait_any(handles)`` blocks until at least one
    has finished and returns the finished ones, ``outcome(handle)`` is its result or exception and
    ``cancel(handle)`` stops a job that is still pending when the caller stops early (or a key repeats).
    """
    source = iter(items)
    seen: set[K] = set()
    running: dict[J, K] = {}
    exhausted = False
    try:
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
                running[submit(key, item)] = key
            if not running:
                return
            for job in wait_any(list(running)):
                yield running.pop(job), outcome(job)
    finally:  # the caller stopped early (or failed): jobs still pending never finish
        for job in running:
            cancel(job)
