"""Terminal output for the `autogen` command: a rich console, and an IOStream drawn on it."""

from __future__ import annotations

import re
from typing import Any, Optional

from rich.console import Console
from rich.status import Status
from rich.text import Text

from autogen.io import IOStream

__all__ = ["RichIOStream", "error_console", "make_console"]

# "sender (to recipient):" as agents print it before each message
_SPEAKER_LINE = re.compile(r"^\S+ \(to \S+\):$", re.MULTILINE)
# the rule agents print after each message; a model call usually follows
_MESSAGE_END = re.compile(r"-{20,}\s*$")


def make_console() -> Console:
    """The console all command output goes to (stdout)."""
    return Console(highlight=False)


def error_console() -> Console:
    """A console on stderr for error messages."""
    return Console(stderr=True, highlight=False)


class RichIOStream(IOStream):
    """Agent output on a rich console: speakers in color, a spinner while waiting for the model.

    Args:
        console: where to draw.
        prompt: shown instead of the agent's long human-input prompt; None keeps the agent's.
        waiting_text: the spinner's text after each message, while the next reply is computed.
    """

    def __init__(
        self, console: Console, *, prompt: Optional[str] = None, waiting_text: str = "waiting for the model..."
    ) -> None:
        self.console = console
        self.prompt = prompt
        self.waiting_text = waiting_text
        self._status: Optional[Status] = None

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self.stop_spinner()
        raw = sep.join(map(str, objects))
        text = Text.from_ansi(raw, end="")
        text.highlight_regex(_SPEAKER_LINE, "bold yellow")
        self.console.print(text, end=end, soft_wrap=True)
        if flush:
            self.console.file.flush()
        if _MESSAGE_END.search(raw + end):
            self.start_spinner()

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        self.stop_spinner()
        shown = self.prompt if self.prompt is not None else prompt
        try:
            return self.console.input(Text(shown, style="bold green"), password=password)
        except EOFError:  # Ctrl-D ends the conversation like typing "exit"
            self.console.print()
            return "exit"

    def start_spinner(self, text: Optional[str] = None) -> None:
        """Show a spinner (only on a terminal) until the next output or input."""
        if self._status is None and self.console.is_terminal:
            self._status = self.console.status(text or self.waiting_text, spinner="dots")
            self._status.start()

    def stop_spinner(self) -> None:
        """Remove the spinner, if one is shown."""
        if self._status is not None:
            self._status.stop()
            self._status = None
