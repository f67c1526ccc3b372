"""Tools and functions: registration (schemas for the model, callables for execution) and execution."""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import re
import types
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, Optional, TypeVar, Union

from .._sync import run_sync
from ..io.base import IOStream
from ._agent_base import AgentBase
from ._logging import log_function_use_if_enabled
from ._printing import colored
from .chat_run import ChatRun, run_or_new

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["ToolsMixin", "assert_valid_name", "execute_function", "function_call_reply", "tool_calls_reply"]

Message = dict[str, Any]
F = TypeVar("F", bound=Callable[..., Any])
_VALID_NAME = re.compile(r"^[a-zA-Z0-9_-]+$")


def assert_valid_name(name: str) -> str:
    """Raise ValueError unless ``name`` is a valid function/tool name (``[a-zA-Z0-9_-]``, at most 64 chars)."""
    if not isinstance(name, str) or not _VALID_NAME.match(name):
        raise ValueError(f"Invalid name: {name!r}. Only letters, numbers, '_' and '-' are allowed.")
    if len(name) > 64:
        raise ValueError(f"Invalid name: {name!r}. Name must be at most 64 characters long, not {len(name)}.")
    return name


def _parse_arguments(raw: Any) -> tuple[Optional[dict[str, Any]], Optional[str]]:
    """Arguments of a call as a dict, or an error text for the model."""
    if isinstance(raw, dict):
        return raw, None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return {}, None
    try:
        arguments = json.loads(raw, strict=False)  # models sometimes put raw newlines inside strings
    except (TypeError, ValueError) as e:
        return None, f"Error: the arguments are not valid JSON ({e}). The arguments must be a JSON object."
    if not isinstance(arguments, dict):
        return None, f"Error: the arguments must be a JSON object, got {type(arguments).__name__}."
    return arguments, None


def _check_registrable(func: Any) -> None:
    """Raise TypeError unless ``func`` is a Python function or callable object a tool can be made from."""
    if not callable(func):
        raise TypeError(f"A tool must be a function, not {type(func).__name__}: {func!r}")
    if isinstance(func, (types.BuiltinFunctionType, types.BuiltinMethodType)) or not hasattr(func, "__dict__"):
        shown = getattr(func, "__name__", repr(func))
        raise TypeError(
            f"{shown!r} is a built-in, which cannot be registered as a tool (it has no signature or docstring "
            f"to describe it to the model). Wrap it in a typed function, e.g. "
            f"def my_{shown}(text: str) -> int: return {shown}(text)"
        )


