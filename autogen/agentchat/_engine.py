"""The two-agent engine: one chat, from ``initiate_chat`` to the model call and back.

Read top to bottom:

* :func:`start_chat` prepares both agents, sends the first message, and summarises the chat;
* :func:`send` delivers a message and then every reply it causes, one hop at a time, as a loop
  (so long chats never reach Python's recursion limit);
* :func:`receive` stores and prints a message and asks the recipient for a reply;
* :func:`reply` runs the recipient's reply functions until one gives a final reply. The model is
  called by the built-in reply function ``_llm_reply.llm_reply``; tools, code execution, human
  input and nested chats are built-in reply functions too.

Each step takes the :class:`~autogen.agentchat.chat_run.ChatRun` explicitly. Where an agent's class
overrides ``send``, ``receive`` or ``generate_reply`` (resolved once per class, see
``_overrides``), the engine calls the override; what the override passes on to ``super()`` comes back
to the engine's loop through the run (``ChatRun.await_hand_back``). Sync user code runs through
``ChatRun.call_user``: on the calling thread in a sync chat, on a worker thread in an async one.
"""

from __future__ import annotations

import inspect
import logging
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ..budget import BudgetExceeded
from . import _durable as durable
from ._agent_base import AgentBase
from ._chat_result import ChatResult
from ._logging import log_event_if_enabled, logging_enabled
from ._overrides import ALL, Overrides
from ._reply_chain import check_agent, is_excluded, match_trigger
from ._summary import a_summarize_chat
from .chat_run import ChatRun, Hop, activated
from .utils import consolidate_chat_info, gather_usage_summary

if TYPE_CHECKING:
    from .agent import Agent
    from .conversable_agent import ConversableAgent

__all__ = ["deliver", "receive", "reply", "reply_of", "send", "start_chat", "through_send_override"]

Message = dict[str, Any]
logger = logging.getLogger(__name__)


_is_base: dict[type, bool] = {}  # per class: isinstance through the Protocol metaclass is slow


def _overrides(agent: Any) -> Overrides:
    cls = type(agent)
    known = _is_base.get(cls)
    if known is None:
        known = _is_base[cls] = isinstance(agent, AgentBase)
    return agent._overrides if known else ALL


# ---- one chat ----------------------------------------------------------------------------------------
async def start_chat(
    run: ChatRun,
    sender: ConversableAgent,
    recipient: Any,
    *,
    clear_history: bool,
    summary_method: Union[str, Callable[..., Any], None],
    summary_args: Optional[dict[str, Any]],
    message: Any,
    context: dict[str, Any],
) -> ChatResult:
    """Run a two-agent chat that ``sender`` starts with ``recipient``, in ``run``."""
    check_agent(recipient, "recipient")
    max_turns = run.max_turns
    if max_turns is not None and (isinstance(max_turns, bool) or not isinstance(max_turns, int) or max_turns < 0):
        raise ValueError(f"max_turns must be an int >= 0 or None, not {max_turns!r}")
    consolidate_chat_info({"recipient": recipient, "summary_method": summary_method}, uniform_sender=sender)
    context.pop("sender", None)
    if run.sync:
        for agent in (sender, recipient):
            if isinstance(agent, AgentBase):
                agent._raise_exception_on_async_reply_functions()
    with activated(run):
        sender._prepare_chat(recipient, clear_history, reply_at_receive=max_turns is None)
        with durable.recorded(run, sender, recipient, clear_history):
            try:
                await _converse(run, sender, recipient, message, context)
            except BudgetExceeded as exceeded:  # the call was not made: end here, keeping everything said so far
                logger.warning("The chat stopped: %s", exceeded)
                run.stop("budget")
            run.stop("no_reply")
            summary = await _summary(run, sender, recipient, summary_method, summary_args)
    return ChatResult(
        chat_history=list(sender.chat_messages[recipient]),
        summary=summary,
        cost=gather_usage_summary([sender, recipient]),
        human_input=list(run.human_input),
        stop_reason=run.stop_reason,
    )


