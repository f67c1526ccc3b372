"""VisionCapability: lets a text-only agent understand images by captioning them with a vision model."""

from __future__ import annotations

import warnings
from typing import Any, Callable, Optional, Union

from ....code_utils import content_str
from ..img_utils import get_pil_image, gpt4v_formatter, image_url_for_model
from .agent_capability import AgentCapability

__all__ = ["DEFAULT_DESCRIPTION_PROMPT", "VisionCapability"]

DEFAULT_DESCRIPTION_PROMPT = (
    "Describe this image in detail. Mention everything in it that could matter to the conversation it was shared in."
)
_SYSTEM_MESSAGE_NOTE = "\nYou can understand images: each image you are sent comes with a caption describing it."
_SHOWN_DATA_URI_CHARS = 40
_CAPTION_INTRO = " (in case you cannot see the image, its caption: "

CaptionFunc = Callable[[str, Any, Any], str]


class VisionCapability(AgentCapability):
    """Caption the images in the messages an agent receives, so that a text-only model can use them.

    Before the agent replies, each image in the last received message (an ``<img ...>`` tag in text,
    or an ``image_url`` content part) is described by a vision model (``lmm_config``), or by
    ``custom_caption_func``, and the message is rewritten as text with the captions in it.

    Args:
        lmm_config: ``llm_config``-style dict of the vision model that writes captions (False/None:
            only ``custom_caption_func``).
        description_prompt: what the vision model is asked for each image.
        custom_caption_func: ``f(image_url, pil_image, lmm_client) -> str`` that writes captions
            instead of the vision model (``lmm_client`` is None without ``lmm_config``).

    Raises:
        ValueError: neither ``lmm_config`` nor ``custom_caption_func`` is given.
    """

    def __init__(
        self,
        lmm_config: Optional[Union[dict[str, Any], bool]],
        description_prompt: Optional[str] = DEFAULT_DESCRIPTION_PROMPT,
        custom_caption_func: Optional[CaptionFunc] = None,
    ) -> None:
        super().__init__()
        if not lmm_config and custom_caption_func is None:
            raise ValueError("VisionCapability needs an lmm_config (a vision model) or a custom_caption_func.")
        if lmm_config and not isinstance(lmm_config, dict):
            raise TypeError(f"lmm_config must be an llm_config-style dict, not {type(lmm_config).__name__}")
        if custom_caption_func is not None and not callable(custom_caption_func):
            raise TypeError(
                f"custom_caption_func must be callable f(image_url, pil_image, lmm_client), "
                f"not {type(custom_caption_func).__name__}"
            )
        self._lmm_config = lmm_config
        self._description_prompt = description_prompt or DEFAULT_DESCRIPTION_PROMPT
        self._custom_caption_func = custom_caption_func
        self._parent_agent: Any = None
        self._lmm_client: Any = None
        if lmm_config:
            from ....oai.client import OpenAIWrapper

            self._lmm_client = OpenAIWrapper(**lmm_config)

    def add_to_agent(self, agent: Any) -> None:
        """Tell ``agent``'s system message about images, and caption its received images from now on."""
        self._parent_agent = agent
        system_message = agent.system_message
        if isinstance(system_message, list):
            agent.update_system_message([*system_message, {"type": "text", "text": _SYSTEM_MESSAGE_NOTE}])
        else:
            agent.update_system_message((system_message or "") + _SYSTEM_MESSAGE_NOTE)
        agent.register_hook(hookable_method="process_last_received_message", hook=self.process_last_received_message)

    def process_last_received_message(self, content: Union[str, list[dict[str, Any]]]) -> str:
        """The message content as text, each image followed by its caption (the agent's hook).

        Content without images comes back unchanged, and so do images captioned before (the agent
        keeps the captioned text in its history).
        """
        parts = gpt4v_formatter(content, img_format="url") if isinstance(content, str) else content
        if not any(isinstance(p, dict) and p.get("type") == "image_url" for p in parts):
            return content  # type: ignore[return-value]
        pieces: list[str] = []
        for index, part in enumerate(parts):
            kind = part.get("type") if isinstance(part, dict) else None
            if kind == "text":
                pieces.append(part["text"])
            elif kind == "image_url":
                url = part["image_url"]["url"]
                if _is_captioned(parts, index):
                    pieces.append(f"<img {url}>")
                else:
                    pieces.append(f"<img {_shown(url)}>{_CAPTION_INTRO}{self._caption(url)})\n")
            else:
                warnings.warn(f"VisionCapability skips a content part of type {kind!r}", UserWarning, stacklevel=2)
        return "".join(pieces)

    def _caption(self, image_url: Any) -> str:
        try:
            if self._custom_caption_func is not None:
                return str(self._custom_caption_func(image_url, get_pil_image(image_url), self._lmm_client))
            return self._get_image_caption(image_url)
        except (ValueError, OSError) as exc:  # an image that cannot be read must not end the chat
            warnings.warn(f"VisionCapability could not read an image: {exc}", UserWarning, stacklevel=3)
            return "the image could not be loaded"

    def _get_image_caption(self, img_data: str) -> str:
        """Ask the vision model to describe an image (URL, data URI, local path or base64 data)."""
        content = [
            {"type": "text", "text": self._description_prompt},
            {"type": "image_url", "image_url": {"url": image_url_for_model(img_data)}},
        ]
        response = self._lmm_client.create(context=None, messages=[{"role": "user", "content": content}])
        text = self._lmm_client.extract_text_or_completion_object(response)[0]
        return content_str(text if isinstance(text, str) else getattr(text, "content", None))


def _is_captioned(parts: list[dict[str, Any]], index: int) -> bool:
    """Whether the image part at ``index`` is already followed by its caption."""
    following = parts[index + 1] if index + 1 < len(parts) else None
    return isinstance(following, dict) and str(following.get("text", "")).startswith(_CAPTION_INTRO)


def _shown(url: Any) -> str:
    """How an image is named in text: its URL or path; a data URI is shortened."""
    if not isinstance(url, str):
        return "image"
    if url.startswith("data:") and len(url) > _SHOWN_DATA_URI_CHARS:
        return url[:_SHOWN_DATA_URI_CHARS] + "..."
    return url
