"""TextAnalyzerAgent: analyses a text as instructed, with its model (used by Teachability)."""

from __future__ import annotations

from typing import Any, Literal, Optional, Union

from ..._sync import run_sync
from ...code_utils import content_str
from ..agent import Agent
from ..chat_run import ChatRun
from ..conversable_agent import ConversableAgent

__all__ = ["TextAnalyzerAgent", "system_message"]

system_message = """You analyse text for the user.
The user gives you a TEXT and analysis INSTRUCTIONS; the instructions appear twice, before and after the text.
Carry out the INSTRUCTIONS on the TEXT and answer with your analysis, in exactly the format the instructions ask for."""

Message = dict[str, Any]


class TextAnalyzerAgent(ConversableAgent):
    """(Experimental) An agent that analyses a text as instructed.

    Send it two messages: the text, then (asking for a reply) the instructions; it answers with the
    analysis. Or call :meth:`analyze_text` directly.

    Args:
        name: the agent's name.
        system_message: the system message for its model.
        human_input_mode: "NEVER" by default: the analyser never asks a human.
        llm_config: the model that analyses (required to analyse).
        **kwargs: other ConversableAgent arguments.
    """

    def __init__(
        self,
        name: str = "analyzer",
        system_message: Optional[str] = system_message,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "NEVER",
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            name=name,
            system_message=system_message,
            human_input_mode=human_input_mode,
            llm_config=llm_config,
            **kwargs,
        )
        self._register_builtin_reply(
            Agent, TextAnalyzerAgent._analyze_in_reply, TextAnalyzerAgent._a_analyze_in_reply, _analysis, position=2
        )

    def _analyze_in_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Reply with the analysis of ``messages[0]`` (the text) by ``messages[1]`` (the instructions)."""
        return run_sync(self._a_analyze_in_reply(messages, sender, config))

    async def _a_analyze_in_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`_analyze_in_reply`.

        Raises:
            ValueError: the agent has no llm_config, or the conversation is not exactly two messages.
        """
        if self.llm_config is False:
            raise ValueError(f"TextAnalyzerAgent {self.name!r} needs an llm_config to analyse text.")
        if messages is None:
            messages = self._oai_messages[sender]
        if len(messages) != 2:
            raise ValueError(
                f"TextAnalyzerAgent {self.name!r} expects exactly two messages (the text, then the instructions); "
                f"it got {len(messages)}. Call its reset() before each analysis."
            )
        text, instructions = (content_str(m.get("content")) for m in messages)
        return True, await self.a_analyze_text(text, instructions)

    def analyze_text(self, text_to_analyze: str, analysis_instructions: str) -> Union[str, Message, None]:
        """Analyse ``text_to_analyze`` as ``analysis_instructions`` say; returns the model's answer."""
        return run_sync(self.a_analyze_text(text_to_analyze, analysis_instructions))

    async def a_analyze_text(self, text_to_analyze: str, analysis_instructions: str) -> Union[str, Message, None]:
        """Async :meth:`analyze_text`."""
        instructions = f"# INSTRUCTIONS\n{analysis_instructions}\n"
        prompt = "\n".join([instructions, f"# TEXT\n{text_to_analyze}\n", instructions])
        _, reply = await self.a_generate_oai_reply([{"role": "user", "content": prompt}], None, None)
        return reply


async def _analysis(agent: TextAnalyzerAgent, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
    """The built-in reply function: the analysis of the two messages received."""
    return await agent._a_analyze_in_reply(messages, sender, config)
