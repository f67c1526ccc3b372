"""The LLM reply: ask the agent's model client for the next message."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Optional, Union

from ._messages import llm_request_messages, tidy_llm_message
from ._reply_chain import link_async_impl, run_as_sync_chat

if TYPE_CHECKING:
    from ._host import _AgentHost as _Base
    from .agent import Agent
else:
    _Base = object

__all__ = ["LLMReplyMixin"]

Message = dict[str, Any]


class LLMReplyMixin(_Base):
    """Generates replies with ``self.client`` (an ``OpenAIWrapper``)."""

    def generate_oai_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Reply with the model: ``(True, reply)``, or ``(False, None)`` when the agent has no model."""
        return run_as_sync_chat(self.a_generate_oai_reply(messages, sender, config))

    async def a_generate_oai_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`generate_oai_reply`. ``config`` may be another client to use."""
        client = self.client if config is None else config
        if client is None:
            return False, None
        if messages is None:
            messages = self._oai_messages[sender]
        system = [m for m in self._oai_system_message if m.get("content") is not None]
        reply = await self._a_reply_from_client(client, system + messages, self.client_cache)
        return (False, None) if reply is None else (True, reply)

    async def _a_reply_from_client(self, client: Any, messages: list[Message], cache: Any) -> Union[str, Message, None]:
        """One model call on ``messages``; returns the reply text, or a message dict carrying calls."""
        context = messages[-1].get("context") if messages else None
        response = await client.a_create(
            context=context, messages=llm_request_messages(messages), cache=cache, agent=self
        )
        extracted = client.extract_text_or_completion_object(response)[0]
        if extracted is None:
            warnings.warn(f"The model's response has no message: {response}", UserWarning, stacklevel=2)
            return None
        if not isinstance(extracted, str) and hasattr(extracted, "model_dump"):
            extracted = extracted.model_dump()
        if isinstance(extracted, dict):
            extracted = tidy_llm_message(extracted)
        return extracted


link_async_impl(LLMReplyMixin.generate_oai_reply, LLMReplyMixin.a_generate_oai_reply)
