# ruff: noqa: E501  (prompt text keeps one line per instruction)
"""CriticAgent: suggests the criteria a task's results should be judged by."""

from __future__ import annotations

from typing import Any, Optional

from ...conversable_agent import ConversableAgent

__all__ = ["CriticAgent"]


class CriticAgent(ConversableAgent):
    """An agent that suggests evaluation criteria for a task, as a JSON list.

    Args:
        name: the agent's name.
        system_message: its instructions (default :attr:`DEFAULT_SYSTEM_MESSAGE`).
        description: how other agents see it.
        **kwargs: other ConversableAgent arguments (``llm_config``, ...).
    """

    DEFAULT_SYSTEM_MESSAGE = """You are a helpful assistant who proposes criteria for evaluating how well a task was done.
The criteria must be distinguishable from each other, quantifiable, and not redundant.
Write them as a list in which every item is one criterion, a dictionary of this form:
{"name": the criterion's name, "description": what the criterion assesses, "accepted_values": the values a grade for it may take}
In "accepted_values" give fine-grained inputs, preferably several graded levels; in "description" describe the criterion.
Reply with the list of criteria only, and no code."""
    DEFAULT_DESCRIPTION = "An AI agent that creates a list of criteria for evaluating the utility of a given task."

    def __init__(
        self,
        name: str = "critic",
        system_message: Optional[str] = DEFAULT_SYSTEM_MESSAGE,
        description: Optional[str] = DEFAULT_DESCRIPTION,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, system_message=system_message, description=description, **kwargs)
