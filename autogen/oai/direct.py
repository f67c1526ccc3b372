"""The direct transport: non-streamed chat completions sent with aiohttp, JSON with orjson, no openai SDK.

A config for OpenAI or an OpenAI-compatible server (not Azure, no ``http_client`` of the user's) sends its
plain chat requests here; streams, legacy completions, Azure and user http clients keep the SDK path. It
costs about a fifth of the SDK's CPU per call and never imports ``openai`` unless a request fails
(see :mod:`autogen.oai.sdk_errors`, which raises the SDK's own error classes). What the SDK did is kept:

* the URL (``base_url``, else ``OPENAI_BASE_URL``, else OpenAI's) and ``default_query``/``extra_query``;
* the headers: ``Authorization: Bearer``, ``OpenAI-Organization``/``OpenAI-Project`` (config or
  ``OPENAI_ORG_ID``/``OPENAI_PROJECT_ID``), ``default_headers``, ``extra_headers``;
* ``timeout`` bounds connecting and each read, as the SDK's (the wrapper bounds each attempt as a whole);
* redirects followed (up to 20), as httpx does, and a redirect to another origin carries no credentials;
* the answer's size cap (``max_response_bytes``, decompressed) and gzip/deflate only
  (:mod:`autogen.oai.body_limits`);
* proxies from the environment (``HTTPS_PROXY``, ``NO_PROXY``, ..., read once per session) and the same CA
  bundle (certifi, or ``SSL_CERT_FILE``).

The answer is a :class:`autogen.oai.responses.ChatCompletion` (the SDK type's fields and dumps).
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import urllib.request
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ..version import __version__
from . import sdk_errors
from .body_limits import ACCEPTED_ENCODINGS, BodyLimit, check_encoding
from .responses import ChatCompletion, chat_completion_from_json
from .scrub import is_credential_header

try:  # about 5x faster than json for request bodies; the project works without it
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency
    orjson = None  # type: ignore[assignment]

if TYPE_CHECKING:
    import ssl

__all__ = ["DirectTarget", "direct_target", "new_session", "post_chat"]

# SDK client options the direct transport reproduces; a config with any other goes through the SDK.
_DIRECT_OPTIONS = frozenset(
    {"api_key", "organization", "project", "base_url", "timeout", "default_headers", "default_query"}
)
# SDK options that change nothing for chat requests (websocket and webhook use only).
_UNUSED_OPTIONS = frozenset({"websocket_base_url", "webhook_secret"})
OPENAI_BASE_URL = "https://api.openai.com/v1"
MAX_REDIRECTS = 20  # httpx's default
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class DirectTarget:
    """Where and how one config's chat requests go."""

    url: str
    headers: dict[str, str]
    query: Optional[dict[str, Any]]
    timeout: Optional[float]
    max_response_bytes: int


def direct_target(
    client_kwargs: dict[str, Any], timeout: Optional[float], max_response_bytes: int
) -> Optional[DirectTarget]:
    """The direct target of a non-Azure config's SDK options, or None when only the SDK can send them."""
    if any(k not in _DIRECT_OPTIONS and k not in _UNUSED_OPTIONS for k in client_kwargs):
        return None  # http_client, azure_ad_token_provider, ...: the SDK's
    base_url = str(client_kwargs.get("base_url") or os.environ.get("OPENAI_BASE_URL") or OPENAI_BASE_URL)
    headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "Accept-Encoding": ACCEPTED_ENCODINGS,
        "User-Agent": f"autogen/{__version__}",
        "Authorization": f"Bearer {client_kwargs.get('api_key') or ''}",
    }
    organization = client_kwargs.get("organization") or os.environ.get("OPENAI_ORG_ID")
    project = client_kwargs.get("project") or os.environ.get("OPENAI_PROJECT_ID")
    if organization:
        headers["OpenAI-Organization"] = str(organization)
    if project:
        headers["OpenAI-Project"] = str(project)
    headers.update({str(k): str(v) for k, v in (client_kwargs.get("default_headers") or {}).items()})
    query = dict(client_kwargs["default_query"]) if client_kwargs.get("default_query") else None
    url = base_url.rstrip("/") + "/chat/completions"
    return DirectTarget(url, headers, query, timeout, max_response_bytes)


def env_proxy(url: str) -> Optional[str]:
    """The proxy the environment names for ``url`` (``HTTPS_PROXY``, ``NO_PROXY``, ...), as httpx reads it."""
    from urllib.parse import urlsplit

    proxies = urllib.request.getproxies_environment()
    parts = urlsplit(url)
    if not proxies or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxies.get(parts.scheme) or proxies.get("all")


def new_session(url: str) -> Any:
    """An aiohttp session for direct requests to ``url`` on the running loop (pooled connections, no cookies).

    The proxy is read from the environment here, once per session, as httpx reads it once per client.
    """
    import aiohttp

    return aiohttp.ClientSession(
        proxy=env_proxy(url),
        connector=aiohttp.TCPConnector(limit=0),  # no cap: as many connections as requests in flight
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,  # decoded by BodyLimit, which refuses gzip bombs
        trust_env=False,  # proxy read above: trust_env would also read ~/.netrc in a thread on every request
    )


_tls: Optional[ssl.SSLContext] = None


