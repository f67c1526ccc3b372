"""GPTAssistantAgent: importable, but not available (AutoGen 0.2 wrapped OpenAI's Assistants API).

OpenAI has deprecated the Assistants API (threads, runs, assistants) in favour of the Responses API, so this
project does not implement it. Constructing the agent raises :class:`NotImplementedError` saying what to use:
an ``AssistantAgent`` with tools registered (``register_function``), or the Responses API.
"""

from __future__ import annotations

from typing import Any, Optional

from ..conversable_agent import ConversableAgent

__all__ = ["GPTAssistantAgent"]

UNAVAILABLE = (
    "GPTAssistantAgent is not available: it wrapped OpenAI's Assistants API, which OpenAI has deprecated "
    "(replaced by the Responses API). Use autogen.AssistantAgent with tools (autogen.register_function) for "
    "the same agent behaviour, or call OpenAI's Responses API directly."
)


class GPTAssistantAgent(ConversableAgent):
    """(Not available) 0.2's agent backed by an OpenAI assistant; its constructor always raises.

    The signature is 0.2.35's, so code that builds one fails with a clear message instead of a ``TypeError``.

    Raises:
        NotImplementedError: always; the message names the replacements.
    """

    DEFAULT_MODEL_NAME = "gpt-4-0125-preview"

    def __init__(
        self,
        name: str = "GPT Assistant",
        instructions: Optional[str] = None,
        llm_config: Optional[Any] = None,
        assistant_config: Optional[dict[str, Any]] = None,
        overwrite_instructions: bool = False,
        overwrite_tools: bool = False,
        **kwargs: Any,
    ) -> None:
        raise NotImplementedError(UNAVAILABLE)
