"""MathUserProxyAgent: AutoGen 0.2's MathChat, the user side of a math-solving conversation.

The agent sends a math problem wrapped in a prompt, runs the ```python blocks the model answers with (each run
continues from the code of the earlier successful runs, under a timeout), and replies with their output or
error. The chat ends when the model gives a ``\\boxed{}`` answer without code. Queries that keep failing within
one step make the agent ask the model to rethink the step (``max_invalid_q_per_step``).

Wolfram Alpha queries (0.2's ``two_tools`` prompt) are not supported: the ``wolframalpha`` client and an app id
are not available here; a ```wolfram block is answered with an error asking for Python instead.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Optional, Union

from ...code_utils import UNKNOWN, extract_code, infer_lang
from ...math_utils import get_answer
from ..agent import Agent
from ..user_proxy_agent import UserProxyAgent

__all__ = ["PROMPTS", "MathUserProxyAgent"]

Message = dict[str, Any]

_PYTHON_RULES = """Query requirements:
Print every result you need with the `print` function, and write values as fractions or radicals, not decimals.
Packages such as sympy are available to you.
Write each piece of code in this format:
```python
# your code
```
"""

_STEPWISE = """1. Work through the problem step by step, without splitting it into too many steps.
2. Pull out every query Python can answer (calculations, equations to solve, and the like).
3. Wait until I send you the results.
4. If a result looks right, carry on; if it is invalid or unexpected, fix your query or your reasoning.
"""

_ANSWER = "Once all queries have run and you have the answer, write it inside \\boxed{}.\n\nProblem: "

PROMPTS: dict[str, str] = {
    "default": "We will solve a math problem with the help of Python.\n\n"
    + _PYTHON_RULES
    + """
