"""Images in messages: load and encode them, and turn ``<img ...>`` tags into content parts.

Needs pillow (``pip install "autogen[lmm]"``) to decode or re-encode images; it is imported on first
use, so importing this module is free. A remote ``http(s)`` image is downloaded only by the functions
that must decode it (``get_pil_image``, ``get_image_data``, ``gpt4v_formatter(img_format="uri"|"pil")``,
``llava_formatter``); messages for a model keep URLs as they are (:func:`image_url_for_model`).
"""

from __future__ import annotations

import base64
import binascii
import copy
import os
import re
import warnings
from io import BytesIO
from typing import TYPE_CHECKING, Any, Callable, Union

from ..utils import parse_tags_from_content

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "content_parts_for_model",
    "convert_base64_to_data_uri",
    "extract_img_paths",
    "get_image_data",
    "get_pil_image",
    "gpt4v_formatter",
    "image_url_for_model",
    "llava_formatter",
    "message_formatter_pil_to_b64",
    "pil_to_data_uri",
]

IMG_FORMATS = ("uri", "url", "pil")
_DATA_URI = re.compile(r"data:image/[a-zA-Z0-9.+-]+;base64,", re.IGNORECASE)
_IMG_PATH = re.compile(r"\b(?:https?://\S+\.(?:jpg|jpeg|png|gif|bmp)|\S+\.(?:jpg|jpeg|png|gif|bmp))\b", re.IGNORECASE)
_URL_TIMEOUT_S = 30
# first bytes of the image formats chat models accept
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _pil() -> Any:
    """The ``PIL.Image`` module, or an ImportError that says how to install it."""
    try:
        from PIL import Image
    except ImportError as exc:
        raise ImportError(
            'Images in messages need pillow: install it with `pip install "autogen[lmm]"` (or `pip install pillow`).'
        ) from exc
    return Image


# ---- locations ---------------------------------------------------------------------------------------
def is_remote_url(location: str) -> bool:
    """Whether ``location`` is an ``http://`` or ``https://`` address."""
    return location.lower().startswith(("http://", "https://"))


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def _describe(location: str) -> str:
    return repr(location if len(location) <= 80 else location[:77] + "...")


