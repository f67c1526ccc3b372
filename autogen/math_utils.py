"""Helpers for grading answers to competition math problems (MATH-dataset style ``\\boxed{...}`` answers).

Answers are compared after a normalisation that ignores formatting differences: units, ``\\left``/
``\\right``, ``\\dfrac`` vs ``\\frac``, ``\\frac12`` vs ``\\frac{1}{2}``, ``2/3`` vs ``\\frac{2}{3}``,
``\\sqrt3`` vs ``\\sqrt{3}``, degrees, percent and dollar signs, spaces. All functions are pure string
functions; ``solve_problem`` belonged to the ``openai<1`` API and only raises an error now.
"""

from __future__ import annotations

import re
from typing import Any, Optional

__all__ = [
    "eval_math_responses",
    "get_answer",
    "is_equiv",
    "is_equiv_chain_of_thought",
    "last_boxed_only_string",
    "remove_boxed",
    "solve_problem",
    "voting_counts",
]

_BOXED_PREFIX = "\\boxed{"
_SIMPLE_FRACTION = re.compile(r"(-?\d+)/(-?\d+)")


def solve_problem(problem: str, **config: Any) -> tuple[Optional[str], int]:
    """(openai<1) Solve a math problem with the legacy Completion API. Always raises now.

    Raises:
        RuntimeError: always; ask an ``OpenAIWrapper`` or an agent instead and grade the reply with
            :func:`eval_math_responses`.
    """
    from .oai.completion import Completion

    return Completion.create({"problem": problem}, **config)


