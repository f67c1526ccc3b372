"""What every provider client shares: config reading, the ``ModelClient`` methods, results, streams, errors.

A provider client subclasses :class:`ProviderClient` and writes two things: how to make its SDK client
(:meth:`ProviderClient._make_sdk_client`) and how to send a :class:`~autogen.oai.provider_request.ChatRequest`
with it (:meth:`ProviderClient._send`), returning :func:`completion` (or a :class:`StreamCollector`'s result).
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
import uuid
import weakref
from typing import Any, ClassVar, Optional

from .._sync import run_sync
from ..io.base import IOStream
from ..logger.redact import register_secret
from .errors import StreamInterruptedError
from .openai_client import DEFAULT_TIMEOUT, OpenAIClient, attempt_deadline, retrieve_messages
from .pricing import compute_cost, lookup_price, normalize_price
from .provider_params import without_hidden_tools
from .provider_request import ChatRequest, ParameterFilter, ToolCall, read_request

__all__ = [
    "ProviderAPIError",
    "ProviderClient",
    "ProviderConnectionError",
    "StreamCollector",
    "completion",
    "network_errors",
]


class ProviderAPIError(Exception):
    """A provider's HTTP error, with ``status_code`` and the response ``headers`` (for retry-after).

    Retried and moved past like the openai SDK's errors of the same status (see :mod:`autogen.oai.retry`).
    """

    def __init__(self, message: str, status_code: int, headers: Optional[dict[str, str]] = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.response = _Response(status_code, {k.lower(): v for k, v in (headers or {}).items()})


class _Response:
    """The little of an HTTP response that retry decisions read."""

    def __init__(self, status_code: int, headers: dict[str, str]) -> None:
        self.status_code = status_code
        self.headers = headers


class ProviderConnectionError(ConnectionError):
    """The provider could not be reached, or the connection broke (retried)."""


@functools.lru_cache(maxsize=1)
def network_errors() -> tuple[type[BaseException], ...]:
    """The transport errors of the HTTP libraries the SDKs use (httpx, httpx2, aiohttp): connection errors."""
    found: list[type[BaseException]] = []
    for name, error in (("httpx", "TransportError"), ("httpx2", "TransportError"), ("aiohttp", "ClientError")):
        try:
            module = __import__(name)
        except ImportError:
            continue
        found.append(getattr(module, error))
    return tuple(found)


class ProviderClient:
    """Base of the provider clients: one config's model at one provider.

    Args:
        config: the merged config entry (``model``, ``api_key``, ``base_url``, ``timeout``, ``price``, and
            the provider's own keys listed in ``config_keys``).
        **kwargs: config keys given one by one, as 0.2 built its provider clients (``Client(**config)``).
    """

    provider: ClassVar[str] = "provider"
    # The OpenAI parameters the provider takes (of temperature, max_tokens, top_p, stop, seed, tool_choice,
    # response_format); any other is dropped with one warning.
    supported: ClassVar[frozenset[str]] = frozenset()
    # Config keys of the provider that configure the client, not the request (never warned about).
    config_keys: ClassVar[frozenset[str]] = frozenset()
    # Config keys whose values are secrets (besides api_key).
    secret_keys: ClassVar[frozenset[str]] = frozenset()
    RESPONSE_USAGE_KEYS: ClassVar[list[str]] = ["prompt_tokens", "completion_tokens", "total_tokens", "cost", "model"]

    def __init__(self, config: Optional[dict[str, Any]] = None, **kwargs: Any) -> None:
        # OpenAIWrapper passes the config entry; 0.2 code may build a client as Client(**config).
        config = self.config = {**(config or {}), **kwargs}
        self.model: Optional[str] = config.get("model")
        self.base_url: Optional[str] = config.get("base_url")
        self.api_key: Optional[str] = config.get("api_key")
        self.price = normalize_price(config.get("price"))
        timeout = config.get("timeout")
        self.timeout = attempt_deadline(DEFAULT_TIMEOUT if timeout is None else timeout) or DEFAULT_TIMEOUT
        self.secrets = [
            v for k, v in config.items() if (k == "api_key" or k in self.secret_keys) and isinstance(v, str) and v
        ]
        for secret in self.secrets:
            register_secret(secret)
        self._filter = ParameterFilter(self.provider, self.supported, self.config_keys)
        self._sdk_clients: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(model={self.model!r}, base_url={self.base_url!r})"

    # ---- requests --------------------------------------------------------------------------------
    async def a_create(self, params: dict[str, Any]) -> Any:
        """Send one chat request (OpenAI-style ``params``) and return a ``ChatCompletion``."""
        try:
            return await self._answer({k: v for k, v in params.items() if k not in self.config_keys})
        except network_errors() as err:  # SDKs that let their HTTP library's errors through
            raise ProviderConnectionError(
                f"{self.provider} at {self.base_url or 'its default endpoint'}: {err}"
            ) from err

    async def _answer(self, params: dict[str, Any]) -> Any:
        """Read ``params`` into a :class:`ChatRequest` and send it (clients whose SDK takes OpenAI's
        format as it is, such as :class:`~autogen.oai.openai_like.OpenAILikeClient`, skip the reading)."""
        return await self._send(read_request(without_hidden_tools(params), self._filter))

    def create(self, params: dict[str, Any]) -> Any:
        """Sync form of :meth:`a_create`."""
        return run_sync(self.a_create(params))

    def sdk_client(self) -> Any:
        """The SDK client for the running event loop (async SDK clients are bound to one loop)."""
        try:
            loop: Any = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        key = loop if loop is not None else self
        client = self._sdk_clients.get(key)
        if client is None:
            client = self._make_sdk_client()
            self._sdk_clients[key] = client
        return client

    def _make_sdk_client(self) -> Any:  # pragma: no cover - every provider defines it
        raise NotImplementedError

    async def _send(self, request: ChatRequest) -> Any:  # pragma: no cover - every provider defines it
        raise NotImplementedError

    # ---- results (0.2's ModelClient) ---------------------------------------------------------------
    message_retrieval = staticmethod(retrieve_messages)

    def cost(self, response: Any) -> float:
        """The response's cost in USD (the config's ``price`` first, then ``prices.json``; unknown models: 0)."""
        usage = getattr(response, "usage", None)
        if usage is None:
            return 0.0
        model = getattr(response, "model", None) or self.model
        if self.price is None and self.model and lookup_price(model or "") is None:
            model = self.model  # e.g. Gemini reports a version name (gemini-1.5-flash-002) the table lacks
        return compute_cost(model, usage.prompt_tokens or 0, usage.completion_tokens or 0, self.price)

    # The usage of a ChatCompletion, read as for OpenAI's responses.
    get_usage = staticmethod(OpenAIClient.get_usage)


def completion(
    *,
    model: str,
    text: str,
    tool_calls: list[ToolCall],
    finish_reason: str,
    prompt_tokens: int,
    completion_tokens: int,
    response_id: Optional[str] = None,
) -> Any:
    """An openai ``ChatCompletion`` with one choice holding ``text`` and ``tool_calls``."""
    from openai.types.chat import ChatCompletion

    message: dict[str, Any] = {"role": "assistant", "content": text if text or not tool_calls else None}
    if tool_calls:
        message["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
            for call in tool_calls
        ]
        finish_reason = "tool_calls"
    return ChatCompletion.model_validate(
        {
            "id": response_id or f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


class StreamCollector:
    """Gathers an answer: text, tool calls, usage, finish reason.

    With ``streamed`` (the default) text is printed to the IOStream as it arrives, and an answer that
    ends without a finish reason is a broken stream (:class:`StreamInterruptedError`, retried).
    """

    def __init__(self, model: str, streamed: bool = True) -> None:
        self.model = model
        self.response_id: Optional[str] = None
        self.text: list[str] = []
        self._calls: dict[Any, dict[str, Any]] = {}
        self.prompt_tokens = 0
        self.completion_tokens = 0
        self.finish_reason: Optional[str] = None
        self._out = IOStream.get_default()
        self._printed = False
        self._streamed = streamed

    def add_text(self, text: str) -> None:
        if text:
            self.text.append(text)
            if self._streamed:
                self._out.print(text, end="", flush=True)
                self._printed = True

    def start_call(self, key: Any, call_id: str, name: str) -> None:
        """A tool call begins (its arguments follow as JSON fragments)."""
        self._calls[key] = {"id": call_id, "name": name, "json": [], "args": None}

    def add_arguments(self, key: Any, fragment: str) -> None:
        self._calls[key]["json"].append(fragment)

    def add_call(self, call: ToolCall) -> None:
        """A whole tool call at once."""
        self._calls[len(self._calls)] = {"id": call.id, "name": call.name, "json": [], "args": call.arguments}

    def result(self) -> Any:
        """The assembled ``ChatCompletion``."""
        if self._printed:
            self._out.print("", flush=True)
        if self._streamed and self.finish_reason is None:
            raise StreamInterruptedError("The streamed answer ended before it was complete (no finish reason).")
        calls = []
        for slot in self._calls.values():
            args = slot["args"]
            if args is None:
                raw = "".join(slot["json"])
                args = json.loads(raw) if raw.strip() else {}
            calls.append(ToolCall(slot["id"], slot["name"], args))
        return completion(
            model=self.model,
            text="".join(self.text),
            tool_calls=calls,
            finish_reason=self.finish_reason or "stop",
            prompt_tokens=self.prompt_tokens,
            completion_tokens=self.completion_tokens,
            response_id=self.response_id,
        )