async def _summary(
    run: ChatRun, sender: ConversableAgent, recipient: Any, method: Any, args: Optional[dict[str, Any]]
) -> Any:
    try:
        return await a_summarize_chat(sender, method, args or {}, recipient, run.cache)
    except BudgetExceeded:  # a reflection the budget no longer allows: the chat's result stays intact
        return ""


async def _converse(run: ChatRun, sender: ConversableAgent, recipient: Any, message: Any, context: dict) -> None:
    """Send the first message; then either let the two agents talk until one stops, or run ``max_turns`` turns."""
    if run.max_turns is None:
        first = await _first_message(run, sender, message, recipient, context)
        await send(run, sender, first, recipient, silent=run.silent)
        return
    for turn in range(run.max_turns):  # each turn: the sender speaks, the recipient answers once
        if turn == 0:
            next_message = await _first_message(run, sender, message, recipient, context)
        else:
            next_message = await reply_of(run, sender, sender.chat_messages[recipient], recipient)
        if next_message is None:
            return
        await send(run, sender, next_message, recipient, request_reply=True, silent=run.silent)
    run.stop("max_turns")


async def _first_message(
    run: ChatRun, sender: ConversableAgent, message: Any, recipient: Any, context: dict[str, Any]
) -> Any:
    """The chat's first message: a callable's result, or ``generate_init_message`` (which may ask the human)."""
    if callable(message):
        if inspect.iscoroutinefunction(message):
            return await message(sender, recipient, context)
        first = await run.call_user(message, sender, recipient, context)
        return await first if inspect.isawaitable(first) else first
    if run.sync:
        return await run.call_user(sender.generate_init_message, message, **context)
    return await sender.a_generate_init_message(message, **context)


# ---- one message and the replies it causes -----------------------------------------------------------
async def send(
    run: ChatRun,
    sender: Any,
    message: Any,
    recipient: Any,
    request_reply: Optional[bool] = None,
    silent: Optional[bool] = False,
) -> None:
    """``sender`` sends ``message`` to ``recipient`` (through ``sender``'s send override, if any)."""
    await deliver(run, await through_send_override(run, (sender, message, recipient, request_reply, silent)))


async def deliver(run: ChatRun, hop: Optional[Hop]) -> None:
    """Deliver ``hop``, then the reply it causes, and so on, until nobody replies."""
    while hop is not None:
        hop = await _deliver_one(run, hop)


async def _deliver_one(run: ChatRun, hop: Hop) -> Optional[Hop]:
    """Store the message on the sender's side, give it to the recipient; returns the reply's hop."""
    sender, message, recipient, request_reply, silent = hop
    message = sender._store_sent_message(message, recipient, silent)
    overrides = _overrides(recipient)
    if overrides.receive or overrides.a_receive:
        run.await_hand_back("receive", recipient, sender)
        own = (overrides.receive, overrides.a_receive)
        await _override(run, own, recipient.receive, recipient.a_receive, message, sender, request_reply, silent)
        return run.take_hand_back()
    answer = await receive(run, recipient, message, sender, request_reply, silent)
    if answer is None:
        return None
    return await through_send_override(run, (recipient, answer, sender, None, silent))


async def through_send_override(run: ChatRun, hop: Hop) -> Optional[Hop]:
    """Let the sender's ``send`` override see ``hop``; returns what it passed on to ``super().send``."""
    sender, message, recipient, request_reply, silent = hop
    overrides = _overrides(sender)
    if not (overrides.send or overrides.a_send):
        return hop
    run.await_hand_back("send", sender, recipient)
    own = (overrides.send, overrides.a_send)
    await _override(run, own, sender.send, sender.a_send, message, recipient, request_reply, silent)
    return run.take_hand_back()


