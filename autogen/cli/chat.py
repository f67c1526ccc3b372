"""``autogen chat``: a terminal chat with an assistant agent, streamed, with history; ``exit`` quits.

It is the classic two-agent pattern: a user proxy with ``human_input_mode="ALWAYS"`` (you) and an
assistant. The conversation history lives in the agents, so every reply sees the whole chat.
"""

from __future__ import annotations

import argparse
from typing import Any, Callable, Optional

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from autogen.io import IOStream

from ._console import RichIOStream, make_console
from ._endpoints import describe_entry, open_endpoint

__all__ = ["ChatIOStream", "run_chat"]

YOU = "you> "
ASSISTANT = "assistant> "
EXIT_WORDS = ("exit", "quit")


class ChatIOStream(RichIOStream):
    """The chat's terminal: a short prompt, the assistant's name before each reply, no echo of messages.

    Args:
        console: where to draw.
        last_reply: when replies are not streamed, returns the reply to show before the next prompt.
    """

    def __init__(self, console: Console, last_reply: Optional[Callable[[], Optional[str]]] = None) -> None:
        super().__init__(console, prompt=YOU, waiting_text="thinking...")
        self.last_reply = last_reply
        self._reply_started = True

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", flush: bool = False) -> None:
        if not self._reply_started:
            self._reply_started = True
            self.stop_spinner()
            self.console.print(Text(ASSISTANT, style="bold cyan"), end="")
        super().print(*objects, sep=sep, end=end, flush=flush)

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if self.last_reply is not None and not self._reply_started:
            self.print(self.last_reply() or "")
        self.stop_spinner()
        while True:
            text = super().input(prompt, password=password).strip()
            if text:
                break
        if text.lower() in EXIT_WORDS:
            return "exit"
        self._reply_started = False
        self.start_spinner()
        return text


def run_chat(args: argparse.Namespace) -> int:
    """Chat until the user types ``exit`` (or Ctrl-D); returns 0."""
    from autogen import ConversableAgent, UserProxyAgent

    console = make_console()
    starting = lambda: console.status("starting the local model...")  # noqa: E731
    with open_endpoint(
        config=args.config, model=args.model, local=args.local, model_path=args.model_path, on_local_start=starting
    ) as endpoint:
        stream_replies = not args.no_stream
        llm_config = {"config_list": endpoint.config_list, "cache_seed": None, "stream": stream_replies}
        assistant = ConversableAgent(
            "assistant",
            system_message=args.system_message,
            llm_config=llm_config,
            human_input_mode="NEVER",
            max_consecutive_auto_reply=1_000_000,
        )
        you = UserProxyAgent("you", human_input_mode="ALWAYS", code_execution_config=False)
        last_reply = None if stream_replies else (lambda: (you.last_message(assistant) or {}).get("content"))
        stream = ChatIOStream(console, last_reply=last_reply)
        model = describe_entry(endpoint.config_list[0])
        console.print(f"Chatting with [bold]{escape(model)}[/bold]. Type [bold]exit[/bold] (or Ctrl-D) to quit.")
        with IOStream.set_default(stream):
            first = stream.input()
            if first != "exit":
                you.initiate_chat(assistant, message=first, silent=True)
        stream.stop_spinner()
    console.print("bye", style="dim")
    return 0
