"""SocietyOfMindAgent: one agent outside, a whole group chat inside.

Each message it must answer is handed to its inner group chat (the chat manager's ``GroupChat``) as
the opening message; when that chat ends, for whatever reason, a *response preparer* turns the inner
transcript into the single reply the outer conversation sees. The inner chat starts from clean
histories on every outer turn; the earlier outer messages are given to the members as context.
"""

from __future__ import annotations

import copy
import inspect
import logging
from typing import Any, Callable, Literal, Optional, Union

from ..._sync import run_sync
from ...code_utils import content_str
from .. import _engine as engine
from .._llm_reply import model_answer
from ..agent import Agent
from ..chat_run import ChatRun, activated, current_run, run_or_new
from ..conversable_agent import ConversableAgent

__all__ = ["DEFAULT_RESPONSE_PREPARER_PROMPT", "SocietyOfMindAgent"]

logger = logging.getLogger(__name__)

DEFAULT_RESPONSE_PREPARER_PROMPT = (
    "Write a standalone answer to the original request. Give the answer itself, "
    "without mentioning the discussion that led to it."
)
_TRANSCRIPT_INTRO = (
    "You were given a request earlier, and you and your team worked on it together. "
    "This is the transcript of that work:"
)
_TRANSCRIPT_DROPPED_KEYS = ("tool_calls", "tool_responses", "tool_call_id", "function_call", "context")

Message = dict[str, Any]
ResponsePreparer = Callable[["SocietyOfMindAgent", list[Message]], Any]


def _last_words(agent: SocietyOfMindAgent, messages: list[Message]) -> str:
    """The response preparer without a model: the inner chat's last message, "TERMINATE" removed."""
    if not messages:
        return ""
    return content_str(messages[-1].get("content")).replace("TERMINATE", "").strip()


def _transcript_message(message: Message) -> Message:
    """An inner-chat message as plain text from the user (calls written out), for the preparer's model."""
    entry = {k: v for k, v in copy.deepcopy(message).items() if k not in _TRANSCRIPT_DROPPED_KEYS}
    entry["role"] = "user"
    if entry.get("content") is None:
        entry["content"] = ""
    call = message.get("function_call")
    if call and entry["content"] == "" and "name" in call and "arguments" in call:
        entry["content"] = f"{call['name']}({call['arguments']})"
    return entry


