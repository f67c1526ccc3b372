# ruff: noqa: E501  (prompt text keeps one line per instruction)
"""SubCriticAgent: breaks the critic's criteria into sub-criteria."""

from __future__ import annotations

from typing import Any, Optional

from ...conversable_agent import ConversableAgent

__all__ = ["SubCriticAgent"]


class SubCriticAgent(ConversableAgent):
    """An agent that adds sub-criteria to the critic's criteria, where they help.

    Args:
        name: the agent's name.
        system_message: its instructions (default :attr:`DEFAULT_SYSTEM_MESSAGE`).
        description: how other agents see it.
        **kwargs: other ConversableAgent arguments (``llm_config``, ...).
    """

    DEFAULT_SYSTEM_MESSAGE = """You assist the critic agent. Where you think it is needed, you propose sub-criteria for evaluating a task, based on the criteria the critic gave.
Sub-criteria must be distinguishable, quantifiable, and related to the overall theme of the critic's criteria.
You read the description of each criterion and add to it a new key, "sub_criteria", holding its sub-criteria.
"sub_criteria" is a list in which every item is a dictionary of this form:
{"name": the sub-criterion's name, "description": what the sub-criterion assesses, "accepted_values": the values a grade for it may take}
Do this for every criterion the critic gave, and drop that criterion's own accepted values. In "accepted_values" give fine-grained inputs, preferably several graded levels; in "description" describe the sub-criterion.
When you are done, reply with the JSON of all the criteria, keeping everything the critic's criteria contained as well.
Make sure the JSON is valid, and write no code."""
    DEFAULT_DESCRIPTION = "An AI agent that creates sub-criteria from a given list of criteria."

    def __init__(
        self,
        name: str = "subcritic",
        system_message: Optional[str] = DEFAULT_SYSTEM_MESSAGE,
        description: Optional[str] = DEFAULT_DESCRIPTION,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name, system_message=system_message, description=description, **kwargs)
