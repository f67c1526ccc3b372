"""Code execution: the reply that runs code blocks found in recent messages.

Two paths, as in 0.2: a ``code_execution_config`` with an ``"executor"`` uses the new
``autogen.coding`` executors; any other dict uses the legacy ``autogen.code_utils.execute_code``.
Executors block, so they run on a worker thread and other chats in the loop keep going.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Optional, Union

from .._sync import in_worker_thread, run_sync
from ..coding.reply_format import format_code_reply
from ..io.base import IOStream
from ._agent_base import AgentBase
from ._printing import colored
from .chat_run import ChatRun

if TYPE_CHECKING:
    from .agent import Agent

__all__ = ["CodeExecutionMixin"]

Message = dict[str, Any]
_LEGACY_KEYS = ("use_docker", "work_dir", "timeout")


def _messages_to_scan(messages: list[Message], last_n_messages: Union[int, str]) -> int:
    """How many trailing messages to look for code in ("auto": those since this agent last spoke)."""
    if last_n_messages == "auto":
        count = 0
        for message in reversed(messages):
            if message.get("role") != "user":
                break
            count += 1
        return count
    if not isinstance(last_n_messages, int) or isinstance(last_n_messages, bool) or last_n_messages < 0:
        raise ValueError(f"last_n_messages must be a non-negative int or 'auto', not {last_n_messages!r}")
    return last_n_messages


class CodeExecutionMixin(AgentBase):
    """Sets up code execution from ``code_execution_config`` and replies with execution results."""

    def _setup_code_execution(self, code_execution_config: Union[dict[str, Any], bool, None]) -> None:
        """Validate the config and register the right code-execution reply."""
        from .agent import Agent

        if code_execution_config is None:
            warnings.warn(
                "code_execution_config=None is deprecated; use {} for the default or False to disable.",
                DeprecationWarning,
                stacklevel=3,
            )
            code_execution_config = {}
        if code_execution_config is not False and not isinstance(code_execution_config, dict):
            raise TypeError(
                f"code_execution_config must be a dict or False, not {type(code_execution_config).__name__}"
            )
        # copied, so the caller's dict (or a shared default) is never changed
        self._code_execution_config = False if code_execution_config is False else dict(code_execution_config)
        self._code_executor = None
        if self._code_execution_config is False:
            return
        config = self._code_execution_config
        if config.get("executor") is not None:
            bad = [k for k in _LEGACY_KEYS if k in config]
            if bad:
                raise ValueError(
                    f"code_execution_config has {bad} and an 'executor'; set these options on the executor instead."
                )
            from ..coding.factory import CodeExecutorFactory

            self._code_executor = CodeExecutorFactory.create(config)
            self._register_builtin_reply(
                [Agent, None],
                CodeExecutionMixin._generate_code_execution_reply_using_executor,
                CodeExecutionMixin._a_generate_code_execution_reply_using_executor,
                _executor_reply,
            )
            return
        from ..code_utils import decide_use_docker
        from ..coding._docker_fallback import docker_replaced_by_sandbox

        use_docker = decide_use_docker(config.get("use_docker"))
        docker_replaced_by_sandbox(use_docker)  # Docker down: the sandbox stands in (warned), or a clear error
        config["use_docker"] = use_docker
        self._register_builtin_reply(
            [Agent, None],
            CodeExecutionMixin.generate_code_execution_reply,
            CodeExecutionMixin.a_generate_code_execution_reply,
            _legacy_reply,
        )

    @property
    def code_executor(self) -> Any:
        """The ``CodeExecutor`` in use, or None (no code execution, or the legacy path)."""
        return self._code_executor

    @property
    def use_docker(self) -> Union[bool, str, None]:
        """The legacy path's docker setting; None when code execution is off."""
        if self._code_execution_config is False:
            return None
        return self._code_execution_config.get("use_docker")

    # ---- legacy path --------------------------------------------------------------------------------
    def run_code(self, code: str, **kwargs: Any) -> tuple[int, str, Any]:
        """Run code with ``code_utils.execute_code``; returns ``(exit_code, logs, image)``."""
        from ..code_utils import execute_code

        return execute_code(code, **kwargs)

    def execute_code_blocks(self, code_blocks: list[tuple[str, str]]) -> tuple[int, str]:
        """Run ``(language, code)`` blocks in order, stopping at the first failure."""
        from ..code_utils import infer_lang
        from ..coding.utils import filename_from_comment

        stream = IOStream.get_default()
        config = self._code_execution_config if isinstance(self._code_execution_config, dict) else {}
        run_kwargs = {k: v for k, v in config.items() if k not in ("last_n_messages", "executor")}
        logs_all = ""
        exit_code = 0
        for i, (lang, code) in enumerate(code_blocks):
            lang = lang or infer_lang(code)
            stream.print(
                colored(f"\n>>>>>>>> EXECUTING CODE BLOCK {i} (inferred language is {lang})...", "red"), flush=True
            )
            if lang in ("bash", "shell", "sh"):
                exit_code, logs, _ = self.run_code(code, lang=lang, **run_kwargs)
            elif lang in ("python", "Python"):
                filename = filename_from_comment(code)
                exit_code, logs, _ = self.run_code(code, lang="python", **{**run_kwargs, "filename": filename})
            else:
                exit_code, logs = 1, f"unknown language {lang}"
            logs_all += "\n" + logs
            if exit_code != 0:
                return exit_code, logs_all
        return exit_code, logs_all

    def generate_code_execution_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        """Run the code blocks of recent messages (legacy path) and reply with the output."""
        return run_sync(self.a_generate_code_execution_reply(messages, sender, config))

    async def a_generate_code_execution_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        """Async :meth:`generate_code_execution_reply`."""
        from ..code_utils import UNKNOWN, extract_code

        config = config if config is not None else self._code_execution_config
        if config is False:
            return False, None
        if messages is None:
            messages = self._oai_messages[sender]
        to_scan = _messages_to_scan(messages, config.get("last_n_messages", "auto"))
        for message in reversed(messages[len(messages) - min(len(messages), to_scan) :]):
            content = message.get("content")
            if not content:
                continue
            blocks = extract_code(content)
            if len(blocks) == 1 and blocks[0][0] == UNKNOWN:
                continue
            exit_code, logs = await in_worker_thread(self.execute_code_blocks, blocks)
            return True, format_code_reply(exit_code, logs)
        return False, None

    # ---- executor path ----------------------------------------------------------------------------
    def _generate_code_execution_reply_using_executor(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        """Run the code blocks of recent messages with ``self.code_executor``."""
        return run_sync(self._a_generate_code_execution_reply_using_executor(messages, sender, config))

    async def _a_generate_code_execution_reply_using_executor(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Optional[str]]:
        if self._code_execution_config is False or self._code_executor is None:
            return False, None
        if messages is None:
            messages = self._oai_messages[sender]
        to_scan = _messages_to_scan(messages, self._code_execution_config.get("last_n_messages", "auto"))
        for message in reversed(messages[len(messages) - min(len(messages), to_scan) :]):
            if not message.get("content"):
                continue
            blocks = self._code_executor.code_extractor.extract_code_blocks(message["content"])
            if not blocks:
                continue
            languages = ", ".join(block.language for block in blocks)
            IOStream.get_default().print(
                colored(
                    f"\n>>>>>>>> EXECUTING {len(blocks)} CODE BLOCKS (inferred languages are [{languages}])...", "red"
                ),
                flush=True,
            )
            result = await in_worker_thread(self._code_executor.execute_code_blocks, blocks)
            return True, format_code_reply(result.exit_code, result.output)
        return False, None


async def _legacy_reply(agent: Any, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
    """The built-in reply function of the legacy path (executors block, so they run on a worker thread)."""
    return await _recorded(
        run, agent, messages, sender, agent.a_generate_code_execution_reply(messages, sender, config)
    )


async def _executor_reply(agent: Any, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
    """The built-in reply function of the ``executor`` path."""
    coro = agent._a_generate_code_execution_reply_using_executor(messages, sender, config)
    return await _recorded(run, agent, messages, sender, coro)


async def _recorded(run: ChatRun, agent: Any, messages: Any, sender: Any, execution: Any) -> tuple[bool, Any]:
    """Run code blocks once per durable run: a resumed run replays the recorded result."""
    if run.checkpoint is None:
        return await execution
    history = messages if messages is not None else agent.chat_messages.get(sender, [])
    last = history[-1].get("content") if history else None

    async def execute() -> list[Any]:
        final, reply = await execution
        return [final, reply]

    try:
        final, reply = await run.effect("code", (agent.name, len(history), last), execute)
    finally:
        execution.close()  # not awaited when replayed
    return bool(final), reply
