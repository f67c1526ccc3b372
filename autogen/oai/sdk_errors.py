"""The openai SDK's error classes, raised for answers and failures of the direct transport.

:mod:`autogen.oai.direct` sends requests without the SDK; when a request fails, this module imports
``openai`` (and httpx, whose ``Request``/``Response`` the SDK's errors carry) and builds the error the SDK
itself would have raised, with the same class, message, ``body``, ``code``, ``status_code`` and headers,
so ``except openai.RateLimitError`` and the retry rules work unchanged. Only failed requests pay for
the import. The request an error carries never holds credentials: their headers read ``[REDACTED]``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..logger.redact import REDACTED
from .scrub import is_credential_header

__all__ = ["connection_error", "invalid_response", "response_too_large", "status_error", "timeout_error"]


def _request(method: str, url: str, headers: Mapping[str, str]) -> Any:
    import httpx

    clean = [(name, REDACTED if is_credential_header(name) else value) for name, value in headers.items()]
    return httpx.Request(method, url, headers=clean)


def status_error(
    method: str, url: str, request_headers: Mapping[str, str], status: int, headers: Any, content: bytes
) -> Exception:
    """The SDK's error for an HTTP error answer (``BadRequestError`` for 400, ``RateLimitError`` for 429, ...)."""
    import httpx
    import openai

    response = httpx.Response(
        status, headers=list(headers.items()), content=content, request=_request(method, url, request_headers)
    )
    text = response.text.strip()
    body: Any = text
    try:
        body = json.loads(text)
        message = f"Error code: {status} - {body}"
    except ValueError:
        message = text or f"Error code: {status}"
    data = body.get("error", body) if isinstance(body, Mapping) else body
    by_status: dict[int, type[openai.APIStatusError]] = {
        400: openai.BadRequestError,
        401: openai.AuthenticationError,
        403: openai.PermissionDeniedError,
        404: openai.NotFoundError,
        409: openai.ConflictError,
        422: openai.UnprocessableEntityError,
        429: openai.RateLimitError,
    }
    cls = by_status.get(status) or (openai.InternalServerError if status >= 500 else openai.APIStatusError)
    return cls(message, response=response, body=data)


def connection_error(method: str, url: str, request_headers: Mapping[str, str], message: str) -> Exception:
    """``openai.APIConnectionError`` (the connection failed or broke off)."""
    import openai

    return openai.APIConnectionError(message=message, request=_request(method, url, request_headers))


def timeout_error(method: str, url: str, request_headers: Mapping[str, str]) -> Exception:
    """``openai.APITimeoutError`` (a connect or read timeout of the HTTP client)."""
    import openai

    return openai.APITimeoutError(request=_request(method, url, request_headers))


def invalid_response(message: str) -> Exception:
    """:class:`~autogen.oai.errors.InvalidResponseError` (retried)."""
    from .errors import InvalidResponseError

    return InvalidResponseError(message)


def response_too_large(message: str) -> Exception:
    """:class:`~autogen.oai.errors.ResponseTooLargeError` (not retried)."""
    from .errors import ResponseTooLargeError

    return ResponseTooLargeError(message)
