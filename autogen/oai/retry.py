"""Which errors are retried, which move on to the next config, and how long to wait between tries."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional

import openai

from .errors import InvalidResponseError, StreamInterruptedError

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
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except ValueError:
        return None
    return None


def is_retryable(error: BaseException) -> bool:
    """True for timeouts, connection errors, broken streams, garbage bodies, 408/409/429 and 5xx.

    A 429 that says the quota is used up is not retried: waiting does not help.
    """
    if isinstance(error, (openai.APIConnectionError, StreamInterruptedError, InvalidResponseError)):
        return True
    if isinstance(error, openai.APIStatusError):
        if error.status_code == 429 and getattr(error, "code", None) == "insufficient_quota":
            return False
        return error.status_code in _RETRYABLE_STATUS or error.status_code >= 500
    return False


def moves_to_next_config(error: BaseException) -> bool:
    """True for errors after which the next config may still answer (all API errors but content filtering)."""
    if not isinstance(error, openai.APIError):
        return False
    return getattr(error, "code", None) != "content_filter"
