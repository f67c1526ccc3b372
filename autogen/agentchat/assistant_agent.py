"""AssistantAgent: a ConversableAgent preset that solves tasks by writing code and reasoning."""

from __future__ import annotations

from typing import Any, Callable, Literal, Optional, Union

from .conversable_agent import ConversableAgent

__all__ = ["AssistantAgent"]


class AssistantAgent(ConversableAgent):
    """An assistant backed by a model: it suggests Python or shell code for the user to run.

    Defaults: never asks a human, runs no code itself.
    """

    DEFAULT_SYSTEM_MESSAGE = """You are a helpful AI assistant.
Solve tasks using your coding and language skills.
When information must be gathered first (browsing or searching the web, downloading or reading a file,
printing the contents of a web page or a file, getting the current date or time, checking the operating
system), give code that prints what is needed. Once enough is printed and the task can be solved with
your language skill, solve it yourself.
When a task needs code to be performed, give the code and explain briefly what it does.
Work step by step. When you have no plan yet, state the plan first, and say which steps use code and
which use your language skill.
Put each piece of code in a code block with its language (python or sh). The user cannot change your
code, so give complete code that needs no edits, and only one code block per reply. The user runs the
code and tells you the result. Have the code print results instead of asking the user to copy and
paste them. To have the code saved to a file before it runs, put "# filename: <filename>" on its first
line.
Read the result of the code the user ran. If it shows an error, fix the error and give the whole code
again, never a partial fix. If the error cannot be fixed, or the task is still not solved after the code
ran, look at the problem again, check your assumptions, gather any information that is missing, and try
another approach.
When you find an answer, check it carefully, and give evidence for it where you can.
Reply "TERMINATE" in the end when everything is done."""

    DEFAULT_DESCRIPTION = (
        "A helpful and general-purpose AI assistant that has strong language skills, Python skills, "
        "and Linux command line skills."
    )

    def __init__(
        self,
        name: str,
        system_message: Optional[str] = DEFAULT_SYSTEM_MESSAGE,
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = None,
        is_termination_msg: Optional[Callable[[dict[str, Any]], bool]] = None,
        max_consecutive_auto_reply: Optional[int] = None,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "NEVER",
        description: Optional[str] = None,
        **kwargs: Any,
    ):
        """Create an assistant; arguments as for ``ConversableAgent``.

        The description defaults to ``DEFAULT_DESCRIPTION`` when the default system message is used.
        """
        super().__init__(
            name,
            system_message,
            is_termination_msg,
            max_consecutive_auto_reply,
            human_input_mode,
            llm_config=llm_config,
            description=description,
            **kwargs,
        )
        if description is None and system_message == self.DEFAULT_SYSTEM_MESSAGE:
            self.description = self.DEFAULT_DESCRIPTION
