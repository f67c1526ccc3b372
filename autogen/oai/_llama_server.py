"""Entry point of the embedded model's server process: llama.cpp's OpenAI-compatible server, plus one chat format.

``python -m autogen.oai._llama_server ARGS`` takes the arguments of ``python -m llama_cpp.server``.

llama-cpp-python's ``chatml-function-calling`` format (the one that parses tool calls) renders the prompt with
HTML autoescaping on, so the model would read ``Here&#39;s`` for ``Here's`` and ``a &lt; b`` for ``a < b``,
and the damage compounds as escaped replies come back in the history. The ``autogen-chatml-tools`` format
registered here is the same format with every text of the request marked as already safe, so it reaches the
model exactly as sent.

The server also ends on its own when the process that started it dies, even by SIGKILL, so a killed program
never leaves a model server behind.
"""

from __future__ import annotations

from typing import Any


def _as_safe(value: Any) -> Any:
    """``value`` with every string inside it marked safe for the template (``markupsafe.Markup``)."""
    from markupsafe import Markup

    if isinstance(value, str):
        return Markup(value)
    if isinstance(value, dict):
        return {key: _as_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_safe(item) for item in value]
    return value


def register_chat_format() -> str:
    """Register the unescaped tool-calling ChatML format with llama-cpp-python; returns its name."""
    from llama_cpp import llama_chat_format

    name = "autogen-chatml-tools"

    @llama_chat_format.register_chat_completion_handler(name)
    def chatml_tools(*args: Any, messages: Any = None, tools: Any = None, **kwargs: Any) -> Any:
        return llama_chat_format.chatml_function_calling(
            *args, messages=_as_safe(messages), tools=_as_safe(tools), **kwargs
        )

    return name


def _exit_with_parent(interval: float = 0.5) -> None:
    """End this process as soon as its parent is gone (the parent's pid changes when it is reparented)."""
    import os
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def main() -> None:
    _exit_with_parent()
    register_chat_format()
    from llama_cpp.server.__main__ import main as serve

    serve()


if __name__ == "__main__":
    main()
