"""MultimodalConversableAgent: an agent for vision models (GPT-4V style) that reads ``<img ...>`` tags.

A message it receives as text, e.g. ``"What is in <img photo.png>?"``, is stored (and sent to the
model) as content parts: text, then the image, then text. Images are given by local path (sent as a
PNG data URI), http(s) URL (kept as a URL for the model's server to fetch) or data URI. Needs pillow
for local files (``pip install "autogen[lmm]"``).
"""

from __future__ import annotations

import copy
from typing import Any, Callable, Optional, Union

from ...code_utils import content_str
from ..agent import Agent
from ..conversable_agent import ConversableAgent
from .img_utils import content_parts_for_model, image_url_for_model

__all__ = ["DEFAULT_LMM_SYS_MSG", "DEFAULT_MODEL", "MultimodalConversableAgent"]

DEFAULT_LMM_SYS_MSG = """You are a helpful AI assistant."""
DEFAULT_MODEL = "gpt-4-vision-preview"
_NO_IMAGES_ROLES = ("tool", "function")

Message = dict[str, Any]


class MultimodalConversableAgent(ConversableAgent):
    """A :class:`ConversableAgent` whose messages may hold images.

    Text content it receives is split at ``<img location>`` tags into OpenAI content parts; its
    system message is kept as content parts too. Everything else is a ConversableAgent.

    Args:
        name: the agent's name.
        system_message: text (may hold ``<img ...>`` tags) or a list of content parts.
        is_termination_msg: as for ConversableAgent (the default compares the text to "TERMINATE").
        *args: ConversableAgent's other arguments, in order.
        **kwargs: ConversableAgent's other arguments; ``llm_config`` None means ``{"model": DEFAULT_MODEL}``.
    """

    DEFAULT_CONFIG = {"model": DEFAULT_MODEL}

    def __init__(
        self,
        name: str,
        system_message: Optional[Union[str, list[Any]]] = DEFAULT_LMM_SYS_MSG,
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(name, system_message, is_termination_msg, *args, **kwargs)
        self.update_system_message(system_message)

    def update_system_message(self, system_message: Union[str, list[Any], Message, None]) -> None:
        """Replace the system message; text is split at ``<img ...>`` tags into content parts.

        Args:
            system_message: text, a list of content parts, or a message dict with ``content``.
        """
        self._oai_system_message[0]["content"] = self._message_to_dict(system_message)["content"]
        self._oai_system_message[0]["role"] = "system"

    @staticmethod
    def _message_to_dict(message: Union[str, list[Any], Message, None]) -> Message:
        """A message as a dict whose text content is split into content parts (images as URLs/data URIs).

        Raises:
            TypeError: the message is not a str, list, dict or None, or its content is not valid.
            ValueError: a content part has an unknown type.
        """
        if message is None:
            return {"content": None}
        if isinstance(message, str):
            return {"content": content_parts_for_model(message)}
        if isinstance(message, list):
            return {"content": _parts_for_model(message)}
        if not isinstance(message, dict):
            raise TypeError(f"A message must be a str, a list of content parts or a dict, not {type(message).__name__}")
        content = message.get("content")
        if message.get("role") in _NO_IMAGES_ROLES or message.get("tool_responses"):
            return message
        if isinstance(content, str):
            message = {**message, "content": content_parts_for_model(content)}
        elif isinstance(content, list):
            message = {**message, "content": _parts_for_model(content)}
        content_str(message.get("content"))  # TypeError/ValueError for content no model accepts
        return message

    async def a_receive(
        self,
        message: Union[Message, str],
        sender: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Receive ``message``, its ``<img ...>`` tags turned into image parts (see ``ConversableAgent.receive``)."""
        await super().a_receive(self._message_to_dict(message), sender, request_reply, silent)


def _parts_for_model(parts: list[Any]) -> list[Any]:
    """Content parts with PIL images (or local paths) in ``image_url`` parts made data URIs."""
    converted = []
    for part in parts:
        if isinstance(part, dict) and part.get("type") == "image_url" and isinstance(part.get("image_url"), dict):
            url = part["image_url"].get("url")
            if url is not None:
                new_url = image_url_for_model(url)
                if new_url != url:
                    part = copy.copy(part)
                    part["image_url"] = {**part["image_url"], "url": new_url}
        converted.append(part)
    return converted