def last_boxed_only_string(string: str) -> Optional[str]:
    """The last ``\\boxed{...}`` (or, if there is none, ``\\fbox{...}``) in ``string``, braces balanced.

    Returns:
        The whole element including ``\\boxed``, or None when there is none or its braces never close.
    """
    start = string.rfind("\\boxed")
    if start < 0:
        start = string.rfind("\\fbox")
        if start < 0:
            return None
    depth = 0
    for index in range(start, len(string)):
        char = string[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return string[start : index + 1]
    return None


def remove_boxed(string: str) -> Optional[str]:
    """The inside of ``\\boxed{...}``: ``remove_boxed("\\boxed{\\frac{2}{3}}") == "\\frac{2}{3}"``.

    Returns:
        The text between the braces, or None when ``string`` is not exactly one ``\\boxed{...}``.
    """
    if not isinstance(string, str) or not string.startswith(_BOXED_PREFIX) or not string.endswith("}"):
        return None
    return string[len(_BOXED_PREFIX) : -1]


def get_answer(solution: Optional[str]) -> Optional[str]:
    """The final answer of a solution: the inside of its last ``\\boxed{...}``, or None."""
    if solution is None:
        return None
    boxed = last_boxed_only_string(solution)
    return None if boxed is None else remove_boxed(boxed)


def _braced_fracs(string: str) -> str:
    """``\\frac12`` -> ``\\frac{1}{2}``, ``\\frac1b`` -> ``\\frac{1}{b}``, ``\\frac1{72}`` -> ``\\frac{1}{72}``."""
    head, *pieces = string.split("\\frac")
    out = [head]
    for piece in pieces:
        out.append("\\frac")
        if not piece:
            raise ValueError("\\frac without arguments")
        if piece.startswith("{"):
            out.append(piece)
            continue
        if len(piece) < 2:
            return string  # malformed: leave the whole string alone
        numerator, second, rest = piece[0], piece[1], piece[2:]
        if second == "{":
            out.append("{" + numerator + "}" + second + rest)
        else:
            out.append("{" + numerator + "}{" + second + "}" + rest)
    return "".join(out)


def _slash_to_frac(string: str) -> str:
    """``2/3`` -> ``\\frac{2}{3}`` when the whole string is one plain integer fraction."""
    match = _SIMPLE_FRACTION.fullmatch(string)
    if match is None:
        return string
    numerator, denominator = int(match.group(1)), int(match.group(2))
    if string != f"{numerator}/{denominator}":  # e.g. leading zeros: not a plain fraction
        return string
    return "\\frac{" + str(numerator) + "}{" + str(denominator) + "}"


def _drop_units(string: str) -> str:
    """Drop a trailing unit written as ``\\text{ unit}``.

    Raises:
        ValueError: more than one such unit (the caller then compares the raw strings).
    """
    if "\\text{ " not in string:
        return string
    parts = string.split("\\text{ ")
    if len(parts) != 2:
        raise ValueError("more than one unit")
    return parts[0]


def _braced_sqrt(string: str) -> str:
    """``\\sqrt3`` -> ``\\sqrt{3}``."""
    if "\\sqrt" not in string:
        return string
    head, *pieces = string.split("\\sqrt")
    out = [head]
    for piece in pieces:
        if piece and not piece.startswith("{"):
            piece = "{" + piece[0] + "}" + piece[1:]
        elif not piece:
            raise ValueError("\\sqrt without an argument")
        out.append("\\sqrt" + piece)
    return "".join(out)


def _normalize(string: str) -> str:
    """Rewrite a math answer so that formatting differences disappear."""
    string = string.replace("\n", "").replace("\\!", "").replace("\\\\", "\\")
    string = string.replace("tfrac", "frac").replace("dfrac", "frac")
    for token in ("\\left", "\\right", "^{\\circ}", "^\\circ", "\\$"):
        string = string.replace(token, "")
    string = _drop_units(string)
    string = string.replace("\\%", "").replace("%", "")
    string = string.replace(" .", " 0.").replace("{.", "{0.")
    if not string:
        return string
    if string.startswith("."):
        string = "0" + string
    sides = string.split("=")
    if len(sides) == 2 and len(sides[0]) <= 2:  # "k = 5" -> "5"
        string = sides[1]
    string = _braced_sqrt(string)
    string = string.replace(" ", "")
    string = _braced_fracs(string)
    if string == "0.5":
        string = "\\frac{1}{2}"
    return _slash_to_frac(string)


def is_equiv(str1: Optional[str], str2: Optional[str]) -> float:
    """Whether two math answers are the same up to formatting, as 1.0 or 0.0.

    Two missing answers (both None) count as equal; one missing answer does not.
    """
    if str1 is None and str2 is None:
        return 1.0
    if str1 is None or str2 is None:
        return 0.0
    try:
        return float(_normalize(str1) == _normalize(str2))
    except (ValueError, IndexError):
        return float(str1 == str2)


def is_equiv_chain_of_thought(str1: Optional[str], str2: Optional[str]) -> float:
    """Whether the boxed final answers of two solutions are equivalent (see :func:`is_equiv`)."""
    return is_equiv(get_answer(str1), get_answer(str2))


def voting_counts(responses: list[str]) -> dict[int, int]:
    """Group responses by equivalent boxed answer and count each group.

    Returns:
        ``{index of the group's first response: number of responses in the group}``; responses
        without a boxed answer are not counted.
    """
    counts: dict[int, int] = {}
    for index, response in enumerate(responses):
        if get_answer(response) is None:
            continue
        group = next((first for first in counts if is_equiv_chain_of_thought(response, responses[first])), index)
        counts[group] = counts.get(group, 0) + 1
    return counts


def eval_math_responses(responses: list[str], solution: Optional[str] = None, **args: Any) -> dict[str, Any]:
    """Pick an answer by majority vote and, given the reference ``solution``, grade the responses.

    Args:
        responses: the candidate solutions (text with a ``\\boxed{}`` answer).
        solution: the reference solution, or None.

    Returns:
        ``expected_success`` (chance that at least one of n tries is right), ``success`` (any response
        right), ``success_vote`` (the voted answer is right, 1.0/0.0), ``voted_answer`` (the winning
        response) and ``votes`` (its count).
    """
    n = len(responses)
    if n == 0:
        return {"expected_success": 0, "success": False, "success_vote": 0, "voted_answer": None, "votes": 0}
    graded = [is_equiv_chain_of_thought(response, solution) for response in responses] if solution is not None else []
    counts = voting_counts(responses)
    winner, votes = max(counts.items(), key=lambda item: item[1], default=(0, 0))
    return {
        "expected_success": 1 - pow(1 - sum(graded) / n, n),
        "success": any(graded),
        "success_vote": is_equiv_chain_of_thought(responses[winner], solution),
        "voted_answer": responses[winner],
        "votes": votes,
    }
