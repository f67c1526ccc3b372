"""The ``ModelClient`` protocol for custom model clients, and the placeholder used until one is registered."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, Union, runtime_checkable

__all__ = ["ModelClient", "ModelClientNotRegisteredError", "PlaceHolderClient"]


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


class ModelClientNotRegisteredError(RuntimeError):
    """A config names a ``model_client_cls`` whose class was never given to ``register_model_client``."""


class PlaceHolderClient:
    """Stands for a config's ``model_client_cls`` until ``register_model_client`` supplies the class.

    Every client method raises :class:`ModelClientNotRegisteredError` saying so (never an ``AttributeError``).
    """

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config

    def __repr__(self) -> str:
        return f"PlaceHolderClient(model_client_cls={self.config.get('model_client_cls')!r})"

    def not_registered(self) -> ModelClientNotRegisteredError:
        """The error that says which class to register, and how."""
        name = self.config.get("model_client_cls")
        return ModelClientNotRegisteredError(
            f"Model client {name!r} is not registered: call wrapper.register_model_client({name}) "
            f"(for an agent: agent.register_model_client({name})) before the first request, or remove "
            f'"model_client_cls": "{name}" from the config_list.'
        )

    def create(self, params: dict[str, Any]) -> Any:
        """Raise: the class is not registered."""
        raise self.not_registered()

    def message_retrieval(self, response: Any) -> Any:
        """Raise: the class is not registered."""
        raise self.not_registered()

    def cost(self, response: Any) -> float:
        """Raise: the class is not registered."""
        raise self.not_registered()

    def get_usage(self, response: Any) -> dict[str, Any]:
        """Raise: the class is not registered."""
        raise self.not_registered()
