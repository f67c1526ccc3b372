"""``TogetherClient``: ``api_type: "together"`` through the official ``together`` SDK (0.2's module and class name)."""

from __future__ import annotations

from typing import Any, ClassVar

from .openai_like import OPENAI_LIKE_PARAMS, SDK_REQUEST_OPTIONS, OpenAILikeClient
from .provider_params import Param

__all__ = ["TogetherClient"]


class TogetherClient(OpenAILikeClient):
    """Chat completions on Together AI (``together.AsyncTogether``).

    Together takes ``stop`` as a list only: a single string is sent as a one-item list.
    """

    api_type = "together"
    provider = "Together"
    api_key_env = "TOGETHER_API_KEY"
    default_base_url = "https://api.together.ai"
    sdk_paths = ("/v1",)
    sdk_class = "together.AsyncTogether"
    params: ClassVar[dict[str, Param]] = {
        **OPENAI_LIKE_PARAMS,
        **SDK_REQUEST_OPTIONS,
        "top_k": Param("top_k", int, (1, None)),
        "min_p": Param("min_p", (int, float), (0, 1)),
        "repetition_penalty": Param("repetition_penalty", (int, float)),
        "safety_model": Param("safety_model", str),
        "reasoning_effort": Param("reasoning_effort", str),
    }

    def _request(self, params: dict[str, Any]) -> dict[str, Any]:
        request = super()._request(params)
        if isinstance(request.get("stop"), str):
            request["stop"] = [request["stop"]]
        return request
