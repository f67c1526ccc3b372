"""Speaker selection "auto": ask the LLM who speaks next, validate, re-ask, fall back.

The request goes straight to the selector's (the manager's) ``OpenAIWrapper``, so no agents or
HTTP clients are built per round and the calls count in the manager's usage. The messages keep
the shape 0.2's nested selection chat sent: a system message with the roles, the group's
messages, then the selection prompt and any follow-ups from ``checking_agent``, with the
model's earlier answers as ``speaker_selection_agent``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import weakref
from typing import TYPE_CHECKING, Any, Optional

from ..io import IOStream
from ._messages import content_text, llm_request_messages
from ._speaker_selection import mentioned_agents, next_agent_in_order
from .chat_run import current_run

if TYPE_CHECKING:
    from ._group import GroupChat

__all__ = ["SELECT_SPEAKER_TOOL_NAME", "auto_select_speaker", "selection_history"]

logger = logging.getLogger(__name__)

CHECKING_AGENT = "checking_agent"
SELECTION_AGENT = "speaker_selection_agent"
SELECT_SPEAKER_TOOL_NAME = "select_next_speaker"
_warned_without_llm: weakref.WeakSet = weakref.WeakSet()  # selectors already warned about, to warn once each


def selection_history(messages: list[dict]) -> list[dict]:
    """The group's messages as the LLM should see them for selection.

    Tool responses are expanded into their ``tool`` messages (as for any LLM request), and the
    last message's own function/tool call is removed: its results are not in the history yet,
    and the API rejects an unanswered call.
    """
    history = llm_request_messages(messages)
    if history and (history[-1].get("tool_calls") or history[-1].get("function_call")):
        last = {k: v for k, v in history[-1].items() if k not in ("tool_calls", "function_call")}
        last["content"] = content_text(last.get("content"))
        history[-1] = last
    return history


def _structured_params(mode: Any, names: list[str]) -> dict:
    """Request options that force the model to answer with one of ``names``."""
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "enum": names, "description": "who speaks next"}},
        "required": ["name"],
        "additionalProperties": False,
    }
    if mode == "json_schema":
        return {
            "response_format": {
                "type": "json_schema",
                "json_schema": {"name": SELECT_SPEAKER_TOOL_NAME, "schema": schema, "strict": True},
            }
        }
    tool = {
        "type": "function",
        "function": {
            "name": SELECT_SPEAKER_TOOL_NAME,
            "description": "Name the participant who speaks next.",
            "parameters": schema,
        },
    }
    return {"tools": [tool], "tool_choice": {"type": "function", "function": {"name": SELECT_SPEAKER_TOOL_NAME}}}


def _answer_text(client: Any, response: Any) -> str:
    """The model's answer as text; a structured answer is reduced to the name it holds."""
    answers = client.extract_text_or_completion_object(response)
    answer = answers[0] if answers else ""
    if isinstance(answer, str):
        text = answer
    else:
        calls = getattr(answer, "tool_calls", None) or []
        if calls:
            text = calls[0].function.arguments or ""
        else:
            text = getattr(answer, "content", None) or ""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return stripped
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            return data["name"]
    return stripped


def _warn_once_without_llm(selector: Any) -> None:
    if selector in _warned_without_llm:
        return
    with contextlib.suppress(TypeError):  # an object without weak references is warned every time
        _warned_without_llm.add(selector)
    logger.warning(
        "Speaker selection 'auto' needs an LLM, but %r has no llm_config; the next agent in order speaks.",
        getattr(selector, "name", selector),
    )


def _first_request(groupchat: GroupChat, messages: list[dict], agents: list[Any]) -> list[dict]:
    """System message with the roles, the group's messages, and the selection prompt."""
    request: list[dict[str, Optional[str]]] = [{"role": "system", "content": groupchat.select_speaker_msg(agents)}]
    request += selection_history(messages)
    if groupchat.select_speaker_prompt_template is not None:
        request.append(
            {
                "content": groupchat.select_speaker_prompt(agents),
                "role": groupchat.role_for_select_speaker_messages,
                "name": CHECKING_AGENT,
            }
        )
    return request


def _follow_up(groupchat: GroupChat, answer: str, several: bool, agents: list[Any]) -> list[dict]:
    """The model's unusable answer and the follow-up that asks again."""
    template = (
        groupchat.select_speaker_auto_multiple_template if several else groupchat.select_speaker_auto_none_template
    )
    return [
        {"content": answer, "role": "assistant", "name": SELECTION_AGENT},
        {
            "content": template.format(agentlist=f"{[a.name for a in agents]}"),
            "role": groupchat.role_for_select_speaker_messages,
            "name": CHECKING_AGENT,
        },
    ]


async def auto_select_speaker(
    groupchat: GroupChat,
    last_speaker: Any,
    selector: Any,
    messages: Optional[list[dict]],
    agents: list[Any],
) -> Any:
    """Pick the next speaker among ``agents`` by asking the selector's LLM.

    One LLM call when the answer names exactly one of ``agents`` (whole names, see
    :func:`mentioned_agents`; another case is accepted only when nothing matches exactly).
    Otherwise the model is asked again with the "multiple" or "none" follow-up, up to
    ``max_retries_for_selecting_speaker`` more calls; then the next of ``agents`` after
    ``last_speaker`` in the group's order speaks.
    """
    client = getattr(selector, "client", None)
    if client is None:
        _warn_once_without_llm(selector)
        return next_agent_in_order(last_speaker, groupchat.agents, agents)

    request = _first_request(groupchat, list(groupchat.messages if messages is None else messages), agents)
    extra = {}
    if groupchat.select_speaker_structured_output:
        extra = _structured_params(groupchat.select_speaker_structured_output, [a.name for a in agents])
    verbose = groupchat.select_speaker_auto_verbose
    iostream = IOStream.get_default()
    attempts = 1 + groupchat.max_retries_for_selecting_speaker
    for attempt in range(1, attempts + 1):
        run = current_run()
        budgets = run.budgets_for(selector) if run is not None else []
        response = await client.a_create(
            messages=request, cache=_cache_of(selector), agent=selector, budgets=budgets, **extra
        )
        if run is not None:
            run.record(response)
        answer = _answer_text(client, response)
        mentions = mentioned_agents(answer, agents) or mentioned_agents(answer, agents, ignore_case=True)
        if len(mentions) == 1:
            chosen = next(iter(mentions))
            if verbose:
                iostream.print(f">>>>>>>> Select speaker attempt {attempt} of {attempts} chose {chosen}.", flush=True)
            return next(a for a in agents if a.name == chosen)
        if verbose:
            detail = f"named several agents {list(mentions)}" if mentions else "named no agent"
            iostream.print(f">>>>>>>> Select speaker attempt {attempt} of {attempts} failed: it {detail}.", flush=True)
        if attempt < attempts:
            request = request + _follow_up(groupchat, answer, bool(mentions), agents)  # new list: no aliasing

    fallback = next_agent_in_order(last_speaker, groupchat.agents, agents)
    if verbose:
        iostream.print(f">>>>>>>> Speaker selection failed; {fallback.name} speaks next (in order).", flush=True)
    return fallback


def _cache_of(selector: Any) -> Any:
    """The cache of the chat the selection is made in (else the selector's own)."""
    run = current_run()
    return run.cache_for(selector) if run is not None else getattr(selector, "client_cache", None)
