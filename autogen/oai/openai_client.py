"""``OpenAIClient``: one config's endpoint (OpenAI, Azure OpenAI or any OpenAI-compatible server).

The request body is built here as a plain dict. A plain chat request to OpenAI or an OpenAI-compatible
server goes out through the direct transport (:mod:`autogen.oai.direct`: aiohttp, no openai import, the
SDK's error classes on failure) and comes back as an :class:`autogen.oai.responses.ChatCompletion`.
Streams, legacy completions, Azure and a user's ``http_client`` go through the SDK's low-level ``post``:
the SDK keeps doing auth, Azure deployment routing and error types, without validating every message
on every call. The HTTP clients are shared (see :mod:`autogen.oai.transport`).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from typing import Any, NoReturn, Optional, Union

from .._sync import run_sync
from ..logger.redact import register_secret
from .body_limits import DEFAULT_MAX_RESPONSE_BYTES
from .direct import DirectTarget, direct_target, post_chat
from .endpoint_quirks import quirks_for
from .params import client_kwargs_of
from .pricing import compute_cost, normalize_price
from .scrub import is_credential_header
from .transport import Endpoint, leased_client, shared_client, shared_session

__all__ = ["DEFAULT_TIMEOUT", "OpenAIClient", "attempt_deadline", "retrieve_messages"]

DEFAULT_MAX_RETRIES = 2
# Seconds one attempt may take, from connecting to the last byte of the body or stream (the SDK's 600 s
# per read, times 3 tries, kept a silent endpoint waiting half an hour).
DEFAULT_TIMEOUT = 60.0
# The first Azure OpenAI API version that accepts stream_options (usage in streams).
AZURE_STREAM_USAGE_API_VERSION = "2024-09-01"
_CONTEXT_ERROR = re.compile(
    r"context[ _]length|context window|maximum context|too many tokens|exceeds? the context", re.IGNORECASE
)
_REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body")


def retrieve_messages(response: Any) -> Union[list[str], list[Any]]:
    """Texts of the choices, or the message objects of choices that call tools or functions."""
    choices = response.choices
    if getattr(response, "object", None) == "text_completion" or (choices and hasattr(choices[0], "text")):
        return [choice.text for choice in choices]
    return [
        choice.message if (choice.message.tool_calls or choice.message.function_call) else choice.message.content
        for choice in choices
    ]


class OpenAIClient:
    """Sends one config's requests to its endpoint.

    Args:
        config: the merged config (SDK-client options are read from it: ``api_key``, ``base_url``, ...).
        api_type: ``None``/``"openai"``, ``"azure"`` (any ``azure*``) or ``"llama.cpp"``.
        price: ``[prompt_per_1k, completion_per_1k]`` overriding the price table.
    """

    RESPONSE_USAGE_KEYS = ["prompt_tokens", "completion_tokens", "total_tokens", "cost", "model"]

    def __init__(self, config: dict[str, Any], api_type: Optional[str] = None, price: Any = None) -> None:
        self.api_type = api_type
        self.azure = bool(api_type and api_type.startswith("azure"))
        self.quirks = quirks_for(api_type)
        # Ask for usage in streams? (older Azure API versions reject stream_options; so may other servers)
        self.stream_usage = self.quirks.stream_usage
        self.price = normalize_price(price)
        self.model: Optional[str] = config.get("model")
        kwargs = client_kwargs_of(config)
        _check_http_client(kwargs.get("http_client"))
        self.max_retries = int(kwargs.pop("max_retries", DEFAULT_MAX_RETRIES) or 0)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = DEFAULT_TIMEOUT
        self.timeout = attempt_deadline(kwargs["timeout"])
        if self.azure:
            kwargs = _azure_kwargs(kwargs)
            self.stream_usage = str(kwargs.get("api_version", "")) >= AZURE_STREAM_USAGE_API_VERSION
        else:
            kwargs.pop("api_version", None)
            kwargs.pop("azure_endpoint", None)
            kwargs.pop("azure_deployment", None)
            if not kwargs.get("api_key"):
                kwargs["api_key"] = _default_api_key(self.model, self.quirks.name, kwargs.get("base_url"))
        self.base_url: Optional[str] = kwargs.get("base_url") or kwargs.get("azure_endpoint")
        self.secrets = [v for k, v in kwargs.items() if k in ("api_key", "azure_ad_token") and isinstance(v, str)]
        self.secrets += [
            v
            for k, v in (kwargs.get("default_headers") or {}).items()
            if is_credential_header(k) and isinstance(v, str)
        ]
        for secret in self.secrets:
            register_secret(secret)
        max_response_bytes = config.get("max_response_bytes") or DEFAULT_MAX_RESPONSE_BYTES
        self._endpoint = Endpoint(self.azure, kwargs, max_response_bytes)
        # Where plain chat requests go without the SDK (None: everything goes through the SDK).
        self._direct: Optional[DirectTarget] = (
            None if self.azure else direct_target(kwargs, self.timeout, max_response_bytes)
        )

    def __repr__(self) -> str:
        return f"OpenAIClient(model={self.model!r}, base_url={self.base_url!r}, api_type={self.api_type!r})"

    # ---- requests --------------------------------------------------------------------------------
    async def a_create(self, params: dict[str, Any]) -> Any:
        """Send one request (chat when ``messages`` is given, else legacy completion) and return the response."""
        body, options = _split_request_options(params)
        try:
            if self._direct is not None and "messages" in body and not body.get("stream"):
                return await self._direct_chat(self._direct, body, options)
            async with leased_client(self._endpoint) as client:
                if "messages" in body:
                    return await self._chat(client, body, options)
                return await self._completion(client, body, options)
        except json.JSONDecodeError as err:
            from .errors import InvalidResponseError

            raise InvalidResponseError(f"The server's answer is not valid JSON ({err}).") from err
        except Exception as err:
            openai = sys.modules.get("openai")  # not imported: the error cannot be one of the SDK's
            if openai is None:
                raise
            from .errors import ContextWindowExceededError, InvalidResponseError

            if isinstance(err, openai.APIConnectionError) and isinstance(err.__cause__, InvalidResponseError):
                raise err.__cause__ from None  # refused by the HTTP guard (size, encoding)
            if isinstance(err, openai.BadRequestError) and (
                getattr(err, "code", None) == "context_length_exceeded" or _CONTEXT_ERROR.search(str(err.message))
            ):
                raise ContextWindowExceededError.from_bad_request(err, body.get("model")) from err
            raise

    async def _direct_chat(self, target: DirectTarget, body: dict[str, Any], options: dict[str, Any]) -> Any:
        body = self.quirks.rewrite(body)
        response = await post_chat(shared_session(self._endpoint, target.url), target, body, options)
        _check_choices(response, chat=True)
        self.quirks.fix_response(body, response)
        return response

    def _sdk_client(self) -> Any:
        """The shared SDK client of this config's endpoint on the running loop."""
        return shared_client(self._endpoint)

    def create(self, params: dict[str, Any]) -> Any:
        """Sync form of :meth:`a_create`."""
        return run_sync(self.a_create(params))

    async def _chat(self, client: Any, body: dict[str, Any], options: dict[str, Any]) -> Any:
        import openai
        from openai import AsyncStream
        from openai.types.chat import ChatCompletion, ChatCompletionChunk

        from .streaming import collect_stream

        body = self.quirks.rewrite(body)
        stream = bool(body.get("stream"))
        asked_usage = stream and self.stream_usage and "stream_options" not in body
        if asked_usage:
            body["stream_options"] = {"include_usage": True}

        async def post() -> Any:
            return await client.post(
                "/chat/completions",
                body=body,
                cast_to=ChatCompletion,
                options=options,
                stream=stream,
                stream_cls=AsyncStream[ChatCompletionChunk],
            )

        try:
            response = await post()
        except openai.BadRequestError as err:
            if not (asked_usage and "stream_options" in str(err.message)):
                raise
            # An OpenAI-compatible server that does not know stream_options: stop asking, count locally.
            self.stream_usage = False
            del body["stream_options"]
            response = await post()
        if not stream:
            _check_choices(response, chat=True)
            self.quirks.fix_response(body, response)
            return response
        try:
            completion, has_usage = await collect_stream(response)
        finally:
            await response.close()
            # The SDK leaves its SSE generator suspended after [DONE]; let the loop finalize it now.
            await asyncio.sleep(0)
        if not has_usage:
            completion.usage = _count_usage_locally(body, completion)
        self.quirks.fix_response(body, completion)
        return completion

    async def _completion(self, client: Any, body: dict[str, Any], options: dict[str, Any]) -> Any:
        from openai.types import Completion

        body = {k: v for k, v in body.items() if k not in ("stream", "stream_options")}
        response = await client.post("/completions", body=body, cast_to=Completion, options=options)
        _check_choices(response, chat=False)
        return response

    # ---- results ---------------------------------------------------------------------------------
    # A plain function, not a bound method: responses carry it, and must pickle without the client (and its key).
    message_retrieval = staticmethod(retrieve_messages)

    def cost(self, response: Any) -> float:
        """The response's cost in USD (price override first, then the price table; unknown models: 0)."""
        usage = getattr(response, "usage", None)
        if usage is None:
            return 0.0
        return compute_cost(
            getattr(response, "model", None) or self.model,
            usage.prompt_tokens or 0,
            usage.completion_tokens or 0,
            self.price,
        )

    @staticmethod
    def get_usage(response: Any) -> dict[str, Any]:
        """Token counts, cost and model of a response."""
        usage = getattr(response, "usage", None)
        return {
            "prompt_tokens": getattr(usage, "prompt_tokens", 0) or 0,
            "completion_tokens": getattr(usage, "completion_tokens", 0) or 0,
            "total_tokens": getattr(usage, "total_tokens", 0) or 0,
            "cost": getattr(response, "cost", 0.0) or 0.0,
            "model": getattr(response, "model", None),
        }


