"""Taking secrets out of an exception before it leaves the wrapper.

An endpoint may echo the key in its error body, and an SDK error carries the request (with its
``Authorization`` / ``api-key`` header) and the response. Before such an error is raised, listed in
``AllConfigsFailedError.attempts`` or chained as a cause, :func:`scrub_error` rewrites it in place:
messages, ``args``, string attributes and ``body`` lose every registered secret and key-like string
(see :mod:`autogen.logger.redact`), and ``request``/``response`` are replaced by copies without
credential headers or body secrets. The whole ``__cause__``/``__context__`` chain is scrubbed, so a
formatted traceback and a pickled error are both clean. Only the error path pays for this.
"""

from __future__ import annotations

import contextlib
import sys
from typing import TYPE_CHECKING, Any

from ..logger.redact import REDACTED, is_secret_key, redact, redact_text

if TYPE_CHECKING:
    import httpx

__all__ = ["is_credential_header", "scrub_error", "scrub_request"]

# Headers that carry credentials whatever their value looks like.
_CREDENTIAL_HEADERS = frozenset({"authorization", "proxy-authorization", "api-key", "x-api-key", "cookie"})
# Framing headers that describe the original bytes, not the scrubbed copy.
_FRAMING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def is_credential_header(name: str) -> bool:
    """Whether an HTTP header carries credentials (``Authorization``, ``api-key``, ``X-Api-Key``, cookies...)."""
    lowered = name.lower()
    return lowered in _CREDENTIAL_HEADERS or is_secret_key(lowered)


def _clean_headers(headers: httpx.Headers, drop: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if is_credential_header(name) else redact_text(value))
        for name, value in headers.items()
        if name.lower() not in drop
    ]


def scrub_request(request: httpx.Request) -> httpx.Request:
    """A copy of ``request`` (method, URL, headers) without credentials; the body is left out."""
    import httpx

    return httpx.Request(request.method, redact_text(str(request.url)), headers=_clean_headers(request.headers))


def _scrub_response(response: httpx.Response) -> httpx.Response:
    import httpx

    try:
        content = response.content
    except httpx.ResponseNotRead:  # a stream that was never read: there is no body to keep
        content = b""
    try:
        request = scrub_request(response.request)
    except RuntimeError:  # a response built without a request
        request = None
    text = redact_text(content.decode("utf-8", "replace"))
    return httpx.Response(
        response.status_code,
        headers=_clean_headers(response.headers, _FRAMING_HEADERS),
        content=text.encode("utf-8"),
        request=request,
    )


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    httpx = sys.modules.get("httpx")  # not imported: the value cannot be an httpx object
    if httpx is not None:
        if isinstance(value, httpx.Request):
            return scrub_request(value)
        if isinstance(value, httpx.Response):
            return _scrub_response(value)
    if isinstance(value, (dict, list)):
        return redact(value)
    return value


def _scrub_one(err: BaseException) -> None:
    err.args = tuple(_scrub_value(arg) for arg in err.args)
    state = getattr(err, "__dict__", None)
    if state:
        for name, value in list(state.items()):
            if name not in ("attempts", "__notes__"):
                state[name] = _scrub_value(value)
        notes = state.get("__notes__")
        if isinstance(notes, list):
            state["__notes__"] = [redact_text(n) if isinstance(n, str) else n for n in notes]


def scrub_error(err: BaseException) -> BaseException:
    """Remove secrets from ``err`` and every exception chained to it (in place); returns ``err``."""
    seen: set[int] = set()
    pending: list[BaseException] = [err]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        with contextlib.suppress(Exception):  # an exception that refuses new values keeps them: never mask it
            _scrub_one(current)
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return err
