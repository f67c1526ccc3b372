"""The test server's images endpoint, through the official openai SDK."""

from __future__ import annotations

import base64
import io

import httpx
import openai
import pytest
from PIL import Image

from autogen.testing import Fail


@pytest.fixture
def client(server) -> openai.OpenAI:
    return openai.OpenAI(api_key=server.api_key, base_url=server.base_url, max_retries=0)


def decode(b64: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(b64)))


def test_b64_images_honour_size_and_n_and_are_deterministic(server, client):
    first = client.images.generate(model="dall-e-2", prompt="a boat", size="40x30", n=2, response_format="b64_json")
    again = client.images.generate(model="dall-e-2", prompt="a boat", size="40x30", n=1, response_format="b64_json")
    other = client.images.generate(model="dall-e-2", prompt="a tree", size="40x30", n=1, response_format="b64_json")
    images = [decode(item.b64_json) for item in first.data]
    assert len(images) == 2 and all(i.format == "PNG" and i.size == (40, 30) for i in images)
    assert images[0].tobytes() != images[1].tobytes()  # n images, not n copies
    assert decode(again.data[0].b64_json).tobytes() == images[0].tobytes()
    assert decode(other.data[0].b64_json).tobytes() != images[0].tobytes()
    assert [r["prompt"] for r in server.image_requests] == ["a boat", "a boat", "a tree"]
    assert server.chat_requests == []


def test_url_images_are_served_by_the_server_without_a_key(server, client):
    answer = client.images.generate(model="dall-e-3", prompt="a kite", size="8x8", response_format="url")
    png = httpx.get(answer.data[0].url)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(png.content)).size == (8, 8)
    assert httpx.get(answer.data[0].url.replace("img-1", "img-9")).status_code == 404


def test_bad_requests_get_a_400_naming_the_field(client):
    with pytest.raises(openai.BadRequestError, match="size must look like '1024x1024', got 'huge'"):
        client.images.generate(model="dall-e-3", prompt="x", size="huge")  # type: ignore[arg-type]
    with pytest.raises(openai.BadRequestError, match="n must be an integer from 1 to 10"):
        client.images.generate(model="dall-e-3", prompt="x", n=11)


def test_scripted_faults_answer_the_next_image_requests(server, client):
    server.script_images(Fail(503, "busy"), None)
    with pytest.raises(openai.InternalServerError, match="busy"):
        client.images.generate(model="dall-e-3", prompt="x", size="4x4", response_format="b64_json")
    ok = client.images.generate(model="dall-e-3", prompt="x", size="4x4", response_format="b64_json")
    assert decode(ok.data[0].b64_json).size == (4, 4)
    assert len(server.image_requests) == 2


def test_the_images_route_checks_the_api_key(server):
    bad = openai.OpenAI(api_key="sk-wrong", base_url=server.base_url, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        bad.images.generate(model="dall-e-3", prompt="x")
