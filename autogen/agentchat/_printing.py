"""Console output of a conversation, written through the current IOStream."""

from __future__ import annotations

from typing import Any, Callable

from ..formatting_utils import colored
from ..io.base import IOStream, OutputStream
from ..io.console import IOConsole
from ._messages import Message, content_text

__all__ = ["colored", "print_carryover", "print_received_message"]


def _print_call(stream: OutputStream, title: str, arguments: Any) -> None:
    stream.print(colored(title, "green"), flush=True)
    stream.print("Arguments: \n", arguments, flush=True, sep="")
    stream.print(colored("*" * len(title), "green"), flush=True)


def _print_body(stream: OutputStream, message: Message, instantiate: Callable[[Any, dict], Any]) -> None:
    role = message.get("role")
    if role in ("function", "tool"):
        key = "name" if role == "function" else "tool_call_id"
        title = f"***** Response from calling {role} ({message.get(key, 'No id found')}) *****"
        stream.print(colored(title, "green"), flush=True)
        stream.print(message.get("content"), flush=True)
        stream.print(colored("*" * len(title), "green"), flush=True)
        return
    content = message.get("content")
    if content is not None:
        if "context" in message:
            content = instantiate(content, message["context"])
        stream.print(content_text(content), flush=True)
    function_call = message.get("function_call")
    if function_call:
        name = function_call.get("name", "(No function name found)")
        _print_call(
            stream,
            f"***** Suggested function call: {name} *****",
            function_call.get("arguments", "(No arguments found)"),
        )
    for call in message.get("tool_calls") or []:
        function = call.get("function") or {}
        call_id = call.get("id", "No tool call id found")
        title = f"***** Suggested tool call ({call_id}): {function.get('name', '(No function name found)')} *****"
        _print_call(stream, title, function.get("arguments", "(No arguments found)"))


def print_received_message(
    message: Message, sender_name: str, recipient_name: str, instantiate: Callable[[Any, dict], Any]
) -> None:
    """Print a message as 0.2 did: a ``sender (to recipient):`` header, the body, a rule.

    Each bundled tool response is printed as a block of its own, as 0.2 did (without 0.2's extra
    empty header before them).

    Args:
        message: the message (a dict).
        sender_name: who sent it.
        recipient_name: who received it.
        instantiate: fills a templated content from its ``context``.
    """
    stream = IOStream.get_default()
    # the terminal: the same text, written (and flushed) once per message; any other stream sees each print
    buffer = _Text() if type(stream) is IOConsole else None
    out: OutputStream = stream if buffer is None else buffer
    blocks = list(message.get("tool_responses") or [])
    if not blocks or message.get("role") != "tool":
        blocks.append(message)  # a "tool" message's content only repeats its responses
    for block in blocks:
        out.print(colored(sender_name, "yellow"), "(to", f"{recipient_name}):\n", flush=True)
        _print_body(out, block, instantiate)
        out.print("\n", "-" * 80, flush=True, sep="")
    if buffer is not None:
        stream.print(buffer.text(), end="", flush=True)


class _Text:
    """Collects what ``print`` calls would write, as one text."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        self._parts.append(sep.join(map(str, objects)) + end)

    def text(self) -> str:
        return "".join(self._parts)


def print_carryover(chat_info: dict[str, Any]) -> None:
    """Print the banner shown before each chat of a sequence, with its message and carryover."""
    stream = IOStream.get_default()
    stream.print(colored("\n" + "*" * 80, "blue"), flush=True, sep="")
    stream.print(colored("Starting a new chat....", "blue"), flush=True)
    if chat_info.get("verbose", False):
        stream.print(colored("Message:\n" + str(chat_info.get("message")), "blue"), flush=True)
        stream.print(colored("Carryover:\n" + _carryover_text(chat_info), "blue"), flush=True)
    stream.print(colored("\n" + "*" * 80, "blue"), flush=True, sep="")


def _carryover_text(chat_info: dict[str, Any]) -> str:
    carryover = chat_info.get("carryover", "")
    if isinstance(carryover, list):
        return "\n".join(carryover_item_text(item) for item in carryover)
    return str(carryover)


def carryover_item_text(item: Any) -> str:
    """One carryover entry as text: a string as is, a message's content, else ``str(item)``."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and isinstance(item.get("content"), str):
        return item["content"]
    return str(item)