async def _override(
    run: ChatRun, own: tuple[bool, bool], sync_step: Callable[..., Any], async_step: Callable[..., Any], *args: Any
) -> Any:
    """Call an agent's own version of a step (``own``: whether it has a sync / an async one): the sync one in a
    sync chat (on the calling thread) or when it is the only one, else the async one."""
    has_sync, has_async = own
    if (run.sync and has_sync) or not has_async:
        return await run.call_user(sync_step, *args)
    return await async_step(*args)


async def receive(
    run: ChatRun,
    agent: ConversableAgent,
    message: Any,
    sender: Any,
    request_reply: Optional[bool],
    silent: Optional[bool],
) -> Union[str, Message, None]:
    """``agent`` stores and prints ``message``; returns its reply, or None when none is due."""
    agent._process_received_message(message, sender, silent)
    if request_reply is False or (request_reply is None and not agent.reply_at_receive[sender]):
        return None
    return await reply_of(run, agent, agent.chat_messages[sender], sender)


# ---- one reply ---------------------------------------------------------------------------------------
async def reply_of(
    run: ChatRun, agent: Any, messages: Optional[list[Message]], sender: Optional[Agent]
) -> Union[str, Message, None]:
    """``agent``'s reply to ``messages`` (through its ``generate_reply`` override, if any)."""
    overrides = _overrides(agent)
    own = (overrides.generate_reply, overrides.a_generate_reply)
    if any(own):
        return await _override(run, own, agent.generate_reply, agent.a_generate_reply, messages, sender)
    return await reply(run, agent, messages, sender)


async def reply(
    run: ChatRun,
    agent: ConversableAgent,
    messages: Optional[list[Message]],
    sender: Optional[Agent],
    exclude: Any = None,
) -> Union[str, Message, None]:
    """Run ``agent``'s hooks and reply functions on ``messages``; the first final reply wins."""
    if messages is None and sender is None:
        raise ValueError(
            f"generate_reply() of {agent.name!r} needs messages or a sender (whose conversation to answer)."
        )
    if messages is None:
        messages = agent.chat_messages[sender]  # type: ignore[index]
    agent.update_agent_state_before_reply(messages)
    messages = agent.process_all_messages_before_reply(messages)
    messages = agent.process_last_received_message(messages)
    for entry in list(agent._reply_func_list):
        reply_func = entry["reply_func"]
        if exclude and is_excluded(entry, exclude):
            continue
        if not match_trigger(entry["trigger"], sender):
            continue
        result = await _call_reply_function(run, agent, entry, messages, sender)
        if result is None:
            continue
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(
                f"reply function {getattr(reply_func, '__name__', reply_func)!r} must return a (final, reply) "
                f"tuple, not {result!r}"
            )
        final, answer = result
        if logging_enabled():
            log_event_if_enabled(
                agent,
                "reply_func_executed",
                reply_func_module=getattr(reply_func, "__module__", None),
                reply_func_name=getattr(reply_func, "__name__", repr(reply_func)),
                final=final,
                reply=answer,
            )
        if final:
            return answer
    return agent._default_auto_reply


async def _call_reply_function(
    run: ChatRun, agent: AgentBase, entry: dict[str, Any], messages: list[Message], sender: Any
) -> Optional[tuple[bool, Any]]:
    """One reply function: a built-in gets the run; user code keeps 0.2's signature. None: skipped."""
    builtin = entry.get("builtin")
    if builtin is not None:
        return await builtin(agent, run, messages, sender, entry["config"])
    func = entry["reply_func"]
    if inspect.iscoroutinefunction(func):
        if run.sync and entry.get("ignore_async_in_sync_chat"):
            return None
        return await func(agent, messages=messages, sender=sender, config=entry["config"])
    result = await run.call_user(func, agent, messages=messages, sender=sender, config=entry["config"])
    return await result if inspect.isawaitable(result) else result
