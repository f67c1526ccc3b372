"""``GroqClient``: ``api_type: "groq"`` through the official ``groq`` SDK (0.2's module and class name)."""

from __future__ import annotations

from typing import Any, ClassVar

from .openai_like import OPENAI_LIKE_PARAMS, OpenAILikeClient
from .provider_http import provider_http_client
from .provider_params import Param

__all__ = ["GroqClient"]


class GroqClient(OpenAILikeClient):
    """Chat completions on Groq (``groq.AsyncGroq``); see :class:`~autogen.oai.openai_like.OpenAILikeClient`."""

    api_type = "groq"
    provider = "Groq"
    api_key_env = "GROQ_API_KEY"
    default_base_url = "https://api.groq.com"
    sdk_paths = ("/openai/v1",)
    params: ClassVar[dict[str, Param]] = {
        **OPENAI_LIKE_PARAMS,
        "max_completion_tokens": Param("max_completion_tokens", int, (1, None)),
        "seed": Param("seed", int),
        "user": Param("user", str),
        "reasoning_effort": Param("reasoning_effort", str),
        "reasoning_format": Param("reasoning_format", str),
        "extra_headers": Param("extra_headers", dict),
        "extra_query": Param("extra_query", dict),
        "extra_body": Param("extra_body", dict),
    }

    def _make_sdk_client(self) -> Any:
        import groq

        return groq.AsyncGroq(
            api_key=self.api_key,
            base_url=self.sdk_base_url,
            max_retries=0,
            timeout=self.timeout,
            default_headers=self.default_headers,
            http_client=provider_http_client(),
        )
