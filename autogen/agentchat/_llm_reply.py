"""The LLM reply: ask the agent's model client for the next message."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Optional, Union

from .._sync import run_sync
from ..budget import Spend, applicable
from ._agent_base import AgentBase
from ._messages import llm_request_messages, tidy_llm_message
from .chat_run import ChatRun, run_or_new

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["LLMReplyMixin", "llm_reply", "model_answer", "reply_from_client"]

Message = dict[str, Any]


async def llm_reply(
    agent: AgentBase, run: ChatRun, messages: Optional[list[Message]], sender: Any, config: Any
) -> tuple[bool, Union[str, Message, None]]:
    """The built-in reply function: the model's answer, or ``(False, None)`` without a model.

    ``config`` may be another client to use (as in 0.2).
    """
    client = agent.client if config is None else config
    if client is None:
        return False, None
    if messages is None:
        messages = agent._oai_messages[sender]
    system = [m for m in agent._oai_system_message if m.get("content") is not None]
    answer = await reply_from_client(agent, run, client, system + messages)
    return (False, None) if answer is None else (True, answer)


async def reply_from_client(
    agent: Any, run: ChatRun, client: Any, messages: list[Message], cache: Any = None
) -> Union[str, Message, None]:
    """One model call on ``messages``, with the run's cache; the reply text, or a message dict carrying calls.

    In a durable chat the reply is an effect of the run: recorded, and replayed when the run resumes.
    """
    context = messages[-1].get("context") if messages else None
    request = llm_request_messages(messages)
    fresh = False

    async def ask_the_model() -> dict[str, Any]:
        nonlocal fresh
        fresh = True
        response = await client.a_create(
            context=context,
            messages=request,
            cache=cache if cache is not None else run.cache_for(agent),
            agent=agent,
            budgets=run.budgets_for(agent),
        )
        usage = getattr(response, "usage", None)
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
        completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        cost = float(getattr(response, "cost", 0.0) or 0.0)
        run.record_usage(prompt_tokens, completion_tokens, cost)
        reply = _extracted(client, response)
        return {"reply": reply, "prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "cost": cost}

    answer = await run.effect("llm", (getattr(agent, "name", ""), request), ask_the_model)
    if not fresh:  # replayed from the journal: what it cost still counts
        run.record_usage(answer["prompt_tokens"], answer["completion_tokens"], answer["cost"])
        spend = Spend(answer["cost"], answer["prompt_tokens"] + answer["completion_tokens"], 1)
        for budget in applicable(run.budgets_for(agent)):
            budget.settle(Spend(), spend)
    return answer["reply"]


async def model_answer(agent: Any, client: Any, messages: list[Message]) -> Any:
    """One model call outside the chat history (a summary, an answer prepared from a transcript).

    Uses the active run's cache and budgets and counts the usage in it; returns the first choice as
    ``client.extract_text_or_completion_object`` gives it (a str, a message object or None).
    """
    run = run_or_new(sync=False)
    response = await client.a_create(
        context=None, messages=messages, cache=run.cache_for(agent), agent=agent, budgets=run.budgets_for(agent)
    )
    run.record(response)
    return client.extract_text_or_completion_object(response)[0]


def _extracted(client: Any, response: Any) -> Union[str, Message, None]:
    extracted = client.extract_text_or_completion_object(response)[0]
    if extracted is None:
        warnings.warn(f"The model's response has no message: {response}", UserWarning, stacklevel=2)
        return None
    if not isinstance(extracted, str) and hasattr(extracted, "model_dump"):
        extracted = extracted.model_dump()
    if isinstance(extracted, dict):
        extracted = tidy_llm_message(extracted)
    return extracted


class LLMReplyMixin(AgentBase):
    """Generates replies with ``self.client`` (an ``OpenAIWrapper``)."""

    def generate_oai_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Reply with the model: ``(True, reply)``, or ``(False, None)`` when the agent has no model."""
        return run_sync(llm_reply(self, run_or_new(sync=True), messages, sender, config))

    async def a_generate_oai_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`generate_oai_reply`. ``config`` may be another client to use."""
        return await llm_reply(self, run_or_new(sync=False), messages, sender, config)

    def _generate_oai_reply_from_client(self, llm_client: Any, messages: list[Message], cache: Any) -> Any:
        """One model call on ``messages`` with ``llm_client`` (0.2 internal, kept for subclasses)."""
        return run_sync(reply_from_client(self, run_or_new(sync=True), llm_client, messages, cache))

    async def _a_reply_from_client(self, client: Any, messages: list[Message], cache: Any) -> Union[str, Message, None]:
        """Async :meth:`_generate_oai_reply_from_client`."""
        return await reply_from_client(self, run_or_new(sync=False), client, messages, cache)
