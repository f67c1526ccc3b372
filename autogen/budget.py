"""Hard budgets: limits on money, tokens, model calls and time that a chat can never cross.

A :class:`Budget` can be given to one chat (``initiate_chat(..., budget={...})``), to a group chat
manager (every group chat it runs), to an agent (its whole life: ``agent.set_budget(...)``), and to
the whole process (:func:`set_budget`). Before each model call that is not a cache hit, every budget
that applies *reserves* an estimate of the call (prompt tokens counted locally, ``max_tokens`` — or
:attr:`Budget.completion_estimate` — as the bound on the answer); a call that would cross a limit is
not made and raises :class:`BudgetExceeded`, which ends the chat cleanly with
``ChatResult.stop_reason == "budget"``. After the call the reservation is replaced by the actual
usage. Reservations are taken under a lock, so concurrent chats sharing one budget never overspend
it through a race.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Optional, Union

__all__ = ["Budget", "BudgetExceeded", "Spend", "get_budget", "set_budget"]

_LIMITS = ("usd", "tokens", "llm_calls", "seconds")
DEFAULT_COMPLETION_ESTIMATE = 1024


class Spend(NamedTuple):
    """What one model call costs (or is estimated to cost)."""

    usd: float = 0.0
    tokens: int = 0
    llm_calls: int = 0


class BudgetExceeded(RuntimeError):
    """A model call would cross a budget's limit; the call was not made."""

    def __init__(self, budget: Budget, limit: str, value: float, needed: float) -> None:
        self.budget = budget
        self.limit = limit
        self.value = value
        self.needed = needed
        super().__init__(
            f"{budget.name}: the next model call would cross the {limit} limit of {value:g} "
            f"(spent {needed:g} with the call's estimate). Raise the limit (budget={{{limit!r}: ...}}) "
            "or make the chat shorter."
        )


@dataclass(eq=False)
class Budget:
    """Limits on ``usd`` (cost from the price table), ``tokens`` (prompt + completion), ``llm_calls``
    and ``seconds`` (wall time since the budget was created). None means no limit."""

    usd: Optional[float] = None
    tokens: Optional[int] = None
    llm_calls: Optional[int] = None
    seconds: Optional[float] = None
    name: str = "budget"
    completion_estimate: int = DEFAULT_COMPLETION_ESTIMATE
    spent: Spend = field(default_factory=Spend)
    _reserved: Spend = field(default_factory=Spend, repr=False)
    _started: float = field(default_factory=time.monotonic, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        for limit in _LIMITS:
            value = getattr(self, limit)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"budget {limit!r} must be a number >= 0 or None, not {value!r}")

    @classmethod
    def of(cls, value: Union[Budget, dict[str, Any], None], name: str = "budget") -> Optional[Budget]:
        """A Budget from a dict like ``{"usd": 0.5, "tokens": 100_000}`` (or the Budget itself, or None)."""
        if value is None or isinstance(value, Budget):
            return value
        if not isinstance(value, dict):
            raise TypeError(f"budget must be a dict such as {{'usd': 0.5}} or a Budget, not {type(value).__name__}")
        unknown = sorted(set(value) - set(_LIMITS) - {"name", "completion_estimate"})
        if unknown:
            raise ValueError(f"budget has unknown limit(s) {unknown}; the limits are {list(_LIMITS)}")
        return cls(**{"name": name, **value})

    @property
    def elapsed(self) -> float:
        """Seconds since the budget was created."""
        return time.monotonic() - self._started

    def _check(self, estimate: Spend) -> None:
        if self.seconds is not None and self.elapsed > self.seconds:
            raise BudgetExceeded(self, "seconds", self.seconds, self.elapsed)
        for limit, limit_value in (("usd", self.usd), ("tokens", self.tokens), ("llm_calls", self.llm_calls)):
            if limit_value is None:
                continue
            needed = getattr(self.spent, limit) + getattr(self._reserved, limit) + getattr(estimate, limit)
            if needed > limit_value:
                raise BudgetExceeded(self, limit, limit_value, needed)

    def reserve(self, estimate: Spend) -> None:
        """Hold ``estimate`` for a call about to be made; raises BudgetExceeded if it would not fit."""
        with self._lock:
            self._check(estimate)
            self._reserved = _add(self._reserved, estimate)

    def settle(self, estimate: Spend, actual: Optional[Spend]) -> None:
        """Replace a reservation by what the call really cost (None: the call failed and cost nothing)."""
        with self._lock:
            self._reserved = _add(self._reserved, estimate, sign=-1)
            if actual is not None:
                self.spent = _add(self.spent, actual)


def _add(a: Spend, b: Spend, sign: int = 1) -> Spend:
    return Spend(a.usd + sign * b.usd, a.tokens + sign * b.tokens, a.llm_calls + sign * b.llm_calls)


class Reservation:
    """The reservations of one call on every budget that applies to it."""

    def __init__(self, budgets: Sequence[Budget], estimate: Spend) -> None:
        self.estimate = estimate
        self.held: list[Budget] = []
        try:
            for budget in budgets:
                budget.reserve(estimate)
                self.held.append(budget)
        except BudgetExceeded:
            self.settle(None)
            raise

    def settle(self, actual: Optional[Spend]) -> None:
        for budget in self.held:
            budget.settle(self.estimate, actual)
        self.held = []


_global: Optional[Budget] = None


def set_budget(budget: Union[Budget, dict[str, Any], None]) -> Optional[Budget]:
    """Set (or with None, remove) the budget every model call of this process counts against."""
    global _global
    _global = Budget.of(budget, name="global budget")
    return _global


def get_budget() -> Optional[Budget]:
    """The process-wide budget, if one is set."""
    return _global


def applicable(budgets: Iterable[Optional[Budget]]) -> list[Budget]:
    """The distinct budgets of ``budgets`` plus the global one, in a fixed order."""
    found: list[Budget] = []
    for budget in (*budgets, _global):
        if budget is not None and all(budget is not b for b in found):
            found.append(budget)
    return found
