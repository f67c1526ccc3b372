"""Termination and human input: the first built-in reply function of every agent."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from .._sync import run_sync
from ..io.base import IOStream
from ._agent_base import AgentBase
from ._printing import colored
from .chat_run import ChatRun, run_or_new

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["HumanInputMixin", "ask_human", "termination_and_human_reply"]

Message = dict[str, Any]


_input_threads: Optional[concurrent.futures.ThreadPoolExecutor] = None
_input_threads_lock = threading.Lock()


async def _run_blocking_input(read: Callable[[str], str], prompt: str) -> str:
    """Run a blocking ``read(prompt)`` on a thread of its own pool.

    Humans may take minutes to answer; a pool of their own (not asyncio's small default one)
    keeps many waiting chats from queueing behind each other or starving other blocking work.
    """
    global _input_threads
    with _input_threads_lock:
        if _input_threads is None:
            _input_threads = concurrent.futures.ThreadPoolExecutor(max_workers=256, thread_name_prefix="autogen-input")
    context = contextvars.copy_context()  # the IOStream chosen with IOStream.set_default goes along
    return await asyncio.get_running_loop().run_in_executor(_input_threads, context.run, read, prompt)


def _interrupted_calls(message: Message) -> list[Message]:
    """Responses that close the calls a message made, because the human answered instead."""
    responses: list[Message] = []
    function_call = message.get("function_call")
    if function_call:
        responses.append({"role": "function", "name": function_call.get("name", ""), "content": "USER INTERRUPTED"})
    for call in message.get("tool_calls") or []:
        responses.append({"role": "tool", "tool_call_id": call.get("id", ""), "content": "USER INTERRUPTED"})
    return responses


async def ask_human(agent: Any, run: ChatRun, prompt: str) -> str:
    """Ask the human through ``agent``: on the calling thread in a sync chat, off the event loop in an async one.

    What the human types for the chat's sender is also kept in the run (``ChatResult.human_input``).
    """

    async def ask() -> str:
        if run.sync:
            return await run.call_user(agent.get_human_input, prompt)
        return await agent.a_get_human_input(prompt)

    reply = await run.effect("human", (getattr(agent, "name", ""), prompt), ask)
    run.human_input.append(reply)
    return reply


async def termination_and_human_reply(
    agent: Any, run: ChatRun, messages: Optional[list[Message]], sender: Any, config: Any
) -> tuple[bool, Union[str, Message, None]]:
    """The built-in reply function that ends the chat, asks the human, or lets the next function answer.

    Returns:
        ``(True, None)`` to end the chat, ``(True, reply)`` with the human's reply, or
        ``(False, None)`` to let the next reply function answer.
    """
    if messages is None:
        messages = agent._oai_messages[sender] if sender else []
    message = messages[-1] if messages else {}
    sender_name = "the sender" if sender is None else sender.name
    reply, no_input = await _human_reply_for(agent, run, message, sender, sender_name)

    if no_input:
        IOStream.get_default().print(colored("\n>>>>>>>> NO HUMAN INPUT RECEIVED.", "red"), flush=True)
    if reply == "exit":
        agent._consecutive_auto_reply_counter[sender] = 0
        run.stop(_why_exit(agent, message, sender, asked=agent.human_input_mode != "NEVER" and not no_input))
        return True, None
    if reply or agent._max_consecutive_auto_reply_dict[sender] == 0:
        agent._consecutive_auto_reply_counter[sender] = 0
        response: Message = {"role": "user", "content": reply}
        interrupted = _interrupted_calls(message)
        if interrupted:
            response["tool_responses"] = interrupted
        return True, response

    agent._consecutive_auto_reply_counter[sender] += 1
    if agent.human_input_mode != "NEVER":
        IOStream.get_default().print(colored("\n>>>>>>>> USING AUTO REPLY...", "red"), flush=True)
    return False, None


def _why_exit(agent: Any, message: Message, sender: Any, asked: bool) -> str:
    """The stop reason when a reply of "exit" ends the chat."""
    if asked:
        return "human_exit"
    if agent._is_termination_msg(message):
        return "termination_message"
    return "max_consecutive_auto_reply"


async def _human_reply_for(
    agent: Any, run: ChatRun, message: Message, sender: Any, sender_name: str
) -> tuple[str, bool]:
    """The human's reply ("exit" to end, "" for auto-reply) and whether the human was asked but typed nothing."""
    if agent.human_input_mode == "ALWAYS":
        reply = await ask_human(
            agent,
            run,
            f"Replying as {agent.name}. Your feedback for {sender_name} (Enter alone lets the agent answer "
            "automatically; 'exit' ends the chat): ",
        )
        # no input at a termination message ends the chat
        return (reply if reply or not agent._is_termination_msg(message) else "exit"), not reply
    at_limit = agent._consecutive_auto_reply_counter[sender] >= agent._max_consecutive_auto_reply_dict[sender]
    terminating = agent._is_termination_msg(message)
    if not (at_limit or terminating):
        return "", False
    if agent.human_input_mode == "NEVER":
        return "exit", False
    if terminating:
        prompt = f"Your feedback for {sender_name} (Enter alone or 'exit' ends the chat): "
    else:
        prompt = (
            f"Your feedback for {sender_name} (Enter alone lets the agent answer automatically; 'exit' ends the chat): "
        )
    reply = await ask_human(agent, run, prompt)
    return (reply if reply or not terminating else "exit"), not reply


class HumanInputMixin(AgentBase):
    """Asks the human when ``human_input_mode`` says so, and ends chats at termination or the limit."""

    def get_human_input(self, prompt: str) -> str:
        """Read the human's reply from the current IOStream and record it for the chat result.

        Override this (or :meth:`a_get_human_input`) to take input from somewhere else.
        """
        reply = IOStream.get_default().input(prompt)
        self._human_input.append(reply)
        return reply

    async def a_get_human_input(self, prompt: str) -> str:
        """Like :meth:`get_human_input`, run on a worker thread so other chats keep going."""
        return await _run_blocking_input(self.get_human_input, prompt)

    def check_termination_and_human_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Decide whether to end the chat, ask the human, or go on with an automatic reply.

        Returns:
            ``(True, None)`` to end the chat, ``(True, reply)`` with the human's reply, or
            ``(False, None)`` to let the next reply function answer.
        """
        return run_sync(termination_and_human_reply(self, run_or_new(sync=True), messages, sender, config))

    async def a_check_termination_and_human_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`check_termination_and_human_reply`."""
        return await termination_and_human_reply(self, run_or_new(sync=False), messages, sender, config)
