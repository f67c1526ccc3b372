"""The image generation and web surfer examples run as scripts against the test server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from ...local_site import BING_KEY, NIGHT_FERRY, LocalSite, serve_site
from .capabilities.test_generate_images import PROMPT, analyzer
from .test_retrieval_examples import run_example
from .test_web_surfer import answer_from_tool_result, call


@pytest.fixture
def site() -> Iterator[LocalSite]:
    yield from serve_site()


@pytest.mark.slow
def test_image_generation_example_saves_the_generated_png(server, tmp_path: Path):
    server.default_reply = analyzer
    out = tmp_path / "picture.png"
    args = ["--size", "96x64", "--out", str(out), "--cache", str(tmp_path / "cache"), "Please draw a red cat."]
    done = run_example("image_generation.py", server, *args)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"I generated an image with the prompt: {PROMPT}" in done.stdout
    picture = Image.open(io.BytesIO(out.read_bytes()))
    assert picture.format == "PNG" and picture.size == (96, 64)
    [request] = server.image_requests
    assert request["prompt"] == PROMPT and request["model"] == "dall-e-3"


@pytest.mark.slow
def test_web_surfer_example_answers_from_the_local_site(server, site):
    server.script(
        call("informational_web_search", query="night ferry"),
        call("visit_page", url=site.url("/ferries.html")),
        call("find_on_page", search_string="night ferry"),
        answer_from_tool_result,
    )
    args = ["--bing-key", BING_KEY, "--bing-url", site.bing_url, "When does the night ferry leave?"]
    done = run_example("web_surfer.py", server, *args)
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"Answer: From the ferry page: {NIGHT_FERRY}" in done.stdout
    assert site.paths[0].startswith("/bing/v7.0/search?") and site.paths[1:] == ["/ferries.html"]
