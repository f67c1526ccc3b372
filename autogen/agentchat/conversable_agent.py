"""ConversableAgent: the generic agent. It sends, receives and replies through a chain of reply functions.

The conversation engine is written once, as coroutines (``a_send``, ``a_receive``,
``a_generate_reply``, ``_a_chat``); every sync public method is a thin facade over its coroutine
(see ``_reply_chain`` for how sync and async chats differ). Features live in their own modules:
human input and termination (``_human_input``), tools (``_tools``), code execution
(``_code_execution``), the LLM reply (``_llm_reply``), nested chats (``_nested``), summaries
(``_summary``), messages (``_messages``) and printing (``_printing``).
"""

from __future__ import annotations

import copy
import logging
from collections import defaultdict
from contextvars import ContextVar
from typing import Any, Callable, Literal, Optional, TypeVar, Union

from ..exception_utils import InvalidCarryOverType
from ..io.base import IOStream
from ._code_execution import CodeExecutionMixin
from ._human_input import HumanInputMixin
from ._llm_reply import LLMReplyMixin
from ._logging import log_event_if_enabled, log_new_agent_if_enabled
from ._messages import content_text, message_to_dict, stored_message
from ._nested import NestedChatsMixin
from ._printing import carryover_item_text, colored, print_received_message
from ._reply_chain import (
    as_async_chat,
    call_reply_func,
    in_sync_chat,
    is_excluded,
    is_unignorable_async,
    make_entry,
    match_trigger,
    run_as_sync_chat,
    validate_trigger,
)
from ._summary import DEFAULT_SUMMARY_PROMPT, a_summarize_chat
from ._tools import ToolsMixin, assert_valid_name
from .agent import Agent, LLMAgent
from .chat import ChatResult, a_initiate_chats, initiate_chats
from .utils import consolidate_chat_info, gather_usage_summary

__all__ = ["ConversableAgent", "register_function"]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
Message = dict[str, Any]
# set by a_send while it delivers a message; the receiver puts its reply here instead of recursing
_next_hop: ContextVar[Optional[list[tuple[Any, ...]]]] = ContextVar("autogen_next_hop", default=None)
HUMAN_INPUT_MODES = ("ALWAYS", "NEVER", "TERMINATE")
HOOKABLE_METHODS = (
    "process_last_received_message",
    "process_all_messages_before_reply",
    "process_message_before_send",
    "update_agent_state",
)


def _default_is_termination_msg(message: Message) -> bool:
    return content_text(message.get("content")) == "TERMINATE"


def _check_agent(value: Any, argument: str) -> None:
    if not isinstance(value, ConversableAgent) and not isinstance(value, Agent):
        raise TypeError(f"{argument} must be an Agent (for example a ConversableAgent), not {type(value).__name__}")


def _sync_overridden(obj: Any, name: str) -> bool:
    """Whether a sync chat must call ``obj.<name>`` itself: a non-ConversableAgent, or an override."""
    if not isinstance(obj, ConversableAgent):
        return True
    return name in obj.__dict__ or getattr(type(obj), name) is not getattr(ConversableAgent, name)


async def _call(obj: Any, name: str, *args: Any, **kwargs: Any) -> Any:
    """Call ``obj.a_<name>`` — or, in a sync chat, ``obj.<name>`` where a subclass overrides it."""
    if in_sync_chat() and _sync_overridden(obj, name):
        return getattr(obj, name)(*args, **kwargs)
    return await getattr(obj, "a_" + name)(*args, **kwargs)


def _overrides_send(agent: ConversableAgent) -> bool:
    """Whether sending from ``agent`` must go through an overridden ``send``/``a_send``."""
    if "a_send" in agent.__dict__ or type(agent).a_send is not ConversableAgent.a_send:
        return True
    return in_sync_chat() and _sync_overridden(agent, "send")


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


