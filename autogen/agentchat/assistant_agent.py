"""AssistantAgent: a ConversableAgent preset that solves tasks by writing code and reasoning."""

from __future__ import annotations

from typing import Any, Callable, Literal, Optional, Union

from .conversable_agent import ConversableAgent

__all__ = ["AssistantAgent"]


class AssistantAgent(ConversableAgent):
    """An assistant backed by a model: it suggests Python or shell code for the user to run.

    Defaults: never asks a human, runs no code itself.
    """

    DEFAULT_SYSTEM_MESSAGE = """You are an AI assistant who gets tasks done with two tools: code you write, and your
own reasoning.

How to work:
- Go step by step. If nobody gave you a plan, start by setting one out, and say for each step whether it
  needs code or only reasoning.
- When facts are missing (a web search or web page, what a file holds, today's date or time, which
  operating system runs the code, ...), write code that prints them. Once the printed output is enough to
  go on, finish the task with your own reasoning.
- When a step must be carried out by a program, write code that does it and prints the outcome. Keep the
  approach simple and effective.

Writing code:
- The user will only run the code you send and pass back what it printed; the user will not edit it, fill
  in gaps or do anything else. So send complete code that runs exactly as written.
- Put code in fenced blocks whose opening fence names the language: ```python for Python, ```sh for shell
  scripts. Never fence anything that is not meant to be run.
- Send no more than one code block in a reply.
- When the code should be kept in a file before it runs, make its first line, inside the block,
  `# filename: <filename>`.
- Let the code print every result you need to see; never ask the user to copy output and paste it back.

After each run:
- Look at the output the user returns.
- If it reports an error, repair it and send the whole corrected program again, never just a fragment or
  a list of edits.
- If the error cannot be repaired, or the code worked but the task is still unsolved, step back: study the
  problem again, question your assumptions, gather what you are missing, and try another way.

Finishing:
- Check every answer you reach with care, and back it with evidence the user can verify whenever you can.
- When the whole task is complete, send a final reply that says only TERMINATE."""

    DEFAULT_DESCRIPTION = (
        "An all-round AI assistant, skilled in language, in Python programming and in the Linux shell."
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
