"""What a model steering SimpleTextBrowser can make it do: pages that never end, other schemes, private addresses."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from autogen.browser_utils import SimpleTextBrowser


class _Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/trickle":  # slow loris: a byte every 0.2 s, each within the read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
        elif self.path.startswith("/files/"):
            body = b"\x00binary"
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Disposition", 'attachment; filename="../../escaped.bin"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            body = b"internal admin page"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_page_that_trickles_forever_stops_at_the_timeout(hostile: str) -> None:
    browser = SimpleTextBrowser(request_kwargs={"timeout": 1.5})
    started = time.monotonic()
    viewport = browser.visit_page(f"{hostile}/trickle")
    elapsed = time.monotonic() - started
    assert elapsed < 5, f"the page held the browser for {elapsed:.1f} s"
    assert browser.page_title == "Error" and "took longer than 1.5 s" in viewport


def test_a_redirect_to_another_scheme_is_not_followed(hostile: str) -> None:
    browser = SimpleTextBrowser()
    viewport = browser.visit_page(f"{hostile}/to-file")
    assert browser.page_title == "Error" and "root:" not in viewport and "UnsupportedProtocol" in viewport


def test_private_addresses_can_be_refused(hostile: str) -> None:
    assert "internal admin page" in SimpleTextBrowser().visit_page(f"{hostile}/admin")  # the default, as 0.2
    browser = SimpleTextBrowser(allow_private_addresses=False)
    viewport = browser.visit_page(f"{hostile}/admin")
    assert "internal admin page" not in viewport and "127.0.0.1 is a private address" in viewport
    assert "allow_private_addresses" in viewport
    refused = browser.visit_page("http://localhost:9/")
    assert "is a private address" in refused


@pytest.mark.parametrize("name", ["%2e%2e%2f%2e%2e%2fescaped.bin", "%2e%2e", "%2e", "..%5c..%5cescaped.bin"])
def test_downloads_stay_in_the_downloads_folder(hostile: str, tmp_path, name: str) -> None:
    folder = tmp_path / "a" / "downloads"
    browser = SimpleTextBrowser(downloads_folder=folder)
    assert "Download complete" in browser.visit_page(f"{hostile}/files/{name}")
    saved = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert len(saved) == 1 and saved[0].parent == folder and saved[0].read_bytes() == b"\x00binary"
