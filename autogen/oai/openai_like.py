"""The chat format shared by Mistral, Groq and Together (close to OpenAI's), and its way back to OpenAI types.

Requests: the agents' OpenAI-style messages go out almost as they are (:func:`provider_messages`).
Answers: the SDK's response or stream chunks, dumped to dicts, become openai ``ChatCompletion`` /
``ChatCompletionChunk`` objects (:func:`to_completion`, :func:`to_chunk`): content given as a list of
parts is joined, tool-call arguments given as objects are JSON-encoded, provider finish reasons
(``eos``, ``model_length``, ...) become OpenAI's, and Groq's ``x_groq.usage`` becomes ``usage``.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar, Optional

from .errors import InvalidResponseError
from .openai_client import _count_usage_locally
from .provider_base import ProviderClient
from .provider_http import provider_http_client
from .provider_params import Param, sdk_kwargs, without_hidden_tools
from .provider_request import ParameterFilter
from .streaming import collect_stream

__all__ = [
    "OPENAI_LIKE_PARAMS",
    "SDK_REQUEST_OPTIONS",
    "OpenAILikeClient",
    "api_key_or_env",
    "provider_messages",
    "sdk_root",
    "to_chunk",
    "to_completion",
]

# The parameters Mistral, Groq and Together all take under OpenAI's name.
OPENAI_LIKE_PARAMS: dict[str, Param] = {
    "temperature": Param("temperature", (int, float), (0, 2)),
    "top_p": Param("top_p", (int, float), (0, 1)),
    "max_tokens": Param("max_tokens", int, (1, None)),
    "stop": Param("stop", (str, list)),
    "n": Param("n", int, (1, None)),
    "presence_penalty": Param("presence_penalty", (int, float), (-2, 2)),
    "frequency_penalty": Param("frequency_penalty", (int, float), (-2, 2)),
    "tools": Param("tools", list),
    "tool_choice": Param("tool_choice", (str, dict)),
    "parallel_tool_calls": Param("parallel_tool_calls", bool),
    "response_format": Param("response_format", dict),
    "seed": Param("seed", int),
}
# Per-request options of the SDKs generated like openai's (Groq, Together), passed to them as they are.
SDK_REQUEST_OPTIONS: dict[str, Param] = {
    name: Param(name, dict) for name in ("extra_headers", "extra_query", "extra_body")
}

_FINISH_REASONS = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "function_call",
    "content_filter": "content_filter",
    "eos": "stop",
    "end_turn": "stop",
    "model_length": "length",
    "max_tokens": "length",
    "tool_call": "tool_calls",
    "error": "stop",
}


def provider_messages(messages: Iterable[dict[str, Any]], keep_names: bool) -> list[dict[str, Any]]:
    """The messages to send: OpenAI's shape, ``name`` kept only where the provider takes it.

    Legacy ``function`` messages (0.2's ``function_call`` era) are sent as user text: none of these
    providers takes that role.
    """
    result: list[dict[str, Any]] = []
    for message in messages:
        out = {k: v for k, v in message.items() if v is not None and (keep_names or k != "name")}
        if out.get("role") == "function":
            out = {"role": "user", "content": f"Result of {message.get('name') or 'the function'}: {out['content']}"}
        if out.get("role") == "assistant" and "content" not in out and not out.get("tool_calls"):
            out["content"] = ""
        out.pop("function_call", None)
        result.append(out)
    return result


def _text(content: Any) -> Any:
    """Content given as a list of parts -> its text (OpenAI answers carry a string)."""
    if not isinstance(content, list):
        return content
    return "".join(str(part.get("text") or "") for part in content if isinstance(part, dict))


def _tool_calls(calls: Any, ids: Optional[dict[str, int]] = None) -> Any:
    if not calls:
        return None
    result = []
    for position, call in enumerate(calls):
        call = dict(call)
        function = dict(call.get("function") or {})
        if isinstance(function.get("arguments"), (dict, list)):
            function["arguments"] = json.dumps(function["arguments"])
        call["function"] = function
        call["type"] = "function"
        if ids is None:
            call.pop("index", None)
        else:  # streamed: a call with a new id gets the next index (Mistral sends index 0 for all)
            if call.get("id"):
                call["index"] = ids.setdefault(call["id"], len(ids))
            elif call.get("index") is None:
                call["index"] = max(ids.values(), default=position)
        result.append(call)
    return result


def _finish(reason: Any, has_calls: bool) -> Optional[str]:
    if reason is None:
        return None
    return _FINISH_REASONS.get(str(reason).lower(), "tool_calls" if has_calls else "stop")


def _usage(data: dict[str, Any]) -> Optional[dict[str, Any]]:
    usage = data.get("usage") or (data.get("x_groq") or {}).get("usage")
    if not usage:
        return None
    prompt = int(usage.get("prompt_tokens") or 0)
    completion = int(usage.get("completion_tokens") or 0)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def to_completion(data: dict[str, Any], model: Optional[str]) -> Any:
    """An openai ``ChatCompletion`` from a provider's response dict."""
    from openai.types.chat import ChatCompletion

    choices = []
    for choice in data.get("choices") or []:
        message = dict(choice.get("message") or {})
        calls = _tool_calls(message.get("tool_calls"))
        out: dict[str, Any] = {"role": "assistant", "content": _text(message.get("content"))}
        if calls:
            out["tool_calls"] = calls
        reason = _finish(choice.get("finish_reason"), bool(calls)) or ("tool_calls" if calls else "stop")
        choices.append({"index": choice.get("index") or 0, "message": out, "finish_reason": reason, "logprobs": None})
    completion = {
        "id": data.get("id") or "",
        "object": "chat.completion",
        "created": data.get("created") or int(time.time()),
        "model": data.get("model") or model or "",
        "choices": choices,
    }
    usage = _usage(data)
    if usage is not None:
        completion["usage"] = usage
    return ChatCompletion.model_validate(completion)


def to_chunk(data: dict[str, Any], ids: dict[str, int]) -> Any:
    """An openai ``ChatCompletionChunk`` from a provider's stream chunk dict.

    ``ids`` maps the tool-call ids seen so far in this stream to their index.
    """
    from openai.types.chat import ChatCompletionChunk

    choices = []
    for choice in data.get("choices") or []:
        delta = dict(choice.get("delta") or {})
        calls = _tool_calls(delta.get("tool_calls"), ids)
        out: dict[str, Any] = {"content": _text(delta.get("content"))}
        if delta.get("role"):
            out["role"] = delta["role"]
        if calls:
            out["tool_calls"] = calls
        reason = _finish(choice.get("finish_reason"), bool(ids))
        choices.append({"index": choice.get("index") or 0, "delta": out, "finish_reason": reason})
    chunk = {
        "id": data.get("id") or "",
        "object": "chat.completion.chunk",
        "created": data.get("created") or int(time.time()),
        "model": data.get("model") or "",
        "choices": choices,
    }
    usage = _usage(data)
    if usage is not None:
        chunk["usage"] = usage
    return ChatCompletionChunk.model_validate(chunk)


class OpenAILikeClient(ProviderClient):
    """A client whose SDK speaks (nearly) OpenAI's chat format.

    The request goes out as the agents built it (no provider-neutral reading); answers and stream chunks
    come back as openai types. The default ``_call_sdk`` is ``client.chat.completions.create`` of the SDKs
    generated like openai's (Groq, Together). ``api_key`` falls back to the provider's environment
    variable; a ``base_url`` that ends with the path the SDK adds itself (``/v1``) is cut back to the root.

    Raises:
        ValueError: there is no key in the config nor in the environment.
    """

    api_type: ClassVar[str] = ""
    api_key_env: ClassVar[str] = ""
    default_base_url: ClassVar[str] = ""
    sdk_paths: ClassVar[tuple[str, ...]] = ()  # paths the SDK appends to its base URL itself
    params: ClassVar[dict[str, Param]] = OPENAI_LIKE_PARAMS
    keep_names: ClassVar[bool] = True  # does the provider take ``name`` on messages?
    # "module.Class" of an async SDK client generated like openai's, built by the default _make_sdk_client.
    sdk_class: ClassVar[str] = ""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._filter = ParameterFilter(self.provider, frozenset(self.params), self.config_keys)
        self.api_key = api_key_or_env(self.api_key, self.api_key_env, self.model, self.api_type)
        # The root URL given to the SDK (None: the SDK's own default), and the URL that errors name.
        self.sdk_base_url: Optional[str] = sdk_root(str(self.base_url), self.sdk_paths) if self.base_url else None
        self.base_url = self.sdk_base_url or self.default_base_url
        headers = config.get("default_headers")
        self.default_headers: Optional[dict[str, str]] = dict(headers) if headers else None

    def _make_sdk_client(self) -> Any:
        module, _, name = self.sdk_class.rpartition(".")
        sdk_class = getattr(importlib.import_module(module), name)
        return sdk_class(
            api_key=self.api_key,
            base_url=self.sdk_base_url,
            max_retries=0,  # retries are the wrapper's, with the same rules for every provider
            timeout=self.timeout,
            default_headers=self.default_headers,
            http_client=provider_http_client(),
        )

    def _request(self, params: dict[str, Any]) -> dict[str, Any]:
        """The SDK's keyword arguments for an OpenAI-style request."""
        params = without_hidden_tools(params)
        messages = provider_messages(params["messages"], self.keep_names)
        options = sdk_kwargs(params, self.params, self._filter)
        return {"model": params.get("model") or self.model, "messages": messages, **options}

    async def _answer(self, params: dict[str, Any]) -> Any:
        client = self.sdk_client()
        if not params.get("stream"):
            return await self._complete(client, params)
        completion, has_usage = await collect_stream(self._stream(client, params))
        if not has_usage:
            completion.usage = _count_usage_locally(params, completion)
        return completion

    async def _call_sdk(self, client: Any, request: dict[str, Any], stream: bool) -> Any:
        """The SDK's answer: a response object, or an async iterable of chunks that has ``close()``."""
        if stream:
            return await client.chat.completions.create(**request, stream=True)
        return await client.chat.completions.create(**request)

    @staticmethod
    def _dump(event: Any) -> dict[str, Any]:
        """A response or stream event of the SDK as a dict in OpenAI's shape."""
        return dict(event.model_dump())

    @contextlib.contextmanager
    def _sdk_errors(self) -> Iterator[None]:
        """Turn the SDK's errors that the retry rules do not know into ones they do."""
        try:
            yield
        except json.JSONDecodeError as err:  # a 200 whose body is not JSON: retried, like OpenAI's
            raise InvalidResponseError(f"{self.provider}'s answer is not valid JSON ({err}).") from err
        except Exception as err:
            if isinstance(err.__cause__, InvalidResponseError):  # the HTTP guard's refusal (size, encoding)
                raise err.__cause__ from None
            raise

    async def _complete(self, client: Any, params: dict[str, Any]) -> Any:
        with self._sdk_errors():
            response = await self._call_sdk(client, self._request(params), stream=False)
        return to_completion(self._dump(response), self.model)

    async def _stream(self, client: Any, params: dict[str, Any]) -> AsyncIterator[Any]:
        ids: dict[str, int] = {}
        with self._sdk_errors():
            stream = await self._call_sdk(client, self._request(params), stream=True)
            try:
                async for event in stream:
                    yield to_chunk(self._dump(event), ids)
            finally:
                await stream.close()


def api_key_or_env(key: Optional[str], env: str, model: Optional[str], api_type: str) -> str:
    """The config's ``api_key``, else the environment variable ``env``.

    Raises:
        ValueError: neither is set; the message names both.
    """
    key = key or os.environ.get(env)
    if not key:
        raise ValueError(
            f"The config for model {model!r} (api_type {api_type!r}) has no 'api_key' and {env} is not set. "
            'Add "api_key" to the config (or set the environment variable).'
        )
    return key


def sdk_root(url: str, sdk_paths: tuple[str, ...]) -> str:
    """``url`` without a trailing path the SDK adds itself (``https://host/v1`` -> ``https://host``)."""
    url = url.rstrip("/")
    for path in sdk_paths:
        if url.endswith(path):
            return url[: -len(path)]
    return url
