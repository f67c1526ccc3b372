"""``MistralAIClient``: ``api_type: "mistral"`` through the official ``mistralai`` SDK (0.2's module and class name).

Mistral's messages take no ``name``: it is left out (as 0.2's client did); a conversation that does not end
with a user or tool message gets a short user turn (Mistral answers only after one). ``seed`` is sent as
Mistral's ``random_seed``; 0.2's ``random_seed`` and ``safe_prompt`` are taken too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, ClassVar

from .errors import InvalidResponseError
from .openai_like import OPENAI_LIKE_PARAMS, OpenAILikeClient
from .provider_http import provider_http_client
from .provider_params import Param
from .provider_request import CONTINUE_TEXT

__all__ = ["MistralAIClient"]


class MistralAIClient(OpenAILikeClient):
    """Chat completions on Mistral AI (``mistralai.client.Mistral``, whose ``server_url`` is our ``base_url``)."""

    api_type = "mistral"
    provider = "Mistral"
    api_key_env = "MISTRAL_API_KEY"
    default_base_url = "https://api.mistral.ai"
    sdk_paths = ("/v1",)
    keep_names = False
    params: ClassVar[dict[str, Param]] = {
        **OPENAI_LIKE_PARAMS,
        "seed": Param("random_seed", int),  # Mistral's name for it
        "random_seed": Param("random_seed", int),
        "safe_prompt": Param("safe_prompt", bool),
    }

    def _make_sdk_client(self) -> Any:
        from mistralai.client import Mistral

        timeout_ms = int(self.timeout * 1000) if self.timeout else None
        return Mistral(
            api_key=self.api_key,
            server_url=self.sdk_base_url,
            timeout_ms=timeout_ms,
            async_client=provider_http_client(),
        )

    def _request(self, params: dict[str, Any]) -> dict[str, Any]:
        request = super()._request(params)
        if request["messages"] and request["messages"][-1].get("role") not in ("user", "tool"):
            # Mistral answers only after a user or tool message (as 0.2's client, a user turn is added).
            request["messages"].append({"role": "user", "content": CONTINUE_TEXT})
        return request

    async def _call_sdk(self, client: Any, request: dict[str, Any], stream: bool) -> Any:
        headers = self.default_headers
        if stream:
            return await client.chat.stream_async(**request, http_headers=headers)
        return await client.chat.complete_async(**request, http_headers=headers)

    @contextlib.contextmanager
    def _sdk_errors(self) -> Iterator[None]:
        from mistralai.client import errors

        try:
            with super()._sdk_errors():
                yield
        except errors.ResponseValidationError as err:  # retried, like a garbled OpenAI answer
            raise InvalidResponseError(f"Mistral's answer is not a chat completion: {err}") from err
        except errors.NoResponseError as err:  # retried, like a dropped connection
            raise ConnectionError(f"Mistral gave no answer: {err}") from err

    @staticmethod
    def _dump(event: Any) -> dict[str, Any]:
        return dict(getattr(event, "data", event).model_dump())