def _mime_type(data: bytes) -> str:
    """The MIME type read from an image's first bytes; "" when not a known image format."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return ""


def _decode_base64(data: str, location: str) -> bytes:
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            f"Cannot load the image {_describe(location)}: it is not an existing file, an http(s) URL, "
            "a data URI or base64 image data."
        ) from exc


def _download(url: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(url, timeout=_URL_TIMEOUT_S) as response:
        return response.read()


def _read_bytes(location: str) -> bytes:
    """The bytes of the image at ``location`` (URL: downloaded, data URI or base64: decoded, else a file)."""
    if is_remote_url(location):
        return _download(location)
    if _DATA_URI.match(location):
        return _decode_base64(location[location.index(",") + 1 :], location)
    if os.path.exists(location):
        with open(location, "rb") as f:
            return f.read()
    return _decode_base64(location, location)


# ---- PIL images and encodings -------------------------------------------------------------------------
def _open_bytes(data: bytes, location: str) -> Image.Image:
    pil = _pil()
    try:
        image = pil.open(BytesIO(data))
        image.load()
    except (OSError, ValueError, SyntaxError) as exc:  # pillow's UnidentifiedImageError is an OSError
        raise ValueError(f"Cannot load the image {_describe(location)}: {exc}") from exc
    return image


def _to_pil(data: str) -> Image.Image:
    """Decode base64 image data into a PIL image."""
    return _open_bytes(_decode_base64(data, data), data)


def get_pil_image(image_file: Union[str, Image.Image]) -> Image.Image:
    """Load an image as an RGB PIL image.

    Args:
        image_file: a PIL image (returned as is), a local path, an http(s) URL (downloaded), a
            ``data:image/...;base64,`` URI, or base64 data. Surrounding quotes are ignored.

    Raises:
        ImportError: pillow is not installed.
        ValueError: the value cannot be read as an image.
    """
    pil = _pil()
    if isinstance(image_file, pil.Image):
        return image_file
    if not isinstance(image_file, str):
        raise TypeError(f"image_file must be a str or a PIL image, not {type(image_file).__name__}")
    location = _unquote(image_file)
    return _open_bytes(_read_bytes(location), location).convert("RGB")


def _png_bytes(image: Image.Image) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def get_image_data(image_file: Union[str, Image.Image], use_b64: bool = True) -> Union[str, bytes]:
    """Load an image (see :func:`get_pil_image`) and encode it as PNG.

    Returns:
        The PNG as a base64 string when ``use_b64`` (the default), else as raw bytes.
    """
    content = _png_bytes(get_pil_image(image_file))
    return base64.b64encode(content).decode("utf-8") if use_b64 else content


def convert_base64_to_data_uri(base64_image: str) -> str:
    """Wrap base64 image data in a data URI, its MIME type read from the first bytes (JPEG when unknown)."""
    head = base64_image[:64]
    try:
        first_bytes = base64.b64decode(head + "=" * (-len(head) % 4))
    except (binascii.Error, ValueError):
        first_bytes = b""
    return f"data:{_mime_type(first_bytes) or 'image/jpeg'};base64,{base64_image}"


def pil_to_data_uri(image: Image.Image) -> str:
    """A PNG data URI of a PIL image."""
    return convert_base64_to_data_uri(base64.b64encode(_png_bytes(image)).decode("utf-8"))


def image_url_for_model(image: Union[str, Image.Image]) -> str:
    """The ``image_url.url`` sent to a chat model for ``image``; nothing is downloaded.

    http(s) URLs and data URIs are kept as they are (the model's server fetches URLs); a local
    file or a PIL image becomes a PNG data URI; other text must be base64 image data.

    Raises:
        ImportError: a local file or PIL image needs pillow, which is not installed.
        ValueError: ``image`` cannot be read as an image.
    """
    if not isinstance(image, str):
        return pil_to_data_uri(get_pil_image(image))
    location = _unquote(image)
    if is_remote_url(location) or _DATA_URI.match(location):
        return location
    if os.path.exists(location):
        return convert_base64_to_data_uri(get_image_data(location))  # type: ignore[arg-type]
    if not _mime_type(_decode_base64(location, location)):
        raise ValueError(f"Cannot load the image {_describe(location)}: its data is not a PNG, JPEG, GIF or WebP")
    return convert_base64_to_data_uri("".join(location.split()))


# ---- <img> tags -----------------------------------------------------------------------------------------
def _warn_unloadable(location: str, error: Exception) -> None:
    warnings.warn(f"Skipping the image {_describe(location)}: {error}", UserWarning, stacklevel=4)


def _img_tags(text: str) -> list[tuple[re.Match[str], str]]:
    """Each ``<img ...>`` tag of ``text`` (see ``parse_tags_from_content``) and its image location.

    A tag without a location (``<img width='10'>``) is left out, with a warning.
    """
    found = []
    for tag in parse_tags_from_content("img", text):
        location = tag["attr"].get("src", "")
        if location:
            found.append((tag["match"], location))
        else:
            warnings.warn(f"Skipping the tag {tag['match'].group(0)!r}: it names no image", UserWarning, stacklevel=4)
    return found


def _split_at_img_tags(text: str, load: Callable[[str], Any]) -> list[dict[str, Any]]:
    """Text and image parts of ``text``; ``load(location)`` gives each image part's ``url``."""
    parts: list[dict[str, Any]] = []
    last = 0
    for match, location in _img_tags(text):
        try:
            image = load(location)
        except (ValueError, OSError) as exc:  # the tag stays in the text
            _warn_unloadable(location, exc)
            continue
        parts.append({"type": "text", "text": text[last : match.start()]})
        parts.append({"type": "image_url", "image_url": {"url": image}})
        last = match.end()
    parts.append({"type": "text", "text": text[last:]})
    return parts


def _image_loader(img_format: str) -> Callable[[str], Any]:
    if img_format == "url":
        return lambda location: location
    if img_format == "pil":
        return get_pil_image
    return lambda location: convert_base64_to_data_uri(get_image_data(location))  # type: ignore[arg-type]


def gpt4v_formatter(prompt: str, img_format: str = "uri") -> list[dict[str, Any]]:
    """Split ``prompt`` at its ``<img location>`` tags into OpenAI content parts.

    Args:
        prompt: text that may contain ``<img ...>`` tags.
        img_format: what each image part holds: ``"uri"`` (a PNG data URI), ``"url"`` (the tag's
            location, unchanged) or ``"pil"`` (a PIL image).

    Returns:
        Alternating ``{"type": "text", ...}`` and ``{"type": "image_url", "image_url": {"url": ...}}``
        parts, always ending with a text part. A tag whose image cannot be loaded stays in the text,
        with a warning.

    Raises:
        ValueError: ``img_format`` is not one of "uri", "url", "pil".
    """
    if img_format not in IMG_FORMATS:
        raise ValueError(f"img_format must be one of {IMG_FORMATS}, not {img_format!r}")
    return _split_at_img_tags(prompt, _image_loader(img_format))


def content_parts_for_model(text: str) -> list[dict[str, Any]]:
    """:func:`gpt4v_formatter` for a message to a model: each image as :func:`image_url_for_model` gives it."""
    return _split_at_img_tags(text, image_url_for_model)


def llava_formatter(prompt: str, order_image_tokens: bool = False) -> tuple[str, list[str]]:
    """Replace each ``<img location>`` tag in ``prompt`` with an image token, loading the images.

    Args:
        prompt: text that may contain ``<img ...>`` tags.
        order_image_tokens: number the tokens (``<image 0>``, ``<image 1>``) instead of ``<image>``.

    Returns:
        The new prompt and the images as base64 PNG strings. A tag whose image cannot be loaded is
        removed, with a warning.
    """
    pieces: list[str] = []
    images: list[str] = []
    last = 0
    for match, location in _img_tags(prompt):
        pieces.append(prompt[last : match.start()])
        last = match.end()
        try:
            data = get_image_data(location)
        except (ValueError, OSError) as exc:
            _warn_unloadable(location, exc)
            continue
        pieces.append(f"<image {len(images)}>" if order_image_tokens else "<image>")
        images.append(data)  # type: ignore[arg-type]
    pieces.append(prompt[last:])
    return "".join(pieces), images


def extract_img_paths(paragraph: str) -> list[str]:
    """Image URLs and file paths (``.jpg .jpeg .png .gif .bmp``) mentioned in ``paragraph``."""
    return _IMG_PATH.findall(paragraph)


# ---- messages -----------------------------------------------------------------------------------------
def message_formatter_pil_to_b64(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of ``messages`` where every PIL image in an ``image_url`` part became a PNG data URI.

    Parts that already hold a URL or data URI are left as they are; the input is not changed.
    """
    formatted = []
    for message in messages:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, list) and any(_holds_pil(part) for part in content):
            message = copy.copy(message)
            message["content"] = [_part_with_uri(part) for part in content]
        formatted.append(message)
    return formatted


def _holds_pil(part: Any) -> bool:
    if not isinstance(part, dict) or not isinstance(part.get("image_url"), dict):
        return False
    url = part["image_url"].get("url")
    return url is not None and not isinstance(url, str)


def _part_with_uri(part: Any) -> Any:
    if not _holds_pil(part):
        return part
    image_url = dict(part["image_url"])
    image_url["url"] = pil_to_data_uri(image_url["url"])
    return {**part, "image_url": image_url}
