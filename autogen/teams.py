"""Teams described in a file (the format of ``autogen run`` and of Studio's workflow export), from Python.

    from autogen.teams import Team

    team = Team.from_file("team.yaml")
    result = team.run(config_list=config_list)          # a ChatResult
    print(result.summary, result.cost)

The file format is documented in :mod:`autogen.cli.team_file`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from autogen.cli.team_file import AgentSpec, TeamFileError, TeamSpec, load_team_file

if TYPE_CHECKING:
    from autogen.agentchat.chat import ChatResult
    from autogen.agentchat.conversable_agent import ConversableAgent

__all__ = ["BuiltTeam", "Team", "TeamFileError", "build_agents"]


def _termination_check(marker: Optional[str]) -> Optional[Callable[[dict[str, Any]], bool]]:
    if marker is None:
        return None
    return lambda message: isinstance(message.get("content"), str) and marker in message["content"]


def _code_config(spec: AgentSpec, work_dirs: contextlib.ExitStack) -> Any:
    if spec.code_execution is False:
        return False
    config = {} if spec.code_execution is True else dict(spec.code_execution)
    if "work_dir" not in config:
        config["work_dir"] = work_dirs.enter_context(tempfile.TemporaryDirectory(prefix=f"autogen-{spec.name}-"))
    config.setdefault("use_docker", False)
    config.setdefault("timeout", 60)
    return config


def build_agents(team: TeamSpec, llm_config: dict[str, Any], work_dirs: contextlib.ExitStack) -> list[ConversableAgent]:
    """Create the agents of ``team``; code runs in temporary directories kept open by ``work_dirs``."""
    from autogen import AssistantAgent, ConversableAgent, UserProxyAgent

    classes: dict[str, type[ConversableAgent]] = {
        "assistant": AssistantAgent,
        "user_proxy": UserProxyAgent,
        "conversable": ConversableAgent,
    }
    agents = []
    for spec in team.agents:
        kwargs = dict(spec.options)
        kwargs["llm_config"] = dict(llm_config) if spec.use_llm else False
        kwargs["code_execution_config"] = _code_config(spec, work_dirs)
        check = _termination_check(spec.terminate_on)
        if check is not None:
            kwargs["is_termination_msg"] = check
        agents.append(classes[spec.type](spec.name, **kwargs))
    return agents


def _group_chat_manager(team: TeamSpec, agents: list[Any], llm_config: dict[str, Any]) -> ConversableAgent:
    from autogen import GroupChat, GroupChatManager

    settings = dict(team.group_chat or {})
    valid = sorted(f.name for f in dataclasses.fields(GroupChat) if f.name not in ("agents", "messages"))
    unknown = [key for key in settings if key not in valid]
    if unknown:
        raise TeamFileError(f"group_chat: unknown setting {unknown[0]!r}; valid settings: {', '.join(valid)}")
    try:
        group_chat = GroupChat(agents=agents, messages=[], **settings)
    except (TypeError, ValueError) as err:
        raise TeamFileError(f"group_chat: {err}") from None
    return GroupChatManager(group_chat, name="chat_manager", llm_config=dict(llm_config))


@dataclass
class BuiltTeam:
    """The live agents of a team: who starts the task, who receives it, and everyone (manager included)."""

    initiator: ConversableAgent
    recipient: ConversableAgent
    agents: list[ConversableAgent]


@dataclass
class Team:
    """A team file, read and validated; :meth:`build` makes its agents and :meth:`run` runs its task."""

    spec: TeamSpec

    @classmethod
    def from_file(cls, path: str, *, task: Optional[str] = None) -> Team:
        """Read a ``.yaml``/``.yml``/``.json`` team file; ``task`` replaces the file's task message."""
        return cls(load_team_file(path, task_override=task))

    def llm_config(self, config_list: Optional[list[dict[str, Any]]] = None) -> dict[str, Any]:
        """The file's ``llm`` settings with ``config_list`` (the file's own when None)."""
        chosen = config_list if config_list is not None else self.spec.llm.get("config_list")
        if not chosen:
            raise TeamFileError(
                "the team file has no llm.config_list: pass config_list=... (e.g. autogen.config_list_from_json("
                "'OAI_CONFIG_LIST')), or run it with `autogen run`, which can use the embedded local model"
            )
        return {"cache_seed": None, **self.spec.llm, "config_list": list(chosen)}

    def build(self, llm_config: dict[str, Any], work_dirs: contextlib.ExitStack) -> BuiltTeam:
        """Create the agents (and the group chat manager when the file has a group chat)."""
        agents = build_agents(self.spec, llm_config, work_dirs)
        initiator = next(agent for agent in agents if agent.name == self.spec.task.initiator)
        if self.spec.group_chat is not None:
            recipient = _group_chat_manager(self.spec, agents, llm_config)
            return BuiltTeam(initiator, recipient, [*agents, recipient])
        recipient = next(agent for agent in agents if agent is not initiator)
        return BuiltTeam(initiator, recipient, agents)

    def run(
        self, *, config_list: Optional[list[dict[str, Any]]] = None, task: Optional[str] = None, **chat_options: Any
    ) -> ChatResult:
        """Build the team and run its task; returns the :class:`ChatResult`.

        ``chat_options`` go to ``initiate_chat`` (``silent``, ``checkpoint``, ``run_id``, ``budget``, ...).
        Code blocks run in temporary work directories, deleted when the chat ends.
        """
        with contextlib.ExitStack() as work_dirs:
            team = self.build(self.llm_config(config_list), work_dirs)
            return team.initiator.initiate_chat(
                team.recipient,
                message=task if task is not None else self.spec.task.message,
                max_turns=self.spec.task.max_turns,
                summary_method=self.spec.task.summary_method,
                **chat_options,
            )
