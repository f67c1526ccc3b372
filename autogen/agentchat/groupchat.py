"""Group chat: many agents in one conversation (0.2's public module).

:class:`GroupChat` (``_group.py``) holds the agents, the shared messages and the speaker-selection
settings; :class:`GroupChatManager` (``_group_manager.py``), an agent, runs the conversation one
round at a time (``_group_round.py``).
"""

from ._group import GroupChat
from ._group_manager import GroupChatManager

__all__ = ["GroupChat", "GroupChatManager"]
