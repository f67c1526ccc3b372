"""The function list AgentOptimizer maintains: its entries, the model's actions on it, and running an entry.

An action comes from the model, so it is checked before it is applied: its arguments are JSON, its argument
schema is a JSON object, its code parses and defines the function it names, and a revised or removed function
exists. The code is never run here; a registered function runs it through the project's code execution
(``autogen.code_utils.execute_code``: Docker, or the sandbox when Docker is not running, unless told otherwise).
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional

__all__ = ["Action", "FunctionSpec", "apply_action", "executor_for", "parse_action"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
ACTIONS = ("add_function", "revise_function", "remove_function")


@dataclass(frozen=True)
class FunctionSpec:
    """One function of the list: what the assistant sees (name, description, arguments) and its code."""

    name: str
    description: str
    arguments: dict[str, Any]
    packages: str
    code: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def signature(self) -> dict[str, Any]:
        """The legacy function schema an agent's ``update_function_signature`` takes."""
        return {
            "name": self.name,
            "description": self.description,
            "parameters": {"type": "object", "properties": self.arguments},
        }


@dataclass(frozen=True)
class Action:
    """One action of the model: ``kind`` is add_function, revise_function or remove_function."""

    kind: str
    name: str
    spec: Optional[FunctionSpec] = None


def _json_object(text: Any, what: str) -> dict[str, Any]:
    if isinstance(text, dict):
        return text
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a JSON object encoded as a string, not {type(text).__name__}")
    try:
        value = json.loads(text)
        if isinstance(value, str):  # encoded twice, as weak models do
            value = json.loads(value)
    except json.JSONDecodeError as e:
        raise ValueError(f"{what} is not valid JSON ({e}): {text[:200]!r}") from e
    if not isinstance(value, dict):
        raise ValueError(f"{what} must be a JSON object, not a JSON {type(value).__name__}")
    return value


def _check_code(name: str, code: Any) -> str:
    if not isinstance(code, str) or not code.strip():
        raise ValueError(f"the code of {name!r} is empty: give the whole function, its def line included")
    try:
        tree = ast.parse(code)
    except SyntaxError as e:
        raise ValueError(f"the code of {name!r} is not valid Python: {e.msg} (line {e.lineno})") from e
    defined = {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    if name not in defined:
        raise ValueError(
            f"the code does not define a function named {name!r} (it defines {sorted(defined) or 'none'}): "
            "the function's name must equal the name in its code"
        )
    return code


def parse_action(tool_name: str, arguments: str, functions: list[FunctionSpec]) -> Action:
    """The action of one tool call of the model, checked against the current ``functions``.

    Raises:
        ValueError: the action cannot be applied; the message says why, for the model to correct it.
    """
    if tool_name not in ACTIONS:
        raise ValueError(f"there is no tool {tool_name!r}; use one of {', '.join(ACTIONS)}")
    args = _json_object(arguments, f"the arguments of {tool_name}")
    name = args.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"the function name {name!r} is not a valid Python identifier")
    existing = {f.name for f in functions}
    if tool_name in ("revise_function", "remove_function") and name not in existing:
        verb = tool_name.split("_")[0]
        raise ValueError(f"there is no function {name!r} to {verb}; the functions are {sorted(existing)}")
    if tool_name == "remove_function":
        return Action(tool_name, name)
    if tool_name == "add_function" and name in existing:
        raise ValueError(f"the function {name!r} already exists: use revise_function to change it")
    schema = _json_object(args.get("arguments", "{}"), f"the argument schema of {name!r}")
    if not all(isinstance(v, dict) for v in schema.values()):
        raise ValueError(f"the argument schema of {name!r} must map each argument name to its JSON schema object")
    packages = args.get("packages") or ""
    spec = FunctionSpec(
        name=name,
        description=str(args.get("description") or ""),
        arguments=schema,
        packages=packages if isinstance(packages, str) else " ".join(map(str, packages)),
        code=_check_code(name, args.get("code")),
    )
    return Action(tool_name, name, spec)


def apply_action(functions: list[FunctionSpec], action: Action) -> list[FunctionSpec]:
    """A new list: ``functions`` after ``action`` (the input list is left as it was)."""
    kept = [f for f in functions if f.name != action.name]
    if action.spec is None:
        return kept
    if action.kind == "revise_function":
        return [action.spec if f.name == action.name else f for f in functions]
    return [*functions, action.spec]


_RUNNER = """import json
{code}

_result = {name}(**json.loads({args!r}))
if _result is not None:
    print(_result)
"""


def executor_for(spec: FunctionSpec, code_execution_config: dict[str, Any]) -> Callable[..., str]:
    """A function that runs ``spec``'s code with the call's arguments through ``execute_code``; returns its output.

    ``code_execution_config`` takes ``use_docker``, ``timeout`` and ``work_dir`` (as ``execute_code``). Declared
    packages are not installed: the code runs with what its executor has.

    Raises (when called):
        RuntimeError: the code failed; the message holds its output.
    """
    from ...code_utils import execute_code

    def run(**kwargs: Any) -> str:
        script = _RUNNER.format(code=spec.code, name=spec.name, args=json.dumps(kwargs))
        exit_code, logs, _ = execute_code(script, lang="python", **code_execution_config)
        if exit_code != 0:
            hint = f" (it declares the packages {spec.packages!r})" if spec.packages else ""
            raise RuntimeError(f"function {spec.name!r} failed with exit code {exit_code}{hint}: {logs}")
        return logs

    run.__name__ = spec.name
    run.__doc__ = spec.description
    return run
