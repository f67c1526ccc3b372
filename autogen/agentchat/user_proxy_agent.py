"""UserProxyAgent: a ConversableAgent preset that stands in for the human and runs code."""

from __future__ import annotations

from typing import Any, Callable, Literal, Optional, Union

from .conversable_agent import ConversableAgent

__all__ = ["UserProxyAgent"]


class UserProxyAgent(ConversableAgent):
    """A proxy for the user: asks the human for input (by default on every message), executes code
    and functions, and uses no model unless given an ``llm_config``."""

    DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS = {
        "ALWAYS": "A real person (a HUMAN) who follows the task closely: answers questions about it, and can run "
        "Python code or Linux shell commands and tell the others what they printed.",
        "TERMINATE": "A participant who runs Python code or Linux shell commands and reports what they printed.",
        "NEVER": "A code-running terminal and nothing else: it executes the Python scripts it is sent in ```python "
        "blocks and the shell scripts it is sent in ```sh blocks.",
    }

    def __init__(
        self,
        name: str,
        is_termination_msg: Optional[Callable[[dict[str, Any]], bool]] = None,
        max_consecutive_auto_reply: Optional[int] = None,
        human_input_mode: Literal["ALWAYS", "TERMINATE", "NEVER"] = "ALWAYS",
        function_map: Optional[dict[str, Callable[..., Any]]] = None,
        code_execution_config: Union[dict[str, Any], Literal[False]] = {},  # noqa: B006 (copied before use)
        default_auto_reply: Optional[Union[str, dict[str, Any]]] = "",
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = False,
        system_message: Optional[Union[str, list[Any]]] = "",
        description: Optional[str] = None,
        **kwargs: Any,
    ):
        """Create a user proxy; arguments as for ``ConversableAgent``.

        ``code_execution_config`` defaults to ``{}``: legacy code execution, in Docker unless
        ``use_docker`` is False (or ``AUTOGEN_USE_DOCKER`` says otherwise).
        """
        if description is None:
            description = self.DEFAULT_USER_PROXY_AGENT_DESCRIPTIONS.get(human_input_mode)
        super().__init__(
            name=name,
            system_message=system_message,
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            function_map=function_map,
            code_execution_config=code_execution_config,
            llm_config=llm_config,
            default_auto_reply=default_auto_reply,
            description=description,
            **kwargs,
        )
