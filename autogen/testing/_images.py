"""The images endpoint of the OpenAI test server: real PNGs, drawn deterministically from the prompt.

``POST /v1/images/generations`` answers as OpenAI's images API does: ``{"created", "data": [...]}`` with
``n`` entries, each a ``b64_json`` PNG or a ``url`` to it, of the requested ``size``. The same prompt
and size always give the same picture; a different prompt gives different colours.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import time
from typing import Any, Callable

__all__ = ["ImageRequestError", "image_png", "images_response", "parse_size"]

_SIZE = re.compile(r"^(\d{1,4})x(\d{1,4})$")
MAX_SIDE = 4096
MAX_IMAGES = 10


class ImageRequestError(ValueError):
    """A request the images endpoint refuses with HTTP 400 (the message says which field and why)."""


def parse_size(size: Any) -> tuple[int, int]:
    """``"WIDTHxHEIGHT"`` as ``(width, height)``."""
    match = _SIZE.match(size) if isinstance(size, str) else None
    if match is None:
        raise ImageRequestError(f"size must look like '1024x1024', got {size!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ImageRequestError(f"size {size!r}: each side must be between 1 and {MAX_SIDE}")
    return width, height


def image_png(prompt: str, width: int, height: int, index: int = 0) -> bytes:
    """A PNG of ``width`` x ``height``: a background and two bands whose colours come from the prompt."""
    try:
        from PIL import Image, ImageDraw
    except ImportError as exc:  # the server itself must not need pillow, only this route
        raise RuntimeError('the images route needs pillow: pip install "autogen[lmm]"') from exc
    digest = hashlib.sha256(f"{index}:{prompt}".encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[0:3]))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height // 3, width, 2 * height // 3), fill=tuple(digest[3:6]))
    draw.rectangle((width // 3, 0, 2 * width // 3, height), fill=tuple(digest[6:9]))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def images_response(body: Any, store: Callable[[bytes], str]) -> dict[str, Any]:
    """The JSON answer to an images request; ``store(png) -> url`` keeps a PNG for ``url`` answers."""
    if not isinstance(body, dict) or not isinstance(body.get("prompt"), str) or not body["prompt"].strip():
        raise ImageRequestError("prompt is required and must be a non-empty string")
    prompt = body["prompt"]
    width, height = parse_size(body.get("size") or "1024x1024")
    n = body.get("n") or 1
    if not isinstance(n, int) or not 1 <= n <= MAX_IMAGES:
        raise ImageRequestError(f"n must be an integer from 1 to {MAX_IMAGES}, got {n!r}")
    response_format = body.get("response_format") or "url"
    if response_format not in ("url", "b64_json"):
        raise ImageRequestError(f"response_format must be 'url' or 'b64_json', got {response_format!r}")
    data = []
    for index in range(n):
        png = image_png(prompt, width, height, index)
        entry: dict[str, Any] = {"revised_prompt": prompt}
        if response_format == "b64_json":
            entry["b64_json"] = base64.b64encode(png).decode()
        else:
            entry["url"] = store(png)
        data.append(entry)
    return {"created": int(time.time()), "data": data}
