"""The ``ModelClient`` protocol for custom model clients, and the placeholder used until one is registered."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, Union, runtime_checkable

__all__ = ["ModelClient", "PlaceHolderClient"]


@runtime_checkable
class ModelClient(Protocol):
    """What :class:`~autogen.oai.client.OpenAIWrapper` needs from a model client.

    ``create`` returns a response whose ``choices`` hold messages (``message.content`` etc.); a client
    may also define ``async def a_create(self, params)``, which the wrapper then awaits instead of
    running ``create`` on a worker thread.
    """

    RESPONSE_USAGE_KEYS: ClassVar[list[str]] = ["prompt_tokens", "completion_tokens", "total_tokens", "cost", "model"]

    class ModelClientResponseProtocol(Protocol):
        class Choice(Protocol):
            class Message(Protocol):
                content: Union[str, None]

            message: Message

        choices: list[Choice]
        model: str

    def create(self, params: dict[str, Any]) -> ModelClientResponseProtocol:
        """Send one request and return the response."""
        ...

    def message_retrieval(self, response: ModelClientResponseProtocol) -> Union[list[str], list[Any]]:
        """The texts (or message objects, for tool calls) of the response's choices."""
        ...

    def cost(self, response: ModelClientResponseProtocol) -> float:
        """The response's cost in USD."""
        ...

    @staticmethod
    def get_usage(response: ModelClientResponseProtocol) -> dict[str, Any]:
        """The usage of the response, with the keys of ``RESPONSE_USAGE_KEYS``."""
        ...


class PlaceHolderClient:
    """Stands for a config's ``model_client_cls`` until ``register_model_client`` supplies the class."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"PlaceHolderClient(model_client_cls={self.config.get('model_client_cls')!r})"
