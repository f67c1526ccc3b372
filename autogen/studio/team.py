"""Build a workflow's agents from the database rows: models become llm_configs, skills become tools,
code execution goes through the chosen executor, and human input comes from the browser."""

from __future__ import annotations

import asyncio
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.orm import Session

from autogen import AssistantAgent, GroupChat, GroupChatManager, UserProxyAgent, register_function

from .endpoints import ModelEndpoints
from .human import HumanChannel
from .schemas import folder_name_problem
from .skills import load_skill
from .tables import AgentRow, ModelRow, SkillRow, WorkflowRow

__all__ = ["Team", "TeamBuildError", "build_team", "ends_with_terminate"]


class TeamBuildError(ValueError):
    """A workflow cannot be run as it is configured (the message says what to change)."""


def ends_with_terminate(message: dict[str, Any]) -> bool:
    """The Studio's termination check: the message's text ends with TERMINATE."""
    content = message.get("content")
    return isinstance(content, str) and content.rstrip().endswith("TERMINATE")


class _BrowserHuman:
    """Agents of a Studio session ask the human in the browser (a timeout answers for them)."""

    studio_human: HumanChannel
    human_input_mode: str

    async def a_get_human_input(self, prompt: str) -> str:
        answer = await self.studio_human.ask(prompt)
        if answer is None:  # timed out: ALWAYS ends the chat, TERMINATE lets the agent reply on its own
            return "exit" if self.human_input_mode == "ALWAYS" else ""
        return answer


class StudioAssistant(_BrowserHuman, AssistantAgent):
    """An assistant whose human is in the browser."""


class StudioUserProxy(_BrowserHuman, UserProxyAgent):
    """A user proxy whose human is in the browser."""


@dataclasses.dataclass
class StudioGroupChat(GroupChat):
    """A group chat whose "manual" speaker choice is asked in the browser."""

    studio_human: Optional[HumanChannel] = None
    studio_loop: Optional[asyncio.AbstractEventLoop] = None

    def manual_select_speaker(self, agents: Optional[list[Any]] = None) -> Optional[Any]:
        """Runs on a worker thread: ask in the browser, on the app's loop, who speaks next."""
        choices = list(self.agents if agents is None else agents)
        if self.studio_human is None or self.studio_loop is None:
            return None
        names = ", ".join(a.name for a in choices)
        prompt = f"Who speaks next? Type one of: {names} (empty: the next one in order)"
        answer = asyncio.run_coroutine_threadsafe(self.studio_human.ask(prompt), self.studio_loop).result()
        by_name = {a.name: a for a in choices}
        return by_name.get((answer or "").strip())


@dataclass
class Team:
    """The agents of one session's run and how to start it."""

    initiator: Any
    recipient: Any
    speakers: list[Any] = field(default_factory=list)  # every agent whose sent messages are the chat's
    everyone: list[Any] = field(default_factory=list)
    max_turns: Optional[int] = None
    summary_method: str = "last_msg"
    secrets: list[str] = field(default_factory=list)


def code_config(row: AgentRow, work_dir: Path) -> Any:
    """The agent's ``code_execution_config``: its executor, with a work folder of its own under ``work_dir``.

    Raises:
        TeamBuildError: the agent's name would put the folder elsewhere (``..``: the app dir and its database).
    """
    if row.code_execution == "none":
        return False
    folder = work_dir / row.name
    problem = folder_name_problem(row.name)
    if problem is not None or folder.resolve().parent != work_dir.resolve():
        raise TeamBuildError(problem or f"agent name {row.name!r} cannot be a folder name; rename the agent")
    folder.mkdir(parents=True, exist_ok=True)
    executor = {"local": "commandline-local", "sandbox": "sandbox", "docker": "docker"}[row.code_execution]
    return {"executor": executor, executor: {"work_dir": str(folder), "timeout": row.timeout}}


