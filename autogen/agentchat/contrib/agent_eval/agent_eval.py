"""The two steps of AgentEval: make criteria for a task, then grade a test case against them."""

from __future__ import annotations

from typing import Any, Optional, Union

from ...groupchat import GroupChat, GroupChatManager
from ...user_proxy_agent import UserProxyAgent
from .criterion import Criterion
from .critic_agent import CriticAgent
from .quantifier_agent import QuantifierAgent
from .subcritic_agent import SubCriticAgent
from .task import Task

__all__ = ["generate_criteria", "quantify_criteria"]


def _check_inputs(llm_config: Any, task: Any) -> dict[str, Any]:
    if not isinstance(llm_config, dict):
        raise ValueError(f"llm_config must be an llm_config dict (with a config_list), not {llm_config!r}")
    if not isinstance(task, Task):
        raise TypeError(f"task must be an agent_eval.Task (e.g. Task.parse_json_str(text)), not {type(task).__name__}")
    return llm_config


def _silent_user(name: str) -> UserProxyAgent:
    return UserProxyAgent(name, max_consecutive_auto_reply=0, human_input_mode="NEVER", code_execution_config=False)


def criteria_in(answer: str) -> list[Criterion]:
    """The criteria in a model's answer: the JSON list in it, ignoring any text or code fence around it.

    Raises:
        ValueError: the answer holds no JSON list of criteria; the message quotes the answer.
    """
    start, end = answer.find("["), answer.rfind("]")
    if start < 0 or end < start:
        raise ValueError(f"the critic's answer holds no JSON list of criteria: {answer[:300]!r}")
    return Criterion.parse_json_str(answer[start : end + 1])


def generate_criteria(
    llm_config: Optional[Union[dict[str, Any], bool]] = None,
    task: Optional[Task] = None,
    additional_instructions: str = "",
    max_round: int = 2,
    use_subcritic: bool = False,
) -> list[Criterion]:
    """Ask a critic (and, with ``use_subcritic``, a sub-critic after it) for criteria to evaluate ``task`` by.

    Args:
        llm_config: the model of the critic agents.
        task: the task to evaluate.
        additional_instructions: appended to the critic's system message.
        max_round: rounds of the critics' group chat (the task message is the first; raise it to 3 for the
            sub-critic to speak).
        use_subcritic: add a :class:`SubCriticAgent` that breaks the criteria into sub-criteria.

    Returns:
        The criteria of the last answer.

    Raises:
        ValueError: a bad ``llm_config``, or a last answer without a valid JSON list of criteria.
    """
    config = _check_inputs(llm_config, task)
    assert task is not None
    system_message = CriticAgent.DEFAULT_SYSTEM_MESSAGE
    if additional_instructions:
        system_message += "\n" + additional_instructions
    critic = CriticAgent(system_message=system_message, llm_config=config)
    critic_user = _silent_user("critic_user")
    agents: list[Any] = [critic_user, critic]
    if use_subcritic:
        agents.append(SubCriticAgent(llm_config=config))
    groupchat = GroupChat(agents=agents, messages=[], max_round=max_round, speaker_selection_method="round_robin")
    manager = GroupChatManager(groupchat=groupchat, llm_config=config)
    critic_user.initiate_chat(manager, message=task.get_sys_message())
    last = critic_user.last_message() or {}
    return criteria_in(str(last.get("content") or ""))


def quantify_criteria(
    llm_config: Optional[Union[dict[str, Any], bool]] = None,
    criteria: Optional[list[Criterion]] = None,
    task: Optional[Task] = None,
    test_case: str = "",
    ground_truth: str = "",
) -> dict[str, Any]:
    """Ask a :class:`QuantifierAgent` to grade ``test_case`` on each of ``criteria``.

    Returns:
        ``{"actual_success": ground_truth, "estimated_performance": the quantifier's answer}`` (as 0.2: the
        answer is the model's text, normally a JSON dictionary of criterion name -> grade).

    Raises:
        ValueError: a bad ``llm_config`` or no criteria.
    """
    config = _check_inputs(llm_config, task)
    assert task is not None
    if not criteria or not all(isinstance(c, Criterion) for c in criteria):
        raise ValueError("criteria must be a non-empty list of Criterion (from generate_criteria or parse_json_str)")
    quantifier = QuantifierAgent(llm_config=config)
    quantifier_user = _silent_user("quantifier_user")
    message = (
        task.get_sys_message()
        + "Evaluation dictionary: "
        + Criterion.write_json(criteria)
        + "actual test case to evaluate: "
        + test_case
    )
    quantifier_user.initiate_chat(quantifier, message=message)
    last = quantifier_user.last_message() or {}
    return {"actual_success": ground_truth, "estimated_performance": last.get("content")}
