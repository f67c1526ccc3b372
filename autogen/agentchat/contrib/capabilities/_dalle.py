"""DalleImageGenerator: images from OpenAI's images API (DALL-E, gpt-image), through the official SDK."""

from __future__ import annotations

import base64
import io
import os
import re
from typing import TYPE_CHECKING, Any, Literal

from ...._sync import run_sync
from ....logger.redact import redact_text
from ....oai.http_guard import DEFAULT_MAX_RESPONSE_BYTES
from ....oai.scrub import scrub_error
from ....oai.transport import Endpoint, leased_client
from ..img_utils import _pil

if TYPE_CHECKING:
    from PIL.Image import Image

__all__ = ["DalleImageGenerator", "ImageGenerationError"]

_RESOLUTION = re.compile(r"^\d+x\d+$")
_DOWNLOAD_TIMEOUT_S = 60.0
_DEFAULT_TIMEOUT_S = 120.0


class ImageGenerationError(RuntimeError):
    """An image could not be generated (the message says by what, for which prompt, and why)."""


def _is_image_model(model: str) -> bool:
    return model in ("dall-e-2", "dall-e-3") or model.startswith("gpt-image")


class DalleImageGenerator:
    """Generate images with OpenAI's images API (``images.generate``).

    Args:
        llm_config: an ``llm_config`` whose first ``config_list`` entry names an image model
            (``dall-e-2``, ``dall-e-3`` or ``gpt-image-*``), its ``api_key`` (or ``OPENAI_API_KEY``) and
            optionally ``base_url`` and ``timeout``.
        resolution: the image size, ``"WIDTHxHEIGHT"`` (what the model accepts, e.g. ``"1024x1024"``).
        quality: ``"standard"`` or ``"hd"`` for DALL-E 3 (gpt-image models take their own values).
        num_images: how many images to ask for; the first one is used.
        response_format: ``"b64_json"`` (the image comes in the answer) or ``"url"`` (it is then
            downloaded, without credentials). gpt-image models always answer with ``b64_json``.

    Raises:
        ValueError: a bad ``llm_config``, model, resolution, count or format (the message says which).
        ImportError: pillow is missing (``pip install "autogen[lmm]"``).
    """

    def __init__(
        self,
        llm_config: dict[str, Any],
        resolution: str = "1024x1024",
        quality: str = "standard",
        num_images: int = 1,
        response_format: Literal["b64_json", "url"] = "b64_json",
    ) -> None:
        _pil()  # fail here, with the install command, rather than after the first request
        config = _first_config(llm_config)
        model = config.get("model")
        if not isinstance(model, str) or not _is_image_model(model):
            raise ValueError(
                f"DalleImageGenerator needs an image model (dall-e-2, dall-e-3 or gpt-image-*) as the config's "
                f"'model', got {model!r}"
            )
        if config.get("api_type", "openai") != "openai":
            raise ValueError(
                f"DalleImageGenerator talks to OpenAI's images API; api_type {config['api_type']!r} is not supported"
            )
        if not isinstance(resolution, str) or not _RESOLUTION.match(resolution):
            raise ValueError(f"resolution must look like '1024x1024' (WIDTHxHEIGHT), got {resolution!r}")
        if not isinstance(num_images, int) or isinstance(num_images, bool) or not 1 <= num_images <= 10:
            raise ValueError(f"num_images must be an integer from 1 to 10, got {num_images!r}")
        if response_format not in ("b64_json", "url"):
            raise ValueError(f"response_format must be 'b64_json' or 'url', got {response_format!r}")
        api_key = config.get("api_key") or os.environ.get("OPENAI_API_KEY")
        if not api_key:
            raise ValueError(
                "DalleImageGenerator needs an API key: set 'api_key' in the config entry or OPENAI_API_KEY"
            )
        client_kwargs: dict[str, Any] = {"api_key": api_key}
        if config.get("base_url"):
            client_kwargs["base_url"] = str(config["base_url"])
        self._endpoint = Endpoint(azure=False, client_kwargs=client_kwargs)
        self._base_url = str(config.get("base_url") or "https://api.openai.com/v1")
        self._timeout = float(config.get("timeout") or _DEFAULT_TIMEOUT_S)
        self._model = model
        self._resolution = resolution
        self._quality = quality
        self._num_images = num_images
        self._response_format = response_format

    def __repr__(self) -> str:  # never the key
        settings = f"model={self._model!r}, resolution={self._resolution!r}, base_url={self._base_url!r}"
        return f"DalleImageGenerator({settings})"

    def cache_key(self, prompt: str) -> str:
        """The prompt and every setting that changes the picture, comma-separated (as 0.2's key)."""
        return ",".join(str(k) for k in (prompt, self._model, self._resolution, self._quality, self._num_images))

    def generate_image(self, prompt: str) -> Image:
        """Draw an image for ``prompt``.

        Raises:
            ImageGenerationError: the API refused or failed, or its answer held no image.
        """
        return run_sync(self.a_generate_image(prompt))

    async def a_generate_image(self, prompt: str) -> Image:
        """Async :meth:`generate_image`."""
        import openai

        params: dict[str, Any] = {
            "model": self._model,
            "prompt": prompt,
            "size": self._resolution,
            "quality": self._quality,
            "n": self._num_images,
            "timeout": self._timeout,
        }
        if not self._model.startswith("gpt-image"):
            params["response_format"] = self._response_format
        async with leased_client(self._endpoint) as client:
            try:
                response = await client.images.generate(**params)
            except openai.APIStatusError as exc:
                raise self._error(prompt, f"HTTP {exc.status_code}: {_api_message(exc)}") from scrub_error(exc)
            except openai.APIError as exc:
                raise self._error(prompt, f"{type(exc).__name__}: {exc}") from scrub_error(exc)
        items = response.data or []
        if not items:
            raise self._error(prompt, "the answer held no image")
        item = items[0]
        if item.b64_json:
            data = base64.b64decode(item.b64_json)
        elif item.url:
            data = await self._download(item.url, prompt)
        else:
            raise self._error(prompt, "the answer held neither b64_json nor url")
        return self._open(data, prompt)

    def _error(self, prompt: str, why: str) -> ImageGenerationError:
        return ImageGenerationError(
            f"The images API at {self._base_url} (model {self._model!r}) failed to generate an image for the "
            f"prompt {prompt!r}: {redact_text(why)}"
        )

    async def _download(self, url: str, prompt: str) -> bytes:
        """Fetch the image at ``url`` (no credentials: it is another origin), at most the response size cap."""
        import httpx

        async with httpx.AsyncClient(follow_redirects=True, timeout=_DOWNLOAD_TIMEOUT_S) as client:
            try:
                async with client.stream("GET", url) as response:
                    response.raise_for_status()
                    chunks, size = [], 0
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > DEFAULT_MAX_RESPONSE_BYTES:
                            too_big = f"the image at {url} is larger than {DEFAULT_MAX_RESPONSE_BYTES} bytes"
                            raise self._error(prompt, too_big)
                        chunks.append(chunk)
            except httpx.HTTPError as exc:
                raise self._error(prompt, f"downloading {url} failed: {exc}") from exc
        return b"".join(chunks)

    def _open(self, data: bytes, prompt: str) -> Image:
        try:
            image = _pil().open(io.BytesIO(data))
            image.load()
        except OSError as exc:
            raise self._error(prompt, f"the answer is not an image pillow can read ({exc})") from exc
        return image


def _first_config(llm_config: Any) -> dict[str, Any]:
    if not isinstance(llm_config, dict):
        raise ValueError(f"llm_config must be a dict with a 'config_list', not {type(llm_config).__name__}")
    config_list = llm_config.get("config_list")
    if not isinstance(config_list, list) or not config_list or not isinstance(config_list[0], dict):
        raise ValueError(
            "llm_config needs a non-empty 'config_list' whose first entry names the image model, "
            'e.g. {"config_list": [{"model": "dall-e-3", "api_key": "..."}]}'
        )
    return config_list[0]


def _api_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(getattr(exc, "message", exc))
