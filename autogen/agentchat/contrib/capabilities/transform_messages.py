"""The ``TransformMessages`` capability: shorten an agent's history before each reply."""

from __future__ import annotations

import copy
from typing import Any, Optional

from autogen.io import IOStream

from . import transforms_util
from .agent_capability import AgentCapability
from .transforms import MessageTransform

__all__ = ["TransformMessages"]


class TransformMessages(AgentCapability):
    """Applies message transforms to the whole history an agent replies to, in order.

    The agent's stored history is not changed: the transforms act on a copy used for the reply.
    A leading system message is set aside and put back unchanged. Whatever the transforms do, a
    tool call and its tool response never reach the model one without the other.

    Args:
        transforms: The transforms, applied in order (``MessageHistoryLimiter``, ``MessageTokenLimiter``, ...).
        verbose: Print what each transform removed.

    Example:
        >>> from autogen.agentchat.contrib.capabilities import transform_messages, transforms
        >>> limiter = transforms.MessageHistoryLimiter(max_messages=10)
        >>> transform_messages.TransformMessages(transforms=[limiter]).add_to_agent(assistant)  # doctest: +SKIP
    """

    def __init__(self, *, transforms: Optional[list[MessageTransform]] = None, verbose: bool = True) -> None:
        super().__init__()
        transforms = list(transforms or [])
        for transform in transforms:
            if not callable(getattr(transform, "apply_transform", None)) or not callable(
                getattr(transform, "get_logs", None)
            ):
                raise TypeError(
                    f"each transform needs apply_transform(messages) and get_logs(pre, post) methods; got {transform!r}"
                )
        self._transforms = transforms
        self._verbose = verbose

    def add_to_agent(self, agent: Any) -> None:
        """Register the transforms on ``agent``'s ``process_all_messages_before_reply`` hook."""
        register_hook = getattr(agent, "register_hook", None)
        if not callable(register_hook):
            raise TypeError(f"TransformMessages needs an agent with register_hook(), got {agent!r}")
        register_hook(hookable_method="process_all_messages_before_reply", hook=self._transform_messages)

    def _transform_messages(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not messages:
            return messages
        original = messages
        working = copy.deepcopy(messages)
        system_message = working.pop(0) if working[0].get("role") == "system" else None
        for transform in self._transforms:
            before = working
            working = transform.apply_transform(copy.deepcopy(before) if self._verbose else before)
            if self._verbose:
                logs, changed = transform.get_logs(before, working)
                if changed:
                    _print_notice(logs)
        working = transforms_util.remove_split_tool_pairs(original, working)
        if system_message is not None:
            working.insert(0, system_message)
        return working


def _print_notice(text: str) -> None:
    from autogen.formatting_utils import colored

    IOStream.get_default().print(colored(text, "yellow"), flush=True)
