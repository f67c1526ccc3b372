# ruff: noqa: E501  (prompt text keeps one line per instruction)
"""The prompt and the three action tools AgentOptimizer gives its model (our wording of 0.2's instructions)."""

from __future__ import annotations

from typing import Any

__all__ = ["ADD_FUNC", "OPT_PROMPT", "REMOVE_FUNC", "RETRY_PROMPT", "REVISE_FUNC"]

OPT_PROMPT = """You optimize the list of functions an assistant can call. Keep that list up to date from the current functions and from the conversations between the assistant and its users.
With the tools you have, you may take one of these four actions on the function list:
1. Revise one existing function (with revise_function).
2. Remove one existing function (with remove_function).
3. Add one new function (with add_function).
4. Reply "TERMINATE" directly, when the current list needs no more actions.

Follow these principles for each action.
(1) Revising an existing function:
1. Look hardest at the tasks that failed and their error messages, and improve the functions used in them where the conversation history shows it is needed.
2. A function call can fail because of wrong input arguments (e.g. missing ones) or because the function's code is wrong. Focus on the code, and make the function easy to call successfully.
3. Do not revise a function that works well and plays a critical part in solving the problems in the conversation history; revise only where needed.
4. A NameError can be fixed either by renaming the function in its code or by renaming it in the function call, so that the two names agree.
(2) Removing an existing function:
1. Remove only a function that future tasks will no longer need.
(3) Adding a new function:
1. The new function must be general enough for future tasks: when a problem (or one step of it) comes up that it can solve, it is used directly instead of starting from scratch.
2. It should solve a higher-level question that includes the original query, extending the code so it is more versatile and widely applicable.
3. Replace specific strings or variable names with general parameters; every name the function uses must be passed in as an argument.
Here is an example of a function worth adding when solving MATH problems, which answers a higher-level question:
{{
    "name": "evaluate_expression",
    "description": "Evaluate arithmetic or mathematical expressions given as strings.",
    "arguments": {{
        "expression": {{
            "type": "string",
            "description": "The mathematical expression to evaluate."
        }}
    }},
    "packages": "sympy",
    "code": "from sympy import sympify, SympifyError\\n\\ndef evaluate_expression(expression):\\n    try:\\n        result = sympify(expression)\\n        if result.is_number:\\n            result = float(result)\\n        else:\\n            result = str(result)\\n        return result\\n    except SympifyError as e:\\n        return str(e)"
}}
(4) Replying "TERMINATE":
When you believe the current list is optimal and more actions would harm performance on future tasks, reply "TERMINATE" directly.

A function's signature has five parts:
1. the function's name
2. its description
3. the JSON schema of its arguments, encoded as a string
4. the names of the packages the function imports
5. its code

The current functions' signatures:
List A: {best_functions}.
The signatures you have after taking {actions_num} actions on List A:
List B: {incumbent_functions}.

{accumulated_experience}

Here are the conversation histories of {best_conversations_num} tasks solved with List A.
History:
{best_conversations_history}

{statistic_informations}

From this information, take one of the four actions on List B with the tools you have.
Rather than replying TERMINATE or taking no action, try your best to improve the function list; take no action only if you really believe the current list is optimal, since more actions would harm performance in future tasks.
Even a general function that replaces Python code the assistant suggested repeatedly for the same job can help.
"""

RETRY_PROMPT = "That action could not be applied: {error}\nTake one action again, correcting this."

FAILURE_EXPERIENCE_PROMPT = (
    "Here are more examples of function lists and how they performed (0-100), in ascending order of "
    "performance: a higher performance means a better list."
)
STATISTIC_PROMPT = (
    "This table says, for each task in each conversation, whether the user was satisfied with the result "
    "(1: satisfied, 0: not satisfied)."
)

_SCHEMA_NOTE = (
    "The JSON schema of the arguments, encoded as a string. Only these types are supported: string, integer, "
    'object, array, boolean (there is no float type). For example: {"url": {"type": "string", "description": '
    '"The URL"}}. Give array types their "items", or the error \'array schema missing items\' follows.'
)


def _function_tool(name: str, description: str) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "The function's name in its code."},
                    "description": {"type": "string", "description": "A short description of the function."},
                    "arguments": {"type": "string", "description": _SCHEMA_NOTE},
                    "packages": {
                        "type": "string",
                        "description": "The packages the function imports that must be installed with pip before it "
                        "is called (this avoids ModuleNotFoundError). A string, not a list.",
                    },
                    "code": {
                        "type": "string",
                        "description": "The function's implementation in Python, including its def line.",
                    },
                },
                "required": ["name", "description", "arguments", "packages", "code"],
            },
        },
    }


_NAME_RULE = (
    "Declare the Python packages it needs. The function's name MUST equal the name of the function in your code."
)
ADD_FUNC = _function_tool("add_function", "Add a function to the assistant's functions. " + _NAME_RULE)
REVISE_FUNC = _function_tool("revise_function", "Revise one of the assistant's functions. " + _NAME_RULE)
REMOVE_FUNC: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "remove_function",
        "description": "Remove one of the assistant's functions; the assistant will not use it in future conversations.",
        "parameters": {
            "type": "object",
            "properties": {"name": {"type": "string", "description": "The function's name in its code."}},
            "required": ["name"],
        },
    },
}
