"""LLaVAAgent: importable, but not available (AutoGen 0.2 called LLaVA through Replicate or a LLaVA server).

Any vision model served behind an OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, a hosted API) works with
:class:`~autogen.agentchat.contrib.multimodal_conversable_agent.MultimodalConversableAgent`, so constructing
this agent, or calling ``llava_call``/``llava_call_binary``, raises :class:`NotImplementedError` pointing there.
"""

from __future__ import annotations

from typing import Any, NoReturn, Optional

from ..conversable_agent import ConversableAgent

__all__ = ["LLaVAAgent", "llava_call", "llava_call_binary"]

UNAVAILABLE = (
    "LLaVAAgent is not available: use autogen.agentchat.contrib.multimodal_conversable_agent."
    "MultimodalConversableAgent with an llm_config pointing at any OpenAI-compatible vision endpoint "
    "(for LLaVA: e.g. vLLM or Ollama serving it, with base_url set in the config_list)."
)


def _unavailable() -> NoReturn:
    raise NotImplementedError(UNAVAILABLE)


class LLaVAAgent(ConversableAgent):
    """(Not available) 0.2's LLaVA agent; its constructor always raises.

    Raises:
        NotImplementedError: always; the message names ``MultimodalConversableAgent``.
    """

    def __init__(self, name: str, system_message: Optional[str] = None, *args: Any, **kwargs: Any) -> None:
        _unavailable()


def llava_call_binary(*args: Any, **kwargs: Any) -> NoReturn:
    """(Not available) Always raises :class:`NotImplementedError` naming ``MultimodalConversableAgent``."""
    _unavailable()


def llava_call(prompt: str, llm_config: dict[str, Any]) -> NoReturn:
    """(Not available) Always raises :class:`NotImplementedError` naming ``MultimodalConversableAgent``."""
    _unavailable()
