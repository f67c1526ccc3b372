"""Group-chat history operations: saving and resuming a conversation, and the "clear history" command."""

from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any, Callable, Optional, Union, cast

from ..io import IOStream

if TYPE_CHECKING:
    from ._group import GroupChat
    from .conversable_agent import ConversableAgent

__all__ = [
    "check_resume_messages",
    "clear_agents_history",
    "has_clear_command",
    "messages_from_string",
    "messages_to_string",
    "remove_termination_string",
]

logger = logging.getLogger(__name__)

_CLEAR_HISTORY = re.compile(r"\bclear\s+history\b[.,;:!?]*", re.IGNORECASE)


def messages_to_string(messages: list[dict]) -> str:
    """Serialise a group chat's messages (JSON) so the chat can be resumed later."""
    return json.dumps(messages)


def messages_from_string(message_string: str) -> list[dict]:
    """Read messages written by :func:`messages_to_string`.

    Raises:
        ValueError: when the text is not a JSON list of message dicts.
    """
    try:
        messages = json.loads(message_string)
    except ValueError as exc:
        raise ValueError(f"Cannot read group chat messages: not JSON ({exc}).") from None
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        raise ValueError("Cannot read group chat messages: expected a JSON list of message objects.")
    return messages


def check_resume_messages(messages: list[dict], groupchat: GroupChat, manager_name: str) -> None:
    """Raise ValueError unless ``messages`` can resume ``groupchat``.

    There must be messages, and every named speaker must be a member, the admin or the manager;
    only the first message (the task) may come from outside the group, as when a user who is not
    a member started the chat.
    """
    if not messages:
        raise ValueError("Cannot resume a group chat without messages; start a new one with initiate_chat instead.")
    known = {*groupchat.agent_names, groupchat.admin_name, manager_name}
    first_checked = 0 if len(messages) == 1 else 1
    for i, message in enumerate(messages[first_checked:], start=first_checked):
        name = message.get("name")
        if name and name not in known and message.get("role") not in ("function", "tool"):
            raise ValueError(
                f"Cannot resume: message {i} is from {name!r}, which is not an agent of the group chat "
                f"{groupchat.agent_names} (nor the admin or the manager)."
            )


def remove_termination_string(message: dict, remover: Union[str, Callable[[str], str], None]) -> None:
    """Take a termination string out of ``message``'s content (a string to delete, or a function)."""
    if remover is None or not isinstance(message.get("content"), str):
        return
    if isinstance(remover, str):
        message["content"] = message["content"].replace(remover, "")
    else:
        message["content"] = remover(message["content"])


def has_clear_command(text: str) -> bool:
    """Whether ``text`` contains the words "clear history" (any case)."""
    return _CLEAR_HISTORY.search(text) is not None


def _parse_clear_command(words: list[str], groupchat: GroupChat) -> tuple[Any, Optional[int], int]:
    """Read "[agent] [n]" after "clear history": (agent or None, n or None, number of words used)."""
    agent = None
    keep: Optional[int] = None
    used = 0
    for word in words[:2]:
        bare = word.rstrip(".,;:!?")
        if keep is None and bare.isdigit():
            keep = int(bare)
        elif agent is None and groupchat.agent_by_name(bare) is not None:
            agent = groupchat.agent_by_name(bare)
        else:
            break
        used += 1
    return agent, keep, used


def clear_agents_history(reply: dict, groupchat: GroupChat) -> str:
    """Carry out the "clear history [agent] [n]" command in ``reply`` and return the reply's text without it.

    Without an agent name, every member's history and the group's messages are cleared; with
    ``n``, the last ``n`` messages are kept. When the reply also carries tool responses, at least
    the last message is kept, so no tool response loses its call.
    """
    content = reply.get("content") or ""
    matches = list(_CLEAR_HISTORY.finditer(content))
    if not matches:
        return content
    command = matches[-1]
    after = content[command.end() :].split()
    agent, keep, used = _parse_clear_command(after, groupchat)
    if reply.get("tool_responses") and not keep:
        keep = 1
        logger.warning("Keeping the last message, so the tool call that the tool responses answer is not lost.")
    iostream = IOStream.get_default()
    kept = f" except the last {keep} messages" if keep else ""
    if agent is not None:
        iostream.print(f"Clearing history for {agent.name}{kept}.")
        agent.clear_history(nr_messages_to_preserve=keep)
    else:
        iostream.print(f"Clearing history for all agents{kept}.")
        preserved = groupchat.messages[-keep:] if keep else []
        groupchat.messages[:] = preserved
        for member in groupchat.agents:
            cast("ConversableAgent", member).clear_history(nr_messages_to_preserve=keep)
    rest = " ".join(after[used:])
    return " ".join(part for part in (content[: command.start()].strip(), rest) if part)
