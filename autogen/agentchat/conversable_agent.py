"""ConversableAgent: the generic agent. It sends, receives and replies through a chain of reply functions.

This module holds the public surface of 0.2's ``ConversableAgent``. The steps of a conversation
(``send``, ``receive``, ``generate_reply`` and their ``a_`` twins) are thin entries into the engine
(``_engine.py``), which runs them with the conversation's ``ChatRun``. The agent's own state is
declared in ``_agent_base.py``; features live in their own modules, mixed in here: starting chats
(``_chats``), hooks (``_hooks``), human input and termination (``_human_input``), tools (``_tools``),
code execution (``_code_execution``), the LLM reply (``_llm_reply``), nested chats (``_nested``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any, Callable, Literal, Optional, TypeVar, Union

from .._sync import run_sync
from ..io.base import IOStream
from . import _engine as engine
from ._agent_base import AgentBase
from ._chats import ChatsMixin
from ._code_execution import CodeExecutionMixin
from ._hooks import HOOKABLE_METHODS, HooksMixin
from ._human_input import HumanInputMixin, termination_and_human_reply
from ._llm_reply import LLMReplyMixin, llm_reply
from ._logging import log_event_if_enabled, log_new_agent_if_enabled
from ._messages import content_text, message_to_dict, stored_message
from ._nested import NestedChatsMixin
from ._overrides import Overrides
from ._printing import print_received_message
from ._reply_chain import check_agent, match_trigger
from ._summary import DEFAULT_SUMMARY_PROMPT
from ._tools import ToolsMixin, assert_valid_name, function_call_reply, tool_calls_reply
from .agent import Agent
from .chat import ChatResult
from .chat_run import ChatRun, Hop, activated, run_or_new

__all__ = ["ConversableAgent", "register_function"]

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
Message = dict[str, Any]

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
    ChatsMixin, HooksMixin, HumanInputMixin, ToolsMixin, CodeExecutionMixin, LLMReplyMixin, NestedChatsMixin, AgentBase
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
        default_auto_reply: Union[str, dict[str, Any], None] = "",
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
            default_auto_reply: the reply when no reply function gives one; None: no reply (the chat stops).
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
        if default_auto_reply is not None and not isinstance(default_auto_reply, (str, dict)):
            raise TypeError(
                f"default_auto_reply must be a str, a dict or None, not {type(default_auto_reply).__name__}"
            )
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
        cls = ConversableAgent
        self._register_builtin_reply([Agent, None], cls.generate_oai_reply, cls.a_generate_oai_reply, llm_reply)
        self._setup_code_execution(code_execution_config)
        self._register_builtin_reply(
            [Agent, None], cls.generate_tool_calls_reply, cls.a_generate_tool_calls_reply, tool_calls_reply
        )
        self._register_builtin_reply(
            [Agent, None], cls.generate_function_call_reply, cls.a_generate_function_call_reply, function_call_reply
        )
        self._register_builtin_reply(
            [Agent, None],
            cls.check_termination_and_human_reply,
            cls.a_check_termination_and_human_reply,
            termination_and_human_reply,
        )
        log_new_agent_if_enabled(self, init_args)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self._name!r})"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._overrides = Overrides.between(cls, ConversableAgent)  # resolved once per class

    # ---- the conversation steps; the engine that runs them is _engine.py ------------------------------
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

        Returns when the recipient, and whoever replies after it, have nothing more to say.

        Raises:
            ValueError: the message has neither content nor a function/tool call.
        """
        run_sync(self._a_send(run_or_new(sync=True), message, recipient, request_reply, silent))

    async def a_send(
        self,
        message: Union[Message, str],
        recipient: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Async :meth:`send`."""
        await self._a_send(run_or_new(sync=False), message, recipient, request_reply, silent)

    async def _a_send(
        self, run: ChatRun, message: Any, recipient: Agent, request_reply: Optional[bool], silent: Optional[bool]
    ) -> None:
        check_agent(recipient, "recipient")
        hop: Hop = (self, message, recipient, request_reply, silent)
        if run.claims("send", self, recipient):  # an override's super().send(): the engine delivers it
            run.hand_back(hop)
            return
        with activated(run):
            await engine.deliver(run, hop)

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
        run_sync(self._a_receive(run_or_new(sync=True), message, sender, request_reply, silent))

    async def a_receive(
        self,
        message: Union[Message, str],
        sender: Agent,
        request_reply: Optional[bool] = None,
        silent: Optional[bool] = False,
    ) -> None:
        """Async :meth:`receive`."""
        await self._a_receive(run_or_new(sync=False), message, sender, request_reply, silent)

    async def _a_receive(
        self, run: ChatRun, message: Any, sender: Agent, request_reply: Optional[bool], silent: Optional[bool]
    ) -> None:
        claimed = run.claims("receive", self, sender)  # an override's super().receive(): reply to the engine
        with activated(run):
            answer = await engine.receive(run, self, message, sender, request_reply, silent)
            hop: Optional[Hop] = None if answer is None else (self, answer, sender, None, silent)
            if claimed:
                run.hand_back(None if hop is None else await engine.through_send_override(run, hop))
            elif hop is not None:
                await engine.deliver(run, await engine.through_send_override(run, hop))

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
            **kwargs: ``exclude``, the reply functions to skip.

        Returns:
            The reply, None to send nothing (e.g. the chat ended), or ``default_auto_reply``.

        Raises:
            ValueError: neither ``messages`` nor ``sender`` is given.
        """
        run = run_or_new(sync=True)
        return run_sync(engine.reply(run, self, messages, sender, kwargs.get("exclude")))

    async def a_generate_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, **kwargs: Any
    ) -> Union[str, Message, None]:
        """Async :meth:`generate_reply`."""
        return await engine.reply(run_or_new(sync=False), self, messages, sender, kwargs.get("exclude"))

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
