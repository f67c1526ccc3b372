"""Agents and chats: ConversableAgent, AssistantAgent, UserProxyAgent, group chats, chat sequences."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .agent import Agent, LLMAgent  # noqa: F401 (importable, not in the 0.2 __all__)
from .assistant_agent import AssistantAgent
from .chat import ChatResult, a_initiate_chats, initiate_chats  # noqa: F401
from .chat_run import ChatRun
from .conversable_agent import ConversableAgent, register_function
from .user_proxy_agent import UserProxyAgent
from .utils import gather_usage_summary

# the 0.2 public names (and ChatRun, new); LLMAgent and a_initiate_chats are importable from here too
__all__ = [
    "Agent",
    "AssistantAgent",
    "ChatResult",
    "ChatRun",
    "ConversableAgent",
    "GroupChat",
    "GroupChatManager",
    "UserProxyAgent",
    "gather_usage_summary",
    "initiate_chats",
    "register_function",
]


def __getattr__(name: str) -> Any:
    if name in ("GroupChat", "GroupChatManager"):  # loaded on first use
        value = getattr(importlib.import_module(".groupchat", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .groupchat import GroupChat, GroupChatManager
