"""Web search for the text browser: the :class:`WebSearch` protocol and Bing Web Search (as 0.2 used)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional, Protocol, runtime_checkable

__all__ = ["BING_BASE_URL", "BingSearch", "SearchError", "SearchResult", "WebSearch", "render_results"]

BING_BASE_URL = "https://api.bing.microsoft.com/v7.0/search"
_MAX_ANSWER_BYTES = 4 * 1024 * 1024


class SearchError(RuntimeError):
    """A search backend could not answer (the message says which backend and why)."""


@dataclass(frozen=True)
class SearchResult:
    """One search hit."""

    title: str
    url: str
    snippet: str = ""


@runtime_checkable
class WebSearch(Protocol):
    """A search engine the browser can use for ``search:`` (and ``bing:``) addresses."""

    def search(self, query: str) -> list[SearchResult]:
        """The results for ``query``, best first; raise :class:`SearchError` when the engine fails."""
        ...


def render_results(query: str, results: list[SearchResult]) -> str:
    """The markdown page that shows ``results``: a numbered list of linked titles with their snippets."""
    if not results:
        return f"A web search for '{query}' found no results."
    lines = [f"A web search for '{query}' found {len(results)} results:", ""]
    for number, result in enumerate(results, 1):
        lines.append(f"{number}. [{result.title}]({result.url})")
        if result.snippet:
            lines.append(f"   {result.snippet}")
        lines.append("")
    return "\n".join(lines).strip()


class BingSearch:
    """Bing Web Search API v7: ``GET {base_url}?q=...`` with the ``Ocp-Apim-Subscription-Key`` header.

    Args:
        api_key: the Bing subscription key (sent to ``base_url`` only, never on a redirect).
        base_url: the search endpoint; point it elsewhere for a compatible service or a test server.
        count: how many web results to ask for.
        request_kwargs: extra ``httpx`` request options (``headers``, ``timeout``, ``params``).
    """

    def __init__(
        self,
        api_key: str,
        base_url: str = BING_BASE_URL,
        count: int = 10,
        request_kwargs: Optional[dict[str, Any]] = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise ValueError("BingSearch needs a Bing Web Search subscription key as api_key")
        if not isinstance(base_url, str) or not base_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"base_url must be an http(s) URL, got {base_url!r}")
        self._api_key = api_key
        self.base_url = base_url
        self.count = count
        self._request_kwargs = dict(request_kwargs or {})

    def __repr__(self) -> str:  # never the key
        return f"BingSearch(base_url={self.base_url!r})"

    def search(self, query: str) -> list[SearchResult]:
        """The web (and news) results Bing gives for ``query``."""
        import httpx

        kwargs = dict(self._request_kwargs)
        headers = {**kwargs.pop("headers", {}), "Ocp-Apim-Subscription-Key": self._api_key}
        params = {**kwargs.pop("params", {}), "q": query, "count": self.count, "textDecorations": False}
        kwargs.setdefault("timeout", 30.0)
        try:  # no redirects: the key must not travel to another host
            response = httpx.get(self.base_url, headers=headers, params=params, follow_redirects=False, **kwargs)
        except httpx.HTTPError as exc:
            raise SearchError(f"Bing Web Search at {self.base_url} could not be reached: {exc}") from None
        if response.status_code != 200:
            raise SearchError(
                f"Bing Web Search at {self.base_url} answered HTTP {response.status_code}: {_error_message(response)}"
            )
        if len(response.content) > _MAX_ANSWER_BYTES:
            raise SearchError(f"Bing Web Search at {self.base_url} sent an answer over {_MAX_ANSWER_BYTES} bytes")
        try:
            answer = response.json()
        except ValueError:
            raise SearchError(f"Bing Web Search at {self.base_url} answered with something that is not JSON") from None
        return _results(answer)


def _results(answer: Any) -> list[SearchResult]:
    results: list[SearchResult] = []
    if not isinstance(answer, dict):
        return results
    for section, snippet_key in (("webPages", "snippet"), ("news", "description")):
        items = (answer.get(section) or {}).get("value") or []
        for item in items:
            if isinstance(item, dict) and item.get("url"):
                title = str(item.get("name") or item["url"])
                results.append(SearchResult(title, str(item["url"]), str(item.get(snippet_key) or "")))
    return results


def _error_message(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return str(body)[:200]
