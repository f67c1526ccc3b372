"""img_utils: loading images from files, data URIs, base64 and URLs; <img> tags to content parts."""

from __future__ import annotations

import base64
import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from autogen.agentchat.contrib import img_utils
from autogen.agentchat.contrib.img_utils import (
    content_parts_for_model,
    convert_base64_to_data_uri,
    extract_img_paths,
    get_image_data,
    get_pil_image,
    gpt4v_formatter,
    image_url_for_model,
    llava_formatter,
    message_formatter_pil_to_b64,
    pil_to_data_uri,
)

UNREACHABLE_URL = "http://127.0.0.1:9/never-fetched.png"  # nothing listens on port 9


def png_bytes(color: tuple[int, int, int] = (255, 0, 0), size: tuple[int, int] = (4, 3)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def red_png(tmp_path: Path) -> Path:
    path = tmp_path / "red.png"
    path.write_bytes(png_bytes())
    return path


@pytest.fixture
def image_server(red_png: Path) -> Iterator[str]:
    """A local HTTP server that serves red.png; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = red_png.read_bytes()
            self.send_response(200)
            self.send_header("content-type", "image/png")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/red.png"
    finally:
        server.shutdown()
        server.server_close()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# ---- loading --------------------------------------------------------------------------------------------


def test_get_pil_image_loads_a_local_file_as_rgb(red_png):
    image = get_pil_image(str(red_png))
    assert image.size == (4, 3)
    assert image.mode == "RGB"
    assert image.getpixel((0, 0)) == (255, 0, 0)


def test_get_pil_image_loads_a_quoted_path(red_png):
    assert get_pil_image(f'"{red_png}"').size == (4, 3)


def test_get_pil_image_decodes_a_data_uri():
    image = get_pil_image("data:image/png;base64," + b64(png_bytes((0, 255, 0))))
    assert image.getpixel((0, 0)) == (0, 255, 0)


def test_get_pil_image_decodes_raw_base64():
    assert get_pil_image(b64(png_bytes((0, 0, 255)))).getpixel((1, 1)) == (0, 0, 255)


def test_get_pil_image_returns_a_pil_image_unchanged():
    image = Image.new("RGB", (2, 2))
    assert get_pil_image(image) is image


def test_get_pil_image_downloads_an_http_url(image_server):
    assert get_pil_image(image_server).size == (4, 3)


def test_get_pil_image_names_a_value_that_is_not_an_image():
    with pytest.raises(ValueError, match=r"missing\.png"):
        get_pil_image("missing.png")


def test_get_pil_image_rejects_a_file_that_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("just text")
    with pytest.raises(ValueError, match=r"notes\.png"):
        get_pil_image(str(path))


def test_get_image_data_encodes_as_png_base64_or_bytes(red_png):
    raw = get_image_data(str(red_png), use_b64=False)
    assert isinstance(raw, bytes) and raw.startswith(b"\x89PNG")
    assert base64.b64decode(get_image_data(str(red_png))) == raw


# ---- data URIs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 8, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\0" * 8, "image/jpeg"),
        (b"GIF89a" + b"\0" * 8, "image/gif"),
        (b"RIFF\0\0\0\0WEBPVP8 ", "image/webp"),
        (b"something else", "image/jpeg"),
    ],
)
def test_convert_base64_to_data_uri_reads_the_mime_type_from_the_data(data, mime):
    encoded = b64(data)
    assert convert_base64_to_data_uri(encoded) == f"data:{mime};base64,{encoded}"


def test_pil_to_data_uri_round_trips_through_get_pil_image():
    uri = pil_to_data_uri(Image.new("RGB", (3, 3), (9, 8, 7)))
    assert uri.startswith("data:image/png;base64,")
    assert get_pil_image(uri).getpixel((2, 2)) == (9, 8, 7)


def test_image_url_for_model_keeps_urls_and_data_uris_without_fetching():
    data_uri = "data:image/png;base64," + b64(png_bytes())
    assert image_url_for_model(UNREACHABLE_URL) == UNREACHABLE_URL
    assert image_url_for_model(data_uri) == data_uri


def test_image_url_for_model_turns_a_local_file_into_a_png_data_uri(red_png):
    uri = image_url_for_model(str(red_png))
    assert uri.startswith("data:image/png;base64,")
    assert get_pil_image(uri).size == (4, 3)


def test_image_url_for_model_rejects_base64_that_is_not_an_image():
    with pytest.raises(ValueError, match="not a PNG, JPEG, GIF or WebP"):
        image_url_for_model(b64(b"plain text, not an image"))


# ---- <img> tags -----------------------------------------------------------------------------------------


def test_gpt4v_formatter_url_format_keeps_each_location(red_png):
    parts = gpt4v_formatter(f"look <img {red_png}> and <img {UNREACHABLE_URL}>!", img_format="url")
    assert parts == [
        {"type": "text", "text": "look "},
        {"type": "image_url", "image_url": {"url": str(red_png)}},
        {"type": "text", "text": " and "},
        {"type": "image_url", "image_url": {"url": UNREACHABLE_URL}},
        {"type": "text", "text": "!"},
    ]


def test_gpt4v_formatter_uri_format_embeds_png_data_uris(red_png):
    parts = gpt4v_formatter(f"<img {red_png}>")
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_gpt4v_formatter_pil_format_gives_pil_images(red_png):
    parts = gpt4v_formatter(f"<img {red_png}>", img_format="pil")
    assert isinstance(parts[1]["image_url"]["url"], Image.Image)


def test_gpt4v_formatter_reads_src_attributes_and_quoted_paths(tmp_path):
    spaced = tmp_path / "my photo.png"
    spaced.write_bytes(png_bytes())
    parts = gpt4v_formatter(f'<img src="{spaced}"> <img "{spaced}">', img_format="uri")
    assert [p["type"] for p in parts] == ["text", "image_url", "text", "image_url", "text"]


def test_gpt4v_formatter_keeps_a_data_uri_with_padding_whole():
    data_uri = "data:image/png;base64," + b64(png_bytes(size=(5, 5)))
    assert data_uri.endswith("=")
    parts = gpt4v_formatter(f"see <img {data_uri}>", img_format="url")
    assert parts[1]["image_url"]["url"] == data_uri


def test_gpt4v_formatter_leaves_an_unloadable_tag_in_the_text_with_a_warning():
    with pytest.warns(UserWarning, match=r"missing\.png"):
        parts = gpt4v_formatter("a <img missing.png> b", img_format="uri")
    assert parts == [{"type": "text", "text": "a <img missing.png> b"}]


def test_gpt4v_formatter_rejects_an_unknown_img_format():
    with pytest.raises(ValueError, match="img_format"):
        gpt4v_formatter("x", img_format="jpeg")


def test_content_parts_for_model_embeds_files_and_keeps_urls(red_png):
    parts = content_parts_for_model(f"<img {red_png}><img {UNREACHABLE_URL}>")
    urls = [p["image_url"]["url"] for p in parts if p["type"] == "image_url"]
    assert urls[0].startswith("data:image/png;base64,")
    assert urls[1] == UNREACHABLE_URL


def test_llava_formatter_replaces_tags_with_image_tokens(red_png):
    prompt, images = llava_formatter(f"A <img {red_png}> B <img {red_png}>")
    assert prompt == "A <image> B <image>"
    assert len(images) == 2 and base64.b64decode(images[0]).startswith(b"\x89PNG")


def test_llava_formatter_numbers_tokens_and_drops_unloadable_tags(red_png):
    with pytest.warns(UserWarning):
        prompt, images = llava_formatter(f"<img missing.png>A <img {red_png}>", order_image_tokens=True)
    assert prompt == "A <image 0>"
    assert len(images) == 1


def test_extract_img_paths_finds_urls_and_file_paths():
    text = "See https://example.com/cat.JPG and dogs/dog.png, not notes.txt or image.pngx"
    assert extract_img_paths(text) == ["https://example.com/cat.JPG", "dogs/dog.png"]


# ---- messages -------------------------------------------------------------------------------------------


def test_message_formatter_pil_to_b64_converts_pil_images_in_copies_only():
    image = Image.new("RGB", (2, 2))
    messages = [
        {"role": "system", "content": "plain"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "what is"},
                {"type": "image_url", "image_url": {"url": image}},
                {"type": "image_url", "image_url": {"url": UNREACHABLE_URL}},
            ],
        },
    ]
    formatted = message_formatter_pil_to_b64(messages)
    assert formatted[0] is messages[0]
    assert formatted[1]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert formatted[1]["content"][2]["image_url"]["url"] == UNREACHABLE_URL
    assert messages[1]["content"][1]["image_url"]["url"] is image


# ---- pillow is optional -----------------------------------------------------------------------------------


def test_importing_img_utils_does_not_import_pillow():
    code = "import sys, autogen.agentchat.contrib.img_utils; print('PIL' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_without_pillow_loading_an_image_names_the_lmm_extra(monkeypatch, red_png):
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"autogen\[lmm\]"):
        img_utils.get_pil_image(str(red_png))
