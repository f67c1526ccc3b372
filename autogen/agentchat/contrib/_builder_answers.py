"""Asking AgentBuilder's builder model for an answer in a given format, and reading its answers.

A model may answer in another format than the one asked for (weak models often do). :func:`ask` then sends the
parse error back and asks again, up to ``attempts`` answers, and raises :class:`BuilderAnswerError` after that.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Collection
from typing import Any, Callable, TypeVar

from ._agent_builder_config import NAME_PATTERN
from ._agent_builder_prompts import RETRY_PROMPT

__all__ = ["BuilderAnswerError", "ask", "expert_names", "library_choice", "skill_selection", "text", "yes_or_no"]

T = TypeVar("T")
_NAME = re.compile(NAME_PATTERN)
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
_LIST_MARK = re.compile(r"^(?:\d+[.)]|[-*•])\s+")  # "1. ", "2) ", "- " before a name
_LINE_COMMENT = re.compile(r"(?m)(?<=[,{\[\"])\s*//[^\n]*$")


class BuilderAnswerError(ValueError):
    """The builder model gave no answer in the format asked for, even after being told what was wrong."""


def ask(client: Any, prompt: str, parse: Callable[[str], T], what: str, attempts: int) -> T:
    """Send ``prompt`` and return ``parse(answer)``; a ``ValueError`` from ``parse`` is sent back to the model.

    Raises:
        BuilderAnswerError: no answer parsed in ``attempts`` tries; names the step, the error and the last answer.
    """
    messages: list[dict[str, Any]] = [{"role": "user", "content": prompt}]
    answer, error = "", ""
    for _ in range(attempts):
        response = client.create(messages=messages)
        answer = client.extract_text_or_completion_object(response)[0] or ""
        if not isinstance(answer, str):
            answer = str(answer)
        try:
            return parse(answer)
        except ValueError as e:
            error = str(e)
        messages += [
            {"role": "assistant", "content": answer},
            {"role": "user", "content": RETRY_PROMPT.format(error=error)},
        ]
    raise BuilderAnswerError(
        f"The builder model gave no usable {what} in {attempts} answers: {error}. Its last answer was "
        f"{answer[:300]!r}. Use a stronger builder_model, or raise max_parse_attempts."
    )


def text(answer: str) -> str:
    """Any non-empty text."""
    if not answer.strip():
        raise ValueError("the answer is empty")
    return answer.strip()


def yes_or_no(answer: str) -> bool:
    """True for an answer that says YES, False for NO."""
    words = re.findall(r"[A-Za-z]+", answer.upper())
    if "YES" in words and "NO" not in words:
        return True
    if "NO" in words and "YES" not in words:
        return False
    raise ValueError(f"the answer must be only YES or NO, not {answer[:100]!r}")


def _names(answer: str) -> list[str]:
    names: list[str] = []
    for part in re.split(r"[,\n]", answer.strip().strip(".")):
        name = _LIST_MARK.sub("", part.strip()).strip("*`'\"-. ").replace(" ", "_")
        if not name:
            continue
        if not _NAME.match(name):
            raise ValueError(
                f"{name!r} is not an expert name: names are letters, digits, '_' or '-' only, separated by commas"
            )
        if name not in names:
            names.append(name)
    if not names:
        raise ValueError("the answer holds no expert names: reply with names separated by commas")
    return names


def expert_names(max_agents: int) -> Callable[[str], list[str]]:
    """Parses comma-separated expert names; keeps the first ``max_agents`` (with a warning when there are more)."""

    def parse(answer: str) -> list[str]:
        names = _names(answer)
        if len(names) > max_agents:
            warnings.warn(
                f"The builder model suggested {len(names)} experts; max_agents={max_agents} keeps "
                f"{names[:max_agents]}.",
                stacklevel=4,
            )
        return names[:max_agents]

    return parse


def library_choice(library: Collection[str], max_agents: int) -> Callable[[str], list[str]]:
    """Parses comma-separated names, each of which must be in ``library``."""

    def parse(answer: str) -> list[str]:
        names = _names(answer)
        unknown = [n for n in names if n not in library]
        if unknown:
            raise ValueError(f"{unknown} are not in the expert list; choose only from {sorted(library)}")
        return names[:max_agents]

    return parse


def _json_object(answer: str) -> dict[str, Any]:
    fenced = _FENCE.search(answer)
    body = fenced.group(1) if fenced else answer[answer.find("{") : answer.rfind("}") + 1]
    if not body.strip():
        raise ValueError("the answer holds no JSON object")
    try:
        value = json.loads(_LINE_COMMENT.sub("", body))
    except json.JSONDecodeError as e:
        raise ValueError(f"the JSON in the answer is not valid: {e}") from e
    if not isinstance(value, dict):
        raise ValueError(f"the answer must be a JSON object, not a JSON {type(value).__name__}")
    return value


def skill_selection(names: Collection[str]) -> Callable[[str], dict[str, str]]:
    """Parses the JSON object skill -> "name: description" of an expert of the pool (or "None").

    Returns skill -> the expert's name, or "None".
    """

    def parse(answer: str) -> dict[str, str]:
        selection = _json_object(answer)
        if not selection:
            raise ValueError('the JSON object is empty: match each skill with an expert or "None"')
        matched: dict[str, str] = {}
        for skill, expert in selection.items():
            name = expert.split(":", 1)[0].strip() if isinstance(expert, str) else None
            if expert != "None" and name not in names:
                raise ValueError(
                    f'skill {skill!r} is matched with {expert!r}, which is neither "None" nor an expert of the pool '
                    f"(write them as in the pool, name: description; the names are {sorted(names)})"
                )
            matched[str(skill)] = "None" if expert == "None" else str(name)
        return matched

    return parse
