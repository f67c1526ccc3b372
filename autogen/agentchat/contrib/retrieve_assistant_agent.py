"""RetrieveAssistantAgent: the assistant AutoGen 0.2 paired with RetrieveUserProxyAgent."""

from __future__ import annotations

from typing import Any, Optional

from ..agent import Agent
from ..assistant_agent import AssistantAgent
from .retrieve_prompts import UPDATE_CONTEXT

__all__ = ["RetrieveAssistantAgent"]

Message = dict[str, Any]
CODE_SUCCEEDED = "exitcode: 0 (execution succeeded)"


class RetrieveAssistantAgent(AssistantAgent):
    """(Experimental) An AssistantAgent that ends the chat once code ran successfully, and passes a request for
    more context on as ``UPDATE CONTEXT`` without asking its model. A plain AssistantAgent works as well."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register_reply(Agent, RetrieveAssistantAgent._generate_retrieve_assistant_reply)

    def _generate_retrieve_assistant_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        if messages is None:
            messages = self._oai_messages[sender]
        content = messages[-1].get("content")
        text = content if isinstance(content, str) else ""
        if CODE_SUCCEEDED in text:
            # the code ran; whether it solved the task is hard to tell, so stop (a human may continue the chat)
            return True, "TERMINATE"
        if UPDATE_CONTEXT in text[-20:].upper() or UPDATE_CONTEXT in text[:20].upper():
            return True, UPDATE_CONTEXT
        return False, None
