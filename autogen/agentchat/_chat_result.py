"""``ChatResult``: what a finished two-agent chat returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

__all__ = ["ChatResult"]


@dataclass
class ChatResult:
    """The result of a two-agent chat."""

    chat_id: Optional[int] = None
    """The chat's id (set by ``a_initiate_chats``)."""
    chat_history: Optional[list[dict[str, Any]]] = None
    """The messages of the chat, as the sender stored them."""
    summary: Optional[str] = None
    """The chat's summary, by its ``summary_method``."""
    cost: Optional[dict[str, dict[str, Any]]] = None
    """Usage of sender and recipient, in the ``gather_usage_summary`` shape."""
    human_input: Optional[list[str]] = None
    """The human inputs the sender received during the chat."""
    stop_reason: Optional[str] = None
    """Why the chat ended: "termination_message", "human_exit", "max_consecutive_auto_reply", "max_turns",
    "max_round", "no_eligible_speaker", "no_reply" or "budget"."""
