"""Starting chats: ``initiate_chat`` and its async twin, first messages with carryover, chat queues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast

from .._sync import run_sync
from ..exception_utils import InvalidCarryOverType
from . import _durable as durable
from . import _engine as engine
from ._agent_base import AgentBase
from ._human_input import ask_human
from ._llm_reply import reply_from_client
from ._printing import carryover_item_text
from ._summary import a_reflection_with_llm_as_summary, a_summarize_chat, last_msg_as_summary
from .chat import ChatResult, a_initiate_chats, initiate_chats
from .chat_run import ChatRun, new_run, run_or_new

if TYPE_CHECKING:
    from .conversable_agent import ConversableAgent

__all__ = ["ChatsMixin"]

Message = dict[str, Any]
DEFAULT_SUMMARY_METHOD = "last_msg"


class ChatsMixin(AgentBase):
    """Two-agent chats started by this agent, and sequences of them."""

    def initiate_chat(
        self,
        recipient: ConversableAgent,
        clear_history: bool = True,
        silent: Optional[bool] = False,
        cache: Optional[Any] = None,
        max_turns: Optional[int] = None,
        summary_method: Optional[Union[str, Callable[..., Any]]] = DEFAULT_SUMMARY_METHOD,
        summary_args: Optional[dict[str, Any]] = {},  # noqa: B006 (0.2 signature)
        message: Optional[Union[Message, str, Callable[..., Any]]] = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Start a chat with ``recipient`` and run it until it ends.

        Args:
            recipient: the agent to chat with.
            clear_history: forget earlier messages between the two agents first.
            silent: print nothing.
            cache: an ``AbstractCache`` for every model call of both agents during the chat.
            max_turns: round trips before stopping (None: until termination or the auto-reply limits).
            summary_method: "last_msg", "reflection_with_llm", or ``f(sender, recipient, summary_args) -> str``.
            summary_args: ``summary_prompt`` and ``summary_role`` for "reflection_with_llm", or your callable's.
            message: the first message: a str, a dict, or ``f(sender, recipient, context) -> str | dict``;
                None asks the human.
            **kwargs: ``carryover`` (str or list) appended to the first message as context; ``budget``
                (new): limits such as ``{"usd": 0.5, "tokens": 100_000, "llm_calls": 50, "seconds": 600}``
                the chat never crosses (it stops with ``stop_reason == "budget"``); ``checkpoint`` and
                ``run_id`` (new): record the run in a store (a file path or a ``redis://`` URL) so the same
                call resumes it after a crash; other keys are passed to ``generate_init_message`` / a
                callable message.

        Returns:
            The chat's ``ChatResult``.

        Raises:
            RuntimeError: a coroutine reply function that cannot be skipped is registered (use a_initiate_chat).
        """
        run = new_run(sync=True, cache=cache, silent=silent, max_turns=max_turns, **durable.run_options(kwargs))
        return run_sync(self._a_chat(run, recipient, clear_history, summary_method, summary_args, message, **kwargs))

    async def a_initiate_chat(
        self,
        recipient: ConversableAgent,
        clear_history: bool = True,
        silent: Optional[bool] = False,
        cache: Optional[Any] = None,
        max_turns: Optional[int] = None,
        summary_method: Optional[Union[str, Callable[..., Any]]] = DEFAULT_SUMMARY_METHOD,
        summary_args: Optional[dict[str, Any]] = {},  # noqa: B006 (0.2 signature)
        message: Optional[Union[str, Callable[..., Any]]] = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Async :meth:`initiate_chat`; many such chats can run concurrently in one event loop, sharing agents."""
        run = new_run(sync=False, cache=cache, silent=silent, max_turns=max_turns, **durable.run_options(kwargs))
        return await self._a_chat(run, recipient, clear_history, summary_method, summary_args, message, **kwargs)

    async def _a_chat(
        self,
        run: ChatRun,
        recipient: Any,
        clear_history: bool = True,
        summary_method: Optional[Union[str, Callable[..., Any]]] = DEFAULT_SUMMARY_METHOD,
        summary_args: Optional[dict[str, Any]] = None,
        message: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Run a two-agent chat with ``recipient`` in ``run``."""
        return await engine.start_chat(
            run,
            cast("ConversableAgent", self),
            recipient,
            clear_history=clear_history,
            summary_method=summary_method,
            summary_args=summary_args,
            message=message,
            context=kwargs,
        )

    def _prepare_chat(
        self, recipient: Any, clear_history: bool, prepare_recipient: bool = True, reply_at_receive: bool = True
    ) -> None:
        self.reset_consecutive_auto_reply_counter(recipient)
        self.reply_at_receive[recipient] = reply_at_receive
        if clear_history:
            self.clear_history(recipient)
            self._human_input = []
        if prepare_recipient and hasattr(recipient, "_prepare_chat"):
            recipient._prepare_chat(self, clear_history, False, reply_at_receive)

    def generate_init_message(self, message: Union[Message, str, None], **kwargs: Any) -> Union[str, Message]:
        """The first message of a chat: ``message`` (or the human's input when None) plus the carryover.

        Raises:
            InvalidCarryOverType: ``carryover`` is neither a str nor a list.
        """
        return run_sync(self._a_init_message(run_or_new(sync=True), message, kwargs))

    async def a_generate_init_message(self, message: Union[Message, str, None], **kwargs: Any) -> Union[str, Message]:
        """Async :meth:`generate_init_message`."""
        return await self._a_init_message(run_or_new(sync=False), message, kwargs)

    async def _a_init_message(
        self, run: ChatRun, message: Union[Message, str, None], kwargs: dict[str, Any]
    ) -> Union[str, Message]:
        if message is None:
            message = await ask_human(self, run, ">")
        return self._handle_carryover(message, kwargs)

    def _handle_carryover(self, message: Union[Message, str], kwargs: dict[str, Any]) -> Union[Message, str]:
        carryover = kwargs.get("carryover")
        if not carryover:
            return message
        if isinstance(carryover, str):
            text = carryover
        elif isinstance(carryover, list):
            text = "\n".join(carryover_item_text(item) for item in carryover)
        else:
            raise InvalidCarryOverType(
                f"Carryover should be a string or a list of strings, not {type(carryover).__name__}."
            )
        context = "\nContext: \n" + text
        if isinstance(message, str):
            return message + context
        if isinstance(message, dict):
            message = dict(message)
            content = message.get("content")
            if isinstance(content, str):
                message["content"] = content + context
            elif isinstance(content, list):
                message["content"] = [*content, {"type": "text", "text": context}]
            return message
        raise InvalidCarryOverType("The message must be a str or dict to add a carryover to it.")

    def initiate_chats(self, chat_queue: list[dict[str, Any]]) -> list[ChatResult]:
        """Run chats one after another with this agent as sender (see ``autogen.initiate_chats``)."""
        # annotated where this mixin assigns it, else mypy infers a narrower type for ChatsMixin
        self._finished_chats: Union[list[ChatResult], dict[int, ChatResult]]
        self._finished_chats = results = initiate_chats(self._with_sender(chat_queue))
        return results

    async def a_initiate_chats(self, chat_queue: list[dict[str, Any]]) -> dict[int, ChatResult]:
        """Run chats concurrently, honouring ``prerequisites``, with this agent as sender."""
        self._finished_chats = results = await a_initiate_chats(self._with_sender(chat_queue))
        return results

    def get_chat_results(self, chat_index: Optional[int] = None) -> Union[list[ChatResult], ChatResult]:
        """The results of the last ``initiate_chats`` (one, by index, or all)."""
        if chat_index is not None:
            return self._finished_chats[chat_index]
        return self._finished_chats  # type: ignore[return-value]

    def _with_sender(self, chat_queue: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [chat if chat.get("sender") is not None else {**chat, "sender": self} for chat in chat_queue]

    # 0.2 internals kept for subclasses and user code that called them
    _last_msg_as_summary = staticmethod(last_msg_as_summary)

    @staticmethod
    def _reflection_with_llm_as_summary(
        sender: Any, recipient: Any, summary_args: dict[str, Any]
    ) -> Union[str, dict[str, Any]]:
        """Summarise the chat with the recipient's (else the sender's) model."""
        return run_sync(a_reflection_with_llm_as_summary(sender, recipient, summary_args))

    def _summarize_chat(
        self, summary_method: Any, summary_args: dict[str, Any], recipient: Any = None, cache: Any = None
    ) -> Any:
        """The summary of the chat with ``recipient`` by ``summary_method``."""
        return run_sync(
            a_summarize_chat(cast("ConversableAgent", self), summary_method, summary_args, recipient, cache)
        )

    async def _a_reflection_with_llm(
        self, prompt: str, messages: list[Message], llm_agent: Any = None, cache: Any = None, role: Optional[str] = None
    ) -> Any:
        """Ask a model (``llm_agent``'s, else this agent's) to answer ``prompt`` about ``messages``."""
        client = getattr(llm_agent, "client", None) if llm_agent is not None else None
        client = client if client is not None else self.client
        if client is None:
            raise ValueError("No OpenAIWrapper client is found: give the sender or the recipient an llm_config.")
        request = [*messages, {"role": role or "system", "content": prompt}]
        return await reply_from_client(self, run_or_new(sync=False), client, request, cache)
