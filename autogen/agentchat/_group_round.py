"""One group chat, round by round: relay each message to every member, pick the next speaker, let it speak.

The group runs in a child of the chat run that reached the manager, so every member's model calls
use that chat's cache and count in its usage; members shared with other group chats running at the
same time are never touched. Each step goes through the engine (``_engine.py``), so members'
``send``/``receive``/``generate_reply`` overrides are honoured exactly as in two-agent chats.
"""

from __future__ import annotations

from typing import Any, Optional

from ..exception_utils import NoEligibleSpeaker
from ..formatting_utils import colored
from ..io import IOStream
from . import _engine as engine
from . import _groupchat_resume as history
from ._group import GroupChat
from .chat_run import ChatRun, activated

__all__ = ["run_group_chat"]


async def run_group_chat(run: ChatRun, manager: Any, groupchat: GroupChat, message: dict, sender: Any) -> Optional[str]:
    """Run ``groupchat`` from ``message`` (sent by ``sender``) until it ends.

    The chat ends when a message meets the manager's ``is_termination_msg``, after
    ``groupchat.max_round`` messages, when nobody may speak, or when the speaker has no reply.

    Returns:
        When ``sender`` is another group's manager (``manager`` is a member of that group), the
        text this group ended on, to be ``manager``'s reply there; otherwise None.
    """
    start = len(groupchat.messages)
    group_run = run.child(cache=run.cache, silent=run.silent, budget=getattr(manager, "group_budget", None))
    with activated(group_run):
        if groupchat.send_introductions and start == 0:  # once per conversation, not per nested run
            intro = groupchat.introductions_msg()
            for agent in groupchat.agents:
                await engine.send(group_run, manager, intro, agent, request_reply=False, silent=True)
        try:
            await _rounds(group_run, manager, groupchat, message, sender)
        finally:
            if group_run.stop_reason is not None:
                run.stop(group_run.stop_reason)  # the chat that reached the manager ends for the same reason
    sender_runs_a_group = isinstance(getattr(sender, "_groupchat", None), GroupChat)
    if sender_runs_a_group and sender is not manager and sender not in groupchat.agents:
        return _outcome(manager, groupchat, start)
    return None


async def _rounds(run: ChatRun, manager: Any, groupchat: GroupChat, message: dict, speaker: Any) -> None:
    silent = getattr(manager, "_silent", False)
    iostream = IOStream.get_default()
    for round_index in range(groupchat.max_round):
        manager._last_speaker = speaker
        message = dict(message)
        groupchat.append(message, speaker)
        for agent in groupchat.agents:
            if agent is not speaker:
                await engine.send(run, manager, message, agent, request_reply=False, silent=True)
        if manager._is_termination_msg(message):
            run.stop("termination_message")
            return
        if round_index == groupchat.max_round - 1:
            run.stop("max_round")
            return
        try:
            speaker = await _next_speaker(run, groupchat, manager, speaker)
            if not silent:
                iostream.print(colored(f"\nNext speaker: {speaker.name}\n", "green"), flush=True)
            reply = await engine.reply_of(run, speaker, None, manager)
        except KeyboardInterrupt:
            admin = groupchat.agent_by_name(groupchat.admin_name)
            if admin is None:
                raise
            speaker = admin
            reply = await engine.reply_of(run, speaker, None, manager)
        except NoEligibleSpeaker:
            run.stop("no_eligible_speaker")
            return
        if reply is None:
            run.stop("no_reply")
            return
        if groupchat.enable_clear_history:
            reply = _carry_out_clear_command(reply, groupchat)
        await engine.send(run, speaker, reply, manager, request_reply=False, silent=silent)
        message = manager.last_message(speaker)


async def _next_speaker(run: ChatRun, groupchat: GroupChat, manager: Any, last_speaker: Any) -> Any:
    """Who speaks next (a recorded effect in a durable chat: a resumed run does not choose again)."""

    async def choose() -> str:
        return (await groupchat.a_select_speaker(last_speaker, manager)).name

    name = await run.effect("speaker", (manager.name, len(groupchat.messages)), choose)
    speaker = groupchat.agent_by_name(name)
    if speaker is None:
        raise NoEligibleSpeaker(f"The recorded speaker {name!r} is not a member of the group chat any more.")
    return speaker


def _carry_out_clear_command(reply: Any, groupchat: GroupChat) -> Any:
    """Run a "clear history" command found in ``reply``; returns the reply without the command."""
    if isinstance(reply, str) and history.has_clear_command(reply):
        return history.clear_agents_history({"content": reply}, groupchat)
    if (
        isinstance(reply, dict)
        and isinstance(reply.get("content"), str)
        and history.has_clear_command(reply["content"])
    ):
        reply["content"] = history.clear_agents_history(reply, groupchat)
    return reply


def _outcome(manager: Any, groupchat: GroupChat, start: int) -> Optional[str]:
    """The last words of this run of the group (skipping a bare termination message)."""
    produced = groupchat.messages[start + 1 :]
    for message in reversed(produced):
        if message.get("content") and not manager._is_termination_msg(message):
            return message["content"]
    return produced[-1]["content"] if produced else None