class ToolsMixin(AgentBase):
    """Registers tools for the model and for execution, and answers function and tool calls."""

    # ---- registration -----------------------------------------------------------------------------
    @property
    def function_map(self) -> dict[str, Callable[..., Any]]:
        """Name -> callable of the functions this agent executes."""
        return self._function_map

    def can_execute_function(self, name: Union[list[str], str]) -> bool:
        """Whether this agent can execute the function(s) named."""
        names = name if isinstance(name, list) else [name]
        return all(n in self._function_map for n in names)

    def register_function(self, function_map: Mapping[str, Optional[Callable[..., Any]]]) -> None:
        """Add functions this agent executes; a value of None removes that name."""
        if not isinstance(function_map, dict):
            raise TypeError(f"function_map must be a dict of name -> callable, not {type(function_map).__name__}")
        for name, func in function_map.items():
            assert_valid_name(name)
            if func is not None and not callable(func):
                raise TypeError(f"function_map[{name!r}] must be callable, got {type(func).__name__}")
            if func is None and name not in self._function_map:
                warnings.warn(f"The function {name!r} to remove doesn't exist.", UserWarning, stacklevel=2)
            elif func is not None and name in self._function_map:
                warnings.warn(f"Function '{name}' is being overridden.", UserWarning, stacklevel=2)
        self._function_map.update(function_map)
        # annotated where this mixin assigns it, else mypy cannot order the inference
        self._function_map: dict[str, Callable[..., Any]] = {
            k: v for k, v in self._function_map.items() if v is not None
        }

    def _require_llm_config(self, what: str) -> dict[str, Any]:
        if not isinstance(self.llm_config, dict):
            raise RuntimeError(f"To {what}, agent {self.name!r} must have an llm_config (it has {self.llm_config!r}).")
        return self.llm_config

    def _reload_client(self) -> None:
        from ..oai.client import OpenAIWrapper

        self.client = OpenAIWrapper(**self.llm_config)  # type: ignore[arg-type]

    def update_function_signature(self, func_sig: Union[str, dict[str, Any]], is_remove: bool) -> None:
        """Add (or, with ``is_remove``, remove by name) a legacy function schema in ``llm_config["functions"]``."""
        config = self._require_llm_config("update a function signature")
        functions = list(config.get("functions", []))
        if is_remove:
            if "functions" not in config:
                raise ValueError(f"The agent {self.name!r} has no functions to remove {func_sig!r} from.")
            functions = [f for f in functions if f.get("name") != func_sig]
        else:
            if not isinstance(func_sig, dict):
                raise ValueError(f"The function signature must be a dict, not {type(func_sig).__name__}.")
            name = assert_valid_name(func_sig["name"])
            if any(f.get("name") == name for f in functions):
                warnings.warn(f"Function '{name}' is being overridden.", UserWarning, stacklevel=2)
            functions = [f for f in functions if f.get("name") != name] + [func_sig]
        self._set_llm_list("functions", functions)

    def update_tool_signature(self, tool_sig: Union[str, dict[str, Any]], is_remove: bool) -> None:
        """Add (or, with ``is_remove``, remove by name) a tool schema in ``llm_config["tools"]``."""
        config = self._require_llm_config("update a tool signature")
        tools = list(config.get("tools", []))
        if is_remove:
            if "tools" not in config:
                raise ValueError(f"The agent {self.name!r} has no tools to remove {tool_sig!r} from.")
            tools = [t for t in tools if t.get("function", {}).get("name") != tool_sig]
        else:
            if not isinstance(tool_sig, dict):
                raise ValueError(f"The tool signature must be a dict, not {type(tool_sig).__name__}.")
            name = assert_valid_name(tool_sig["function"]["name"])
            if any(t.get("function", {}).get("name") == name for t in tools):
                warnings.warn(f"Function '{name}' is being overridden.", UserWarning, stacklevel=2)
            tools = [t for t in tools if t.get("function", {}).get("name") != name] + [tool_sig]
        self._set_llm_list("tools", tools)

    def _set_llm_list(self, key: str, items: list[dict[str, Any]]) -> None:
        config = self._require_llm_config(f"update {key}")
        if items:
            config[key] = items
        else:
            config.pop(key, None)
        self._reload_client()

    def register_for_llm(
        self, *, name: Optional[str] = None, description: Optional[str] = None, api_style: str = "tool"
    ) -> Callable[[F], F]:
        """Decorator: describe a function to this agent's model (a tool, or a legacy function).

        Args:
            name: the name the model uses; defaults to the function's name.
            description: what it does; defaults to the function's docstring.
            api_style: "tool" (``llm_config["tools"]``) or "function" (legacy ``llm_config["functions"]``).
        """
        from ..function_utils import get_function_schema

        if api_style not in ("tool", "function"):
            raise ValueError(f"Unsupported API style: {api_style!r}; use 'tool' or 'function'.")
        self._require_llm_config("register a function for the LLM")

        def _decorator(func: F) -> F:
            _check_registrable(func)
            if name:
                func._name = name  # type: ignore[attr-defined]
            elif not hasattr(func, "_name"):
                func._name = func.__name__  # type: ignore[attr-defined]
            if description:
                func._description = description  # type: ignore[attr-defined]
            elif not hasattr(func, "_description"):
                doc = inspect.getdoc(func)
                if not doc:
                    raise ValueError(f"Function description is required for {func._name!r}, none found.")  # type: ignore[attr-defined]
                func._description = doc  # type: ignore[attr-defined]
            schema = get_function_schema(func, name=func._name, description=func._description)  # type: ignore[attr-defined]
            if api_style == "function":
                self.update_function_signature(schema["function"], is_remove=False)
            else:
                self.update_tool_signature(schema, is_remove=False)
            return func

        return _decorator

    def register_for_execution(self, name: Optional[str] = None) -> Callable[[F], F]:
        """Decorator: let this agent execute the function when the model calls it."""

        def _decorator(func: F) -> F:
            _check_registrable(func)
            if name:
                func._name = name  # type: ignore[attr-defined]
            elif not hasattr(func, "_name"):
                func._name = func.__name__  # type: ignore[attr-defined]
            self.register_function({func._name: self._wrap_function(func)})  # type: ignore[attr-defined]
            return func

        return _decorator

    def _wrap_function(self, func: F) -> F:
        """Wrap a tool so pydantic arguments are loaded, the result is text, and the call is logged."""
        from ..function_utils import load_basemodels_if_needed, serialize_to_str

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def _a_wrapped(*args: Any, **kwargs: Any) -> str:
                result = await func(*args, **kwargs)
                log_function_use_if_enabled(self, func, kwargs, result)
                return serialize_to_str(result)

            wrapped: Any = load_basemodels_if_needed(_a_wrapped)
        else:

            @functools.wraps(func)
            def _wrapped(*args: Any, **kwargs: Any) -> str:
                result = func(*args, **kwargs)
                log_function_use_if_enabled(self, func, kwargs, result)
                return serialize_to_str(result)

            wrapped = load_basemodels_if_needed(_wrapped)
        wrapped._origin = func
        return wrapped

    # ---- execution ----------------------------------------------------------------------------------
    def execute_function(self, func_call: dict[str, Any], verbose: bool = False) -> tuple[bool, dict[str, Any]]:
        """Run a function call ``{"name", "arguments"}``; returns ``(succeeded, function message)``."""
        return run_sync(execute_function(self, run_or_new(sync=True), func_call, verbose))

    async def a_execute_function(self, func_call: dict[str, Any], verbose: bool = False) -> tuple[bool, dict[str, Any]]:
        """Async :meth:`execute_function`. Errors become the content returned to the model."""
        return await execute_function(self, run_or_new(sync=False), func_call, verbose)

    def generate_function_call_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[dict[str, Any]]]:
        """Answer a legacy ``function_call`` in the last message (deprecated API, still supported)."""
        return run_sync(function_call_reply(self, run_or_new(sync=True), messages, sender, config))

    async def a_generate_function_call_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[dict[str, Any]]]:
        """Async :meth:`generate_function_call_reply`."""
        return await function_call_reply(self, run_or_new(sync=False), messages, sender, config)

    def generate_tool_calls_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[dict[str, Any]]]:
        """Answer the ``tool_calls`` in the last message, one tool response per call."""
        return run_sync(tool_calls_reply(self, run_or_new(sync=True), messages, sender, config))

    async def a_generate_tool_calls_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[dict[str, Any]]]:
        """Async :meth:`generate_tool_calls_reply`; async tools of one message run concurrently."""
        return await tool_calls_reply(self, run_or_new(sync=False), messages, sender, config)


