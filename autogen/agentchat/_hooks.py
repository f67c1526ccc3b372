"""Hooks: user functions that see or change messages at fixed points of a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Union

from ._agent_base import AgentBase

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["HOOKABLE_METHODS", "HooksMixin"]

Message = dict[str, Any]
HOOKABLE_METHODS = (
    "process_last_received_message",
    "process_all_messages_before_reply",
    "process_message_before_send",
    "update_agent_state",
)


class HooksMixin(AgentBase):
    """``register_hook`` and the steps that run the hooks."""

    def register_hook(self, hookable_method: str, hook: Callable[..., Any]) -> None:
        """Add a hook to one of the hookable steps (see ``HOOKABLE_METHODS``)."""
        if hookable_method not in self.hook_lists:
            raise ValueError(f"{hookable_method!r} is not a hookable method; choose from {list(self.hook_lists)}")
        if hook in self.hook_lists[hookable_method]:
            raise ValueError(f"{hook} is already registered as a hook.")
        self.hook_lists[hookable_method].append(hook)

    def update_agent_state_before_reply(self, messages: list[Message]) -> None:
        """Run the ``update_agent_state`` hooks (``hook(agent, messages)``) before replying."""
        for hook in self.hook_lists["update_agent_state"]:
            hook(self, messages)

    def process_all_messages_before_reply(self, messages: list[Message]) -> list[Message]:
        """Run the ``process_all_messages_before_reply`` hooks over the messages about to be answered."""
        for hook in self.hook_lists["process_all_messages_before_reply"]:
            messages = hook(messages)
        return messages

    def process_last_received_message(self, messages: list[Message]) -> list[Message]:
        """Run the ``process_last_received_message`` hooks on the content of the last message.

        As in 0.2, the processed content replaces the last message's content in place, so it is
        also what the history holds afterwards (capabilities such as image captioning rely on it).
        """
        hooks = self.hook_lists["process_last_received_message"]
        if not hooks or not messages:
            return messages
        last = messages[-1]
        if "function_call" in last or "context" in last or not isinstance(last.get("content"), (str, list)):
            return messages
        content = last["content"]
        processed = content
        for hook in hooks:
            processed = hook(processed)
        if processed == content:
            return messages
        last["content"] = processed
        return list(messages)

    def _process_message_before_send(self, message: Union[Message, str], recipient: Agent, silent: bool) -> Any:
        for hook in self.hook_lists["process_message_before_send"]:
            message = hook(sender=self, message=message, recipient=recipient, silent=silent)
        return message
