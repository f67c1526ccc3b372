"""Turn the errors a user can cause into one clear line and an exit code, not a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.markup import escape

__all__ = ["CommandError", "Outcome", "report_errors"]

EXIT_ENDPOINT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CommandError(Exception):
    """A problem the user can fix; the message says what and how."""


class Outcome:
    """The exit code of a command run under :func:`report_errors`."""

    code: int = 0


def _is_endpoint_error(err: BaseException) -> bool:
    """The model endpoint refused or could not be reached (openai's error types, not imported here)."""
    return any(cls.__module__.split(".")[0] == "openai" for cls in type(err).__mro__)


def _is_user_error(err: BaseException) -> bool:
    from autogen.oai.local import LocalExtraMissing, LocalServerError

    from ._endpoints import ConfigError

    errors = (CommandError, ConfigError, LocalExtraMissing, LocalServerError, FileNotFoundError)
    return isinstance(err, errors) or _is_endpoint_error(err)


@contextmanager
def report_errors() -> Iterator[Outcome]:
    """Run a command body; user errors and Ctrl-C become a message on stderr and an exit code."""
    from ._console import error_console

    outcome = Outcome()
    try:
        yield outcome
    except KeyboardInterrupt:
        error_console().print("[yellow]interrupted[/yellow]")
        outcome.code = EXIT_INTERRUPTED
    except Exception as err:
        if not _is_user_error(err):
            raise
        name = type(err).__name__
        error_console().print(f"[bold red]error:[/bold red] {escape(str(err))} [dim]({name})[/dim]")
        outcome.code = EXIT_ENDPOINT if _is_endpoint_error(err) else EXIT_USAGE