def _default_api_key(model: Optional[str], quirks_name: str, base_url: Optional[str]) -> str:
    """The key to send when a config has none.

    A local server kind (llama.cpp) gets a dummy key, never the user's OpenAI key; otherwise
    ``OPENAI_API_KEY`` as the SDK would use it; a non-OpenAI ``base_url`` without it gets a dummy key.
    """
    if quirks_name != "openai":
        return "sk-no-key-required"
    env_key = os.environ.get("OPENAI_API_KEY")
    if env_key:
        return env_key
    if base_url and "api.openai.com" not in base_url:
        return "sk-no-key-required"  # local servers need no key, but the SDK wants one
    raise ValueError(
        f"The config for model {model!r} has no 'api_key' and OPENAI_API_KEY is not set. "
        'Add "api_key" to the config (or set the environment variable).'
    )


def _azure_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    """SDK options for Azure: ``base_url`` becomes the Azure endpoint unless it already names a path."""
    kwargs = dict(kwargs)
    base_url = kwargs.pop("base_url", None)
    if base_url and not kwargs.get("azure_endpoint"):
        if "/openai" in base_url:
            kwargs["base_url"] = base_url
        else:
            kwargs["azure_endpoint"] = base_url
    if kwargs.get("azure_deployment"):
        kwargs["azure_deployment"] = kwargs["azure_deployment"].replace(".", "")
    if not kwargs.get("api_version"):
        from .openai_utils import DEFAULT_AZURE_API_VERSION

        kwargs["api_version"] = os.environ.get("OPENAI_API_VERSION") or DEFAULT_AZURE_API_VERSION
    if not (kwargs.get("api_key") or kwargs.get("azure_ad_token") or kwargs.get("azure_ad_token_provider")):
        key = os.environ.get("AZURE_OPENAI_API_KEY")
        if not key:
            raise ValueError(
                "An Azure config needs 'api_key' (or 'azure_ad_token' / 'azure_ad_token_provider'), "
                "and AZURE_OPENAI_API_KEY is not set."
            )
        kwargs["api_key"] = key
    return kwargs


