"""Which errors are retried, which move on to the next config, and how long to wait between tries."""

from __future__ import annotations

import asyncio
import random
from dataclasses import dataclass
from typing import Optional

import openai

from .errors import InvalidResponseError, ResponseTooLargeError, StreamInterruptedError

__all__ = ["DEFAULT_RETRY_POLICY", "RetryPolicy", "is_retryable", "moves_to_next_config"]

_RETRYABLE_STATUS = frozenset({408, 409, 429})


@dataclass
class RetryPolicy:
    """Exponential backoff with jitter: ``base_delay * 2**attempt``, at most ``max_delay`` seconds.

    A ``retry-after`` / ``retry-after-ms`` header from the server wins when it asks for at most
    ``max_retry_after`` seconds.
    """

    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def delay(self, attempt: int, error: BaseException) -> float:
        """Seconds to wait before try number ``attempt + 1`` after ``error``."""
        asked = _retry_after(error)
        if asked is not None and 0 <= asked <= self.max_retry_after:
            return asked
        backoff = min(self.max_delay, self.base_delay * (2**attempt))
        return backoff * (0.5 + random.random() / 2)


DEFAULT_RETRY_POLICY = RetryPolicy()


def _retry_after(error: BaseException) -> Optional[float]:
    asked = getattr(error, "retry_after", None)  # seconds a client read from the error body (Gemini's RetryInfo)
    if isinstance(asked, (int, float)) and not isinstance(asked, bool):
        return float(asked)
    response = getattr(error, "response", None)
    # The response's headers (openai-style SDKs), else the error's own (Mistral's and Cohere's SDKs).
    headers = getattr(response, "headers", None) or getattr(error, "headers", None)
    if not headers or not hasattr(headers, "get"):
        return None
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


# Errors of custom model clients that count like the SDK's: builtin network errors, httpx's, and the
# connection/timeout errors of SDKs generated the same way as openai's (anthropic, groq, mistral, ...).
_NETWORK_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, asyncio.TimeoutError, ConnectionError)
_SDK_NETWORK_ERROR_NAMES = frozenset({"APIConnectionError", "APITimeoutError"})


def _is_network_error(error: BaseException) -> bool:
    if isinstance(error, _NETWORK_ERRORS):
        return True
    if type(error).__module__.startswith("httpx") and type(error).__name__ != "HTTPStatusError":
        import httpx

        return isinstance(error, httpx.TransportError)
    return any(cls.__name__ in _SDK_NETWORK_ERROR_NAMES for cls in type(error).__mro__)


def _status_code(error: BaseException) -> Optional[int]:
    """The HTTP status of an API error of any SDK (``status_code``), or None."""
    status = getattr(error, "status_code", None)
    if status is None:
        status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) and not isinstance(status, bool) else None


def is_retryable(error: BaseException) -> bool:
    """True for timeouts, connection errors, broken streams, garbage bodies, 408/409/429 and 5xx.

    A 429 that says the quota is used up is not retried: waiting does not help; nor is an answer
    larger than ``max_response_bytes``. Errors of custom model clients count the same way: builtin
    ``TimeoutError``/``ConnectionError``, httpx transport errors, other SDKs' connection/timeout errors,
    and any error with an HTTP ``status_code``.
    """
    if isinstance(error, ResponseTooLargeError):
        return False
    if isinstance(error, (openai.APIConnectionError, StreamInterruptedError, InvalidResponseError)):
        return True
    if _is_network_error(error):
        return True
    status = _status_code(error)
    if status is None or (isinstance(error, openai.APIError) and not isinstance(error, openai.APIStatusError)):
        return False
    if status == 429 and getattr(error, "code", None) == "insufficient_quota":
        return False
    return status in _RETRYABLE_STATUS or status >= 500


def moves_to_next_config(error: BaseException) -> bool:
    """True for errors after which the next config may still answer.

    Every API error but content filtering, network errors and HTTP errors of other SDKs (see
    :func:`is_retryable`); anything else (a bug, a bad argument) is raised at once.
    """
    if isinstance(error, openai.APIError):
        return getattr(error, "code", None) != "content_filter"
    return _is_network_error(error) or _status_code(error) is not None
