"""Speaker selection as plain functions over agents and messages.

Nothing here talks to an LLM; :mod:`autogen.agentchat._auto_speaker_selection` does that.
Agents are any objects with a ``name`` (and, for tool routing, ``can_execute_function`` /
``function_map`` as :class:`~autogen.agentchat.conversable_agent.ConversableAgent` has them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Optional

from ..exception_utils import UndefinedNextAgent
from ..io import IOStream
from ._messages import content_text

__all__ = [
    "called_function_names",
    "executors_of",
    "manual_choice",
    "mentioned_agents",
    "next_agent_in_order",
    "participant_roles",
]


def _name_patterns(name: str) -> list[str]:
    """Ways an LLM writes an agent name: as is, underscores as spaces, underscores markdown-escaped."""
    variants = {name, name.replace("_", " "), name.replace("_", r"\_")}
    return sorted((re.escape(v) for v in variants if v), key=len, reverse=True)


def mentioned_agents(text: Any, agents: Sequence[Any], ignore_case: bool = False) -> dict[str, int]:
    """Count the whole-word mentions of each agent's name in ``text``.

    A name counts where it stands between non-word characters (or the text's ends). Writing
    underscores as spaces or as ``\\_`` still counts. A mention that lies inside a longer mention
    of another agent (``Coder`` inside ``Senior Coder``) is not counted for the shorter name.

    Args:
        text: the text (or a message dict) to search.
        agents: the agents whose names count.
        ignore_case: also count names written in another case.

    Returns:
        agent name -> number of mentions, for the agents mentioned at least once, in ``agents`` order.
    """
    if isinstance(text, dict):
        text = text.get("content")
    padded = f" {content_text(text)} "
    spans: list[tuple[int, int, str]] = []
    flags = re.IGNORECASE if ignore_case else 0
    for agent in agents:
        regex = r"(?<=\W)(?:" + "|".join(_name_patterns(agent.name)) + r")(?=\W)"
        spans.extend((m.start(), m.end(), agent.name) for m in re.finditer(regex, padded, flags))
    counts: dict[str, int] = {}
    for start, end, name in spans:
        inside_longer = any(
            other != name and o_start <= start and end <= o_end and (o_end - o_start) > (end - start)
            for o_start, o_end, other in spans
        )
        if not inside_longer:
            counts[name] = counts.get(name, 0) + 1
    return {a.name: counts[a.name] for a in agents if a.name in counts}


def participant_roles(agents: Sequence[Any]) -> str:
    """One line per agent: ``name: description``."""
    lines = []
    for agent in agents:
        description = (getattr(agent, "description", None) or "").strip()
        lines.append(f"{agent.name}: {description}".strip())
    return "\n".join(lines)


def _index_of(agent: Any, agents: Sequence[Any]) -> int:
    for i, candidate in enumerate(agents):
        if candidate is agent:
            return i
    names = [a.name for a in agents]
    name = getattr(agent, "name", None)
    return names.index(name) if name in names else -1


def next_agent_in_order(agent: Any, all_agents: Sequence[Any], candidates: Optional[Sequence[Any]] = None) -> Any:
    """The first of ``candidates`` that follows ``agent`` in ``all_agents`` order, wrapping around.

    An ``agent`` outside ``all_agents`` (say, the user who started the chat) is followed by the
    first candidate in order.

    Raises:
        UndefinedNextAgent: when ``candidates`` is empty or holds agents outside ``all_agents``.
    """
    candidates = list(all_agents) if candidates is None else list(candidates)
    if not candidates or any(_index_of(c, all_agents) < 0 for c in candidates):
        raise UndefinedNextAgent()
    start = _index_of(agent, all_agents) + 1
    n = len(all_agents)
    for step in range(n):
        follower = all_agents[(start + step) % n]
        if any(follower is c for c in candidates):
            return follower
    raise UndefinedNextAgent()  # pragma: no cover - candidates are a non-empty subset


def called_function_names(message: Optional[dict]) -> list[str]:
    """Names of the functions a message asks to call (legacy ``function_call`` and ``tool_calls``)."""
    if not message:
        return []
    names: list[str] = []
    function_call = message.get("function_call")
    if function_call:
        names.append(function_call["name"])
    for call in message.get("tool_calls") or []:
        if call.get("type", "function") == "function":
            names.append(call["function"]["name"])
    return names


def executors_of(function_names: list[str], agents: Sequence[Any]) -> list[Any]:
    """The agents that can execute all of ``function_names``; else those that have any function at all."""
    able = [a for a in agents if hasattr(a, "can_execute_function") and a.can_execute_function(function_names)]
    if able:
        return able
    return [a for a in agents if getattr(a, "function_map", None)]


def manual_choice(agents: Sequence[Any], attempts: int = 3) -> Optional[Any]:
    """Ask the human (through the default IOStream) who speaks next.

    Accepts the number shown next to a name, or the name itself. Bad input is answered with a
    hint and asked again, up to ``attempts`` times. Empty input or ``q`` means "the next in order".

    Returns:
        The chosen agent, or None to let the next agent in order speak.
    """
    iostream = IOStream.get_default()
    iostream.print("Please select the next speaker from the following list:")
    for i, agent in enumerate(agents, start=1):
        iostream.print(f"{i}: {agent.name}")
    by_name = {a.name: a for a in agents}
    for attempt in range(1, attempts + 1):
        answer = iostream.input(
            "Enter the number or name of the next speaker (enter nothing or `q` for the next one in order): "
        ).strip()
        if answer in ("", "q"):
            return None
        if answer in by_name:
            return by_name[answer]
        if answer.isdigit() and 1 <= int(answer) <= len(agents):
            return agents[int(answer) - 1]
        remaining = attempts - attempt
        if remaining:
            iostream.print(
                f"Invalid input {answer!r}. Please enter a number between 1 and {len(agents)}, or a name from the list."
            )
        else:
            iostream.print(f"Invalid input {answer!r}. The next agent in order will speak.")
    return None
