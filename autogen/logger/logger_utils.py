"""Small helpers shared by the runtime loggers: timestamps and JSON-safe snapshots of objects."""

from __future__ import annotations

import inspect
from datetime import datetime, timezone
from pathlib import PurePath
from typing import Any

__all__ = ("get_current_ts", "to_dict")

_MAX_DEPTH = 32


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
    return _convert(obj, tuple(exclude), tuple(no_recursive), 0, set())


def _convert(obj: Any, exclude: tuple[str, ...], no_recursive: tuple[Any, ...], depth: int, active: set[int]) -> Any:
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if no_recursive and isinstance(obj, no_recursive):
        name = getattr(obj, "name", None)
        return name if isinstance(name, str) else str(obj)
    if isinstance(obj, PurePath):
        return str(obj)
    if isinstance(obj, (bytes, bytearray)):
        return f"<{len(obj)} bytes>"
    if depth >= _MAX_DEPTH or id(obj) in active:
        return f"<{type(obj).__name__}>"
    active.add(id(obj))
    try:
        if isinstance(obj, dict):
            return {
                str(k): _convert(v, exclude, no_recursive, depth + 1, active)
                for k, v in obj.items()
                if str(k) not in exclude
            }
        if isinstance(obj, (list, tuple, set, frozenset)):
            return [_convert(v, exclude, no_recursive, depth + 1, active) for v in obj]
        if callable(obj) and (inspect.isroutine(obj) or inspect.isclass(obj)):
            return getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None) or repr(obj)
        model_dump = getattr(obj, "model_dump", None)
        if callable(model_dump) and not inspect.isclass(obj):
            try:
                dumped = model_dump()
            except Exception:  # a model that cannot dump itself is still logged by its attributes
                dumped = None
            if isinstance(dumped, dict):
                return _convert(dumped, exclude, no_recursive, depth + 1, active)
        if hasattr(obj, "__dict__"):
            return {
                k: _convert(v, exclude, no_recursive, depth + 1, active)
                for k, v in vars(obj).items()
                if k not in exclude and not k.startswith("__")
            }
        return repr(obj)
    finally:
        active.discard(id(obj))
