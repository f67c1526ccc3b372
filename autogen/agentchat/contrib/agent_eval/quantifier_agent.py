# ruff: noqa: E501  (prompt text keeps one line per instruction)
"""QuantifierAgent: grades a task's result against given criteria."""

from __future__ import annotations

from typing import Any, Optional

from ...conversable_agent import ConversableAgent

__all__ = ["QuantifierAgent"]


class QuantifierAgent(ConversableAgent):
    """An agent that grades a test case on each criterion, answering with a JSON dictionary.

    Args:
        name: the agent's name.
        system_message: its instructions (default :attr:`DEFAULT_SYSTEM_MESSAGE`).
        description: how other agents see it.
        **kwargs: other ConversableAgent arguments (``llm_config``, ...).
    """

    DEFAULT_SYSTEM_MESSAGE = """You are a helpful assistant who grades the results of tasks against given criteria.
The criteria come as a JSON list in which every element is a distinct criterion, a dictionary of this form:
{"name": the criterion's name, "description": what the criterion assesses, "accepted_values": the values a grade for it may take}
Grade the given result of the task on each criterion, using the task's description.
Reply with a dictionary whose keys are the criteria's names and whose values are your grades, each one of that criterion's accepted values.
Reply with the dictionary only, and no code."""
    DEFAULT_DESCRIPTION = "An AI agent that quantifies the performance of a system using the provided criteria."

    def __init__(
        self,
        name: str = "quantifier",
        system_message: Optional[str] = DEFAULT_SYSTEM_MESSAGE,
        description: Optional[str] = DEFAULT_DESCRIPTION,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, system_message=system_message, description=description, **kwargs)