class ConversableAgent(HumanInputMixin, ToolsMixin, CodeExecutionMixin, LLMReplyMixin, NestedChatsMixin, LLMAgent):
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
        self.previous_cache: Any = None
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
        return self._oai_system_message[0]["content"]  # type: ignore[no-any-return]

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

    def register_hook(self, hookable_method: str, hook: Callable[..., Any]) -> None:
        """Add a hook to one of the hookable steps (see ``HOOKABLE_METHODS``)."""
        if hookable_method not in self.hook_lists:
            raise ValueError(f"{hookable_method!r} is not a hookable method; choose from {list(self.hook_lists)}")
        if hook in self.hook_lists[hookable_method]:
            raise ValueError(f"{hook} is already registered as a hook.")
        self.hook_lists[hookable_method].append(hook)

    def update_agent_state_before_reply(self, messages: list[Message]) -> None:
        """Run the ``update_agent_state`` hooks (``hook(agent, messages)``) before replying."""
        for hook in self.hook_lists["update_agent_state"]:
            hook(self, messages)

    def process_all_messages_before_reply(self, messages: list[Message]) -> list[Message]:
        """Run the ``process_all_messages_before_reply`` hooks over the messages about to be answered."""
        for hook in self.hook_lists["process_all_messages_before_reply"]:
            messages = hook(messages)
        return messages

    def process_last_received_message(self, messages: list[Message]) -> list[Message]:
        """Run the ``process_last_received_message`` hooks on the text of the last message."""
        hooks = self.hook_lists["process_last_received_message"]
        if not hooks or not messages:
            return messages
        last = messages[-1]
        if "function_call" in last or "context" in last or not isinstance(last.get("content"), (str, list)):
            return messages
        content = last["content"]
        processed = content
        for hook in hooks:
            processed = hook(processed)
        if processed == content:
            return messages
        messages = copy.deepcopy(messages)
        messages[-1]["content"] = processed
        return messages

    def _process_message_before_send(self, message: Union[Message, str], recipient: Agent, silent: bool) -> Any:
        for hook in self.hook_lists["process_message_before_send"]:
            message = hook(sender=self, message=message, recipient=recipient, silent=silent)
        return message

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
        as ever deeper recursion, so long chats never reach Python's recursion limit.
        """
        _check_agent(recipient, "recipient")
        sender: ConversableAgent = self
        while True:
            message = sender._store_sent_message(message, recipient, silent)
            next_hop: list[tuple[Any, ...]] = []
            token = _next_hop.set(next_hop)
            try:
                await _call(recipient, "receive", message, sender, request_reply, silent)
            finally:
                _next_hop.reset(token)
            if not next_hop:
                return
            sender, message, recipient, silent = next_hop[0]
            request_reply = None

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
        reply = await _call(self, "generate_reply", messages=self.chat_messages[sender], sender=sender)
        if reply is None:
            return
        if next_hop is not None and not _overrides_send(self):
            next_hop.append((self, reply, sender, silent))
        else:
            await _call(self, "send", reply, sender, silent=silent)

    def _process_received_message(self, message: Union[Message, str], sender: Agent, silent: Optional[bool]) -> None:
        _check_agent(sender, "sender")
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
                return reply  # type: ignore[no-any-return]
        return self._default_auto_reply

    # ---- chats ----------------------------------------------------------------------------------------
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
            **kwargs: ``carryover`` (str or list) appended to the first message as context; other keys
                are passed to ``generate_init_message`` / a callable message.

        Returns:
            The chat's ``ChatResult``.

        Raises:
            RuntimeError: a coroutine reply function that cannot be skipped is registered (use a_initiate_chat).
        """
        return run_as_sync_chat(
            self._a_chat(
                recipient, clear_history, silent, cache, max_turns, summary_method, summary_args, message, **kwargs
            )
        )

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
        """Async :meth:`initiate_chat`; many such chats can run concurrently in one event loop."""
        return await as_async_chat(
            self._a_chat(
                recipient, clear_history, silent, cache, max_turns, summary_method, summary_args, message, **kwargs
            )
        )

    async def _a_chat(
        self,
        recipient: Any,
        clear_history: bool = True,
        silent: Optional[bool] = False,
        cache: Optional[Any] = None,
        max_turns: Optional[int] = None,
        summary_method: Optional[Union[str, Callable[..., Any]]] = DEFAULT_SUMMARY_METHOD,
        summary_args: Optional[dict[str, Any]] = None,
        message: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Run a two-agent chat in the current chat mode (sync or async)."""
        _check_agent(recipient, "recipient")
        if max_turns is not None and (isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 0):
            raise ValueError(f"max_turns must be an int >= 0 or None, not {max_turns!r}")
        consolidate_chat_info({"recipient": recipient, "summary_method": summary_method}, uniform_sender=self)
        kwargs.pop("sender", None)
        agents = [self, recipient]
        if in_sync_chat():
            for agent in agents:
                check = getattr(agent, "_raise_exception_on_async_reply_functions", None)
                if check is not None:
                    check()
        for agent in agents:
            agent.previous_cache = getattr(agent, "client_cache", None)
            agent.client_cache = cache
        try:
            if max_turns is not None:
                self._prepare_chat(recipient, clear_history, reply_at_receive=False)
                for turn in range(max_turns):
                    if turn == 0:
                        next_message = await self._a_first_message(message, recipient, kwargs)
                    else:
                        next_message = await _call(
                            self, "generate_reply", messages=self.chat_messages[recipient], sender=recipient
                        )
                    if next_message is None:
                        break
                    await _call(self, "send", next_message, recipient, request_reply=True, silent=silent)
            else:
                self._prepare_chat(recipient, clear_history)
                first = await self._a_first_message(message, recipient, kwargs)
                await _call(self, "send", first, recipient, silent=silent)
            summary = await a_summarize_chat(self, summary_method, summary_args or {}, recipient, cache)
        finally:
            for agent in agents:
                agent.client_cache = agent.previous_cache
                agent.previous_cache = None
        return ChatResult(
            chat_history=list(self.chat_messages[recipient]),
            summary=summary,
            cost=gather_usage_summary(agents),
            human_input=list(self._human_input),
        )

    async def _a_first_message(self, message: Any, recipient: Any, context: dict[str, Any]) -> Any:
        if callable(message):
            first = message(self, recipient, context)
            if hasattr(first, "__await__"):
                first = await first
            return first
        return await _call(self, "generate_init_message", message, **context)

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
        return run_as_sync_chat(self.a_generate_init_message(message, **kwargs))

    async def a_generate_init_message(self, message: Union[Message, str, None], **kwargs: Any) -> Union[str, Message]:
        """Async :meth:`generate_init_message`."""
        if message is None:
            message = await self._a_ask_human(">")
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
        self._finished_chats = initiate_chats(self._with_sender(chat_queue))
        return self._finished_chats

    async def a_initiate_chats(self, chat_queue: list[dict[str, Any]]) -> dict[int, ChatResult]:
        """Run chats concurrently, honouring ``prerequisites``, with this agent as sender."""
        self._finished_chats = await a_initiate_chats(self._with_sender(chat_queue))
        return self._finished_chats

    def get_chat_results(self, chat_index: Optional[int] = None) -> Union[list[ChatResult], ChatResult]:
        """The results of the last ``initiate_chats`` (one, by index, or all)."""
        if chat_index is not None:
            return self._finished_chats[chat_index]
        return self._finished_chats  # type: ignore[return-value]

    def _with_sender(self, chat_queue: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [chat if chat.get("sender") is not None else {**chat, "sender": self} for chat in chat_queue]

    async def _a_reflection_with_llm(
        self, prompt: str, messages: list[Message], llm_agent: Any = None, cache: Any = None, role: Optional[str] = None
    ) -> Any:
        """Ask a model (``llm_agent``'s, else this agent's) to answer ``prompt`` about ``messages``."""
        client = getattr(llm_agent, "client", None) if llm_agent is not None else None
        client = client if client is not None else self.client
        if client is None:
            raise ValueError("No OpenAIWrapper client is found: give the sender or the recipient an llm_config.")
        request = [*messages, {"role": role or "system", "content": prompt}]
        return await self._a_reply_from_client(client, request, cache)

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
