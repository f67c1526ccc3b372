"""What the agent mixins use from ``ConversableAgent``, for the type checker only.

Each mixin (``_chats``, ``_code_execution``, ``_human_input``, ``_tools``, ``_llm_reply``, ``_nested``,
``_hooks``) inherits ``_AgentHost`` under ``TYPE_CHECKING`` and plain ``object`` at runtime, so the
attributes and methods it borrows from the agent are declared once, here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Literal, Optional, Protocol, Union

if TYPE_CHECKING:
    from .agent import Agent
    from .chat import ChatResult

__all__ = ["_AgentHost"]

Message = dict[str, Any]


class _AgentHost(Protocol):
    """The part of ``ConversableAgent`` its mixins rely on."""

    human_input_mode: str
    llm_config: Union[dict[str, Any], Literal[False]]
    client: Any
    client_cache: Any
    reply_at_receive: dict[Any, bool]
    hook_lists: dict[str, list[Callable[..., Any]]]
    _oai_messages: dict[Any, list[Message]]
    _oai_system_message: list[Message]
    _human_input: list[str]
    _finished_chats: Union[list[ChatResult], dict[int, ChatResult]]
    _consecutive_auto_reply_counter: dict[Any, int]
    _max_consecutive_auto_reply_dict: dict[Any, int]
    _is_termination_msg: Callable[[Message], bool]
    _function_map: dict[str, Callable[..., Any]]
    _code_execution_config: Union[dict[str, Any], Literal[False]]
    _code_executor: Any

    @property
    def name(self) -> str: ...

    @property
    def chat_messages(self) -> dict[Agent, list[Message]]: ...

    def register_reply(
        self,
        trigger: Union[type[Agent], str, Agent, Callable[[Agent], bool], list[Any], None],
        reply_func: Callable[..., Any],
        position: int = 0,
        config: Optional[Any] = None,
        reset_config: Optional[Callable[..., Any]] = None,
        *,
        ignore_async_in_sync_chat: bool = False,
        remove_other_reply_funcs: bool = False,
    ) -> None: ...

    def clear_history(
        self, recipient: Optional[Agent] = None, nr_messages_to_preserve: Optional[int] = None
    ) -> None: ...

    def reset_consecutive_auto_reply_counter(self, sender: Optional[Agent] = None) -> None: ...

    async def _a_ask_human(self, prompt: str) -> str: ...

    async def _a_reply_from_client(
        self, client: Any, messages: list[Message], cache: Any
    ) -> Union[str, Message, None]: ...
