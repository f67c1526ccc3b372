"""Group chat: many agents in one conversation, and the policy that picks who speaks next.

:class:`GroupChat` holds the agents, the shared messages and the speaker-selection settings;
:class:`GroupChatManager` (an agent) runs the conversation. Selection modes: ``"auto"`` (the
manager's LLM decides), ``"manual"`` (a human types it), ``"random"``, ``"round_robin"``, or a
callable ``(last_speaker, groupchat) -> Agent | str | None``.
"""

from __future__ import annotations

import inspect
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Literal, Optional, Union, cast

from .._sync import in_worker_thread, on_calling_thread, run_sync
from ..exception_utils import AgentNameConflict, NoEligibleSpeaker
from ..graph_utils import check_graph_validity, check_transitions_structure, invert_disallowed_to_allowed
from . import _groupchat_prompts as prompts
from ._auto_speaker_selection import auto_select_speaker
from ._messages import content_text
from ._speaker_selection import (
    called_function_names,
    executors_of,
    manual_choice,
    mentioned_agents,
    next_agent_in_order,
    participant_roles,
)
from .agent import Agent
from .chat_run import current_run

__all__ = ["GroupChat"]

logger = logging.getLogger(__name__)

_METHODS = ("auto", "manual", "random", "round_robin")
_STRUCTURED_MODES = (False, True, "tool", "json_schema")


def _require_template(name: str, value: Any, placeholders: tuple[str, ...], allow_none: bool = False) -> None:
    if value is None and allow_none:
        return
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"GroupChat {name} cannot be empty or None: give a non-empty string, got {value!r}.")
    try:
        value.format(**{p: "" for p in placeholders})
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(
            f"GroupChat {name} can only use the placeholders {['{' + p + '}' for p in placeholders]}: {exc!r}."
        ) from None