class _Builder:
    def __init__(self, db: Session, endpoints: ModelEndpoints, human: HumanChannel, work_dir: Path) -> None:
        self.db = db
        self.endpoints = endpoints
        self.human = human
        self.work_dir = work_dir
        self.secrets: list[str] = []

    def row(self, agent_id: Optional[int], role: str) -> AgentRow:
        row = self.db.get(AgentRow, agent_id) if agent_id is not None else None
        if row is None:
            raise TeamBuildError(f"the workflow's {role} (agent id {agent_id}) no longer exists; edit the workflow")
        return row

    async def llm_config(self, row: AgentRow) -> Any:
        if row.model_id is None:
            if row.type == "userproxy":
                return False
            raise TeamBuildError(f"agent {row.name!r} has no model; pick one for it on the Agents page")
        model = self.db.get(ModelRow, row.model_id)
        if model is None:
            raise TeamBuildError(f"agent {row.name!r} uses model id {row.model_id}, which no longer exists")
        if model.api_key:
            self.secrets.append(model.api_key)
        entry = await self.endpoints.entry_for(model)
        return {"config_list": [entry], "cache_seed": None, **self.endpoints.llm_settings(model)}

    async def agent(self, row: AgentRow) -> Any:
        kwargs: dict[str, Any] = {
            "llm_config": await self.llm_config(row),
            "human_input_mode": row.human_input_mode,
            "code_execution_config": code_config(row, self.work_dir),
            "is_termination_msg": ends_with_terminate,
        }
        if row.system_message:
            kwargs["system_message"] = row.system_message
        if row.description:
            kwargs["description"] = row.description
        if row.max_consecutive_auto_reply is not None:
            kwargs["max_consecutive_auto_reply"] = row.max_consecutive_auto_reply
        cls = StudioUserProxy if row.type == "userproxy" else StudioAssistant
        agent = cls(row.name, **kwargs)
        agent.studio_human = self.human
        return agent

    def register_skills(self, rows: list[AgentRow], agents: list[Any], executor_of: dict[str, Any]) -> None:
        for row, agent in zip(rows, agents):
            for skill_id in row.skill_ids or []:
                skill = self.db.get(SkillRow, skill_id)
                if skill is None:
                    raise TeamBuildError(f"agent {row.name!r} uses skill id {skill_id}, which no longer exists")
                function = load_skill(skill.content, skill.name)
                description = skill.description or (function.__doc__ or "").strip() or skill.name
                register_function(
                    function, caller=agent, executor=executor_of[row.name], name=skill.name, description=description
                )


async def build_team(
    db: Session, workflow: WorkflowRow, endpoints: ModelEndpoints, human: HumanChannel, work_dir: Path
) -> Team:
    """The agents of ``workflow``, ready to chat.

    Raises:
        TeamBuildError: an agent, model or skill is missing or unusable.
    """
    builder = _Builder(db, endpoints, human, work_dir)
    initiator_row = builder.row(workflow.initiator_id, "initiator")
    if workflow.kind == "twoagent":
        receiver_row = builder.row(workflow.receiver_id, "receiver")
        rows = [initiator_row, receiver_row]
        agents = [await builder.agent(row) for row in rows]
        builder.register_skills(rows, agents, {rows[0].name: agents[1], rows[1].name: agents[0]})
        return Team(
            agents[0],
            agents[1],
            speakers=agents,
            everyone=agents,
            max_turns=workflow.max_rounds,
            summary_method=workflow.summary_method,
            secrets=builder.secrets,
        )
    manager_row = builder.row(workflow.manager_id, "manager")
    member_ids = list(workflow.member_ids or [])
    if workflow.initiator_id not in member_ids:
        member_ids.insert(0, workflow.initiator_id)
    rows = [builder.row(agent_id, "member") for agent_id in member_ids]
    members = [await builder.agent(row) for row in rows]
    initiator = members[member_ids.index(workflow.initiator_id)]
    executor_of = {
        row.name: (initiator if agent is not initiator else _other(members, agent)) for row, agent in zip(rows, members)
    }
    builder.register_skills(rows, members, executor_of)
    manager_llm = await builder.llm_config(manager_row) if manager_row.model_id is not None else False
    if manager_llm is False and workflow.speaker_selection == "auto":
        raise TeamBuildError(
            f"the manager {manager_row.name!r} needs a model to choose speakers ('auto'); give it one, "
            "or use speaker_selection 'round_robin'"
        )
    group = StudioGroupChat(
        agents=members,
        messages=[],
        max_round=workflow.max_rounds,
        speaker_selection_method=workflow.speaker_selection,  # type: ignore[arg-type]  # checked on save
        studio_human=human,
        studio_loop=asyncio.get_running_loop(),
    )
    manager_kwargs: dict[str, Any] = {"llm_config": manager_llm, "is_termination_msg": ends_with_terminate}
    if manager_row.system_message:
        manager_kwargs["system_message"] = manager_row.system_message
    manager = GroupChatManager(group, name=manager_row.name, **manager_kwargs)
    return Team(
        initiator,
        manager,
        speakers=members,
        everyone=[*members, manager],
        max_turns=None,
        summary_method=workflow.summary_method,
        secrets=builder.secrets,
    )


def _other(members: list[Any], agent: Any) -> Any:
    return next(m for m in members if m is not agent)