class SocietyOfMindAgent(ConversableAgent):
    """(Experimental) An agent that answers by running a group chat as its inner monologue.

    Args:
        name: the agent's name.
        chat_manager: the ``GroupChatManager`` of the inner group chat (None: no inner monologue).
        response_preparer: how the inner transcript becomes the reply: a prompt for this agent's
            model, or ``f(agent, messages) -> str`` (may be async). Default: with an ``llm_config``, a
            prompt asking for a standalone answer; without, the last inner message minus "TERMINATE".
        is_termination_msg, max_consecutive_auto_reply, human_input_mode, function_map,
        code_execution_config, llm_config, default_auto_reply: as for ConversableAgent
            (``llm_config`` is only used by a prompt response preparer).
        **kwargs: other ConversableAgent arguments (``description``, ``system_message``, ...).

    Raises:
        TypeError: ``chat_manager`` is not a group chat manager, or ``response_preparer`` is neither
            a str nor a callable.
        ValueError: ``response_preparer`` is a prompt but there is no ``llm_config`` to run it.
    """

    def __init__(
        self,
        name: str,
        chat_manager: Any,
        response_preparer: Optional[Union[str, ResponsePreparer]] = None,
        is_termination_msg: Optional[Callable[[Message], bool]] = None,
        max_consecutive_auto_reply: Optional[int] = None,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "TERMINATE",
        function_map: Optional[dict[str, Callable[..., Any]]] = None,
        code_execution_config: Union[dict[str, Any], Literal[False]] = False,
        llm_config: Optional[Union[dict[str, Any], Literal[False]]] = False,
        default_auto_reply: Union[str, Message] = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("system_message", "")
        super().__init__(
            name=name,
            is_termination_msg=is_termination_msg,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            function_map=function_map,
            code_execution_config=code_execution_config,
            llm_config=llm_config,
            default_auto_reply=default_auto_reply,
            **kwargs,
        )
        self.update_chat_manager(chat_manager)
        self.response_preparer: ResponsePreparer = self._preparer_from(response_preparer)
        # the inner chat replaces the model's reply; it is checked last, after termination,
        # human input, function/tool calls and code execution
        self.remove_reply_func(ConversableAgent.generate_oai_reply)
        self._register_builtin_reply(
            [Agent, None],
            SocietyOfMindAgent.generate_inner_monologue_reply,
            SocietyOfMindAgent.a_generate_inner_monologue_reply,
            _inner_monologue,
            position=len(self.reply_functions),
        )

    def _preparer_from(self, response_preparer: Optional[Union[str, ResponsePreparer]]) -> ResponsePreparer:
        if response_preparer is None:
            if self.client is None:
                return _last_words
            response_preparer = DEFAULT_RESPONSE_PREPARER_PROMPT
        if isinstance(response_preparer, str):
            if self.client is None:
                raise ValueError(
                    f"SocietyOfMindAgent {self.name!r}: a prompt response_preparer needs an llm_config to run it; "
                    "give one, or pass a callable f(agent, messages) -> str."
                )
            prompt = response_preparer
            return lambda agent, messages: agent._a_llm_response_preparer(prompt, messages)
        if not callable(response_preparer):
            raise TypeError(
                "response_preparer must be None, a prompt str or a callable f(agent, messages) -> str, "
                f"not {type(response_preparer).__name__}"
            )
        return response_preparer

    # ---- the inner chat ------------------------------------------------------------------------------
    @property
    def chat_manager(self) -> Any:
        """The manager of the inner group chat, or None."""
        return self._chat_manager

    def update_chat_manager(self, chat_manager: Any) -> None:
        """Use another inner group chat (its manager), or None for none.

        Raises:
            TypeError: ``chat_manager`` is not a group chat manager (an agent with a ``groupchat``).
        """
        group_chat = getattr(chat_manager, "groupchat", None)
        if chat_manager is not None and (group_chat is None or not isinstance(chat_manager, ConversableAgent)):
            raise TypeError(f"chat_manager must be a GroupChatManager (or None), not {type(chat_manager).__name__}")
        self._chat_manager = chat_manager
        self._group_chat: Any = group_chat

    def generate_inner_monologue_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Reply by running the inner group chat on the last message (a reply function)."""
        return run_sync(self.a_generate_inner_monologue_reply(messages, sender, config))

    async def a_generate_inner_monologue_reply(
        self, messages: Optional[list[Message]] = None, sender: Optional[Agent] = None, config: Any = None
    ) -> tuple[bool, Union[str, Message, None]]:
        """Async :meth:`generate_inner_monologue_reply`: ``(True, answer)``, or ``(False, None)`` without a manager."""
        manager = self._chat_manager
        if manager is None:
            return False, None
        if messages is None:
            messages = self._oai_messages[sender]
        if not messages:
            return False, None
        await self._a_restart_inner_chat(manager, messages[:-1], sender)
        try:
            await self._a_run_inner_chat(manager, dict(messages[-1]))
        except Exception:  # as in 0.2, a failed inner chat still gets an answer from what was said
            logger.exception("SocietyOfMindAgent %r: the inner group chat failed", self.name)
        answer = self.response_preparer(self, list(self._group_chat.messages))
        if inspect.isawaitable(answer):
            answer = await answer
        return True, answer

    async def _a_restart_inner_chat(
        self, manager: ConversableAgent, earlier: list[Message], sender: Optional[Agent]
    ) -> None:
        """Clear every inner history, then give each member the earlier outer messages as context."""
        manager.reset()
        self.clear_history(manager)
        for agent in self._group_chat.agents:
            if hasattr(agent, "reset"):
                agent.reset()
            for message in earlier:
                attributed = dict(message)
                if "name" not in attributed:
                    outer_name = getattr(sender, "name", "user")
                    attributed["name"] = self.name if attributed.get("role") == "assistant" else outer_name
                await engine.send(run_or_new(sync=False), manager, attributed, agent, request_reply=False, silent=True)

    async def _a_run_inner_chat(self, manager: ConversableAgent, first_message: Message) -> None:
        """Open the inner chat with ``first_message``; returns when the group chat ends."""
        outer = current_run()
        inner = outer.child() if outer is not None else ChatRun()
        inner.cache = outer.cache_for(self) if outer is not None else self.client_cache  # the outer chat's cache
        self.reset_consecutive_auto_reply_counter(manager)
        with activated(inner):
            await engine.send(inner, self, first_message, manager, request_reply=True, silent=False)

    # ---- preparing the answer with the model -----------------------------------------------------------
    def _llm_response_preparer(self, prompt: str, messages: list[Message]) -> str:
        """Ask this agent's model to answer from the inner transcript ``messages``, following ``prompt``."""
        return run_sync(self._a_llm_response_preparer(prompt, messages))

    async def _a_llm_response_preparer(self, prompt: str, messages: list[Message]) -> str:
        """Async :meth:`_llm_response_preparer`."""
        request = [{"role": "system", "content": _TRANSCRIPT_INTRO}]
        request += [_transcript_message(m) for m in messages]
        request.append({"role": "system", "content": prompt})
        extracted = await model_answer(self, self.client, request)
        if isinstance(extracted, str):
            return extracted
        return str(extracted.model_dump() if hasattr(extracted, "model_dump") else extracted)


async def _inner_monologue(agent: SocietyOfMindAgent, run: ChatRun, messages: Any, sender: Any, config: Any) -> Any:
    """The built-in reply function: run the inner group chat and answer from it."""
    return await agent.a_generate_inner_monologue_reply(messages, sender, config)
