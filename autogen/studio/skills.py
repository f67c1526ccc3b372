"""Skills: user-written Python functions the agents call as tools.

A skill is trusted like the user's own Python: it is executed in the Studio's process (to validate
it and to register it as a tool), never code an LLM wrote. See docs/security.md.
"""

from __future__ import annotations

import ast
import traceback
from typing import Any, Callable, Optional

__all__ = ["SkillError", "load_skill", "skill_errors"]


class SkillError(ValueError):
    """A skill's source does not define a usable tool."""


def _error(line: Optional[int], message: str) -> dict[str, Any]:
    return {"line": line, "message": message}


def _exec_line(err: BaseException) -> Optional[int]:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == "<skill>"]
    return frames[-1].lineno if frames else None


def _define(content: str, name: str) -> tuple[Optional[Callable[..., Any]], list[dict[str, Any]]]:
    try:
        tree = ast.parse(content, filename="<skill>")
    except SyntaxError as err:
        return None, [_error(err.lineno, f"syntax error: {err.msg}")]
    defined = [
        node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name
    ]
    if not defined:
        return None, [_error(None, f"no top-level function called {name!r}: define `def {name}(...)` in the code")]
    namespace: dict[str, Any] = {"__name__": f"autogen_studio_skill_{name}"}
    try:
        exec(compile(tree, "<skill>", "exec"), namespace)  # a skill is the user's own code (docs/security.md)
    except Exception as err:
        return None, [_error(_exec_line(err), f"running the code failed: {type(err).__name__}: {err}")]
    function = namespace.get(name)
    if not callable(function):
        return None, [_error(defined[-1].lineno, f"{name!r} is not a function after the code runs")]
    return function, []


def skill_errors(content: str, name: str) -> list[dict[str, Any]]:
    """What is wrong with a skill (``[]`` when it is a usable tool): each ``{"line", "message"}``."""
    from autogen.function_utils import get_function_schema

    function, errors = _define(content, name)
    if function is None:
        return errors
    try:
        get_function_schema(function, name=name, description=name)
    except Exception as err:  # unusable hints: get_function_schema explains which
        line = getattr(getattr(function, "__code__", None), "co_firstlineno", None)
        return [_error(line, f"the type hints cannot describe the tool: {err}")]
    return []


def load_skill(content: str, name: str) -> Callable[..., Any]:
    """The function a skill defines, ready to register as a tool.

    Raises:
        SkillError: the skill does not validate (the message names the line).
    """
    function, errors = _define(content, name)
    if function is None:
        first = errors[0]
        where = f"line {first['line']}: " if first["line"] else ""
        raise SkillError(f"skill {name!r}: {where}{first['message']}")
    return function
