"""``GroqClient``: ``api_type: "groq"`` through the official ``groq`` SDK (0.2's module and class name)."""

from __future__ import annotations

from typing import ClassVar

from .openai_like import OPENAI_LIKE_PARAMS, SDK_REQUEST_OPTIONS, OpenAILikeClient
from .provider_params import Param

__all__ = ["GroqClient"]


class GroqClient(OpenAILikeClient):
    """Chat completions on Groq (``groq.AsyncGroq``); see :class:`~autogen.oai.openai_like.OpenAILikeClient`."""

    api_type = "groq"
    provider = "Groq"
    api_key_env = "GROQ_API_KEY"
    default_base_url = "https://api.groq.com"
    sdk_paths = ("/openai/v1",)
    sdk_class = "groq.AsyncGroq"
    params: ClassVar[dict[str, Param]] = {
        **OPENAI_LIKE_PARAMS,
        **SDK_REQUEST_OPTIONS,
        "max_completion_tokens": Param("max_completion_tokens", int, (1, None)),
        "user": Param("user", str),
        "reasoning_effort": Param("reasoning_effort", str),
        "reasoning_format": Param("reasoning_format", str),
    }