def _tls_context() -> ssl.SSLContext:
    """One TLS context with the CA bundle httpx would use (``SSL_CERT_FILE``/``SSL_CERT_DIR``, else certifi)."""
    global _tls
    if _tls is None:
        import ssl

        cafile = os.environ.get("SSL_CERT_FILE")
        capath = os.environ.get("SSL_CERT_DIR")
        if not (cafile and os.path.isfile(cafile)):
            import certifi

            cafile = certifi.where()
        _tls = ssl.create_default_context(cafile=cafile, capath=capath if capath and os.path.isdir(capath) else None)
    return _tls


def _dumps(body: dict[str, Any]) -> bytes:
    if orjson is not None:
        try:
            return orjson.dumps(body)
        except TypeError:
            pass  # a value orjson does not write (an int key, a big int): json says what is wrong, or writes it
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _loads(raw: bytes) -> Any:
    return orjson.loads(raw) if orjson is not None else json.loads(raw)


async def post_chat(
    session: Any, target: DirectTarget, body: dict[str, Any], options: dict[str, Any]
) -> ChatCompletion:
    """Send one chat request; the answer, or the SDK's error for a failure.

    Raises:
        openai.APIStatusError: (a subclass per status, as the SDK's) the server answered an HTTP error.
        openai.APIConnectionError / openai.APITimeoutError: the connection failed, broke off or timed out.
        json.JSONDecodeError: the answer is not JSON.
        InvalidResponseError / ResponseTooLargeError: the answer is not a JSON object, is too large, or is
            encoded other than gzip/deflate.
    """
    headers = target.headers
    if options.get("headers"):
        headers = {**headers, **{str(k): str(v) for k, v in options["headers"].items()}}
    query = target.query
    if options.get("params"):
        query = {**(query or {}), **options["params"]}
    status, response_headers, content = await _exchange(session, target, "POST", headers, query, _dumps(body))
    if status >= 400:
        raise sdk_errors.status_error("POST", target.url, headers, status, response_headers, content)
    data = _loads(content)
    if not isinstance(data, dict):
        raise sdk_errors.invalid_response("The server's answer has no 'choices': it is not a completion.")
    return chat_completion_from_json(data)


async def _exchange(
    session: Any, target: DirectTarget, method: str, headers: dict[str, str], query: Any, data: Optional[bytes]
) -> tuple[int, Any, bytes]:
    """One request and its redirects: the final status, headers and (decoded, capped) body."""
    import aiohttp
    from yarl import URL

    url = _url(target.url)
    origin = url.origin()
    timeout = _client_timeout(target.timeout)
    tls = _tls_context() if url.scheme == "https" else None
    for _ in range(MAX_REDIRECTS + 1):
        try:
            async with session.request(
                method,
                url,
                headers=headers,
                params=query,
                data=data,
                allow_redirects=False,
                timeout=timeout,
                ssl=tls if tls is not None else True,
            ) as response:
                location = response.headers.get("Location")
                if response.status not in _REDIRECTS or not location:
                    return response.status, response.headers, await _read(response, target)
        except aiohttp.ClientPayloadError as err:
            raise sdk_errors.connection_error(method, str(url), headers, f"Connection error: {err}") from err
        except aiohttp.ClientError as err:
            if isinstance(err, asyncio.TimeoutError):
                raise sdk_errors.timeout_error(method, str(url), headers) from err
            raise sdk_errors.connection_error(method, str(url), headers, "Connection error.") from err
        except asyncio.TimeoutError as err:  # a connect or read timeout of aiohttp
            raise sdk_errors.timeout_error(method, str(url), headers) from err
        next_url = url.join(URL(location))
        if response.status == 303 or (response.status in (301, 302) and method == "POST"):
            method, data = "GET", None  # as httpx (and browsers) do
        if next_url.origin() != origin:  # never send credentials to another origin
            headers = {k: v for k, v in headers.items() if not is_credential_header(k)}
        url, query = next_url, None  # the Location carries the whole URL
        tls = _tls_context() if url.scheme == "https" else None
    raise sdk_errors.connection_error(method, str(url), headers, f"Exceeded the maximum of {MAX_REDIRECTS} redirects.")


@functools.lru_cache(maxsize=64)
def _url(text: str) -> Any:
    from yarl import URL

    return URL(text)


@functools.lru_cache(maxsize=64)
def _client_timeout(seconds: Optional[float]) -> Any:
    """aiohttp's timeouts: ``seconds`` to connect and per read, as the SDK's (the wrapper's deadline for the
    whole attempt starts earlier, so it fires first)."""
    import aiohttp

    return aiohttp.ClientTimeout(total=None, sock_connect=seconds, sock_read=seconds)


async def _read(response: Any, target: DirectTarget) -> bytes:
    encoding = check_encoding(response.headers.get("Content-Encoding", ""), sdk_errors.invalid_response)
    url = response.url
    origin = f"{url.scheme}://{url.host}:{url.port or ''}"
    limit = BodyLimit(target.max_response_bytes, encoding, origin, sdk_errors.response_too_large)
    parts: list[bytes] = []
    async for chunk in response.content.iter_any():
        parts.extend(limit.feed(chunk))
    parts.append(limit.finish())
    return b"".join(parts)
