"""A small website served on 127.0.0.1 for the browser tests: linked pages, a PDF, a redirect, a 404,
a binary file, plain text, and a Bing Web Search v7-compatible endpoint over the site's pages."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BING_KEY = "bing-test-key-0123456789"
NIGHT_FERRY = "The night ferry to Gull Island leaves at 23:40 from pier 4."
PDF_TEXT = "Winter timetable: the first ferry departs at 06:15 every weekday."
BINARY = bytes(range(256)) * 8

INDEX = """<!doctype html>
<html><head><title>Harbour Town</title><style>body { color: red }</style>
<script>document.write("SCRIPT TEXT MUST NOT SHOW")</script></head>
<body>
<h1>Welcome to Harbour Town</h1>
<p>Harbour Town has a lighthouse and <b>three ferry lines</b>.</p>
<img src="/pixel.png" alt="a tiny picture">
<ul>
<li><a href="ferries.html">Ferry lines</a></li>
<li><a href="/history.html">Town history</a></li>
<li><a href="docs/timetable.pdf">Winter timetable (PDF)</a></li>
<li><a href="/old-ferries">Old ferry page</a></li>
<li><a href="/missing.html">A page that is gone</a></li>
<li><a href="/files/harbour.bin">Harbour data (binary)</a></li>
<li><a href="javascript:alert(1)">Do not follow</a></li>
</ul>
</body></html>"""

FERRY_LINES = "\n".join(
    f"<p>Line {i}: boats leave every {10 + i} minutes from pier {i % 4 + 1} and call at quay {i}.</p>"
    for i in range(1, 121)
)
FERRIES = f"""<html><head><title>Ferry lines</title></head><body>
<h1>Ferry lines</h1>
{FERRY_LINES}
<p>{NIGHT_FERRY}</p>
<p><a href="/">Back home</a></p>
</body></html>"""

HISTORY = """<html><head><title>Town history</title></head><body>
<h2>History</h2><p>The lighthouse was built in 1872 by the harbour master, Ada Quill.</p>
<p><a href="/ferries.html">Ferry lines</a></p></body></html>"""

MISSING = "<html><head><title>Not found</title></head><body><p>This page has sailed away.</p></body></html>"


def timetable_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Winter timetable")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.multi_cell(0, 10, PDF_TEXT)
    return bytes(pdf.output())


class LocalSite:
    """The site's server: ``url(path)`` gives an address; ``paths`` lists every path requested, in order."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.search_requests: list[dict[str, Any]] = []
        pdf = timetable_pdf()
        self.routes: dict[str, tuple[int, str, bytes]] = {
            "/": (200, "text/html; charset=utf-8", INDEX.encode()),
            "/ferries.html": (200, "text/html", FERRIES.encode()),
            "/history.html": (200, "text/html; charset=utf-8", HISTORY.encode()),
            "/docs/timetable.pdf": (200, "application/pdf", pdf),
            "/files/harbour.bin": (200, "application/octet-stream", BINARY),
            "/notes.txt": (200, "text/plain; charset=utf-8", b"Tide tables are posted at the harbour office."),
        }
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.paths.append(self.path)
                path = urlparse(self.path).path
                if path == "/old-ferries":
                    self._answer(301, "text/plain", b"moved", {"Location": "/ferries.html"})
                elif path == "/bing/v7.0/search":
                    self._bing()
                elif path in site.routes:
                    self._answer(*site.routes[path])
                else:
                    self._answer(404, "text/html", MISSING.encode())

            def _bing(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                site.search_requests.append({"query": query, "key": self.headers.get("Ocp-Apim-Subscription-Key")})
                if self.headers.get("Ocp-Apim-Subscription-Key") != BING_KEY:
                    error = {"error": {"code": "401", "message": "Access denied due to invalid subscription key."}}
                    self._answer(401, "application/json", json.dumps(error).encode())
                    return
                pages = [
                    {"name": "Ferry lines - Harbour Town", "url": site.url("/ferries.html"), "snippet": "Boats leave"},
                    {"name": "Town history", "url": site.url("/history.html"), "snippet": "The lighthouse"},
                ]
                body = {"_type": "SearchResponse", "webPages": {"value": pages}}
                self._answer(200, "application/json", json.dumps(body).encode())

            def _answer(self, status: int, ctype: str, body: bytes, headers: Any = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def bing_url(self) -> str:
        return self.url("/bing/v7.0/search")

    def start(self) -> LocalSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def serve_site() -> Iterator[LocalSite]:
    """The body of a test module's ``site`` fixture: the local website, serving for one test."""
    server = LocalSite().start()
    try:
        yield server
    finally:
        server.stop()
