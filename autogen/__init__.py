"""AutoGen: agents that converse with each other to solve tasks.

The public names of AutoGen 0.2 are available here. They are imported lazily, on first
attribute access, so that ``import autogen`` stays fast (no openai, docker or numpy at import).
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .version import __version__

logging.getLogger("autogen").setLevel(logging.INFO)

DEFAULT_MODEL = "gpt-4"
FAST_MODEL = "gpt-3.5-turbo"

# public name -> module that defines it
_LAZY_NAMES: dict[str, str] = {
    # agentchat
    "Agent": "autogen.agentchat.agent",
    "ConversableAgent": "autogen.agentchat.conversable_agent",
    "register_function": "autogen.agentchat.conversable_agent",
    "AssistantAgent": "autogen.agentchat.assistant_agent",
    "UserProxyAgent": "autogen.agentchat.user_proxy_agent",
    "GroupChat": "autogen.agentchat.groupchat",
    "GroupChatManager": "autogen.agentchat.groupchat",
    "initiate_chats": "autogen.agentchat.chat",
    "ChatResult": "autogen.agentchat.chat",
    "gather_usage_summary": "autogen.agentchat.utils",
    # exceptions
    "AgentNameConflict": "autogen.exception_utils",
    "NoEligibleSpeaker": "autogen.exception_utils",
    "SenderRequired": "autogen.exception_utils",
    "InvalidCarryOverType": "autogen.exception_utils",
    "UndefinedNextAgent": "autogen.exception_utils",
    # cache
    "Cache": "autogen.cache.cache",
    "Budget": "autogen.budget",
    "BudgetExceeded": "autogen.budget",
    "set_budget": "autogen.budget",
    "get_budget": "autogen.budget",
    "ChatRun": "autogen.agentchat.chat_run",
    # batch runs on local threads or a Ray cluster
    "run_batch": "autogen.batch.run",
    # oai: resolved through the (equally lazy) autogen.oai, which knows where each is defined
    **dict.fromkeys(
        (
            "OpenAIWrapper",
            "ModelClient",
            "Completion",
            "ChatCompletion",
            "config_list_from_json",
            "config_list_from_models",
            "config_list_from_dotenv",
            "config_list_gpt4_gpt35",
            "config_list_openai_aoai",
            "filter_config",
            "get_config_list",
        ),
        "autogen.oai",
    ),
}

_SUBMODULES = {
    "agentchat",
    "batch",
    "cache",
    "code_utils",
    "coding",
    "exception_utils",
    "formatting_utils",
    "function_utils",
    "graph_utils",
    "io",
    "logger",
    "oai",
    "runtime_logging",
    "token_count_utils",
    "types",
    "version",
    "_pydantic",
}

__all__ = [*_LAZY_NAMES, "DEFAULT_MODEL", "FAST_MODEL", "__version__"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY_NAMES.get(name)
    if module_name is not None:
        value = getattr(importlib.import_module(module_name), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"autogen.{name}")
    raise AttributeError(f"module 'autogen' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_NAMES, *_SUBMODULES])


if TYPE_CHECKING:  # static type checkers see the real names
    from .agentchat import (
        Agent,
        AssistantAgent,
        ChatResult,
        ConversableAgent,
        GroupChat,
        GroupChatManager,
        UserProxyAgent,
        gather_usage_summary,
        initiate_chats,
        register_function,
    )
    from .batch.run import run_batch
    from .cache.cache import Cache
    from .exception_utils import (
        AgentNameConflict,
        InvalidCarryOverType,
        NoEligibleSpeaker,
        SenderRequired,
        UndefinedNextAgent,
    )
    from .oai.client import ModelClient, OpenAIWrapper
    from .oai.completion import ChatCompletion, Completion
    from .oai.openai_utils import (
        config_list_from_dotenv,
        config_list_from_json,
        config_list_from_models,
        config_list_gpt4_gpt35,
        config_list_openai_aoai,
        filter_config,
        get_config_list,
    )
