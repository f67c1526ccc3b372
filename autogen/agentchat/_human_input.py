"""Termination and human input: the first built-in reply function of every agent."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ..io.base import IOStream
from ._printing import colored
from ._reply_chain import in_sync_chat, link_async_impl, run_as_sync_chat

if TYPE_CHECKING:
    from ._host import _AgentHost as _Base
    from .agent import Agent
else:
    _Base = object

__all__ = ["HumanInputMixin"]

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


class HumanInputMixin(_Base):
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

    async def _a_ask_human(self, prompt: str) -> str:
        if in_sync_chat():
            return self.get_human_input(prompt)
        return await self.a_get_human_input(prompt)

    def check_termination_and_human_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Decide whether to end the chat, ask the human, or go on with an automatic reply.

        Returns:
            ``(True, None)`` to end the chat, ``(True, reply)`` with the human's reply, or
            ``(False, None)`` to let the next reply function answer.
        """
        return run_as_sync_chat(self.a_check_termination_and_human_reply(messages, sender, config))

    async def a_check_termination_and_human_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`check_termination_and_human_reply`."""
        if messages is None:
            messages = self._oai_messages[sender] if sender else []
        message = messages[-1] if messages else {}
        sender_name = "the sender" if sender is None else sender.name
        reply, no_input = await self._a_human_reply_for(message, sender, sender_name)

        if no_input:
            IOStream.get_default().print(colored("\n>>>>>>>> NO HUMAN INPUT RECEIVED.", "red"), flush=True)
        if reply == "exit":
            self._consecutive_auto_reply_counter[sender] = 0
            return True, None
        if reply or self._max_consecutive_auto_reply_dict[sender] == 0:
            self._consecutive_auto_reply_counter[sender] = 0
            response: Message = {"role": "user", "content": reply}
            interrupted = _interrupted_calls(message)
            if interrupted:
                response["tool_responses"] = interrupted
            return True, response

        self._consecutive_auto_reply_counter[sender] += 1
        if self.human_input_mode != "NEVER":
            IOStream.get_default().print(colored("\n>>>>>>>> USING AUTO REPLY...", "red"), flush=True)
        return False, None

    async def _a_human_reply_for(self, message: Message, sender: Any, sender_name: str) -> tuple[str, bool]:
        """The human's reply ("exit" to end, "" for auto-reply) and whether the human was asked but typed nothing."""
        if self.human_input_mode == "ALWAYS":
            reply = await self._a_ask_human(
                f"Replying as {self.name}. Give feedback to {sender_name}. "
                "Press enter to skip and use auto-reply, or type 'exit' to end the conversation: "
            )
            # no input at a termination message ends the chat
            return (reply if reply or not self._is_termination_msg(message) else "exit"), not reply
        at_limit = self._consecutive_auto_reply_counter[sender] >= self._max_consecutive_auto_reply_dict[sender]
        terminating = self._is_termination_msg(message)
        if not (at_limit or terminating):
            return "", False
        if self.human_input_mode == "NEVER":
            return "exit", False
        if terminating:
            prompt = f"Give feedback to {sender_name}. Press enter or type 'exit' to end the conversation: "
        else:
            prompt = (
                f"Give feedback to {sender_name}. "
                "Press enter to skip and use auto-reply, or type 'exit' to end the conversation: "
            )
        reply = await self._a_ask_human(prompt)
        return (reply if reply or not terminating else "exit"), not reply


link_async_impl(HumanInputMixin.check_termination_and_human_reply, HumanInputMixin.a_check_termination_and_human_reply)