async def execute_function(
    agent: AgentBase, run: ChatRun, func_call: dict[str, Any], verbose: bool = False
) -> tuple[bool, dict[str, Any]]:
    """Run one function call of the model with ``agent``'s functions; errors become the content returned.

    A coroutine function is awaited; a sync one runs through the run (on the calling thread in a sync
    chat, on a worker thread in an async one, so it never stalls other chats).
    """
    stream = IOStream.get_default()
    func_name = func_call.get("name", "")
    func = agent._function_map.get(func_name)
    succeeded = False
    arguments: Optional[dict[str, Any]] = None
    if func is None:
        known = ", ".join(sorted(agent._function_map)) or "none"
        content: Any = f"Error: Function {func_name} not found. Available functions: {known}."
    else:
        arguments, content = _parse_arguments(func_call.get("arguments", "{}"))
    if arguments is not None and func is not None:
        stream.print(colored(f"\n>>>>>>>> EXECUTING FUNCTION {func_name}...", "magenta"), flush=True)
        tool, args = func, arguments

        async def call_the_tool() -> dict[str, Any]:
            try:
                if _is_async_tool(tool):
                    result = await tool(**args)
                else:
                    result = await run.call_user(tool, **args)
                    if inspect.isawaitable(result):
                        result = await result
                return {"ok": True, "content": str(result)}
            except Exception as e:
                return {"ok": False, "content": f"Error: {e}"}

        if run.checkpoint is None:
            outcome = await call_the_tool()
        else:  # a durable chat never runs a completed tool call twice
            from ..checkpoint.journal import slot_of

            slot = slot_of(getattr(agent, "name", ""), func_name, arguments)
            outcome = await run.checkpoint.tool(slot, func, call_the_tool)
            if isinstance(outcome, str):  # interrupted by a crash and not idempotent
                outcome = {"ok": False, "content": outcome}
        succeeded, content = bool(outcome["ok"]), outcome["content"]
    if verbose:
        stream.print(colored(f"\nInput arguments: {arguments}\nOutput:\n{content}", "magenta"), flush=True)
    return succeeded, {"name": func_name, "role": "function", "content": str(content)}


def _is_async_tool(func: Callable[..., Any]) -> bool:
    return inspect.iscoroutinefunction(func) or inspect.iscoroutinefunction(getattr(func, "_origin", None))


async def function_call_reply(
    agent: AgentBase, run: ChatRun, messages: Optional[list[Message]], sender: Any, config: Any
) -> tuple[bool, Optional[dict[str, Any]]]:
    """The built-in reply function that answers a legacy ``function_call`` in the last message."""
    if messages is None:
        messages = agent._oai_messages[sender]
    if not messages:
        return False, None
    function_call = messages[-1].get("function_call")
    if not function_call:
        return False, None
    _, result = await execute_function(agent, run, function_call)
    return True, result


async def tool_calls_reply(
    agent: AgentBase, run: ChatRun, messages: Optional[list[Message]], sender: Any, config: Any
) -> tuple[bool, Optional[dict[str, Any]]]:
    """The built-in reply function that answers the ``tool_calls`` in the last message, one response per call.

    Async tools of one message run concurrently.
    """
    if messages is None:
        messages = agent._oai_messages[sender]
    if not messages:
        return False, None
    tool_calls = messages[-1].get("tool_calls") or []
    if not tool_calls:
        return False, None
    results = await asyncio.gather(*(_answer_tool_call(agent, run, call) for call in tool_calls))
    return True, {
        "role": "tool",
        "tool_responses": results,
        "content": "\n\n".join(str(r.get("content", "")) for r in results),
    }


async def _answer_tool_call(agent: AgentBase, run: ChatRun, tool_call: dict[str, Any]) -> dict[str, Any]:
    _, result = await execute_function(agent, run, tool_call.get("function") or {})
    response: dict[str, Any] = {"role": "tool", "content": result.get("content") or ""}
    if tool_call.get("id") is not None:
        response["tool_call_id"] = tool_call["id"]
    return response
