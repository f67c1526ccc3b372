"""AgentEval: criteria for judging how well a system does a task, suggested and then applied by LLM agents.

``generate_criteria`` asks a :class:`CriticAgent` (and, optionally, a :class:`SubCriticAgent`) for a list of
:class:`Criterion`; ``quantify_criteria`` asks a :class:`QuantifierAgent` to grade one test case against them.
"""

from .agent_eval import generate_criteria, quantify_criteria
from .criterion import Criterion
from .critic_agent import CriticAgent
from .quantifier_agent import QuantifierAgent
from .subcritic_agent import SubCriticAgent
from .task import Task

__all__ = [
    "CriticAgent",
    "Criterion",
    "QuantifierAgent",
    "SubCriticAgent",
    "Task",
    "generate_criteria",
    "quantify_criteria",
]