def _check_http_client(http_client: Any) -> None:
    if http_client is not None and not hasattr(http_client, "aclose"):
        raise TypeError(
            f"http_client must be an httpx.AsyncClient (requests are sent asynchronously), got "
            f"{type(http_client).__name__}. Pass an httpx.AsyncClient or leave http_client out."
        )


def _split_request_options(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The JSON body, and the per-request SDK options (extra headers/query) taken out of ``params``."""
    if not any(k in params for k in _REQUEST_OPTIONS):
        return dict(params), {}
    body = {k: v for k, v in params.items() if k not in _REQUEST_OPTIONS}
    body.update(params.get("extra_body") or {})
    options: dict[str, Any] = {}
    if params.get("extra_headers"):
        options["headers"] = params["extra_headers"]
    if params.get("extra_query"):
        options["params"] = params["extra_query"]
    return body, options


def _check_choices(response: Any, chat: bool) -> None:
    choices = getattr(response, "choices", None)
    if not isinstance(choices, list):
        _refuse("The server's answer has no 'choices': it is not a completion.")
    elif not choices:
        _refuse("The server's answer has no choices ('choices' is empty).")
    elif chat and any(getattr(choice, "message", None) is None for choice in choices):
        _refuse("The server's answer has a choice without a message ('message' is null).")


def _refuse(message: str) -> NoReturn:
    from .errors import InvalidResponseError  # loaded (with openai) only when an answer is refused

    raise InvalidResponseError(message)


def attempt_deadline(timeout: Any) -> Optional[float]:
    """Seconds one attempt may take in all, from a config's ``timeout``.

    A number is the deadline itself; an ``httpx.Timeout`` keeps its per-phase limits and the attempt
    is bounded by the largest of them.
    """
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool):
        return float(timeout)
    limits = [getattr(timeout, name, None) for name in ("connect", "read", "write", "pool")]
    numbers = [float(v) for v in limits if isinstance(v, (int, float))]
    return max(numbers) if numbers else None


def _count_usage_locally(body: dict[str, Any], completion: Any) -> Any:
    """Usage counted with the offline tokenizer, for servers that send none in streams."""
    from openai.types import CompletionUsage

    from ..token_count_utils import count_token

    model = body.get("model") or "gpt-4o-mini"
    prompt = count_token(body.get("messages") or [], model)
    completion_tokens = 0
    for choice in completion.choices:
        message = choice.message
        completion_tokens += count_token(message.content or "", model)
        for call in message.tool_calls or []:
            completion_tokens += count_token(call.function.name + call.function.arguments, model)
    return CompletionUsage(
        prompt_tokens=prompt, completion_tokens=completion_tokens, total_tokens=prompt + completion_tokens
    )
