"""The error `autogen bench` raises for problems the user can fix (printed as one line, exit code 2)."""

from __future__ import annotations

from autogen.cli._errors import CommandError

__all__ = ["BenchError"]


class BenchError(CommandError):
    """A bench input (task file, option, image, scenario name) is wrong; the message says how to fix it."""
