"""GroupChatManager: the agent that runs a group chat.

One async loop (:meth:`GroupChatManager.a_run_chat`) serves sync and async chats: the sync
entry points run it through the sync-chat facade, so nothing is written twice.
"""

from __future__ import annotations

import copy
import logging
import sys
from typing import Any, Callable, Literal, Optional, Union

from .._sync import run_sync
from ..budget import Budget
from ..formatting_utils import colored
from ..io import IOStream
from . import _engine as engine
from . import _groupchat_resume as history
from ._group import GroupChat
from ._group_round import run_group_chat
from .agent import Agent
from .chat_run import ChatRun, activated, run_or_new
from .conversable_agent import ConversableAgent

__all__ = ["GroupChatManager"]

logger = logging.getLogger(__name__)


def _reset_groupchat(groupchat: GroupChat) -> None:
    groupchat.reset()


class GroupChatManager(ConversableAgent):
    """An agent that runs a :class:`GroupChat`: it picks each speaker and relays every message to all members.

    Start a group chat by sending the manager a message, e.g.
    ``user.initiate_chat(manager, message="...")``. The chat ends when a message meets the
    manager's ``is_termination_msg``, after ``groupchat.max_round`` messages, when no member may
    speak, or when the chosen speaker has no reply.

    Args:
        groupchat: the group chat to run.
        name: the manager's name.
        max_consecutive_auto_reply: as for any agent (default: unlimited).
        human_input_mode: as for any agent (default "NEVER").
        system_message: the manager's system message.
        silent: do not print the next speaker and the members' messages.
        **kwargs: other :class:`ConversableAgent` arguments; ``llm_config`` is the LLM that
            chooses speakers in "auto" mode (it may not declare functions or tools). ``budget``
            (new): limits (as for ``initiate_chat``) on every model call of the group chats it runs.
    """

    def __init__(
        self,
        groupchat: GroupChat,
        name: str = "chat_manager",
        max_consecutive_auto_reply: Optional[int] = sys.maxsize,
        human_input_mode: Literal["ALWAYS", "NEVER", "TERMINATE"] = "NEVER",
        system_message: Optional[Union[str, list]] = "Group chat manager.",
        silent: bool = False,
        **kwargs: Any,
    ) -> None:
        if not isinstance(groupchat, GroupChat):
            raise TypeError(f"GroupChatManager groupchat must be a GroupChat, got {type(groupchat).__name__}.")
        llm_config = kwargs.get("llm_config")
        if isinstance(llm_config, dict) and (llm_config.get("functions") or llm_config.get("tools")):
            raise ValueError(
                "GroupChatManager cannot make function or tool calls: remove 'functions' and 'tools' from its "
                "llm_config and register them on the group's agents instead."
            )
        group_budget = Budget.of(kwargs.pop("budget", None), name=f"budget of {name}'s group chats")
        super().__init__(
            name=name,
            max_consecutive_auto_reply=max_consecutive_auto_reply,
            human_input_mode=human_input_mode,
            system_message=system_message,
            **kwargs,
        )
        self._groupchat = groupchat
        self.group_budget = group_budget  # limits every group chat this manager runs, all members' calls included
        self._last_speaker: Optional[Agent] = None
        self._silent = silent
        self._register_builtin_reply(
            Agent,
            GroupChatManager.run_chat,
            GroupChatManager.a_run_chat,
            _group_reply,
            config=groupchat,
            reset_config=_reset_groupchat,
        )

    # ---- properties ---------------------------------------------------------------------------
    @property
    def groupchat(self) -> GroupChat:
        """The group chat this manager runs."""
        return self._groupchat

    @property
    def last_speaker(self) -> Optional[Agent]:
        """The member who spoke last (who sent the message being relayed)."""
        return self._last_speaker

    def chat_messages_for_summary(self, agent: Agent) -> list[dict]:
        """A group chat is summarised from the group's messages."""
        return self._groupchat.messages

    def _prepare_chat(
        self, recipient: Any, clear_history: bool, prepare_recipient: bool = True, reply_at_receive: bool = True
    ) -> None:
        """Starting a chat with ``clear_history`` also clears the group's messages and the members' histories."""
        super()._prepare_chat(recipient, clear_history, prepare_recipient, reply_at_receive)
        if clear_history:
            self._groupchat.reset()
        for agent in self._groupchat.agents:
            if (agent is not recipient or prepare_recipient) and isinstance(agent, ConversableAgent):
                agent._prepare_chat(self, clear_history, False, reply_at_receive)

    def _raise_exception_on_async_reply_functions(self) -> None:
        """A sync group chat is refused when the manager or any member has an unskippable coroutine reply function."""
        super()._raise_exception_on_async_reply_functions()
        for agent in self._groupchat.agents:
            check = getattr(agent, "_raise_exception_on_async_reply_functions", None)
            if check is not None:
                check()

    # ---- the chat loop -------------------------------------------------------------------------
    def run_chat(
        self, messages: Optional[list[dict]] = None, sender: Optional[Agent] = None, config: Optional[GroupChat] = None
    ) -> tuple[bool, Optional[Union[str, dict]]]:
        """Run the group chat from the last message of ``sender`` (a reply function)."""
        return run_sync(_group_reply(self, run_or_new(sync=True), messages, sender, config))

    async def a_run_chat(
        self, messages: Optional[list[dict]] = None, sender: Optional[Agent] = None, config: Optional[GroupChat] = None
    ) -> tuple[bool, Optional[Union[str, dict]]]:
        """Run the group chat (async); see :meth:`run_chat`.

        Returns:
            ``(True, None)``; or, when ``sender`` is another group chat's manager (this manager is a
            member of that group), ``(True, text)`` with the text this group ended on.
        """
        return await _group_reply(self, run_or_new(sync=False), messages, sender, config)

    # ---- history -------------------------------------------------------------------------------------
    async def _a_replay(self, groupchat: GroupChat, message: dict) -> None:
        """Put one saved message back into every history, as if it had just been said."""
        speaker = groupchat.agent_by_name(message["name"])
        run = run_or_new(sync=False)
        with activated(run):
            if speaker is not None:
                await engine.send(run, speaker, message, self, request_reply=False, silent=True)
            for agent in groupchat.agents:
                if agent is not speaker:
                    await engine.send(run, self, message, agent, request_reply=False, silent=True)
        if speaker is not None:
            groupchat.append(dict(message), speaker)
        else:
            groupchat.messages.append(dict(message))

    def clear_agents_history(self, reply: dict, groupchat: GroupChat) -> str:
        """Carry out a ``clear history [agent] [n]`` command found in ``reply``; returns the reply text without it."""
        return history.clear_agents_history(reply, groupchat)

    def messages_to_string(self, messages: Optional[list[dict]] = None) -> str:
        """Serialise group chat messages (default: this group's) as JSON, e.g. to resume the chat later."""
        return history.messages_to_string(self._groupchat.messages if messages is None else messages)

    def messages_from_string(self, message_string: str) -> list[dict]:
        """Read messages written by :meth:`messages_to_string`."""
        return history.messages_from_string(message_string)

    def _valid_resume_messages(self, messages: list[dict]) -> None:
        """Raise ValueError unless ``messages`` can resume this group chat (0.2's name for the check)."""
        history.check_resume_messages(messages, self._groupchat, self.name)

    def _process_resume_termination(
        self, remove_termination_string: Optional[Union[str, Callable[[str], str]]], messages: list[dict]
    ) -> None:
        """Clean the last message of ``messages`` and warn if it would still end the chat at once."""
        history.remove_termination_string(messages[-1], remove_termination_string)
        if self._is_termination_msg(messages[-1]):
            logger.warning(
                "WARNING: Last message meets termination criteria and this may terminate the chat: "
                "pass remove_termination_string to resume()."
            )

    def resume(
        self,
        messages: Union[list[dict], str],
        remove_termination_string: Optional[Union[str, Callable[[str], str]]] = None,
        silent: Optional[bool] = False,
    ) -> tuple[Agent, dict]:
        """Load a saved conversation so it can go on; returns ``(last_speaker, last_message)``.

        Continue it with ``last_speaker.initiate_chat(manager, message=last_message, clear_history=False)``.

        Args:
            messages: the group's messages, or their JSON from :meth:`messages_to_string`.
            remove_termination_string: text to delete from the last message (or a function that
                cleans its content), so the chat does not stop at once.
            silent: do not print what was loaded.
        """
        return run_sync(self.a_resume(messages, remove_termination_string, silent))

    async def a_resume(
        self,
        messages: Union[list[dict], str],
        remove_termination_string: Optional[Union[str, Callable[[str], str]]] = None,
        silent: Optional[bool] = False,
    ) -> tuple[Agent, dict]:
        """Async :meth:`resume`."""
        groupchat = self._groupchat
        if isinstance(messages, str):
            messages = history.messages_from_string(messages)
        elif isinstance(messages, list) and all(isinstance(m, dict) for m in messages):
            messages = copy.deepcopy(messages)
        else:
            raise TypeError(
                f"resume() messages must be a list of message dicts or their JSON string, got {messages!r}."
            )
        self._valid_resume_messages(messages)
        for agent in groupchat.agents:
            if hasattr(agent, "clear_history"):
                agent.clear_history()
        self.clear_history()
        groupchat.reset()
        for message in messages:
            message.setdefault("name", self.name)  # no name: the manager's own (e.g. from a ChatResult)
        for message in messages[:-1]:
            await self._a_replay(groupchat, message)
        last_message = messages[-1]
        self._process_resume_termination(remove_termination_string, messages)
        last_speaker = groupchat.agent_by_name(last_message["name"]) or self
        if not silent:
            IOStream.get_default().print(
                f"Prepared group chat with {len(messages)} messages, the last speaker is",
                colored(last_message["name"], "yellow"),
                flush=True,
            )
        groupchat.send_introductions = False
        return last_speaker, last_message


async def _group_reply(
    manager: GroupChatManager, run: ChatRun, messages: Optional[list[dict]], sender: Any, config: Any
) -> tuple[bool, Optional[Union[str, dict]]]:
    """The manager's built-in reply function: run the group chat from ``sender``'s last message."""
    groupchat = manager._groupchat if config is None else config
    if messages is None:
        messages = manager._oai_messages[sender]
    return True, await run_group_chat(run, manager, groupchat, messages[-1], sender)
