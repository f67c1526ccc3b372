"""Input/output streams: console by default, websockets for UIs."""

from __future__ import annotations

from typing import Any

from .base import InputStream, IOStream, OutputStream
from .console import IOConsole

__all__ = ["IOConsole", "IOStream", "IOWebsockets", "InputStream", "OutputStream"]

IOStream.set_global_default(IOConsole())


def __getattr__(name: str) -> Any:
    if name == "IOWebsockets":  # needs the optional `websockets` package
        from .websockets import IOWebsockets

        return IOWebsockets
    raise AttributeError(f"module 'autogen.io' has no attribute {name!r}")
