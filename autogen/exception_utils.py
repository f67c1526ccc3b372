"""Exceptions raised by agents and group chats."""

from __future__ import annotations

from typing import Any

__all__ = [
    "AgentNameConflict",
    "InvalidCarryOverType",
    "NoEligibleSpeaker",
    "SenderRequired",
    "UndefinedNextAgent",
]


class AgentNameConflict(Exception):
    """Two agents in a group chat share a name, so a name cannot pick one."""

    def __init__(self, msg: str = "Found multiple agents with the same name.", *args: Any, **kwargs: Any):
        super().__init__(msg, *args, **kwargs)


class NoEligibleSpeaker(Exception):
    """No agent may speak next; the group chat ends."""

    def __init__(self, message: str = "No eligible speakers."):
        self.message = message
        super().__init__(self.message)


class SenderRequired(Exception):
    """A reply was requested without saying who sent the message."""

    def __init__(self, message: str = "Sender is required but not provided."):
        self.message = message
        super().__init__(self.message)


class InvalidCarryOverType(Exception):
    """`carryover` must be a str or a list of str/dict."""

    def __init__(self, message: str = "Carryover should be a string or a list of strings."):
        self.message = message
        super().__init__(self.message)


class UndefinedNextAgent(Exception):
    """A transition names an agent that is not in the group chat."""

    def __init__(self, message: str = "The provided agents list does not overlap with agents in the group."):
        self.message = message
        super().__init__(self.message)
