"""The output/input stream abstraction every agent prints and reads through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar, Optional, Protocol, runtime_checkable

__all__ = ["InputStream", "IOStream", "OutputStream"]


@runtime_checkable
class OutputStream(Protocol):
    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        """Print objects to the stream, like the built-in ``print``."""
        ...


@runtime_checkable
class InputStream(Protocol):
    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Read a line from the stream after showing ``prompt``."""
        ...


@runtime_checkable
class IOStream(InputStream, OutputStream, Protocol):
    """A stream agents print to and read human input from.

    The default is chosen per context (thread or asyncio task) with :meth:`set_default`,
    falling back to a process-wide global default (the console).
    """

    _global_default: ClassVar[Optional[IOStream]] = None
    _default_io_stream: ClassVar[ContextVar[Optional[IOStream]]] = ContextVar("default_iostream", default=None)

    @staticmethod
    def set_global_default(stream: IOStream) -> None:
        """Set the stream used where no context default is set."""
        IOStream._global_default = stream

    @staticmethod
    def get_global_default() -> IOStream:
        """Return the process-wide default stream (the console unless changed)."""
        if IOStream._global_default is None:
            from .console import IOConsole

            IOStream._global_default = IOConsole()
        return IOStream._global_default

    @staticmethod
    def get_default() -> IOStream:
        """Return the stream for the current context, else the global default."""
        stream = IOStream._default_io_stream.get()
        return stream if stream is not None else IOStream.get_global_default()

    @staticmethod
    @contextmanager
    def set_default(stream: Optional[IOStream]) -> Iterator[None]:
        """Use ``stream`` as the default inside the ``with`` block (this context only)."""
        token = IOStream._default_io_stream.set(stream)
        try:
            yield
        finally:
            IOStream._default_io_stream.reset(token)
