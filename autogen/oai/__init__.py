"""The LLM client layer: :class:`OpenAIWrapper`, custom model clients, config-list helpers.

Names are imported on first use, so ``import autogen.oai`` stays cheap until a client is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_LAZY_NAMES: dict[str, str] = {
    "OpenAIWrapper": "autogen.oai.client",
    "ModelClient": "autogen.oai.client",
    "Completion": "autogen.oai.completion",
    "ChatCompletion": "autogen.oai.completion",
    "Cache": "autogen.cache.cache",
    "config_list_from_json": "autogen.oai.openai_utils",
    "config_list_from_models": "autogen.oai.openai_utils",
    "config_list_from_dotenv": "autogen.oai.openai_utils",
    "config_list_gpt4_gpt35": "autogen.oai.openai_utils",
    "config_list_openai_aoai": "autogen.oai.openai_utils",
    "filter_config": "autogen.oai.openai_utils",
    "get_config_list": "autogen.oai.openai_utils",
}

__all__ = [
    "Cache",
    "ChatCompletion",
    "Completion",
    "ModelClient",
    "OpenAIWrapper",
    "config_list_from_dotenv",
    "config_list_from_json",
    "config_list_from_models",
    "config_list_gpt4_gpt35",
    "config_list_openai_aoai",
    "filter_config",
    "get_config_list",
]


def __getattr__(name: str) -> Any:
    module_name = _LAZY_NAMES.get(name)
    if module_name is None:
        raise AttributeError(f"module 'autogen.oai' has no attribute {name!r}")
    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY_NAMES])


if TYPE_CHECKING:
    from ..cache.cache import Cache
    from .client import ModelClient, OpenAIWrapper
    from .completion import ChatCompletion, Completion
    from .openai_utils import (
        config_list_from_dotenv,
        config_list_from_json,
        config_list_from_models,
        config_list_gpt4_gpt35,
        config_list_openai_aoai,
        filter_config,
        get_config_list,
    )
