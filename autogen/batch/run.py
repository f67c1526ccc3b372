"""``run_batch``: one fresh agent team per task, many tasks at once, on local threads or a Ray cluster.

A *task* is the first message (a str) or a dict of ``initiate_chat`` keyword arguments (``message``,
``max_turns``, ``summary_method``, ``carryover``, ...). For every task ``team_factory()`` builds a new
``(sender, recipient)`` pair and ``sender.initiate_chat(recipient, **task)`` runs (``silent=True`` unless
the task says otherwise). With the Ray backend the factory is pickled to the workers, so it must be a
module-level function, or a ``functools.partial`` of one with picklable arguments (a config list, say).

Progress streams two ways: :func:`iter_batch` yields a :class:`BatchProgress` as each task finishes
(in finishing order), and :func:`run_batch` calls ``on_progress`` with the same events, then returns
the ``ChatResult`` of every task in task order. Results cross process boundaries with secrets removed
(registered keys and key-like strings in the history and summary become ``[REDACTED]``).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Union

from ._backend import Backend, Resources
from .backends import get_backend

if TYPE_CHECKING:
    from ..agentchat.chat import ChatResult

__all__ = ["BatchError", "BatchProgress", "Task", "chat_cost", "iter_batch", "run_batch"]

Task = Union[str, Mapping[str, Any]]
TeamFactory = Callable[[], Sequence[Any]]

_FACTORY_ONLY = frozenset({"recipient", "self", "sender"})


@dataclass(frozen=True)
class BatchProgress:
    """One finished task: which one, its outcome, and the batch's totals so far."""

    index: int
    """Position of the task in ``tasks``."""
    result: ChatResult | BaseException
    """The task's ``ChatResult``, or the exception that ended it."""
    done: int
    """Tasks finished so far (this one included)."""
    total: int
    failed: int
    """Tasks among ``done`` that ended with an exception."""
    cost_usd: float
    """Money spent so far: the summed ``usage_excluding_cached_inference`` cost (cached answers are free)."""
    elapsed_s: float


class BatchError(RuntimeError):
    """Some tasks failed; ``errors`` maps task index to exception, ``results`` holds every outcome in order."""

    def __init__(self, errors: dict[int, BaseException], results: list[Any]) -> None:
        first = min(errors)
        super().__init__(
            f"{len(errors)} of {len(results)} batch tasks failed; task {first}: {type(errors[first]).__name__}: "
            f"{errors[first]} (pass return_exceptions=True to get them in the results)"
        )
        self.errors = errors
        self.results = results

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.errors, self.results))


def chat_cost(result: Any, *, include_cached: bool = False) -> float:
    """Money a ``ChatResult`` cost, in USD (0.0 for anything else); cached answers count only if asked."""
    cost = getattr(result, "cost", None) or {}
    usage = cost.get("usage_including_cached_inference" if include_cached else "usage_excluding_cached_inference")
    return float((usage or {}).get("total_cost", 0.0) or 0.0)


def _task_kwargs(index: int, task: Task) -> dict[str, Any]:
    if isinstance(task, str):
        return {"message": task}
    if isinstance(task, Mapping):
        bad = [k for k in task if not isinstance(k, str) or k in _FACTORY_ONLY]
        if bad:
            raise ValueError(
                f"task {index} has keys {bad!r} that initiate_chat cannot take from a task; "
                "the agents come from team_factory"
            )
        return dict(task)
    raise TypeError(
        f"task {index} is a {type(task).__name__}; a task is a message string or a dict of initiate_chat "
        "keyword arguments such as {'message': ..., 'max_turns': 2}"
    )


def _build_team(team_factory: TeamFactory) -> tuple[Any, Any]:
    from ..agentchat.conversable_agent import ConversableAgent

    team = team_factory()
    if (
        not isinstance(team, (tuple, list))
        or len(team) != 2
        or not all(isinstance(agent, ConversableAgent) for agent in team)
    ):
        raise TypeError(
            f"team_factory {team_factory!r} returned {type(team).__name__}; it must return "
            "(sender, recipient), two ConversableAgents, where sender starts the chat"
        )
    return team[0], team[1]


