"""AgentOptimizer: improves an agent's set of functions from the conversations it had (0.2's "agent training").

Record conversations with :meth:`AgentOptimizer.record_one_conversation`, then call :meth:`AgentOptimizer.step`:
the optimizer model adds, revises or removes functions, and ``step`` returns the actions to apply::

    register_for_llm, register_for_executor = optimizer.step()
    for action in register_for_llm:
        assistant.update_function_signature(**action)
    user_proxy.register_function(function_map=register_for_executor)
"""

from __future__ import annotations

import copy
import json
import logging
import warnings
from typing import Any, Callable, Optional

from ...io.base import IOStream
from ...oai.client import OpenAIWrapper
from ...oai.openai_utils import filter_config
from ._agent_optimizer_prompts import (
    ADD_FUNC,
    FAILURE_EXPERIENCE_PROMPT,
    OPT_PROMPT,
    REMOVE_FUNC,
    RETRY_PROMPT,
    REVISE_FUNC,
    STATISTIC_PROMPT,
)
from ._optimizer_functions import Action, FunctionSpec, apply_action, executor_for, parse_action

__all__ = ["AgentOptimizer"]

logger = logging.getLogger(__name__)

Message = dict[str, Any]


class AgentOptimizer:
    """Optimizes the functions of an agent from its recorded conversations, one :meth:`step` at a time.

    Args:
        max_actions_per_step: most actions (add/revise/remove a function) the model takes per step.
        llm_config: the optimizer model's llm_config; its ``config_list`` is narrowed to ``optimizer_model``.
        optimizer_model: the model that proposes the actions.
        code_execution_config: ours: how the registered functions run their code (``use_docker``, ``timeout``,
            ``work_dir`` of ``autogen.code_utils.execute_code``); by default Docker, or the bubblewrap sandbox
            when Docker is not running.
        max_trials: ours: answers the model may give per action before the action is skipped (0.2: 3).
    """

    def __init__(
        self,
        max_actions_per_step: int,
        llm_config: dict[str, Any],
        optimizer_model: Optional[str] = "gpt-4-1106-preview",
        *,
        code_execution_config: Optional[dict[str, Any]] = None,
        max_trials: int = 3,
    ) -> None:
        if not isinstance(max_actions_per_step, int) or max_actions_per_step < 1:
            raise ValueError(f"max_actions_per_step must be a positive int, not {max_actions_per_step!r}")
        if not isinstance(llm_config, dict) or not llm_config.get("config_list"):
            raise ValueError(f"llm_config must be a dict with a non-empty config_list, not {llm_config!r}")
        config = copy.deepcopy(llm_config)
        config_list = filter_config(config["config_list"], {"model": [optimizer_model]})
        if not config_list:
            models = sorted({str(c.get("model")) for c in llm_config["config_list"]})
            raise ValueError(
                f"optimizer_model {optimizer_model!r} is not in llm_config's config_list (it has {models}): "
                "pass optimizer_model=<one of those>"
            )
        config["config_list"] = config_list
        self._max_actions_per_step = max_actions_per_step
        self._max_trials = max_trials
        self.optimizer_model = optimizer_model
        self.llm_config = config
        self._code_execution_config = dict(code_execution_config or {})
        self._client = OpenAIWrapper(**config)
        self.reset_optimizer()

    def reset_optimizer(self) -> None:
        """Forget every recorded conversation, the functions and the best performance."""
        self._trial_conversations_history: list[dict[str, Any]] = []
        self._trial_conversations_performance: list[dict[str, int]] = []
        self._trial_functions: list[FunctionSpec] = []
        self._best_conversations_history: list[dict[str, Any]] = []
        self._best_conversations_performance: list[dict[str, int]] = []
        self._best_functions: list[FunctionSpec] = []
        self._failure_functions_performance: list[dict[str, Any]] = []
        self._best_performance: float = -1

    def record_one_conversation(self, conversation_history: list[Message], is_satisfied: Optional[bool] = None) -> None:
        """Record one conversation (e.g. ``assistant.chat_messages_for_summary(user_proxy)``) and its outcome.

        Args:
            conversation_history: the conversation's messages.
            is_satisfied: whether the user was satisfied; None asks on the console (1 or 0).

        Raises:
            ValueError: the history is not a list of messages, or the console answer is not 1 or 0.
        """
        if not isinstance(conversation_history, list) or not all(isinstance(m, dict) for m in conversation_history):
            raise ValueError("conversation_history must be a list of message dicts (e.g. agent.chat_messages[other])")
        if is_satisfied is None:
            reply = IOStream.get_default().input(
                "Was the user satisfied with the conversation? (1: satisfied, 0: unsatisfied) "
            )
            if reply.strip() not in ("0", "1"):
                raise ValueError(f"answer 1 (satisfied) or 0 (unsatisfied), not {reply!r}")
            is_satisfied = reply.strip() == "1"
        key = f"Conversation {len(self._trial_conversations_history)}"
        self._trial_conversations_history.append({key: copy.deepcopy(conversation_history)})
        self._trial_conversations_performance.append({key: 1 if is_satisfied else 0})

    def step(self) -> tuple[list[dict[str, Any]], dict[str, Optional[Callable[..., str]]]]:
        """Let the model act on the function list, from the conversations recorded since the last step.

        Returns:
            ``(register_for_llm, register_for_executor)``: ``register_for_llm`` holds keyword arguments for an
            agent's ``update_function_signature`` (``{"func_sig": schema, "is_remove": False}`` per function,
            ``{"func_sig": name, "is_remove": True}`` per removed one); ``register_for_executor`` maps each name
            to the function that runs its code, or to None for a removed one (for ``register_function``).

        Raises:
            ValueError: no conversation was recorded since the last step.
        """
        if not self._trial_conversations_history:
            raise ValueError("no conversation recorded: call record_one_conversation() before step()")
        self._update_best()
        incumbent = list(self._best_functions)
        for actions_num in range(self._max_actions_per_step):
            prompt = self._prompt(incumbent, actions_num)
            updated = self._one_action(prompt, incumbent)
            if updated is None:  # the model is done
                break
            incumbent = updated
        removed = sorted({f.name for f in self._trial_functions} - {f.name for f in incumbent})
        register_for_llm: list[dict[str, Any]] = [{"func_sig": name, "is_remove": True} for name in removed]
        register_for_executor: dict[str, Optional[Callable[..., str]]] = dict.fromkeys(removed)
        for spec in incumbent:
            register_for_llm.append({"func_sig": spec.signature(), "is_remove": False})
            register_for_executor[spec.name] = executor_for(spec, self._code_execution_config)
        self._trial_functions = incumbent
        self._trial_conversations_history = []
        self._trial_conversations_performance = []
        return register_for_llm, register_for_executor

    def _update_best(self) -> None:
        scores = [next(iter(p.values())) for p in self._trial_conversations_performance]
        performance = sum(scores) / len(scores)
        if performance >= self._best_performance:
            self._best_performance = performance
            self._best_functions = list(self._trial_functions)
            self._best_conversations_history = self._trial_conversations_history
            self._best_conversations_performance = self._trial_conversations_performance
            self._failure_functions_performance = []
        else:
            self._failure_functions_performance.append(
                {"functions": [f.as_dict() for f in self._trial_functions], "performance": performance}
            )

    def _prompt(self, incumbent: list[FunctionSpec], actions_num: int) -> str:
        experience = ""
        if self._failure_functions_performance:
            lines = [FAILURE_EXPERIENCE_PROMPT]
            for item in sorted(self._failure_functions_performance, key=lambda i: i["performance"]):
                lines += ["Function: ", str(item["functions"]), "Performance: ", str(item["performance"])]
            experience = "\n".join(lines) + "\n"
        statistics = ""
        if self._best_conversations_performance:
            statistics = "\n".join([STATISTIC_PROMPT, *map(str, self._best_conversations_performance)]) + "\n"
        return OPT_PROMPT.format(
            best_functions=[f.as_dict() for f in self._best_functions],
            incumbent_functions=[f.as_dict() for f in incumbent],
            actions_num=actions_num,
            accumulated_experience=experience,
            best_conversations_num=len(self._best_conversations_history),
            best_conversations_history=json.dumps(self._best_conversations_history, default=str),
            statistic_informations=statistics,
        )

    def _one_action(self, prompt: str, incumbent: list[FunctionSpec]) -> Optional[list[FunctionSpec]]:
        """The list after the model's next action(s); None when it takes none. A wrong answer is sent back."""
        messages: list[Message] = [{"role": "user", "content": prompt}]
        for _ in range(self._max_trials):
            response = self._client.create(
                messages=messages, tools=[ADD_FUNC, REVISE_FUNC, REMOVE_FUNC], tool_choice="auto"
            )
            message = response.choices[0].message
            calls = message.tool_calls or []
            if not calls:
                return None
            updated, error = _applied(incumbent, [(c.function.name, c.function.arguments) for c in calls])
            if error is None:
                return updated
            logger.info("AgentOptimizer: the model's action was rejected: %s", error)
            messages.append(
                {
                    "role": "assistant",
                    "content": message.content,
                    "tool_calls": [_call_dict(c.id, c.function.name, c.function.arguments) for c in calls],
                }
            )
            messages += [
                {"role": "tool", "tool_call_id": c.id, "content": RETRY_PROMPT.format(error=error)} for c in calls
            ]
        warnings.warn(
            f"AgentOptimizer: no valid action after {self._max_trials} answers; the function list is left as it was.",
            stacklevel=3,
        )
        return incumbent


def _call_dict(call_id: str, name: str, arguments: str) -> dict[str, Any]:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def _applied(functions: list[FunctionSpec], calls: list[tuple[str, str]]) -> tuple[list[FunctionSpec], Optional[str]]:
    """``functions`` after every call, or the first call's error (then nothing is applied)."""
    updated = functions
    for name, arguments in calls:
        try:
            action: Action = parse_action(name, arguments, updated)
        except ValueError as e:
            return functions, str(e)
        updated = apply_action(updated, action)
    return updated, None
