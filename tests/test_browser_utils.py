"""SimpleTextBrowser against a small website served by the test on 127.0.0.1."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from autogen.browser_utils import BingSearch, SearchError, SearchResult, SimpleTextBrowser

from .local_site import BINARY, BING_KEY, NIGHT_FERRY, PDF_TEXT, LocalSite, serve_site


@pytest.fixture
def site() -> Iterator[LocalSite]:
    yield from serve_site()


class FakeSearch:
    """A search backend (the WebSearch protocol) over fixed results."""

    def __init__(self, results: list[SearchResult]) -> None:
        self.results = results
        self.queries: list[str] = []

    def search(self, query: str) -> list[SearchResult]:
        self.queries.append(query)
        return self.results


def test_a_page_becomes_markdown_with_absolute_links_and_no_scripts(site):
    browser = SimpleTextBrowser()
    viewport = browser.visit_page(site.url("/"))
    assert browser.page_title == "Harbour Town" and browser.address == site.url("/")
    assert viewport.startswith("# Welcome to Harbour Town")
    assert "**three ferry lines**" in viewport
    assert f"[Ferry lines]({site.url('/ferries.html')})" in viewport
    assert f"[Winter timetable (PDF)]({site.url('/docs/timetable.pdf')})" in viewport
    assert "SCRIPT TEXT" not in browser.page_content and "color: red" not in browser.page_content
    assert "javascript:" not in browser.page_content and "Do not follow" in browser.page_content


def test_only_the_visited_page_is_requested(site):
    browser = SimpleTextBrowser()
    assert site.paths == []  # about:blank fetches nothing
    browser.visit_page(site.url("/"))
    assert site.paths == ["/"]  # no linked page, image, script or style fetched


def test_relative_links_resolve_against_the_current_page(site):
    browser = SimpleTextBrowser(start_page=site.url("/"))
    browser.visit_page("history.html")
    assert browser.address == site.url("/history.html") and browser.page_title == "Town history"
    assert "built in 1872 by the harbour master, Ada Quill" in browser.viewport


def test_paging_moves_the_viewport_within_the_page(site):
    browser = SimpleTextBrowser(viewport_size=1000)
    browser.visit_page(site.url("/ferries.html"))
    pages = browser.viewport_pages
    assert len(pages) > 5 and pages[0][0] == 0 and pages[-1][1] == len(browser.page_content)
    assert all(a[1] == b[0] for a, b in zip(pages, pages[1:]))  # contiguous, nothing lost
    assert all(browser.page_content[end - 1].isspace() for _, end in pages[:-1])  # words never cut
    first = browser.viewport
    second = browser.page_down()
    assert browser.viewport_current_page == 1 and second != first
    assert browser.page_up() == first and browser.page_up() == first  # stays at the top
    for _ in range(len(pages) + 2):
        browser.page_down()
    assert browser.viewport_current_page == len(pages) - 1 and NIGHT_FERRY in browser.viewport


def test_find_on_page_and_find_next_scroll_to_the_matches(site):
    browser = SimpleTextBrowser(viewport_size=1000)
    browser.visit_page(site.url("/ferries.html"))
    browser.find_on_page("from pier 1 and")  # on every viewport
    assert browser.viewport_current_page == 0
    assert browser.find_next() is not None and browser.viewport_current_page == 1
    found = browser.find_on_page("NIGHT   ferry to gull")  # case and spacing ignored
    assert found is not None and NIGHT_FERRY in found
    assert browser.viewport_current_page == len(browser.viewport_pages) - 1
    assert browser.find_next() is not None and NIGHT_FERRY in browser.viewport  # the only match, wrapped to
    before = browser.viewport_current_page
    assert browser.find_on_page("a submarine") is None and browser.viewport_current_page == before


def test_a_redirect_lands_on_its_target(site):
    browser = SimpleTextBrowser()
    browser.visit_page(site.url("/old-ferries"))
    assert browser.address == site.url("/ferries.html") and browser.page_title == "Ferry lines"
    assert site.paths == ["/old-ferries", "/ferries.html"]


def test_a_pdf_is_shown_as_its_text(site):
    browser = SimpleTextBrowser()
    viewport = browser.visit_page(site.url("/docs/timetable.pdf"))
    assert PDF_TEXT in viewport and browser.page_title == "Winter timetable"


def test_a_404_shows_an_error_page_with_the_servers_text(site):
    browser = SimpleTextBrowser()
    viewport = browser.visit_page(site.url("/missing.html"))
    assert browser.page_title == "Error 404"
    assert viewport.startswith("## Error 404") and "answered HTTP 404" in viewport and "sailed away" in viewport


def test_a_binary_file_is_described_not_shown_or_saved_without_a_downloads_folder(site, tmp_path):
    browser = SimpleTextBrowser()
    viewport = browser.visit_page(site.url("/files/harbour.bin"))
    assert browser.page_title == "Unsupported content"
    assert "application/octet-stream (2048 bytes)" in viewport and "cannot be shown as text" in viewport
    assert list(tmp_path.iterdir()) == []


def test_a_binary_file_is_saved_to_the_downloads_folder(site, tmp_path):
    browser = SimpleTextBrowser(downloads_folder=tmp_path / "downloads")
    browser.visit_page(site.url("/files/harbour.bin"))
    browser.visit_page(site.url("/files/harbour.bin"))
    saved = sorted(p.name for p in (tmp_path / "downloads").iterdir())
    assert saved == ["harbour-1.bin", "harbour.bin"]
    assert (tmp_path / "downloads" / "harbour.bin").read_bytes() == BINARY
    assert browser.page_title == "Download complete" and "harbour-1.bin" in browser.viewport


def test_plain_text_is_shown_as_it_is(site):
    browser = SimpleTextBrowser()
    assert browser.visit_page(site.url("/notes.txt")) == "Tide tables are posted at the harbour office."
    assert browser.page_title is None


def test_an_unreachable_server_shows_an_error_page(site):
    browser = SimpleTextBrowser(request_kwargs={"timeout": 5})
    site.stop()
    viewport = browser.visit_page(site.url("/"))
    assert browser.page_title == "Error" and viewport.startswith("## Error") and "Could not load" in viewport


def test_a_page_over_the_size_cap_is_not_loaded(site):
    browser = SimpleTextBrowser(max_page_bytes=1000)
    viewport = browser.visit_page(site.url("/ferries.html"))
    assert "larger than 1000 bytes" in viewport and "Line 1:" not in viewport


def test_back_returns_to_the_previous_page_without_fetching_it_again(site):
    browser = SimpleTextBrowser(start_page=site.url("/"))
    browser.visit_page("history.html")
    browser.page_down()
    assert browser.back().startswith("# Welcome to Harbour Town") and browser.address == site.url("/")
    assert site.paths == ["/", "/history.html"]
    assert browser.history == [site.url("/"), site.url("/history.html"), site.url("/")]
    assert browser.back() == browser.viewport and browser.address == site.url("/")  # nothing further back


def test_a_search_backend_answers_search_addresses(site):
    search = FakeSearch([SearchResult("Ferry lines", site.url("/ferries.html"), "Boats leave often")])
    browser = SimpleTextBrowser(search_backend=search)
    viewport = browser.visit_page("search: night ferry")
    assert search.queries == ["night ferry"] and site.paths == []
    assert browser.page_title == "night ferry - Search"
    assert f"1. [Ferry lines]({site.url('/ferries.html')})\n   Boats leave often" in viewport
    browser.visit_page("bing: more ferries")  # 0.2's prefix works with any backend
    assert search.queries[-1] == "more ferries"


def test_bing_search_through_a_bing_compatible_endpoint(site):
    browser = SimpleTextBrowser(bing_api_key=BING_KEY, bing_base_url=site.bing_url)
    viewport = browser.visit_page("bing: ferry lines")
    [request] = site.search_requests
    assert request["query"]["q"] == ["ferry lines"] and request["key"] == BING_KEY
    assert f"[Ferry lines - Harbour Town]({site.url('/ferries.html')})" in viewport
    assert "[Town history]" in viewport and BING_KEY not in repr(browser)


def test_a_failing_bing_search_shows_an_error_page_without_the_key(site):
    browser = SimpleTextBrowser(bing_api_key="wrong-key-0000000000", bing_base_url=site.bing_url)
    viewport = browser.visit_page("search: ferries")
    assert browser.page_title == "Search error"
    assert "HTTP 401: Access denied due to invalid subscription key." in viewport
    assert "wrong-key" not in viewport
    with pytest.raises(SearchError, match="HTTP 401"):
        BingSearch("wrong-key-0000000000", base_url=site.bing_url).search("x")


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("file:///etc/passwd", "cannot visit 'file:///etc/passwd': use an http:// or https:// URL"),
        ("ferries.html", "a link relative to the current page"),
        ("search: ferries", "no search backend; pass bing_api_key"),
        ("", "non-empty string"),
    ],
)
def test_bad_addresses_are_refused_with_the_fix(address, message):
    browser = SimpleTextBrowser()
    with pytest.raises(ValueError, match=message):
        browser.visit_page(address)
    assert browser.address == "about:blank" and browser.history == ["about:blank"]


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="viewport_size must be a positive number"):
        SimpleTextBrowser(viewport_size=0)
    with pytest.raises(ValueError, match=r"request_kwargs has unsupported keys \['stream'\]"):
        SimpleTextBrowser(request_kwargs={"stream": True})
    with pytest.raises(TypeError, match="search_backend must have a search"):
        SimpleTextBrowser(search_backend="bing")  # type: ignore[arg-type]


def test_a_missing_extra_names_the_install_command(monkeypatch):
    monkeypatch.setitem(sys.modules, "markdownify", None)
    with pytest.raises(ImportError, match=r'pip install "autogen\[websurfer\]"'):
        SimpleTextBrowser()
