"""The legacy ``Completion``/``ChatCompletion`` classes of the ``openai<1`` era, kept so old imports work."""

from __future__ import annotations

from typing import Any

__all__ = ["ChatCompletion", "Completion"]

_MESSAGE = (
    "(Deprecated) autogen.Completion and autogen.ChatCompletion required openai<1 and no longer work. "
    "Use autogen.OpenAIWrapper instead: OpenAIWrapper(config_list=...).create(messages=[...]) "
    "(or llm_config on an agent)."
)


class Completion:
    """Legacy completion API (openai<1). Every call raises an error that points to :class:`OpenAIWrapper`."""

    @classmethod
    def create(cls, *args: Any, **kwargs: Any) -> Any:
        """Always raises: use ``OpenAIWrapper.create``."""
        raise RuntimeError(_MESSAGE)

    @classmethod
    def tune(cls, *args: Any, **kwargs: Any) -> Any:
        """Always raises: tuning was part of the openai<1 API."""
        raise RuntimeError(_MESSAGE)


class ChatCompletion(Completion):
    """Legacy chat completion API (openai<1). Every call raises an error that points to :class:`OpenAIWrapper`."""
