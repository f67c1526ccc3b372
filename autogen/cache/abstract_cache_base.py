"""The protocol every cache backend implements."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Optional, Protocol, Type

if TYPE_CHECKING:
    from typing_extensions import Self


class AbstractCache(Protocol):
    """A key/value store for LLM responses, usable as a context manager.

    Keys are strings; values are any picklable object. ``close`` releases the backend's
    resources; leaving a ``with`` block calls it.
    """

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return the value stored under ``key``, or ``default`` when there is none."""
        ...

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, replacing any previous value."""
        ...

    def close(self) -> None:
        """Release the backend's resources."""
        ...

    def __enter__(self) -> Self:
        """Enter the context; returns the cache itself."""
        ...

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        """Leave the context and close the cache."""
        ...


class CacheContextMixin:
    """Gives a backend the context-manager half of :class:`AbstractCache` (``close`` on exit)."""

    def close(self) -> None:  # pragma: no cover - every backend overrides it
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_value: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()
