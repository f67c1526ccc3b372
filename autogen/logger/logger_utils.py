"""Small helpers shared by the runtime loggers: timestamps and JSON-safe snapshots of objects."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Any

__all__ = ("get_current_ts", "to_dict")

_MAX_DEPTH = 32
_MAX_OBJECT_DEPTH = 3  # plain objects nested deeper than this are written as "<ClassName>"


def get_current_ts() -> str:
    """Return the current UTC time as ``YYYY-MM-DD HH:MM:SS.ffffff`` (the format stored in the logs)."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def to_dict(obj: Any, exclude: tuple[str, ...] = (), no_recursive: tuple[Any, ...] = ()) -> Any:
    """Turn ``obj`` into plain JSON-compatible data (dicts, lists, str, numbers, bool, None).

    Args:
        obj: Any value: scalars, mappings, sequences, pydantic models or plain objects.
        exclude: Keys (or attribute names) left out at every level.
        no_recursive: Types whose instances are not expanded but written as their ``name``
            (or ``str(value)`` without one), for example agents, which refer to each other.

    Returns:
        A new structure sharing nothing mutable with ``obj``, so it is a snapshot.
    """
    return _Converter(tuple(exclude), tuple(no_recursive)).convert(obj, 0, 0)


class _Converter:
    """One ``to_dict`` run: remembers the objects being expanded, to cut reference cycles."""

    def __init__(self, exclude: tuple[str, ...], no_recursive: tuple[Any, ...]) -> None:
        self.exclude = exclude
        self.no_recursive = no_recursive
        self.active: set[int] = set()

    def convert(self, obj: Any, depth: int, object_depth: int) -> Any:
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        if self.no_recursive and isinstance(obj, self.no_recursive):
            name = getattr(obj, "name", None)
            return name if isinstance(name, str) else str(obj)
        if isinstance(obj, PurePath):
            return str(obj)
        if isinstance(obj, (bytes, bytearray)):
            return f"<{len(obj)} bytes>"
        if depth >= _MAX_DEPTH or id(obj) in self.active:
            return f"<{type(obj).__name__}>"
        self.active.add(id(obj))
        try:
            return self._expand(obj, depth + 1, object_depth)
        finally:
            self.active.discard(id(obj))

    def _expand(self, obj: Any, depth: int, object_depth: int) -> Any:
        if isinstance(obj, dict):
            return {str(k): self.convert(v, depth, object_depth) for k, v in obj.items() if str(k) not in self.exclude}
        if isinstance(obj, (list, tuple, set, frozenset)):
            return [self.convert(v, depth, object_depth) for v in obj]
        if inspect.isroutine(obj) or inspect.isclass(obj):
            return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
        if object_depth >= _MAX_OBJECT_DEPTH:
            return f"<{type(obj).__name__}>"
        model_dump = getattr(obj, "model_dump", None)
        if callable(model_dump):
            try:
                dumped = model_dump()
            except Exception:  # a model that cannot dump itself is still logged by its attributes
                dumped = None
            if isinstance(dumped, dict):
                return self.convert(dumped, depth, object_depth + 1)
        if hasattr(obj, "__dict__"):
            return {
                k: self.convert(v, depth, object_depth + 1)
                for k, v in vars(obj).items()
                if k not in self.exclude and not k.startswith("__")
            }
        return repr(obj)
