"""ConversableAgent: the generic agent. It sends, receives and replies through a chain of reply functions.

The conversation engine is written once, as coroutines (``a_send``, ``a_receive``,
``a_generate_reply`` here, ``_a_chat`` in ``_chats``); every sync public method is a thin facade
over its coroutine (see ``_reply_chain`` for how sync and async chats differ). Features live in
their own modules, mixed in here: starting chats (``_chats``), hooks (``_hooks``), human input and
termination (``_human_input``), tools (``_tools``), code execution (``_code_execution``), the LLM
reply (``_llm_reply``), nested chats (``_nested``); helpers for summaries (``_summary``),
messages (``_messages``) and printing (``_printing``).
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from contextvars import ContextVar
from typing import Any, Callable, Literal, Optional, TypeVar, Union

from ..io.base import IOStream
from ._chats import ChatsMixin
from ._code_execution import CodeExecutionMixin
from ._hooks import HOOKABLE_METHODS, HooksMixin
from ._human_input import HumanInputMixin
from ._llm_reply import LLMReplyMixin
from ._logging import log_event_if_enabled, log_new_agent_if_enabled
from ._messages import content_text, message_to_dict, stored_message
from ._nested import NestedChatsMixin
from ._printing import colored, print_received_message
from ._reply_chain import (
    call_agent_method,
    call_reply_func,
    check_agent,
    is_excluded,
    is_unignorable_async,
    make_entry,
    match_trigger,
    overrides_send,
    run_as_sync_chat,
    validate_trigger,
)
from ._summary import DEFAULT_SUMMARY_PROMPT
from ._tools import ToolsMixin, assert_valid_name
from .agent import Agent, LLMAgent
from .chat import ChatResult

__all__ = ["ConversableAgent", "register_function"]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
Message = dict[str, Any]
# set by a_send while it delivers a message; the receiver puts its reply here instead of recursing
_next_hop: ContextVar[Optional[list[tuple[Any, ...]]]] = ContextVar("autogen_next_hop", default=None)
# set by a_receive while an overridden send/a_send sends its reply: (next hop, replying agent, recipient)
_deferred_send: ContextVar[Optional[tuple[list[tuple[Any, ...]], Any, Any]]] = ContextVar(
    "autogen_deferred_send", default=None
)


def _defer_send(sender: Any, message: Any, recipient: Any, request_reply: Optional[bool], silent: Any) -> bool:
    """Hand a reply sent through an overridden send back to the a_send loop; False when not applicable."""
    deferred = _deferred_send.get()
    if deferred is None or deferred[1] is not sender or deferred[2] is not recipient or deferred[0]:
        return False
    _deferred_send.set(None)
    deferred[0].append((sender, message, recipient, silent, request_reply))
    return True


HUMAN_INPUT_MODES = ("ALWAYS", "NEVER", "TERMINATE")


def _default_is_termination_msg(message: Message) -> bool:
    return content_text(message.get("content")) == "TERMINATE"


def _checked_llm_config(llm_config: Any) -> Union[dict[str, Any], Literal[False]]:
    """Validate ``llm_config``; returns a copy (the caller's dict is never changed) or False."""
    if llm_config is None or llm_config is False:
        return False
    if not isinstance(llm_config, dict):
        raise TypeError(f"llm_config must be a dict or False, not {type(llm_config).__name__}")
    config = dict(llm_config)
    config_list = config.get("config_list")
    if config_list is not None and not isinstance(config_list, list):
        raise TypeError(f"llm_config['config_list'] must be a list of dicts, not {type(config_list).__name__}")
    no_model_msg = (
        "llm_config needs a non-empty 'model', either in llm_config or in each entry of its 'config_list'"
        " (or set llm_config=False for an agent without a model)"
    )
    if not config_list:
        if not config.get("model"):
            raise ValueError(no_model_msg)
        return config
    for i, entry in enumerate(config_list):
        if not isinstance(entry, dict):
            raise TypeError(f"llm_config['config_list'][{i}] must be a dict, not {type(entry).__name__}")
        if not entry.get("model") and not config.get("model") and not entry.get("model_client_cls"):
            raise ValueError(f"{no_model_msg}; config_list[{i}] has none")
    return config


class ConversableAgent(
    ChatsMixin, HooksMixin, HumanInputMixin, ToolsMixin, CodeExecutionMixin, LLMReplyMixin, NestedChatsMixin, LLMAgent
):
    """An agent that converses: it stores each conversation, and replies with a chain of reply functions.

    The default chain, checked in order: termination and human input, legacy function calls, tool
    calls, code execution (when enabled), the LLM. The first function that returns ``final=True``
    gives the reply; if none does, ``default_auto_reply`` is sent.
    """

    DEFAULT_CONFIG: Union[dict[str, Any], Literal[False]] = False
    MAX_CONSECUTIVE_AUTO_REPLY = 100
    DEFAULT_SUMMARY_METHOD = "last_msg"
    DEFAULT_SUMMARY_PROMPT = DEFAULT_SUMMARY_PROMPT

    llm_config: Union[dict[str, Any], Literal[False]]
    _assert_valid_name = staticmethod(assert_valid_name)

    def __init__(
        self,
        name: str,
        system_message: Optional[Union[str, list[Any]]] = "You are a helpful AI Assistant.",
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        max_consecutive_auto_reply: Optional[int] = None,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "TERMINATE",
        function_map: Optional[dict[str, Callable[..., Any]]] = None,
        code_execution_config: Union[dict[str, Any], Literal[False]] = False,
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = None,
        default_auto_reply: Union[str, dict[str, Any]] = "",
        description: Optional[str] = None,
        chat_messages: Optional[dict[Agent, list[Message]]] = None,
        silent: Optional[bool] = None,
    ):
        """Create an agent.

        Args:
            name: the agent's name.
            system_message: the system message for the model.
            is_termination_msg: ``f(message) -> bool``; True ends the chat. Default: content == "TERMINATE".
            max_consecutive_auto_reply: automatic replies in a row per sender (None: 100; 0: never).
            human_input_mode: "ALWAYS" (ask on every message), "TERMINATE" (ask at termination or the
                auto-reply limit) or "NEVER".
            function_map: name -> callable this agent executes for function/tool calls.
            code_execution_config: False, or a dict (``executor``, or legacy ``work_dir``, ``use_docker``,
                ``timeout``, ``last_n_messages``).
            llm_config: a dict for ``OpenAIWrapper`` (``config_list``, ``cache_seed``, ...), or False.
            default_auto_reply: the reply when no reply function gives one.
            description: what the agent does, for other agents; defaults to the system message.
            chat_messages: conversations to start from (agent -> messages).
            silent: True never prints; None follows each call's ``silent`` argument.
        """
        init_args = dict(locals())
        init_args.pop("self")
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        if human_input_mode not in HUMAN_INPUT_MODES:
            raise ValueError(f"human_input_mode must be one of {HUMAN_INPUT_MODES}, not {human_input_mode!r}")
        if is_termination_msg is not None and not callable(is_termination_msg):
            raise TypeError(f"is_termination_msg must be a callable or None, not {type(is_termination_msg).__name__}")
        if not isinstance(default_auto_reply, (str, dict)):
            raise TypeError(f"default_auto_reply must be a str or dict, not {type(default_auto_reply).__name__}")
        if function_map is not None and not isinstance(function_map, dict):
            raise TypeError(f"function_map must be a dict of name -> callable, not {type(function_map).__name__}")
        if chat_messages is not None and not isinstance(chat_messages, dict):
            raise TypeError(f"chat_messages must be a dict of agent -> messages, not {type(chat_messages).__name__}")

        self._name = name
        self._oai_system_message = [{"content": system_message, "role": "system"}]
        self._description = description if description is not None else system_message
        self._is_termination_msg = is_termination_msg or _default_is_termination_msg
        self.human_input_mode = human_input_mode
        self._max_consecutive_auto_reply = self.MAX_CONSECUTIVE_AUTO_REPLY
        self.update_max_consecutive_auto_reply(
            self.MAX_CONSECUTIVE_AUTO_REPLY if max_consecutive_auto_reply is None else max_consecutive_auto_reply
        )
        self._consecutive_auto_reply_counter: defaultdict[Any, int] = defaultdict(int)
        self._max_consecutive_auto_reply_dict: defaultdict[Any, int] = defaultdict(self.max_consecutive_auto_reply)
        self._default_auto_reply = default_auto_reply
        self._oai_messages: defaultdict[Any, list[Message]] = defaultdict(list, chat_messages or {})
        self.silent = silent
        self.reply_at_receive: defaultdict[Any, bool] = defaultdict(bool)
        self._human_input: list[str] = []
        self._finished_chats: Union[list[ChatResult], dict[int, ChatResult]] = []
        self.client_cache: Any = None
        self.hook_lists: dict[str, list[Callable[..., Any]]] = {method: [] for method in HOOKABLE_METHODS}

        self.llm_config = _checked_llm_config(self.DEFAULT_CONFIG if llm_config is None else llm_config)
        self.client: Any = None
        if self.llm_config is not False:
            self._reload_client()

        self._function_map: dict[str, Callable[..., Any]] = {}
        if function_map:
            self.register_function(function_map)

        self._reply_func_list: list[dict[str, Any]] = []
        self.register_reply([Agent, None], ConversableAgent.generate_oai_reply)
        self._setup_code_execution(code_execution_config)
        self.register_reply([Agent, None], ConversableAgent.generate_tool_calls_reply)
        self.register_reply([Agent, None], ConversableAgent.generate_function_call_reply)
        self.register_reply([Agent, None], ConversableAgent.check_termination_and_human_reply)
        log_new_agent_if_enabled(self, init_args)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r})"

    # ---- properties ---------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The agent's name."""
        return self._name

    @property
    def description(self) -> str:
        """What the agent does, for other agents."""
        return self._description  # type: ignore[return-value]

    @description.setter
    def description(self, description: str) -> None:
        self._description = description

    @property
    def system_message(self) -> str:
        """The system message sent to the model."""
        return self._oai_system_message[0]["content"]

    def update_system_message(self, system_message: str) -> None:
        """Replace the system message."""
        self._oai_system_message[0]["content"] = system_message

    @property
    def chat_messages(self) -> dict[Agent, list[Message]]:
        """Every conversation of this agent: other agent -> messages."""
        return self._oai_messages

    def chat_messages_for_summary(self, agent: Agent) -> list[Message]:
        """The messages a summary of the chat with ``agent`` is made from."""
        return self._oai_messages[agent]

    def last_message(self, agent: Optional[Agent] = None) -> Optional[Message]:
        """The last message of the conversation with ``agent`` (optional when there is only one)."""
        if agent is None:
            if not self._oai_messages:
                return None
            if len(self._oai_messages) == 1:
                conversation = next(iter(self._oai_messages.values()))
                return conversation[-1] if conversation else None
            raise ValueError("More than one conversation is found. Please specify the sender to get the last message.")
        if agent not in self._oai_messages:
            raise KeyError(
                f"The agent '{agent.name}' is not present in any conversation. No history available for this agent."
            )
        return self._oai_messages[agent][-1]

    # ---- limits and state ---------------------------------------------------------------------------
    def max_consecutive_auto_reply(self, sender: Optional[Agent] = None) -> int:
        """The auto-reply limit for ``sender`` (or the default for new senders)."""
        return self._max_consecutive_auto_reply if sender is None else self._max_consecutive_auto_reply_dict[sender]

    def update_max_consecutive_auto_reply(self, value: int, sender: Optional[Agent] = None) -> None:
        """Set the auto-reply limit for ``sender``, or for everyone when ``sender`` is None."""
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"max_consecutive_auto_reply must be an int >= 0 (or None for the default), not {value!r}")
        if sender is None:
            self._max_consecutive_auto_reply = value
            for key in getattr(self, "_max_consecutive_auto_reply_dict", {}):
                self._max_consecutive_auto_reply_dict[key] = value
        else:
            self._max_consecutive_auto_reply_dict[sender] = value

    def reset_consecutive_auto_reply_counter(self, sender: Optional[Agent] = None) -> None:
        """Reset the count of automatic replies in a row (for ``sender``, or for everyone)."""
        if sender is None:
            self._consecutive_auto_reply_counter.clear()
        else:
            self._consecutive_auto_reply_counter[sender] = 0

    def stop_reply_at_receive(self, sender: Optional[Agent] = None) -> None:
        """Stop replying automatically to messages from ``sender`` (or from everyone)."""
        if sender is None:
            self.reply_at_receive.clear()
        else:
            self.reply_at_receive[sender] = False

    def clear_history(self, recipient: Optional[Agent] = None, nr_messages_to_preserve: Optional[int] = None) -> None:
        """Forget the conversation with ``recipient`` (or all), optionally keeping the last messages."""
        stream = IOStream.get_default()
        if recipient is not None:
            self._oai_messages[recipient].clear()
            if nr_messages_to_preserve:
                stream.print(
                    colored(
                        "WARNING: `nr_preserved_messages` is ignored when clearing chat history with a specific agent.",
                        "yellow",
                    ),
                    flush=True,
                )
            return
        if not nr_messages_to_preserve:
            self._oai_messages.clear()
            return
        for key, messages in self._oai_messages.items():
            keep = nr_messages_to_preserve
            if len(messages) >= keep and "tool_responses" in messages[-keep]:
                keep += 1  # keep the tool call together with its responses
                stream.print(
                    f"Preserving one more message for {self.name} to not divide history "
                    "between tool call and tool response."
                )
            self._oai_messages[key] = messages[-keep:]

    def reset(self) -> None:
        """Forget all conversations, counters and usage; reset reply-function configs."""
        self.clear_history()
        self.reset_consecutive_auto_reply_counter()
        self.stop_reply_at_receive()
        if self.client is not None:
            self.client.clear_usage_summary()
        for entry in self._reply_func_list:
            if entry["reset_config"] is not None:
                entry["reset_config"](entry["config"])
            else:
                entry["config"] = copy.copy(entry["init_config"])

    # ---- reply functions and hooks --------------------------------------------------------------------
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
    ) -> None:
        """Add a reply function ``reply_func(recipient, messages, sender, config) -> (final, reply)``.

        Args:
            trigger: whose messages fire it: an Agent class, an agent name, an agent, a callable
                ``f(sender) -> bool``, None (no sender), or a list of these.
            reply_func: the function (sync or async).
            position: where to insert it; 0 (the default) means it is checked first.
            config: passed to ``reply_func`` as ``config``.
            reset_config: called with ``config`` by ``reset()``; by default the config is restored.
            ignore_async_in_sync_chat: skip this coroutine function in sync chats instead of refusing to start.
            remove_other_reply_funcs: remove every other reply function first.
        """
        validate_trigger(trigger)
        if not callable(reply_func):
            raise TypeError(f"reply_func must be callable, not {type(reply_func).__name__}")
        if remove_other_reply_funcs:
            self._reply_func_list.clear()
        entry = make_entry(trigger, reply_func, config, reset_config, ignore_async_in_sync_chat)
        self._reply_func_list.insert(position, entry)

    def replace_reply_func(self, old_reply_func: Callable[..., Any], new_reply_func: Callable[..., Any]) -> None:
        """Put ``new_reply_func`` in the place of ``old_reply_func``."""
        for entry in self._reply_func_list:
            if is_excluded(entry["reply_func"], [old_reply_func]):
                entry["reply_func"] = new_reply_func

    def remove_reply_func(self, reply_func: Callable[..., Any]) -> None:
        """Remove ``reply_func`` from the reply chain."""
        self._reply_func_list = [e for e in self._reply_func_list if not is_excluded(e["reply_func"], [reply_func])]

    @property
    def reply_functions(self) -> list[Callable[..., Any]]:
        """The reply functions, in the order they are checked."""
        return [entry["reply_func"] for entry in self._reply_func_list]

    def _raise_exception_on_async_reply_functions(self) -> None:
        """Refuse a sync chat when a coroutine reply function cannot be skipped."""
        found = [e["reply_func"] for e in self._reply_func_list if is_unignorable_async(e)]
        if found:
            raise RuntimeError(
                f"Async reply functions found: {found}. Start the chat with a_initiate_chat, or register them "
                "with ignore_async_in_sync_chat=True."
            )

    # ---- the engine: send, receive, reply -------------------------------------------------------------
    @staticmethod
    def _is_silent(agent: Any, silent: Optional[bool] = False) -> bool:
        agent_silent = getattr(agent, "silent", None)
        return bool(agent_silent if agent_silent is not None else silent)

    def send(
        self,
        message: Union[Message, str],
        recipient: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Send ``message`` to ``recipient``, who stores it and (per ``request_reply``) replies.

        Raises:
            ValueError: the message has neither content nor a function/tool call.
        """
        if not _defer_send(self, message, recipient, request_reply, silent):
            run_as_sync_chat(self.a_send(message, recipient, request_reply, silent))

    async def a_send(
        self,
        message: Union[Message, str],
        recipient: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Async :meth:`send`.

        Returns when the recipient, and whoever replies after it, have nothing more to say. The
        back-and-forth runs as a loop here (each reply is handed back as the next hop) rather than
        as ever deeper recursion, so long chats never reach Python's recursion limit. A subclass's
        ``send``/``a_send`` override still runs for each of its replies; what it passes on to
        ``super()`` becomes the next hop.
        """
        check_agent(recipient, "recipient")
        if _defer_send(self, message, recipient, request_reply, silent):
            return
        sender: ConversableAgent = self
        while True:
            message = sender._store_sent_message(message, recipient, silent)
            next_hop: list[tuple[Any, ...]] = []
            token = _next_hop.set(next_hop)
            try:
                await call_agent_method(recipient, "receive", message, sender, request_reply, silent)
            finally:
                _next_hop.reset(token)
            if not next_hop:
                return
            sender, message, recipient, silent, request_reply = next_hop[0]

    def _store_sent_message(self, message: Union[Message, str], recipient: Agent, silent: Optional[bool]) -> Any:
        """Apply the before-send hooks and store the message in this agent's history."""
        message = self._process_message_before_send(message, recipient, self._is_silent(self, silent))
        entry = stored_message(message, "assistant", self.name)
        if entry is None:
            raise ValueError(
                "Message can't be converted into a valid ChatCompletion message. "
                "Either content or function_call must be provided."
            )
        self._oai_messages[recipient].append(entry)
        return message

    def receive(
        self,
        message: Union[Message, str],
        sender: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Store and print ``message``; unless ``request_reply`` is False, reply to ``sender``."""
        run_as_sync_chat(self.a_receive(message, sender, request_reply, silent))

    async def a_receive(
        self,
        message: Union[Message, str],
        sender: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Async :meth:`receive`."""
        next_hop = _next_hop.get()
        if next_hop is not None:  # this call delivers a_send's message: the reply becomes its next hop
            _next_hop.set(None)
        self._process_received_message(message, sender, silent)
        if request_reply is False or (request_reply is None and not self.reply_at_receive[sender]):
            return
        reply = await call_agent_method(self, "generate_reply", messages=self.chat_messages[sender], sender=sender)
        if reply is None:
            return
        if next_hop is None:
            await call_agent_method(self, "send", reply, sender, silent=silent)
        elif not overrides_send(self):
            next_hop.append((self, reply, sender, silent, None))
        else:  # the override runs; the send it makes through super() comes back as the next hop
            token = _deferred_send.set((next_hop, self, sender))
            try:
                await call_agent_method(self, "send", reply, sender, silent=silent)
            finally:
                _deferred_send.reset(token)

    def _process_received_message(self, message: Union[Message, str], sender: Agent, silent: Optional[bool]) -> None:
        check_agent(sender, "sender")
        entry = stored_message(message, "user", sender.name)
        log_event_if_enabled(self, "received_message", message=message, sender=sender.name, valid=entry is not None)
        if entry is None:
            raise ValueError(
                "Received message can't be converted into a valid ChatCompletion message. "
                "Either content or function_call must be provided."
            )
        self._oai_messages[sender].append(entry)
        if not self._is_silent(sender, silent):
            self._print_received_message(message, sender)

    def _append_oai_message(
        self, message: Union[Message, str], role: str, conversation_id: Agent, is_sending: bool = False
    ) -> bool:
        """Store ``message`` in the conversation with ``conversation_id`` (0.2 internal, kept for subclasses).

        Returns:
            False when the message has neither content nor a function/tool call (nothing is stored).
        """
        entry = stored_message(message, role, self.name if is_sending else conversation_id.name)
        if entry is None:
            return False
        self._oai_messages[conversation_id].append(entry)
        return True

    _message_to_dict = staticmethod(message_to_dict)

    def _match_trigger(self, trigger: Any, sender: Optional[Agent]) -> bool:
        """Whether ``trigger`` fires for ``sender`` (0.2 internal, kept for subclasses)."""
        return match_trigger(trigger, sender)

    def _generate_oai_reply_from_client(self, llm_client: Any, messages: list[Message], cache: Any) -> Any:
        """One model call on ``messages`` with ``llm_client`` (0.2 internal, kept for subclasses)."""
        return run_as_sync_chat(self._a_reply_from_client(llm_client, messages, cache))

    def _print_received_message(self, message: Union[Message, str], sender: Agent) -> None:
        print_received_message(message_to_dict(message), sender.name, self.name, self._instantiate)

    def _instantiate(self, content: Any, context: Optional[dict[str, Any]]) -> Any:
        """Fill a templated content from ``context`` (callables always; str.format only when allowed)."""
        if not context:
            return content
        if callable(content):
            return content(context)
        allow = isinstance(self.llm_config, dict) and self.llm_config.get("allow_format_str_template", False)
        return content.format(**context) if allow and isinstance(content, str) else content

    def generate_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, **kwargs: Any
    ) -> Union[str, Message, None]:
        """Reply to ``messages`` (default: the conversation with ``sender``) with the reply-function chain.

        Args:
            messages: the messages to answer.
            sender: who the reply is for.
            exclude: reply functions to skip.

        Returns:
            The reply, None to send nothing (e.g. the chat ended), or ``default_auto_reply``.
        """
        return run_as_sync_chat(self.a_generate_reply(messages, sender, **kwargs))

    async def a_generate_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, **kwargs: Any
    ) -> Union[str, Message, None]:
        """Async :meth:`generate_reply`."""
        if messages is None and sender is None:
            logger.error("Either messages or sender must be provided to generate a reply.")
            return None
        if messages is None:
            messages = self._oai_messages[sender]
        self.update_agent_state_before_reply(messages)
        messages = self.process_all_messages_before_reply(messages)
        messages = self.process_last_received_message(messages)
        exclude = kwargs.get("exclude")
        for entry in list(self._reply_func_list):
            reply_func = entry["reply_func"]
            if exclude and is_excluded(reply_func, exclude):
                continue
            if not match_trigger(entry["trigger"], sender):
                continue
            result = await call_reply_func(entry, self, messages, sender)
            if result is None:
                continue
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise TypeError(
                    f"reply function {getattr(reply_func, '__name__', reply_func)!r} must return a (final, reply) "
                    f"tuple, not {result!r}"
                )
            final, reply = result
            log_event_if_enabled(
                self,
                "reply_func_executed",
                reply_func_module=getattr(reply_func, "__module__", None),
                reply_func_name=getattr(reply_func, "__name__", repr(reply_func)),
                final=final,
                reply=reply,
            )
            if final:
                return reply
        return self._default_auto_reply

    # ---- usage ----------------------------------------------------------------------------------------
    def register_model_client(self, model_client_cls: type, **kwargs: Any) -> None:
        """Activate a custom ``ModelClient`` class named by ``model_client_cls`` in the config list."""
        if self.client is None:
            raise RuntimeError(f"Agent {self.name!r} has no llm_config, so no model client can be registered.")
        self.client.register_model_client(model_client_cls, **kwargs)

    def print_usage_summary(self, mode: Union[str, list[str]] = ["actual", "total"]) -> None:  # noqa: B006
        """Print this agent's model usage and cost."""
        stream = IOStream.get_default()
        if self.client is None:
            stream.print(f"No cost incurred from agent '{self.name}'.")
        else:
            stream.print(f"Agent '{self.name}':")
            self.client.print_usage_summary(mode)

    def get_actual_usage(self) -> Optional[dict[str, Any]]:
        """Usage excluding cached responses, or None without a model."""
        return None if self.client is None else self.client.actual_usage_summary

    def get_total_usage(self) -> Optional[dict[str, Any]]:
        """Usage including cached responses, or None without a model."""
        return None if self.client is None else self.client.total_usage_summary


def register_function(
    f: Callable[..., Any],
    *,
    caller: ConversableAgent,
    executor: ConversableAgent,
    name: Optional[str] = None,
    description: str,
) -> None:
    """Register ``f`` as a tool: its schema on ``caller`` (for the model) and itself on ``executor``.

    Args:
        f: the function.
        caller: the agent whose model may call it.
        executor: the agent that runs it.
        name: the tool name; defaults to ``f.__name__``.
        description: what it does, for the model.
    """
    f = caller.register_for_llm(name=name, description=description)(f)
    executor.register_for_execution(name=name)(f)
