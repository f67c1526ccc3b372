"""SimpleTextBrowser: a text-only web browser for agents (like Lynx), as in AutoGen 0.2.

Pages are fetched over HTTP (httpx), HTML is turned into markdown (BeautifulSoup + markdownify, links
made absolute), PDFs into text (pypdf), and the text is shown one *viewport* (``viewport_size``
characters) at a time. ``search: QUERY`` (or 0.2's ``bing: QUERY``) asks the search backend: any
:class:`WebSearch`, or Bing Web Search when a ``bing_api_key`` is given.

The browser only requests what it is asked to visit: nothing is prefetched, and images, scripts and
styles of a page are never loaded. Needs ``pip install "autogen[websurfer]"``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Optional, Union
from urllib.parse import unquote, urljoin, urlparse

from ._browser.convert import Page, html_to_markdown, pdf_to_text, require_websurfer_extra
from ._browser.fetch import Fetched, Fetcher
from ._browser.search import BING_BASE_URL, BingSearch, SearchError, SearchResult, WebSearch, render_results

__all__ = ["BING_BASE_URL", "BingSearch", "SearchError", "SearchResult", "SimpleTextBrowser", "WebSearch"]

_SEARCH_PREFIXES = ("search:", "bing:")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("application/json", "application/xml", "application/javascript", "application/x-yaml")
DEFAULT_MAX_PAGE_BYTES = 10 * 1024 * 1024


@dataclass
class _Visit:
    """One entry of the back stack: a page as it was shown."""

    address: str
    title: Optional[str]
    content: str


class SimpleTextBrowser:
    """(In preview) A text-based web browser for agents.

    Args:
        start_page: the first address (default ``about:blank``, which fetches nothing).
        viewport_size: how many characters one viewport shows.
        downloads_folder: where files that are not text, HTML or PDF are saved; None: they are not
            downloaded, and the page says what they are.
        bing_base_url: the Bing Web Search endpoint (point it at a compatible server to test).
        bing_api_key: a Bing Web Search key; makes Bing the search backend.
        request_kwargs: options for every page request: ``headers``, ``cookies``, ``params``,
            ``timeout``, ``auth``, and ``verify``, ``cert``, ``proxy``, ``trust_env``.
        search_backend: any :class:`WebSearch` (takes precedence over ``bing_api_key``).
        max_page_bytes: the most bytes read of one page.
        allow_private_addresses: False refuses pages (and redirects) on loopback, private and link-local
            addresses (``127.0.0.1``, ``10.x``, ``192.168.x``, ``169.254.169.254``...); True (the default, as
            in 0.2) lets the model reach whatever this machine can. See docs/security.md.

    Raises:
        ImportError: the ``websurfer`` extra is not installed (the message says how to install it).
        ValueError, TypeError: a bad argument (the message names it).
    """

    def __init__(
        self,
        start_page: Optional[str] = None,
        viewport_size: int = 1024 * 8,
        downloads_folder: Optional[Union[str, os.PathLike[str]]] = None,
        bing_base_url: str = BING_BASE_URL,
        bing_api_key: Optional[str] = None,
        request_kwargs: Optional[dict[str, Any]] = None,
        search_backend: Optional[WebSearch] = None,
        max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES,
        allow_private_addresses: bool = True,
    ) -> None:
        require_websurfer_extra()
        if not isinstance(viewport_size, int) or isinstance(viewport_size, bool) or viewport_size < 1:
            raise ValueError(f"viewport_size must be a positive number of characters, got {viewport_size!r}")
        if not isinstance(max_page_bytes, int) or max_page_bytes < 1:
            raise ValueError(f"max_page_bytes must be a positive integer, got {max_page_bytes!r}")
        if search_backend is not None and not isinstance(search_backend, WebSearch):
            raise TypeError(
                f"search_backend must have a search(query) -> list[SearchResult] method, "
                f"not {type(search_backend).__name__}"
            )
        if search_backend is None and bing_api_key:
            search_backend = BingSearch(bing_api_key, bing_base_url)
        self.start_page: str = start_page or "about:blank"
        self.viewport_size = viewport_size
        self.downloads_folder = Path(downloads_folder) if downloads_folder is not None else None
        self.search_backend = search_backend
        self.request_kwargs = dict(request_kwargs or {})
        self._fetcher = Fetcher(self.request_kwargs, max_page_bytes, allow_private_addresses)
        self._max_page_bytes = max_page_bytes
        self.history: list[str] = []
        self.page_title: Optional[str] = None
        self.viewport_current_page = 0
        self.viewport_pages: list[tuple[int, int]] = []
        self._address = "about:blank"
        self._page_content = ""
        self._back_stack: list[_Visit] = []
        self._find_query: Optional[str] = None
        self.set_address(self.start_page)

    def __repr__(self) -> str:
        return f"SimpleTextBrowser(address={self._address!r}, search_backend={self.search_backend!r})"

    def __enter__(self) -> SimpleTextBrowser:
        return self

    def __exit__(self, *exc: Union[type[BaseException], BaseException, TracebackType, None]) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._fetcher.close()

    # ---- where the browser is -------------------------------------------------------------------------------
    @property
    def address(self) -> str:
        """The address of the current page (after redirects)."""
        return self._address

    @property
    def page_content(self) -> str:
        """The whole text of the current page."""
        return self._page_content

    @property
    def viewport(self) -> str:
        """The part of the page in view."""
        start, end = self.viewport_pages[self.viewport_current_page]
        return self._page_content[start:end]

    def visit_page(self, path_or_uri: str) -> str:
        """Go to ``path_or_uri`` (a URL, a link relative to the page, or ``search: QUERY``); returns the viewport."""
        self.set_address(path_or_uri)
        return self.viewport

    def set_address(self, uri_or_path: str) -> None:
        """Go to an address and show its first viewport.

        Raises:
            ValueError: the address is not http(s), ``about:blank``, a link relative to the current
                page, or a search (``search:``/``bing:``) with a search backend configured.
        """
        if not isinstance(uri_or_path, str) or not uri_or_path.strip():
            raise ValueError(f"the address must be a non-empty string, got {uri_or_path!r}")
        address = uri_or_path.strip()
        lowered = address.lower()
        if lowered == "about:blank":
            self._show(address, Page(None, ""))
        elif lowered.startswith(_SEARCH_PREFIXES):
            self._search(address.split(":", 1)[1].strip(), address)
        else:
            self._visit_url(self._absolute(address))

    def back(self) -> str:
        """Go back to the previous page (shown as it was, not fetched again); returns the viewport."""
        if len(self._back_stack) > 1:
            self._back_stack.pop()
            visit = self._back_stack[-1]
            self._display(visit.address, Page(visit.title, visit.content))
            self.history.append(visit.address)
        return self.viewport

    # ---- paging and finding -------------------------------------------------------------------------------------
    def page_down(self) -> str:
        """Move the viewport one page down (it stays on the last page); returns it."""
        self.viewport_current_page = min(self.viewport_current_page + 1, len(self.viewport_pages) - 1)
        return self.viewport

    def page_up(self) -> str:
        """Move the viewport one page up (it stays on the first page); returns it."""
        self.viewport_current_page = max(self.viewport_current_page - 1, 0)
        return self.viewport

    def find_on_page(self, query: str) -> Optional[str]:
        """Scroll to the first viewport, from the current one on (then from the top), that contains ``query``.

        Case and runs of whitespace are ignored. Returns the viewport, or None when the page does not
        contain ``query`` (the viewport then stays where it was).
        """
        if not isinstance(query, str) or not query.strip():
            raise ValueError(f"find_on_page needs a non-empty search text, got {query!r}")
        self._find_query = query
        return self._find_from(self.viewport_pages[self.viewport_current_page][0])

    def find_next(self) -> Optional[str]:
        """Scroll to the next viewport that contains the last :meth:`find_on_page` text (wrapping to the top)."""
        if self._find_query is None:
            return None
        following = self.viewport_current_page + 1
        start = self.viewport_pages[following][0] if following < len(self.viewport_pages) else 0
        return self._find_from(start)

    def _find_from(self, start: int) -> Optional[str]:
        assert self._find_query is not None
        words = [re.escape(word) for word in self._find_query.split()]
        pattern = re.compile(r"\s+".join(words), re.IGNORECASE)
        match = pattern.search(self._page_content, start) or pattern.search(self._page_content, 0)
        if match is None:
            return None
        for index, (page_start, page_end) in enumerate(self.viewport_pages):
            if page_start <= match.start() < page_end:
                self.viewport_current_page = index
                break
        return self.viewport

    # ---- fetching and showing ---------------------------------------------------------------------------------
    def _absolute(self, address: str) -> str:
        scheme = urlparse(address).scheme.lower()
        if scheme in ("http", "https"):
            return address
        if not scheme and self._address.lower().startswith(("http://", "https://")):
            return urljoin(self._address, address)
        raise ValueError(
            f"cannot visit {address!r}: use an http:// or https:// URL, a link relative to the current page, "
            "'search: QUERY' or 'about:blank'"
        )

    def _search(self, query: str, address: str) -> None:
        if self.search_backend is None:
            raise ValueError(
                f"cannot visit {address!r}: no search backend; pass bing_api_key=... or search_backend=... "
                "to SimpleTextBrowser"
            )
        if not query:
            raise ValueError(f"the search address {address!r} has no query; write 'search: WHAT TO FIND'")
        try:
            results = self.search_backend.search(query)
        except SearchError as exc:
            self._show(address, _error_page("Search error", f"The search for '{query}' failed: {exc}"))
            return
        self._show(address, Page(f"{query} - Search", render_results(query, results)))

    def _visit_url(self, url: str) -> None:
        import httpx

        try:
            fetched = self._fetcher.get(url)
        except httpx.HTTPError as exc:
            self._show(url, _error_page("Error", f"Could not load {url}: {type(exc).__name__}: {exc}"))
            return
        self._show(fetched.url, self._page_of(fetched))

    def _page_of(self, fetched: Fetched) -> Page:
        if fetched.too_large:
            return _error_page(
                "Error", f"The page at {fetched.url} is larger than {self._max_page_bytes} bytes; it was not loaded."
            )
        kind = fetched.content_type
        if fetched.status >= 400:
            text = self._text_of(fetched).content if kind in _HTML_TYPES or kind.startswith("text/") else ""
            return _error_page(f"Error {fetched.status}", f"{fetched.url} answered HTTP {fetched.status}.\n\n{text}")
        if kind in _HTML_TYPES or kind.startswith("text/") or kind in _TEXT_TYPES:
            return self._text_of(fetched)
        if kind == "application/pdf":
            try:
                page = pdf_to_text(fetched.body)
            except ValueError as exc:
                return _error_page("Error", f"The PDF at {fetched.url} could not be read: {exc}")
            return Page(page.title or _file_name(fetched.url), page.content)
        return self._download(fetched)

    @staticmethod
    def _text_of(fetched: Fetched) -> Page:
        text = fetched.body.decode(fetched.charset or "utf-8", errors="replace")
        if fetched.content_type in _HTML_TYPES:
            return html_to_markdown(text, fetched.url)
        return Page(None, text)

    def _download(self, fetched: Fetched) -> Page:
        kind = fetched.content_type or "an unknown type"
        if self.downloads_folder is None:
            return _error_page(
                "Unsupported content",
                f"{fetched.url} is {kind} ({len(fetched.body)} bytes), not a web page, text or PDF, so it cannot "
                "be shown as text. (The browser saves such files only when it has a downloads_folder.)",
            )
        from pathvalidate import sanitize_filename

        self.downloads_folder.mkdir(parents=True, exist_ok=True)
        name = sanitize_filename(_file_name(fetched.url)) or "download"
        path = self.downloads_folder / name
        stem, suffix, number = path.stem, path.suffix, 1
        while path.exists():
            path = self.downloads_folder / f"{stem}-{number}{suffix}"
            number += 1
        path.write_bytes(fetched.body)
        return Page("Download complete", f"# Download complete\n\nSaved {fetched.url} ({kind}) to '{path}'.")

    def _show(self, address: str, page: Page) -> None:
        """Make ``page`` the current page: in the history and the back stack, viewport at the top."""
        self.history.append(address)
        self._back_stack.append(_Visit(address, page.title, page.content))
        self._display(address, page)

    def _display(self, address: str, page: Page) -> None:
        self._address = address
        self.page_title = page.title
        self._page_content = page.content
        self._find_query = None
        self.viewport_current_page = 0
        self._split_pages()

    def _split_pages(self) -> None:
        """Cut the content into viewports of about ``viewport_size`` characters, each ending at whitespace."""
        content, size = self._page_content, self.viewport_size
        pages: list[tuple[int, int]] = []
        start = 0
        while start < len(content):
            end = min(start + size, len(content))
            while end < len(content) and not content[end - 1].isspace():
                end += 1  # finish the word
            pages.append((start, end))
            start = end
        self.viewport_pages = pages or [(0, 0)]


def _error_page(title: str, message: str) -> Page:
    return Page(title, f"## {title}\n\n{message.strip()}")


def _file_name(url: str) -> str:
    return unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]) or "download"