@dataclass
class GroupChat:
    """Agents, the messages they share, and how the next speaker is chosen.

    Args:
        agents: the members.
        messages: the shared history (a new chat starts from it; usually ``[]``).
        max_round: most messages in one chat run, the first included.
        admin_name: the member who speaks when the chat is interrupted with Ctrl-C.
        func_call_filter: when the last message calls a function or tool, only members that can
            execute it may speak.
        speaker_selection_method: ``"auto"``, ``"manual"``, ``"random"``, ``"round_robin"`` or a
            callable ``(last_speaker, groupchat) -> Agent | method name | agent name | None``.
        max_retries_for_selecting_speaker: extra LLM calls in "auto" when an answer names no
            member or several.
        allow_repeat_speaker: may a member speak twice in a row (True, False, or the members that may).
        allowed_or_disallowed_speaker_transitions: member -> members allowed (or not) to speak after it.
        speaker_transitions_type: ``"allowed"`` or ``"disallowed"``; required with transitions.
        enable_clear_history: a reply containing ``clear history [name] [n]`` clears histories.
        send_introductions: tell every member who is in the group before the first round.
        select_speaker_message_template: system message for "auto" (``{roles}``, ``{agentlist}``).
        select_speaker_prompt_template: last message for "auto" (``{agentlist}``); None to end on the
            group's last message.
        select_speaker_auto_multiple_template: follow-up when several members were named.
        select_speaker_auto_none_template: follow-up when no member was named.
        select_speaker_auto_verbose: print each selection attempt.
        role_for_select_speaker_messages: role of the selection prompt and follow-ups.
        select_speaker_structured_output: constrain the "auto" answer to the eligible names with a
            named tool call (``True`` or ``"tool"``) or a JSON schema (``"json_schema"``), so even
            weak models name a valid speaker.
    """

    agents: list[Agent]
    messages: list[dict] = field(default_factory=list)
    max_round: int = 10
    admin_name: str = "Admin"
    func_call_filter: bool = True
    speaker_selection_method: Union[Literal["auto", "manual", "random", "round_robin"], Callable] = "auto"
    max_retries_for_selecting_speaker: int = 2
    allow_repeat_speaker: Optional[Union[bool, list[Agent]]] = None
    allowed_or_disallowed_speaker_transitions: Optional[dict] = None
    speaker_transitions_type: Literal["allowed", "disallowed", None] = None
    enable_clear_history: bool = False
    send_introductions: bool = False
    select_speaker_message_template: str = prompts.SELECT_SPEAKER_MESSAGE_TEMPLATE
    select_speaker_prompt_template: Optional[str] = prompts.SELECT_SPEAKER_PROMPT_TEMPLATE
    select_speaker_auto_multiple_template: str = prompts.SELECT_SPEAKER_AUTO_MULTIPLE_TEMPLATE
    select_speaker_auto_none_template: str = prompts.SELECT_SPEAKER_AUTO_NONE_TEMPLATE
    select_speaker_auto_verbose: Optional[bool] = False
    role_for_select_speaker_messages: Optional[str] = "system"
    select_speaker_structured_output: Union[bool, str] = False
    allowed_speaker_transitions_dict: dict = field(init=False)

    DEFAULT_INTRO_MSG = prompts.DEFAULT_INTRO_MSG
    _VALID_SPEAKER_SELECTION_METHODS = list(_METHODS)
    _VALID_SPEAKER_TRANSITIONS_TYPE = ["allowed", "disallowed", None]

    # ---- validation -------------------------------------------------------------------------
    def __post_init__(self) -> None:
        if not isinstance(self.agents, list):  # a list given is kept, as in 0.2 (callers may extend it)
            self.agents = list(self.agents)
        for i, agent in enumerate(self.agents):
            if not isinstance(getattr(agent, "name", None), str):
                raise TypeError(f"GroupChat agents[{i}] must be an agent with a name, got {agent!r}.")
        names = self.agent_names
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(
                f"GroupChat agents must have unique names, but several are named {', '.join(map(repr, duplicates))}: "
                "selection is by name, so one of them could never speak. Give each agent its own name."
            )
        if self.messages is None:
            self.messages = []
        if not isinstance(self.max_round, int) or isinstance(self.max_round, bool) or self.max_round < 1:
            raise ValueError(f"GroupChat max_round must be an integer of at least 1, got {self.max_round!r}.")
        self._check_selection_method()
        self._check_retries_and_role()
        _require_template(
            "select_speaker_message_template", self.select_speaker_message_template, ("roles", "agentlist")
        )
        if self.select_speaker_prompt_template == "":  # as in 0.2: no prompt, end on the group's last message
            self.select_speaker_prompt_template = None
        _require_template(
            "select_speaker_prompt_template", self.select_speaker_prompt_template, ("agentlist",), allow_none=True
        )
        _require_template(
            "select_speaker_auto_multiple_template", self.select_speaker_auto_multiple_template, ("agentlist",)
        )
        _require_template("select_speaker_auto_none_template", self.select_speaker_auto_none_template, ("agentlist",))
        if self.select_speaker_structured_output not in _STRUCTURED_MODES:
            raise ValueError(
                "GroupChat select_speaker_structured_output must be False, True, 'tool' or 'json_schema', "
                f"got {self.select_speaker_structured_output!r}."
            )
        self.allowed_speaker_transitions_dict = self._build_transition_graph()

    def _check_selection_method(self) -> None:
        method = self.speaker_selection_method
        if callable(method):
            return
        if not isinstance(method, str) or method.lower() not in _METHODS:
            raise ValueError(
                f"GroupChat speaker_selection_method must be one of {list(_METHODS)} or a callable "
                f"(last_speaker, groupchat) -> Agent | str | None, got {method!r}."
            )

    def _check_retries_and_role(self) -> None:
        retries = self.max_retries_for_selecting_speaker
        if not isinstance(retries, int) or isinstance(retries, bool):
            raise ValueError(
                "GroupChat max_retries_for_selecting_speaker cannot be None or non-int: give an integer, "
                f"got {retries!r}."
            )
        if retries < 0:
            raise ValueError(
                f"GroupChat max_retries_for_selecting_speaker must be greater than or equal to zero, got {retries}."
            )
        role = self.role_for_select_speaker_messages
        if not isinstance(role, str) or not role.strip():
            raise ValueError(
                "GroupChat role_for_select_speaker_messages cannot be empty or None: give a role such as 'system' "
                f"or 'user', got {role!r}."
            )
        if not isinstance(self.select_speaker_auto_verbose, bool):
            raise ValueError(
                "GroupChat select_speaker_auto_verbose cannot be None or non-bool: give True or False, "
                f"got {self.select_speaker_auto_verbose!r}."
            )

    def _build_transition_graph(self) -> dict:
        """Who may speak after whom: from the transitions given, else from ``allow_repeat_speaker``."""
        transitions = self.allowed_or_disallowed_speaker_transitions
        repeat = self.allow_repeat_speaker
        if transitions is not None and repeat is not None:
            raise ValueError(
                "GroupChat allow_repeat_speaker and allowed_or_disallowed_speaker_transitions are mutually exclusive: "
                "express repeats as self-transitions in the graph instead."
            )
        if repeat is None and transitions is None:
            repeat = self.allow_repeat_speaker = True
        if repeat is not None and not isinstance(repeat, (bool, list)):
            raise ValueError(f"GroupChat allow_repeat_speaker should be a bool or a list of Agents, got {repeat!r}.")
        if isinstance(repeat, list):
            strangers = [getattr(a, "name", a) for a in repeat if a not in self.agents]
            if strangers:
                raise ValueError(
                    f"GroupChat allow_repeat_speaker names {strangers}, which are not in agents {self.agent_names}."
                )
        if transitions is None:
            return {
                agent: [
                    other
                    for other in self.agents
                    if other is not agent or repeat is True or (isinstance(repeat, list) and agent in repeat)
                ]
                for agent in self.agents
            }
        return self._graph_from_transitions(transitions)

    def _graph_from_transitions(self, transitions: Any) -> dict:
        """The allowed-transitions graph from the user's allowed or disallowed transitions, validated."""
        if isinstance(self.speaker_transitions_type, str):
            self.speaker_transitions_type = self.speaker_transitions_type.lower()  # type: ignore[assignment]
        if self.speaker_transitions_type not in ("allowed", "disallowed"):
            raise ValueError(
                "GroupChat speaker_transitions_type must be 'allowed' or 'disallowed' when "
                f"allowed_or_disallowed_speaker_transitions is given, got {self.speaker_transitions_type!r}."
            )
        if not isinstance(transitions, dict):
            raise ValueError(
                "GroupChat allowed_or_disallowed_speaker_transitions must be a dict mapping agents to lists of agents, "
                f"got {type(transitions).__name__}."
            )
        if self.speaker_transitions_type == "disallowed":
            check_transitions_structure(transitions, self.agents)  # unknown agents are errors here too
            graph = invert_disallowed_to_allowed(transitions, self.agents)
        else:
            graph = {source: list(successors) for source, successors in transitions.items()}
        check_graph_validity(graph, self.agents)
        graph = {source: [s for s in successors if s in self.agents] for source, successors in graph.items()}
        for agent in self.agents:
            graph.setdefault(agent, [])
        return graph

    # ---- members and messages ---------------------------------------------------------------------
    @property
    def agent_names(self) -> list[str]:
        """Names of the members, in order."""
        return [agent.name for agent in self.agents]

    def reset(self) -> None:
        """Forget the shared messages."""
        self.messages.clear()

    def append(self, message: dict, speaker: Agent) -> None:
        """Add ``message`` from ``speaker`` to the shared history (content made text, name set)."""
        if message.get("role") != "function":
            message["name"] = speaker.name
        message["content"] = content_text(message.get("content"))
        self.messages.append(message)

    def agent_by_name(
        self, name: str, recursive: bool = False, raise_on_name_conflict: bool = False
    ) -> Optional[Agent]:
        """The member called ``name`` (searching nested group chats too if ``recursive``), or None.

        Raises:
            AgentNameConflict: if ``raise_on_name_conflict`` and several agents have that name.
        """
        agents = self.nested_agents() if recursive else self.agents
        found = [agent for agent in agents if agent.name == name]
        if raise_on_name_conflict and len(found) > 1:
            raise AgentNameConflict(f"Found {len(found)} agents named {name!r} in the group chat.")
        return found[0] if found else None

    def nested_agents(self) -> list[Agent]:
        """The members, plus the members of group chats run by members that are managers, recursively."""
        agents = list(self.agents)
        for agent in self.agents:
            inner = getattr(agent, "_groupchat", None)
            if isinstance(inner, GroupChat) and inner is not self:
                agents.extend(inner.nested_agents())
        return agents

    def next_agent(self, agent: Agent, agents: Optional[list[Agent]] = None) -> Agent:
        """The member after ``agent`` in order, among ``agents`` (default: all members)."""
        return next_agent_in_order(agent, self.agents, agents)

    # ---- prompts ----------------------------------------------------------------------------------
    def _participant_roles(self, agents: Optional[list[Agent]] = None) -> str:
        agents = self.agents if agents is None else agents
        for agent in agents:
            if not (getattr(agent, "description", None) or "").strip():
                logger.warning(
                    "Agent %r has no description; speaker selection works best when every agent has one.", agent.name
                )
        return participant_roles(agents)

    def select_speaker_msg(self, agents: Optional[list[Agent]] = None) -> str:
        """System message asking the LLM to choose among ``agents``."""
        agents = self.agents if agents is None else agents
        return self.select_speaker_message_template.format(
            roles=self._participant_roles(agents), agentlist=f"{[a.name for a in agents]}"
        )

    def select_speaker_prompt(self, agents: Optional[list[Agent]] = None) -> Optional[str]:
        """Final prompt of the selection request, or None when the template is None."""
        if self.select_speaker_prompt_template is None:
            return None
        agents = self.agents if agents is None else agents
        return self.select_speaker_prompt_template.format(agentlist=f"{[a.name for a in agents]}")

    def introductions_msg(self, agents: Optional[list[Agent]] = None) -> str:
        """The introduction sent to every member when ``send_introductions`` is on."""
        agents = self.agents if agents is None else agents
        return f"{self.DEFAULT_INTRO_MSG}\n\n{self._participant_roles(agents)}"

    def _mentioned_agents(self, message_content: Any, agents: Optional[list[Agent]] = None) -> dict[str, int]:
        """Whole-word mentions of each member's name in ``message_content`` (name -> count)."""
        return mentioned_agents(message_content, self.agents if agents is None else agents)

    # ---- selection ----------------------------------------------------------------------------------
    def manual_select_speaker(self, agents: Optional[list[Agent]] = None) -> Optional[Agent]:
        """Ask the human who speaks next; None means "the next one in order"."""
        return manual_choice(self.agents if agents is None else agents)

    def random_select_speaker(self, agents: Optional[list[Agent]] = None) -> Optional[Agent]:
        """A random member of ``agents`` (default: all members)."""
        agents = self.agents if agents is None else agents
        return random.choice(agents) if agents else None

    def select_speaker(self, last_speaker: Agent, selector: Any) -> Agent:
        """Choose the next speaker (sync facade of :meth:`a_select_speaker`)."""
        return run_sync(self.a_select_speaker(last_speaker, selector))

    async def a_select_speaker(self, last_speaker: Agent, selector: Any) -> Agent:
        """Choose the next speaker after ``last_speaker``; ``selector`` (the manager) lends its LLM for "auto".

        Raises:
            NoEligibleSpeaker: nobody may speak next (the chat ends).
        """
        method = self.speaker_selection_method
        if callable(method):
            chosen = method(last_speaker, self)
            if inspect.isawaitable(chosen):
                chosen = await chosen
            method = self._resolve_custom_choice(chosen)
            if not isinstance(method, str):
                return method
        selected, eligible = self._eligible_speakers(last_speaker)
        if selected is not None:
            return selected
        method_name = method.lower()
        if method_name == "manual":
            run = current_run()
            if run is not None and run.sync:  # the human answers on the thread that started the chat
                chosen = await on_calling_thread(self.manual_select_speaker, eligible)
            else:  # waiting for a human must not block other chats on this event loop
                chosen = await in_worker_thread(self.manual_select_speaker, eligible)
            return chosen if chosen is not None else self.next_agent(last_speaker, eligible)
        if method_name == "round_robin":
            return self.next_agent(last_speaker, eligible)
        if method_name == "random":  # eligible is never empty here, so neither is the choice
            return cast(Agent, self.random_select_speaker(eligible))
        return await self.a_auto_select_speaker(last_speaker, selector, None, eligible)

    async def a_auto_select_speaker(
        self, last_speaker: Agent, selector: Any, messages: Optional[list[dict]], agents: Optional[list[Agent]]
    ) -> Agent:
        """Ask ``selector``'s LLM to choose among ``agents`` (default: all), re-asking on unclear answers."""
        agents = self.agents if agents is None else agents
        return await auto_select_speaker(self, last_speaker, selector, messages, agents)

    def _resolve_custom_choice(self, chosen: Any) -> Any:
        """Map a custom selection function's answer to an agent or a selection method name."""
        if chosen is None:
            raise NoEligibleSpeaker("The custom speaker selection function returned None.")
        if isinstance(chosen, str):
            if chosen.lower() in _METHODS:
                return chosen
            agent = self.agent_by_name(chosen)
            if agent is None:
                raise ValueError(
                    f"The custom speaker selection function returned {chosen!r}, which is neither a selection "
                    f"method {list(_METHODS)} nor an agent of the group chat {self.agent_names}."
                )
            return agent
        if any(chosen is a for a in self.agents):
            return chosen
        if hasattr(chosen, "name"):
            raise ValueError(
                f"The custom speaker selection function returned agent {chosen.name!r}, which is not in the "
                f"group chat {self.agent_names}."
            )
        raise ValueError(
            "The custom speaker selection function must return an Agent, a selection method or agent name, "
            f"or None; it returned {type(chosen).__name__}."
        )

    def _eligible_speakers(self, last_speaker: Agent) -> tuple[Optional[Agent], list[Agent]]:
        """Who may speak next: (the only possible speaker or None, the eligible members).

        Applies, in order: routing of function/tool calls to their executors, the no-repeat rule,
        and the transition graph.

        Raises:
            ValueError: fewer than two members, or a call that no member can execute.
            NoEligibleSpeaker: the graph leaves nobody.
        """
        if len(self.agents) < 2:
            raise ValueError(
                f"GroupChat needs at least 2 agents to choose a speaker, it has {len(self.agents)}. "
                "Add agents, or let two agents talk directly with initiate_chat."
            )
        repeat = self.allow_repeat_speaker
        if isinstance(repeat, list):
            repeat = any(last_speaker is a for a in repeat)
        agents = list(self.agents)
        calls = called_function_names(self.messages[-1]) if self.func_call_filter and self.messages else []
        if calls:
            agents = executors_of(calls, self.agents)
            if not agents:
                raise ValueError(
                    f"No agent can execute the function(s) {', '.join(calls)}: register them with "
                    "register_for_execution (or function_map) on one of the group chat's agents."
                )
            if len(agents) == 1:
                return agents[0], agents
        if repeat is False:
            agents = [a for a in agents if a is not last_speaker]
        in_group = any(last_speaker is a for a in self.agents)
        candidates = self.allowed_speaker_transitions_dict.get(last_speaker, []) if in_group else agents
        eligible = [a for a in agents if any(a is c for c in candidates)]
        if not eligible:
            raise NoEligibleSpeaker(
                f"Nobody may speak after {getattr(last_speaker, 'name', last_speaker)!r} "
                "under the speaker transition rules."
            )
        if len(eligible) == 1:
            return eligible[0], eligible
        return None, eligible
