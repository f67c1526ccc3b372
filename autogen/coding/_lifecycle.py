"""Context-manager support shared by executors and servers that hold a resource until ``stop()``."""

from __future__ import annotations

from types import TracebackType
from typing import Optional, Type, TypeVar

__all__ = ["StopOnExit"]

_T = TypeVar("_T", bound="StopOnExit")


class StopOnExit:
    """Mixin: ``with obj:`` returns ``obj`` and calls ``obj.stop()`` when the block ends, even on error."""

    def stop(self) -> None:
        """Release what the object holds; classes using the mixin implement it."""
        raise NotImplementedError

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc_val: Optional[BaseException],
        exc_tb: Optional[TracebackType],
    ) -> None:
        self.stop()
