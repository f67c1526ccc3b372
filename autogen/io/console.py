"""The console stream: ``print`` and ``input`` on the terminal."""

from __future__ import annotations

import getpass
from typing import Any

from .base import IOStream

__all__ = ["IOConsole"]


class IOConsole(IOStream):
    """Prints to stdout and reads from stdin (``getpass`` for passwords)."""

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        print(*objects, sep=sep, end=end, flush=flush)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if password:
            return getpass.getpass(prompt if prompt != "" else "Password: ")
        return input(prompt)
