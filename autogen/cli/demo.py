"""``autogen demo``: the classic two-agent example, on your endpoint or the embedded local model.

An assistant writes Python; a user proxy runs it in a temporary directory and reports the
output. The chat ends when code runs successfully, when the assistant says TERMINATE, or after
a fixed number of round trips, so it ends even with a model too small to follow instructions.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from typing import Any

from rich.markup import escape
from rich.panel import Panel

from autogen.io import IOStream

from ._console import RichIOStream, make_console
from ._endpoints import ENV_VAR, Endpoint, describe_entry, open_endpoint

__all__ = ["DEFAULT_TASK", "run_demo", "succeeded_or_terminated"]

DEFAULT_TASK = "Write a Python script that prints the squares of the numbers 1 to 10, one per line."
# A small model follows a short, concrete instruction better than the long default one.
LOCAL_SYSTEM_MESSAGE = (
    "You are a Python programmer. Answer with one complete Python script in a ```python code block "
    "that does the task and prints the result. Do not explain."
)
LOCAL_MAX_TURNS = 3
REMOTE_MAX_TURNS = 6
_SUCCESS = re.compile(r"exitcode: 0 \(execution succeeded\)")


def succeeded_or_terminated(message: dict[str, Any]) -> bool:
    """True for a code-execution report of success, or a message ending in TERMINATE."""
    content = message.get("content")
    if not isinstance(content, str):
        return False
    return bool(_SUCCESS.search(content)) or content.rstrip().endswith("TERMINATE")


def _banner(endpoint: Endpoint) -> Panel:
    if endpoint.local:
        model = escape(endpoint.config_list[0]["model"])
        body = f"Running on the local model [bold]{model}[/bold].\n"
        if endpoint.bundled_model:
            body += "It is a [bold]tiny[/bold] model (135M parameters): fast, offline, often wrong.\n"
        body += (
            f"To use a real model, set [bold]{ENV_VAR}[/bold] to a JSON list or a file holding one, e.g.\n"
            f'  export {ENV_VAR}=\'[{{"model": "gpt-4o-mini", "api_key": "sk-..."}}]\'\n'
            "then check it with [bold]autogen config check[/bold]."
        )
        return Panel(body, title="autogen demo", border_style="yellow")
    models = ", ".join(describe_entry(entry) for entry in endpoint.config_list)
    return Panel(f"Using {escape(models)}\nfrom {escape(endpoint.source)}.", title="autogen demo", border_style="green")


def run_demo(args: argparse.Namespace) -> int:
    """Run the two-agent demo and print the usage summary; returns 0 when the chat ran."""
    from autogen import AssistantAgent, UserProxyAgent

    console = make_console()
    stream = RichIOStream(console)
    starting = lambda: console.status("starting the local model...")  # noqa: E731
    with (
        open_endpoint(
            config=args.config, model=args.model, local=args.local, model_path=args.model_path, on_local_start=starting
        ) as endpoint,
        tempfile.TemporaryDirectory(prefix="autogen-demo-") as work_dir,
        IOStream.set_default(stream),
    ):
        console.print(_banner(endpoint))
        console.print(f"Code runs on this machine in {work_dir} (deleted afterwards).", style="dim", markup=False)
        max_turns = args.max_turns or (LOCAL_MAX_TURNS if endpoint.local else REMOTE_MAX_TURNS)
        llm_config: dict[str, Any] = {"config_list": endpoint.config_list, "cache_seed": None}
        extra: dict[str, Any] = {}
        if endpoint.local:
            llm_config.update(temperature=0, seed=42)
            extra["system_message"] = LOCAL_SYSTEM_MESSAGE
        assistant = AssistantAgent(
            "assistant", llm_config=llm_config, is_termination_msg=succeeded_or_terminated, **extra
        )
        user_proxy = UserProxyAgent(
            "user_proxy",
            human_input_mode="NEVER",
            max_consecutive_auto_reply=max_turns,
            # with max_turns the initiator keeps the chat going, so it too must see the successful run
            is_termination_msg=succeeded_or_terminated,
            code_execution_config={"work_dir": work_dir, "use_docker": False, "timeout": 60},
            default_auto_reply="Please answer with a complete Python script in a ```python code block.",
        )
        result = user_proxy.initiate_chat(assistant, message=args.task or DEFAULT_TASK, max_turns=max_turns)
        stream.stop_spinner()
        console.rule("usage")
        assistant.print_usage_summary()
        ran = any(_SUCCESS.search(str(m.get("content") or "")) for m in result.chat_history or [])
        console.print(
            "[green]The assistant's code ran successfully.[/green]"
            if ran
            else f"[yellow]The chat ended (at most {max_turns} round trips) without a successful run.[/yellow]"
        )
    return 0
