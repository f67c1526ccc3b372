"""The group-chat loop: relay each message to every member, pick the next speaker, let it speak.

Written against the public agent API only, so any agent can run a group chat by registering
``GroupChatManager.run_chat`` as a reply function with the ``GroupChat`` as its config (as in 0.2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..exception_utils import NoEligibleSpeaker
from ..formatting_utils import colored
from ..io import IOStream
from . import _groupchat_resume as history

if TYPE_CHECKING:
    from .groupchat import GroupChat

__all__ = ["run_group_chat"]


async def run_group_chat(manager: Any, groupchat: GroupChat, message: dict, sender: Any) -> Optional[str]:
    """Run ``groupchat`` from ``message`` (sent by ``sender``) until it ends.

    The chat ends when a message meets the manager's ``is_termination_msg``, after
    ``groupchat.max_round`` messages, when nobody may speak, or when the speaker has no reply.

    Returns:
        When ``sender`` is another group's manager (``manager`` is a member of that group), the
        text this group ended on, to be ``manager``'s reply there; otherwise None.
    """
    start = len(groupchat.messages)
    if groupchat.send_introductions and start == 0:  # once per conversation, not per nested run
        intro = groupchat.introductions_msg()
        for agent in groupchat.agents:
            await manager.a_send(intro, agent, request_reply=False, silent=True)
    lent = _lend_cache(manager, groupchat)
    try:
        await _rounds(manager, groupchat, message, sender)
    finally:
        for agent, previous in lent:
            agent.client_cache = previous
    from .groupchat import GroupChat

    sender_runs_a_group = isinstance(getattr(sender, "_groupchat", None), GroupChat)
    if sender_runs_a_group and sender is not manager and sender not in groupchat.agents:
        return _outcome(manager, groupchat, start)
    return None


async def _rounds(manager: Any, groupchat: GroupChat, message: dict, speaker: Any) -> None:
    silent = getattr(manager, "_silent", False)
    iostream = IOStream.get_default()
    for round_index in range(groupchat.max_round):
        manager._last_speaker = speaker
        message = dict(message)
        groupchat.append(message, speaker)
        for agent in groupchat.agents:
            if agent is not speaker:
                await manager.a_send(message, agent, request_reply=False, silent=True)
        if manager._is_termination_msg(message) or round_index == groupchat.max_round - 1:
            return
        try:
            speaker = await groupchat.a_select_speaker(speaker, manager)
            if not silent:
                iostream.print(colored(f"\nNext speaker: {speaker.name}\n", "green"), flush=True)
            reply = await speaker.a_generate_reply(sender=manager)
        except KeyboardInterrupt:
            admin = groupchat.agent_by_name(groupchat.admin_name)
            if admin is None:
                raise
            speaker = admin
            reply = await speaker.a_generate_reply(sender=manager)
        except NoEligibleSpeaker:
            return
        if reply is None:
            return
        if groupchat.enable_clear_history:
            reply = _carry_out_clear_command(reply, groupchat)
        await speaker.a_send(reply, manager, request_reply=False, silent=silent)
        message = manager.last_message(speaker)


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


def _lend_cache(manager: Any, groupchat: GroupChat) -> list[tuple[Any, Any]]:
    """Let every member use the cache the chat was started with; returns what to give back."""
    cache = getattr(manager, "client_cache", None)
    if cache is None:
        return []
    lent = []
    for agent in groupchat.agents:
        if hasattr(agent, "client_cache"):
            lent.append((agent, agent.client_cache))
            agent.client_cache = cache
    return lent