def _run_task(team_factory: TeamFactory, task: dict[str, Any]) -> ChatResult:
    """One task from a blank slate; module-level so it pickles (Ray sends it to the workers)."""
    from ..agentchat.chat import ChatResult
    from ..logger.redact import redact
    from ..oai.scrub import scrub_error

    sender, recipient = _build_team(team_factory)
    kwargs = {"silent": True, **task}
    try:
        result = sender.initiate_chat(recipient, **kwargs)
    except Exception as error:
        raise scrub_error(error) from None
    return ChatResult(
        chat_id=result.chat_id,
        chat_history=redact(result.chat_history),
        summary=redact(result.summary),
        cost=result.cost,
        human_input=redact(result.human_input),
        stop_reason=result.stop_reason,
    )


def _backend_of(backend: str | Backend, address: str | None) -> tuple[Backend, bool]:
    if isinstance(backend, str):
        return get_backend(backend, address=address), True
    if address is not None:
        raise ValueError("address is only used when backend is a name; the given Backend is already connected")
    return backend, False


def iter_batch(
    team_factory: TeamFactory,
    tasks: Sequence[Task],
    *,
    backend: str | Backend = "local",
    max_concurrency: int = 8,
    address: str | None = None,
    resources: Resources = Resources(),
    retries: int = 2,
) -> Iterator[BatchProgress]:
    """Run every task (see the module docstring); yield a :class:`BatchProgress` as each one finishes."""
    if not callable(team_factory):
        raise TypeError(f"team_factory must be callable and return (sender, recipient), got {team_factory!r}")
    jobs = [(index, _task_kwargs(index, task)) for index, task in enumerate(tasks)]
    runner, owned = _backend_of(backend, address)
    return _stream(runner, owned, team_factory, jobs, max_concurrency, resources, retries)


def _stream(
    runner: Backend,
    owned: bool,
    team_factory: TeamFactory,
    jobs: list[tuple[int, dict[str, Any]]],
    max_concurrency: int,
    resources: Resources,
    retries: int,
) -> Iterator[BatchProgress]:
    started = time.monotonic()
    done = failed = 0
    spent = 0.0
    try:
        results = runner.map_unordered(
            functools.partial(_run_task, team_factory),
            jobs,
            max_concurrency=max_concurrency,
            resources=resources,
            retries=retries,
        )
        for index, outcome in results:
            done += 1
            failed += isinstance(outcome, BaseException)
            spent += chat_cost(outcome)
            yield BatchProgress(index, outcome, done, len(jobs), failed, spent, time.monotonic() - started)
    finally:
        if owned:
            runner.close()


def run_batch(
    team_factory: TeamFactory,
    tasks: Sequence[Task],
    *,
    backend: str | Backend = "local",
    max_concurrency: int = 8,
    address: str | None = None,
    on_progress: Callable[[BatchProgress], object] | None = None,
    resources: Resources = Resources(),
    retries: int = 2,
    return_exceptions: bool = False,
) -> list[ChatResult]:
    """Run one fresh team per task and return the ``ChatResult``s in task order.

    Args:
        team_factory: builds ``(sender, recipient)`` for one task; picklable for ``backend="ray"``.
        tasks: message strings, or dicts of ``initiate_chat`` keyword arguments.
        backend: ``"local"`` (threads here), ``"ray"``, or a :class:`Backend` you own and close.
        max_concurrency: tasks in flight at once.
        address: Ray only: None starts a local Ray instance, ``"auto"`` or ``"ray://HOST:PORT"`` joins one.
        on_progress: called with a :class:`BatchProgress` as each task finishes (on this thread).
        resources: what one task needs (Ray schedules on it).
        retries: Ray only: how often a task whose worker died is run again elsewhere.
        return_exceptions: put a failed task's exception in its place instead of raising :class:`BatchError`
            after the whole batch finished.
    """
    outcomes: list[Any] = [None] * len(tasks)
    errors: dict[int, BaseException] = {}
    events = iter_batch(
        team_factory,
        tasks,
        backend=backend,
        max_concurrency=max_concurrency,
        address=address,
        resources=resources,
        retries=retries,
    )
    for event in events:
        outcomes[event.index] = event.result
        if isinstance(event.result, BaseException):
            errors[event.index] = event.result
        if on_progress is not None:
            on_progress(event)
    if errors and not return_exceptions:
        raise BatchError(errors, outcomes)
    return outcomes