Begin by stating the key idea of your solution. Then pick one of three approaches:
Case 1: When Python can solve the problem directly, write a program that does it; enumerating every possible \
arrangement is fine when needed.
Case 2: When the problem is mainly reasoning, solve it yourself without code.
Case 3: When neither of those works, proceed as follows:
"""
    + _STEPWISE
    + "\n"
    + _ANSWER,
    "python": "We will solve a math problem with the help of Python.\n\n"
    + _PYTHON_RULES
    + "\nProceed as follows:\n"
    + _STEPWISE
    + "\n"
    + _ANSWER,
}

DEFAULT_REPLY = (
    "Continue. Please keep solving the problem until a query is needed. (When you reach the answer, put it in "
    "\\boxed{}.)"
)
_REPEATED = "\nYour query or result is the same as last time; please try a different approach."
_REVISIT = (
    "Please go back to the problem statement and your reasoning. If you believe this step is right, work it out "
    "yourself and go on to the next step; otherwise, correct this step."
)
_NO_PRINT = "No output found: print the results you need."
_TOO_LONG = "The result of your query is too long, which suggests a mistake. Please rethink your reasoning and query."
_NO_WOLFRAM = "Error: Wolfram Alpha queries are not available here; please use a ```python block instead."
_MAX_OUTPUT = 2000
_TRACE_LINE = re.compile(r'File "[^"]+\.py", line \d+, in .+\n')


def _text_of(message: Union[Message, str, None]) -> Optional[str]:
    if isinstance(message, dict):
        content = message.get("content")
        return content if isinstance(content, str) else None
    return message


def _is_termination_msg_mathchat(message: Union[Message, str, None]) -> bool:
    """The chat ends on a message with a non-empty ``\\boxed{}`` answer and no python/wolfram query."""
    text = _text_of(message)
    if text is None:
        return False
    if any(lang in ("python", "wolfram") for lang, _ in extract_code(text)):
        return False
    return bool(get_answer(text))


def _add_print_to_last_line(code: str) -> str:
    """Print the value of a bare last expression (``x + 1`` becomes ``print(x + 1)``), as a REPL would."""
    lines = code.splitlines()
    if not lines:
        return code
    last = lines[-1]
    if not last.strip() or last[0].isspace() or "=" in last or last.startswith(("print(", "import ", "from ")):
        return code
    lines[-1] = f"print({last})"
    return "\n".join(lines)


def _remove_print(code: str) -> str:
    return "\n".join(line for line in code.splitlines() if not line.startswith("print("))


class MathUserProxyAgent(UserProxyAgent):
    """(Experimental) The user side of MathChat: sends the problem, runs the model's python queries.

    Start a chat with ``initiate_chat(assistant, message=agent.message_generator, problem=...,
    prompt_type="default")`` (0.2.35), or ``initiate_chat(assistant, message=problem, prompt_type=...)``:
    a string first message is wrapped in the prompt by :meth:`generate_init_message`.

    Args:
        name: the agent's name.
        is_termination_msg: default: a ``\\boxed{}`` answer with no query ends the chat.
        human_input_mode: "NEVER" by default, as 0.2.
        default_auto_reply: sent when the model's message has no code block (asks it to continue).
        max_invalid_q_per_step: how many replies with a failed query the agent answers with their errors; the
            next one is answered by asking the model to revisit the step (and the count starts again).
        timeout: seconds each query may run (0.2: 5).
        **kwargs: other UserProxyAgent arguments; ``code_execution_config`` gives ``work_dir``/``use_docker``.

    Raises:
        ValueError: ``code_execution_config`` is False or names an ``executor`` (queries need the legacy path,
            which keeps the code of earlier queries).
    """

    MAX_CONSECUTIVE_AUTO_REPLY = 15
    DEFAULT_REPLY = DEFAULT_REPLY

    def __init__(
        self,
        name: str = "MathChatAgent",
        is_termination_msg: Any = _is_termination_msg_mathchat,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "NEVER",
        default_auto_reply: Optional[Union[str, Message]] = DEFAULT_REPLY,
        max_invalid_q_per_step: int = 3,
        timeout: int = 5,
        **kwargs: Any,
    ) -> None:
        config = kwargs.get("code_execution_config", {})
        if config is False or (isinstance(config, dict) and config.get("executor") is not None):
            raise ValueError(
                "MathUserProxyAgent runs the model's python queries itself: code_execution_config must be a dict "
                "of work_dir/use_docker (not False, no 'executor')."
            )
        super().__init__(
            name=name,
            is_termination_msg=is_termination_msg,
            human_input_mode=human_input_mode,
            default_auto_reply=default_auto_reply,
            **kwargs,
        )
        # position 1: right after the termination/human check, as 0.2's position 2 (sync and async entries)
        self.register_reply([Agent, None], MathUserProxyAgent._generate_math_reply, position=1)
        self._max_invalid_q_per_step = max_invalid_q_per_step
        self._timeout = timeout
        self._reset()

    def _reset(self) -> None:
        self._valid_q_count = 0
        self._total_q_count = 0
        self._accum_invalid_q_per_step = 0
        self._previous_code = ""
        self.last_reply: Optional[str] = None

    # ---- the first message ----------------------------------------------------------------------------
    @staticmethod
    def make_prompt(problem: str, prompt_type: str = "default", customized_prompt: Optional[str] = None) -> str:
        """The problem in its prompt: ``customized_prompt`` if given, else ``PROMPTS[prompt_type]``.

        Raises:
            ValueError: an unknown ``prompt_type`` (``two_tools`` needs Wolfram Alpha, not supported here).
        """
        if customized_prompt is not None:
            return customized_prompt + problem
        if prompt_type not in PROMPTS:
            raise ValueError(
                f"Unknown prompt_type {prompt_type!r}; choose one of {sorted(PROMPTS)} "
                "('two_tools' needs Wolfram Alpha, which is not supported)."
            )
        return PROMPTS[prompt_type] + problem

    @staticmethod
    def message_generator(sender: MathUserProxyAgent, recipient: Any, context: dict[str, Any]) -> str:
        """0.2.35's first message: ``context["problem"]`` in the prompt given by ``prompt_type`` or
        ``customized_prompt``."""
        sender._reset()
        return sender.make_prompt(
            context.get("problem", ""), context.get("prompt_type", "default"), context.get("customized_prompt")
        )

    def _wrap(self, message: Union[Message, str, None], kwargs: dict[str, Any]) -> Union[Message, str, None]:
        prompt_type = kwargs.pop("prompt_type", "default")
        customized_prompt = kwargs.pop("customized_prompt", None)
        problem = kwargs.pop("problem", None)
        if message is None:
            message = problem
        if not isinstance(message, str):
            return message
        self._reset()
        return self.make_prompt(message, prompt_type, customized_prompt)

    def generate_init_message(self, message: Union[Message, str, None], **kwargs: Any) -> Union[str, Message]:
        """A string ``message`` (or ``problem=``) is the problem: sent in the prompt chosen by ``prompt_type``
        ("default" or "python") or ``customized_prompt`` (the problem is appended to it)."""
        return super().generate_init_message(self._wrap(message, kwargs), **kwargs)

    async def a_generate_init_message(self, message: Union[Message, str, None], **kwargs: Any) -> Union[str, Message]:
        """Async :meth:`generate_init_message`."""
        return await super().a_generate_init_message(self._wrap(message, kwargs), **kwargs)

    # ---- running queries ------------------------------------------------------------------------------
    def _run(self, code: str) -> tuple[int, str]:
        config = self._code_execution_config if isinstance(self._code_execution_config, dict) else {}
        kwargs = {k: v for k, v in config.items() if k in ("work_dir", "use_docker")}
        exit_code, output, _ = self.run_code(code, lang="python", timeout=self._timeout, **kwargs)
        return exit_code, output if isinstance(output, str) else str(output)

    def execute_one_python_code(self, pycode: str) -> tuple[str, bool]:
        """Run one query after the code kept from earlier queries; returns ``(output, is_success)``.

        Statements split by ``;`` go on separate lines and a bare last expression is printed. After a successful
        run the query (without its prints) is kept for the next one; after a failed one, only its imports.
        """
        pycode = pycode.replace("; ", "\n").replace(";", "\n")
        pycode = self._previous_code + _add_print_to_last_line(pycode)
        exit_code, output = self._run(pycode)
        is_success = exit_code == 0
        if not is_success:
            output = "Error: " + _TRACE_LINE.sub("", output)
        elif not output.strip():
            is_success = "print" in pycode
            output = "No output found." if is_success else _NO_PRINT
        if len(output) > _MAX_OUTPUT:
            output, is_success = _TOO_LONG, False
        if is_success:
            kept = self._previous_code + "\n" + _remove_print(pycode) + "\n"
        else:
            kept = self._previous_code + "\n" + "".join(f"{ln}\n" for ln in pycode.split("\n") if "import" in ln)
        if self._run(kept)[0] == 0:
            self._previous_code = kept
        return output, is_success

    def execute_one_wolfram_query(self, query: str) -> tuple[str, bool]:
        """Wolfram Alpha is not supported here: always an error asking for Python."""
        return _NO_WOLFRAM, False

    def _generate_math_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[Union[str, Message]]]:
        """Run the queries of the model's last message and answer with their results (0.2's query loop)."""
        if messages is None:
            messages = self._oai_messages[sender]
        text = _text_of(messages[-1]) or ""
        code_blocks = extract_code(text)
        if len(code_blocks) == 1 and code_blocks[0][0] == UNKNOWN:
            return True, self._default_auto_reply
        all_success = True
        outputs = []
        for lang, code in code_blocks:
            lang = lang or infer_lang(code)
            if lang in ("python", "py"):
                output, is_success = self.execute_one_python_code(code)
            elif lang == "wolfram":
                output, is_success = self.execute_one_wolfram_query(code)
            else:
                output, is_success = "Error: Unknown language.", False
            outputs.append(output)
            self._total_q_count += 1
            if is_success:
                self._valid_q_count += 1
            else:
                all_success = False
        reply = "\n".join(outputs).strip()
        if reply == self.last_reply:
            return True, reply + _REPEATED
        self.last_reply = reply
        if not all_success:  # as 0.2, the count is not reset by a successful reply, only when it trips
            self._accum_invalid_q_per_step += 1
            if self._accum_invalid_q_per_step > self._max_invalid_q_per_step:
                self._accum_invalid_q_per_step = 0
                reply = _REVISIT
        return True, reply
