"""The Ray backend: each job is one Ray task, so a batch spreads over every machine of a Ray cluster.

``address=None`` starts a private local Ray instance (``ray.init(num_cpus=...)``) that :meth:`close` shuts
down; ``"auto"`` joins the cluster this machine belongs to and ``"ray://HOST:PORT"`` connects through Ray
Client. When Ray is already initialised in this process, that connection is reused and left alone.

Each task declares its :class:`Resources` (``num_cpus``, ``memory``) and runs with ``max_retries=retries``:
when its worker process dies (killed, out of memory, node lost) Ray runs it again on another worker. An
exception raised by ``fn`` is caught inside the task and comes back as a value, so it is never retried
and never mistaken for a lost worker. At most ``max_concurrency`` tasks are submitted at once; each key is
yielded exactly once, when its task finished or finally failed.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from ._backend import Resources, check_max_concurrency, run_windowed

__all__ = ["JobFailed", "RayBackend", "import_ray"]

K = TypeVar("K")
T = TypeVar("T")
R = TypeVar("R")

_INSTALL_HINT = 'the Ray backend needs the ray package: pip install "autogen[ray]"'


def import_ray() -> Any:
    """The ``ray`` module, or an ImportError that says how to install it."""
    try:
        import ray
    except ImportError as err:
        raise ImportError(_INSTALL_HINT) from err
    return ray


class JobFailed(RuntimeError):
    """A job's exception that could not be pickled back from its worker, kept as its type name and message."""


@dataclass
class _Raised:
    """``fn`` raised: the exception travels back as a value (so Ray does not retry the task)."""

    error: BaseException


def _portable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return JobFailed(f"{type(error).__name__}: {error}")
    return error


def _first_line(err: BaseException) -> str:
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else ''}"


def _run_job(fn: Callable[[Any], Any], item: Any) -> Any:
    """The body of every Ray task: ``fn(item)``, with its exception returned rather than raised."""
    try:
        return fn(item)
    except Exception as error:
        return _Raised(_portable(error))


class RayBackend:
    """Runs each job as a Ray task (see the module docstring)."""

    name = "ray"

    def __init__(self, address: str | None = None, *, num_cpus: int | None = None) -> None:
        if address is not None and address != "auto" and not address.startswith("ray://"):
            raise ValueError(
                f"Ray address {address!r} is not understood; use 'auto' (join this machine's cluster), "
                "'ray://HOST:PORT' (Ray Client) or None (start a local Ray instance)"
            )
        self._ray = import_ray()
        self._owns_cluster = False
        self._address = address
        self._num_cpus = num_cpus
        self._remote: Any = None

    def _connect(self) -> Any:
        ray = self._ray
        if not ray.is_initialized():
            if self._address is None:
                ray.init(num_cpus=self._num_cpus, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(address=self._address, log_to_driver=False)
            self._owns_cluster = True
        if self._remote is None:
            self._remote = ray.remote(_run_job)
        return ray

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
        if retries < 0:
            raise ValueError(f"retries must be >= 0, got {retries!r}")
        ray = self._connect()
        try:
            fn_ref = ray.put(fn)  # pickled once, shared by every task
        except Exception as err:
            raise TypeError(
                f"{fn!r} cannot be sent to Ray workers because it cannot be pickled ({_first_line(err)}); "
                "pass a module-level function (or functools.partial of one) with picklable arguments"
            ) from err
        options: dict[str, Any] = {"num_cpus": resources.cpus, "max_retries": retries, "retry_exceptions": False}
        if resources.memory_mb is not None:
            options["memory"] = resources.memory_mb * 1024 * 1024
        return self._run(ray, self._remote.options(**options), fn_ref, items, max_concurrency)

    def _run(
        self, ray: Any, remote: Any, fn_ref: Any, items: Iterable[tuple[K, T]], max_concurrency: int
    ) -> Iterator[tuple[K, Any]]:
        def submit(key: K, item: T) -> Any:
            try:
                return remote.remote(fn_ref, item)
            except Exception as err:
                raise TypeError(
                    f"the item of batch key {key!r} cannot be sent to Ray workers ({_first_line(err)}); "
                    "items must be plain picklable data"
                ) from err

        def wait_any(running: list[Any]) -> set[Any]:
            ready, _ = ray.wait(running, num_returns=1)
            more, _ = ray.wait(running, num_returns=len(running), timeout=0)
            return {*ready, *more}

        return run_windowed(
            items,
            max_concurrency,
            submit=submit,
            wait_any=wait_any,
            outcome=lambda ref: self._value(ray, ref),
            cancel=lambda ref: ray.cancel(ref, force=False),
        )

    @staticmethod
    def _value(ray: Any, ref: Any) -> Any:
        try:
            value = ray.get(ref)
        except Exception as err:  # the worker died more often than retries allowed, or the task was cancelled
            return err
        return value.error if isinstance(value, _Raised) else value

    def close(self) -> None:
        """Disconnect from Ray if this backend connected (a local instance it started stops with it).

        A connection that was already open when the backend first ran a batch is left open.
        """
        if self._owns_cluster and self._ray.is_initialized():
            self._ray.shutdown()
        self._owns_cluster = False
        self._remote = None
