"""LLamaIndexConversableAgent: a conversable agent whose replies come from a llama-index agent (AutoGen 0.2).

The last message received is sent to ``llama_index_agent.chat(message=..., chat_history=...)`` (earlier user and
assistant messages become llama-index ``ChatMessage`` history) and the answer's ``response`` is the reply.
``llama-index`` is optional: without it, constructing the agent raises an :class:`ImportError` naming
``pip install llama-index``. The module itself always imports.
"""

from __future__ import annotations

from typing import Any, Optional, Union

from ..agent import Agent
from ..conversable_agent import ConversableAgent

__all__ = ["LLamaIndexConversableAgent"]

Message = dict[str, Any]
_INSTALL = "LLamaIndexConversableAgent needs llama-index: pip install llama-index"


def _chat_message_class() -> Any:
    try:
        from llama_index.core.llms import ChatMessage
    except ImportError as error:
        raise ImportError(_INSTALL) from error
    return ChatMessage


class LLamaIndexConversableAgent(ConversableAgent):
    """An agent that answers with a llama-index agent (``AgentRunner`` or anything with ``chat``/``achat``).

    Args:
        name: the agent's name.
        llama_index_agent: the llama-index agent that writes the replies.
        description: as ConversableAgent.
        **kwargs: other ConversableAgent arguments.

    Raises:
        ImportError: llama-index is not installed (the message gives the ``pip install`` command).
        ValueError: ``llama_index_agent`` is None.
    """

    def __init__(self, name: str, llama_index_agent: Any, description: Optional[str] = None, **kwargs: Any) -> None:
        self._chat_message = _chat_message_class()
        if llama_index_agent is None:
            raise ValueError("llama_index_agent must be a llama-index agent, not None")
        super().__init__(name, description=description, **kwargs)
        self._llama_index_agent = llama_index_agent
        self.register_reply([Agent, None], LLamaIndexConversableAgent._generate_llama_index_reply)

    def _message_and_history(self, messages: Optional[list[Message]], sender: Optional[Agent]) -> tuple[str, list[Any]]:
        if messages is None:
            messages = self._oai_messages[sender]
        content = messages[-1].get("content") or ""
        history = [
            self._chat_message(content=m.get("content") or "", role=m["role"], additional_kwargs={})
            for m in messages[:-1]
            if m.get("role") in ("user", "assistant")
        ]
        return str(content), history

    def _generate_llama_index_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Ask the llama-index agent, with the earlier messages as its chat history."""
        message, history = self._message_and_history(messages, sender)
        answer = self._llama_index_agent.chat(message=message, chat_history=history)
        return True, str(answer.response)
