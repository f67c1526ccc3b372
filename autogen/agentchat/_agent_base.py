"""``AgentBase``: what every ``ConversableAgent`` holds and the feature modules rely on.

The agent's own state (name, system message, per-counterpart histories, auto-reply counters, the
reply-function chain, hooks, functions) and the methods that read or reset it. The feature mixins
(``_chats``, ``_tools``, ``_human_input``, ...) derive from this class, so what they use from the
agent is declared once, here, and exists at run time. Nothing that belongs to one conversation
lives here: that is the ``ChatRun``.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Literal, Optional, Union

from ..budget import Budget
from ..io.base import IOStream
from ._overrides import NONE, Overrides
from ._printing import colored
from ._reply_chain import Builtin, is_excluded, is_unignorable_async, make_entry, validate_trigger
from .agent import Agent, LLMAgent

if TYPE_CHECKING:
    from .chat import ChatResult

__all__ = ["AgentBase"]

Message = dict[str, Any]


class AgentBase(LLMAgent):
    """The state of an agent, and the methods that read and reset it."""

    # which of send/receive/generate_reply (and a_ twins) the class overrides; set per subclass
    _overrides: ClassVar[Overrides] = NONE
    # limits on every model call this agent makes, over its whole life (see set_budget)
    budget: Optional[Budget] = None

    _name: str
    _description: Any
    _oai_system_message: list[Message]
    _oai_messages: dict[Any, list[Message]]
    _is_termination_msg: Callable[[Message], bool]
    _max_consecutive_auto_reply: int
    _consecutive_auto_reply_counter: dict[Any, int]
    _max_consecutive_auto_reply_dict: dict[Any, int]
    _default_auto_reply: Union[str, dict[str, Any], None]
    _reply_func_list: list[dict[str, Any]]
    _human_input: list[str]
    _finished_chats: Union[list[ChatResult], dict[int, ChatResult]]
    _function_map: dict[str, Callable[..., Any]]
    _code_execution_config: Union[dict[str, Any], Literal[False]]
    _code_executor: Any
    human_input_mode: str
    llm_config: Union[dict[str, Any], Literal[False]]
    client: Any
    client_cache: Any
    silent: Optional[bool]
    reply_at_receive: dict[Any, bool]
    hook_lists: dict[str, list[Callable[..., Any]]]

    # ---- properties ---------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """The agent's name."""
        return self._name

    @property
    def description(self) -> str:
        """What the agent does, for other agents."""
        return self._description

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

    def set_budget(self, budget: Union[Budget, dict[str, Any], None]) -> Optional[Budget]:
        """Limit every model call this agent makes from now on, e.g. ``{"usd": 1.0, "llm_calls": 100}``."""
        self.budget = Budget.of(budget, name=f"budget of agent {self.name!r}")
        return self.budget

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

    def _register_builtin_reply(
        self,
        trigger: Any,
        reply_func: Callable[..., Any],
        a_reply_func: Callable[..., Any],
        builtin: Builtin,
        position: int = 0,
        config: Optional[Any] = None,
        reset_config: Optional[Callable[..., Any]] = None,
    ) -> None:
        """Register a built-in reply function: ``builtin(agent, run, messages, sender, config)`` implements
        it, and ``reply_func``/``a_reply_func`` are its public names (as ``exclude`` may give them)."""
        validate_trigger(trigger)
        entry = make_entry(trigger, reply_func, config, reset_config, False, builtin, (reply_func, a_reply_func))
        self._reply_func_list.insert(position, entry)

    def replace_reply_func(self, old_reply_func: Callable[..., Any], new_reply_func: Callable[..., Any]) -> None:
        """Put ``new_reply_func`` in the place of ``old_reply_func``."""
        for entry in self._reply_func_list:
            if is_excluded(entry, [old_reply_func]):
                entry["reply_func"] = new_reply_func
                entry.pop("builtin", None)  # the new function runs as given
                entry.pop("aliases", None)

    def remove_reply_func(self, reply_func: Callable[..., Any]) -> None:
        """Remove ``reply_func`` from the reply chain."""
        self._reply_func_list = [e for e in self._reply_func_list if not is_excluded(e, [reply_func])]

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
