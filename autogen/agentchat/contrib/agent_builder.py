"""AgentBuilder (AutoBuild): a builder model designs a team of agents for a task; the team runs as a group chat.

    builder = AgentBuilder(config_file_or_env="OAI_CONFIG_LIST", builder_model="gpt-4o", agent_model="gpt-4o")
    agents, configs = builder.build(task, default_llm_config={"temperature": 0})
    groupchat = autogen.GroupChat(agents=agents, messages=[], max_round=12)
    manager = autogen.GroupChatManager(groupchat, llm_config={"config_list": ...})
    agents[0].initiate_chat(manager, message=task)

``build`` asks the builder model for expert names, then a system message and a description for each, and
whether the task needs code (then a ``Computer_terminal`` that runs it joins the team). ``build_from_library``
picks the experts from an agent library instead. ``save``/``load`` keep a team as JSON (without endpoints or keys).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Optional, Union

from ...oai.client import OpenAIWrapper
from ...oai.openai_utils import config_list_from_json
from ..assistant_agent import AssistantAgent
from ..conversable_agent import ConversableAgent
from ..user_proxy_agent import UserProxyAgent
from . import _agent_builder_prompts as prompts
from ._agent_builder_config import (
    AgentConfig,
    LibraryAgent,
    TeamConfig,
    load_library,
    load_team_config,
    public_llm_config,
)
from ._builder_answers import (
    BuilderAnswerError,
    ask,
    expert_names,
    library_choice,
    skill_selection,
    text,
    yes_or_no,
)

__all__ = ["AgentBuilder", "BuilderAnswerError"]

OAI_ASSISTANT_UNAVAILABLE = (
    "use_oai_assistant=True is not available: it built GPTAssistantAgents on OpenAI's Assistants API, which OpenAI "
    "has deprecated (replaced by the Responses API). Build with use_oai_assistant=False (the default): the team's "
    "agents are AssistantAgents."
)
DEFAULT_CODE_EXECUTION_CONFIG: dict[str, Any] = {"last_n_messages": 1, "work_dir": "groupchat", "timeout": 10}
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
COMPUTER_TERMINAL = "Computer_terminal"


def _as_list(value: Union[str, Sequence[str], None]) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _filter(models: list[str], tags: list[str]) -> dict[str, Any]:
    filter_dict: dict[str, Any] = {}
    if models:
        filter_dict["model"] = models
    if tags:
        filter_dict["tags"] = tags
    return filter_dict


def _is_terminate(message: dict[str, Any]) -> bool:
    return str(message.get("content") or "").strip() in ("TERMINATE", "TERMINATE.")


def _refuse_oai_assistant(use_oai_assistant: bool) -> None:
    if use_oai_assistant:
        raise NotImplementedError(OAI_ASSISTANT_UNAVAILABLE)


class AgentBuilder:
    """Builds a team of agents for a task with a builder model (0.2's AutoBuild).

    Args:
        config_file_or_env: the config list: an environment variable (JSON or a file path) or a file name.
        config_file_location: the folder of that file.
        builder_model: model name(s) of the builder (filters the config list; empty: any).
        agent_model: model name(s) the built agents use (filters the config list; empty: any).
        builder_model_tags: tags the builder's configs must have.
        agent_model_tags: tags the agents' configs must have.
        max_agents: most experts per team.
        max_parse_attempts: ours: answers the builder model may give per question when an answer is not in the
            format asked for (each retry tells it what was wrong).

    Raises:
        ValueError: no config of the config list matches the builder's models and tags.
    """

    online_server_name = "online"
    DEFAULT_PROXY_AUTO_REPLY = prompts.DEFAULT_PROXY_AUTO_REPLY
    GROUP_CHAT_DESCRIPTION = prompts.GROUP_CHAT_DESCRIPTION
    DEFAULT_DESCRIPTION = prompts.DEFAULT_DESCRIPTION
    CODING_AND_TASK_SKILL_INSTRUCTION = prompts.CODING_AND_TASK_SKILL_INSTRUCTION
    CODING_PROMPT = prompts.CODING_PROMPT
    AGENT_NAME_PROMPT = prompts.AGENT_NAME_PROMPT
    AGENT_SYS_MSG_PROMPT = prompts.AGENT_SYS_MSG_PROMPT
    AGENT_DESCRIPTION_PROMPT = prompts.AGENT_DESCRIPTION_PROMPT
    AGENT_SEARCHING_PROMPT = prompts.AGENT_SEARCHING_PROMPT
    AGENT_SELECTION_PROMPT = prompts.AGENT_SELECTION_PROMPT

    def __init__(
        self,
        config_file_or_env: Optional[str] = "OAI_CONFIG_LIST",
        config_file_location: Optional[str] = "",
        builder_model: Union[str, Sequence[str], None] = (),
        agent_model: Union[str, Sequence[str], None] = (),
        builder_model_tags: Optional[Sequence[str]] = (),
        agent_model_tags: Optional[Sequence[str]] = (),
        max_agents: Optional[int] = 5,
        *,
        max_parse_attempts: int = 3,
    ) -> None:
        self.config_file_or_env = config_file_or_env or "OAI_CONFIG_LIST"
        self.config_file_location = config_file_location or ""
        self.max_agents = self._check_max_agents(max_agents if max_agents is not None else 5)
        if max_parse_attempts < 1:
            raise ValueError(f"max_parse_attempts must be at least 1, not {max_parse_attempts!r}")
        self.max_parse_attempts = max_parse_attempts
        self.agent_model = _as_list(agent_model)
        self.agent_model_tags = _as_list(agent_model_tags)
        self.builder_model_tags = _as_list(builder_model_tags)
        self.set_builder_model(builder_model)
        self.building_task: Optional[str] = None
        self.agent_configs: list[dict[str, Any]] = []
        self.open_ports: list[str] = []
        self.agent_procs: dict[str, Any] = {}
        self.agent_procs_assign: dict[str, tuple[ConversableAgent, str]] = {}
        self.cached_configs: dict[str, Any] = {}

    # ---- models -----------------------------------------------------------------------------------------------
    def _config_list(self, models: list[str], tags: list[str], whose: str) -> list[dict[str, Any]]:
        filter_dict = _filter(models, tags)
        config_list = config_list_from_json(
            self.config_file_or_env, file_location=self.config_file_location, filter_dict=filter_dict or None
        )
        if not config_list:
            raise ValueError(
                f"No config in {self.config_file_or_env} matches the {whose} models/tags {filter_dict}: add one to "
                "the config list, or name a model it has."
            )
        return config_list

    def set_builder_model(self, model: Union[str, Sequence[str], None]) -> None:
        """Use ``model`` (name or names in the config list; empty: any) as the builder."""
        self.builder_model_names = _as_list(model)
        config_list = self._config_list(self.builder_model_names, self.builder_model_tags, "builder")
        self.builder_model = OpenAIWrapper(config_list=config_list)

    def set_agent_model(self, model: Union[str, Sequence[str], None]) -> None:
        """Let the agents built from now on use ``model`` (name or names in the config list)."""
        self.agent_model = _as_list(model)

    @staticmethod
    def _check_max_agents(max_agents: Any) -> int:
        if not isinstance(max_agents, int) or isinstance(max_agents, bool) or max_agents < 1:
            raise ValueError(f"max_agents must be a positive int, not {max_agents!r}")
        return max_agents

    def _ask(self, prompt: str, parse: Any, what: str) -> Any:
        return ask(self.builder_model, prompt, parse, what, self.max_parse_attempts)

    # ---- designing agents -------------------------------------------------------------------------------------
    def _design_agents(self, task: str, max_agents: int) -> list[AgentConfig]:
        """Names, system messages and descriptions of the experts the builder model suggests for ``task``."""
        names = self._ask(
            self.AGENT_NAME_PROMPT.format(task=task, max_agents=max_agents), expert_names(max_agents), "expert names"
        )
        configs = []
        for name in names:
            sys_msg = self._ask(
                self.AGENT_SYS_MSG_PROMPT.format(task=task, position=name, default_sys_msg=self.DEFAULT_DESCRIPTION),
                text,
                f"system message for {name}",
            )
            description = self._ask(
                self.AGENT_DESCRIPTION_PROMPT.format(position=name, sys_msg=sys_msg), text, f"description of {name}"
            )
            configs.append(
                AgentConfig(
                    name=name,
                    system_message=sys_msg,
                    description=description,
                    model=self.agent_model,
                    tags=self.agent_model_tags,
                )
            )
        return configs

    def _needs_code(self, task: str, coding: Optional[bool]) -> bool:
        if coding is not None:
            return bool(coding)
        return bool(self._ask(self.CODING_PROMPT.format(task=task), yes_or_no, "YES/NO answer on coding"))

    # ---- building ---------------------------------------------------------------------------------------------
    def build(
        self,
        building_task: str,
        default_llm_config: dict[str, Any],
        coding: Optional[bool] = None,
        code_execution_config: Optional[dict[str, Any]] = None,
        use_oai_assistant: Optional[bool] = False,
        user_proxy: Optional[ConversableAgent] = None,
        max_agents: Optional[int] = None,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Let the builder model design a team for ``building_task`` and create its agents.

        Args:
            building_task: what the team should be able to do.
            default_llm_config: llm_config options of every agent (its config list comes from the builder's).
            coding: whether the team gets a Computer_terminal that runs code; None asks the builder model.
            code_execution_config: the Computer_terminal's (default: work_dir "groupchat", 10 s timeout, in
                Docker or the sandbox as ``AUTOGEN_USE_DOCKER`` decides).
            use_oai_assistant: not available (the Assistants API is deprecated); True raises.
            user_proxy: the agent that runs code instead of a new Computer_terminal.
            max_agents: most experts (default: the builder's ``max_agents``).
            **kwargs: passed to every expert's constructor.

        Returns:
            ``(agent_list, cached_configs)``: the experts (then the code runner, when coding), and the team's config.

        Raises:
            BuilderAnswerError: the builder model did not answer in the format asked for, even when told why.
            NotImplementedError: ``use_oai_assistant=True``.
        """
        _refuse_oai_assistant(bool(use_oai_assistant))
        task = self._check_task(building_task, default_llm_config)
        limit = self._check_max_agents(max_agents if max_agents is not None else self.max_agents)
        configs = self._design_agents(task, limit)
        return self._build_team(task, configs, coding, default_llm_config, code_execution_config, user_proxy, **kwargs)

    def build_from_library(
        self,
        building_task: str,
        library_path_or_json: str,
        default_llm_config: dict[str, Any],
        top_k: int = 3,
        coding: Optional[bool] = None,
        code_execution_config: Optional[dict[str, Any]] = None,
        use_oai_assistant: Optional[bool] = False,
        embedding_model: Optional[str] = DEFAULT_EMBEDDING_MODEL,
        user_proxy: Optional[ConversableAgent] = None,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Build a team of agents chosen from an agent library for ``building_task``.

        With an ``embedding_model`` each line of the task is a skill: the ``top_k`` library agents whose
        descriptions are nearest to each skill are found (``pip install "autogen[autobuild]"``), and the builder
        model matches skills with them; a skill no agent suits gets a new agent designed for it. With
        ``embedding_model=None`` the builder model chooses from the whole library.

        Args:
            library_path_or_json: a JSON file, or JSON text: a list of ``{"name", "description",
                "system_message"?, "model"?, "tags"?}``.
            top_k: agents recalled per skill.
            embedding_model: a sentence-transformers model (default all-MiniLM-L6-v2, offline), or None.
            Others: as :meth:`build`.

        Returns:
            ``(agent_list, cached_configs)`` as :meth:`build`.

        Raises:
            FileNotFoundError, ValueError: the library file is missing or not a valid library (named with the
                problem).
            BuilderAnswerError: the builder model did not answer in the format asked for, even when told why.
        """
        _refuse_oai_assistant(bool(use_oai_assistant))
        task = self._check_task(building_task, default_llm_config)
        if not isinstance(top_k, int) or top_k < 1:
            raise ValueError(f"top_k must be a positive int, not {top_k!r}")
        library = load_library(library_path_or_json)
        if embedding_model is None:
            chosen = self._choose_from_library(task, library)
        else:
            chosen = self._match_skills(task, library, top_k, embedding_model)
        configs = [
            c if c.model or c.tags else c.model_copy(update={"model": self.agent_model, "tags": self.agent_model_tags})
            for c in chosen[: self.max_agents]
        ]
        return self._build_team(task, configs, coding, default_llm_config, code_execution_config, user_proxy, **kwargs)

    def _build_team(
        self,
        task: str,
        configs: list[AgentConfig],
        coding: Optional[bool],
        default_llm_config: dict[str, Any],
        code_execution_config: Optional[dict[str, Any]],
        user_proxy: Optional[ConversableAgent],
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """The agents of a designed team (asking the builder model whether it codes, unless ``coding`` says)."""
        team = TeamConfig(
            building_task=task,
            agent_configs=configs,
            coding=self._needs_code(task, coding),
            default_llm_config=public_llm_config(default_llm_config),
            code_execution_config=code_execution_config or dict(DEFAULT_CODE_EXECUTION_CONFIG),
        )
        return self._build_agents(team, default_llm_config, user_proxy, **kwargs)

    def _choose_from_library(self, task: str, library: list[LibraryAgent]) -> list[AgentConfig]:
        by_name = {agent.name: agent for agent in library}
        agent_list = "\n".join(f"{agent.name}: {agent.description}" for agent in library)
        prompt = self.AGENT_SEARCHING_PROMPT.format(task=task, agent_list=agent_list, max_agents=self.max_agents)
        names = self._ask(prompt, library_choice(by_name, self.max_agents), "choice of library experts")
        return [by_name[name] for name in names]

    def _match_skills(
        self, task: str, library: list[LibraryAgent], top_k: int, embedding_model: str
    ) -> list[AgentConfig]:
        from ._agent_library_search import nearest_agents

        skills = [line.strip() for line in task.replace(":", " ").split("\n") if line.strip()] or [task]
        candidates = {agent.name: agent for agent in nearest_agents(library, skills, top_k, embedding_model)}
        pool = [f"{agent.name}: {agent.description}" for agent in candidates.values()]
        prompt = self.AGENT_SELECTION_PROMPT.format(skills=task, expert_pool=pool, max_agents=self.max_agents)
        selection = self._ask(prompt, skill_selection(candidates), "matching of skills with experts")
        chosen: list[AgentConfig] = []
        for skill, name in selection.items():
            if name == "None":
                chosen += self._design_agents(skill, 1)
            elif all(c.name != name for c in chosen):
                chosen.append(candidates[name])
        return chosen

    @staticmethod
    def _check_task(building_task: Any, default_llm_config: Any) -> str:
        if not isinstance(building_task, str) or not building_task.strip():
            raise ValueError(f"building_task must be a non-empty description of the task, not {building_task!r}")
        if not isinstance(default_llm_config, dict):
            raise ValueError(f"default_llm_config must be a dict of llm_config options, not {default_llm_config!r}")
        return building_task

    def _create_agent(
        self, config: AgentConfig, member_names: list[str], llm_config: dict[str, Any], coding: bool, **kwargs: Any
    ) -> AssistantAgent:
        agent_llm_config = {**llm_config, "config_list": self._config_list(config.model, config.tags, config.name)}
        agent = AssistantAgent(
            config.name, llm_config=agent_llm_config, description=config.description or None, **kwargs
        )
        if config.system_message:
            sys_msg = f"{config.system_message}\n\n{self.CODING_AND_TASK_SKILL_INSTRUCTION}"
        else:
            sys_msg = str(agent.system_message)
        agent.update_system_message(
            self.GROUP_CHAT_DESCRIPTION.format(
                name=config.name,
                members=member_names,
                user_proxy_desc=prompts.USER_PROXY_IN_GROUP if coding else "",
                sys_msg=sys_msg,
            )
        )
        return agent

    def _build_agents(
        self,
        team: TeamConfig,
        llm_config: dict[str, Any],
        user_proxy: Optional[ConversableAgent] = None,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Create the team's agents; the builder's state changes only once all of them exist."""
        member_names = [c.name for c in team.agent_configs] + ([COMPUTER_TERMINAL] if team.coding else [])
        agents: list[ConversableAgent] = [
            self._create_agent(c, member_names, llm_config, team.coding, **kwargs) for c in team.agent_configs
        ]
        if team.coding:
            if user_proxy is None:
                user_proxy = UserProxyAgent(
                    COMPUTER_TERMINAL,
                    is_termination_msg=_is_terminate,
                    code_execution_config=team.code_execution_config,  # type: ignore[arg-type]
                    human_input_mode="NEVER",
                    default_auto_reply=self.DEFAULT_PROXY_AUTO_REPLY,
                    description=prompts.COMPUTER_TERMINAL_DESCRIPTION,
                )
            agents.append(user_proxy)
        self.building_task = team.building_task
        self.agent_configs = [c.model_dump() for c in team.agent_configs]
        self.cached_configs = team.model_dump()
        for agent in agents[: len(team.agent_configs)]:
            self.agent_procs_assign[agent.name] = (agent, self.online_server_name)
        return agents, dict(self.cached_configs)

    # ---- keeping teams ----------------------------------------------------------------------------------------
    def clear_agent(self, agent_name: str, recycle_endpoint: Optional[bool] = True) -> None:
        """Forget the built agent ``agent_name`` (``recycle_endpoint`` is kept for 0.2 code: no endpoints here).

        Raises:
            ValueError: no built agent has that name.
        """
        if agent_name not in self.agent_procs_assign:
            built = sorted(self.agent_procs_assign)
            raise ValueError(f"no built agent is named {agent_name!r}; the built agents are {built}")
        del self.agent_procs_assign[agent_name]

    def clear_all_agents(self, recycle_endpoint: Optional[bool] = True) -> None:
        """Forget every built agent."""
        for name in list(self.agent_procs_assign):
            self.clear_agent(name, recycle_endpoint)

    def save(self, filepath: Optional[str] = None) -> str:
        """Write the last built team's config as JSON (default ``./save_config_<md5 of the task>.json``).

        The config holds no endpoints or API keys: ``load`` takes them from the config list again.

        Returns:
            The file's path.

        Raises:
            ValueError: nothing was built yet, or the config holds an object JSON cannot store (an executor).
        """
        if not self.cached_configs:
            raise ValueError("nothing to save: build a team first (build, build_from_library or load)")
        try:
            text = json.dumps(self.cached_configs, indent=4)
        except TypeError as e:
            raise ValueError(
                f"the team's config cannot be saved as JSON ({e}): give code_execution_config as plain options "
                "(work_dir, timeout, use_docker, ...) rather than an executor object"
            ) from e
        if filepath is None:
            digest = hashlib.md5(str(self.building_task).encode("utf-8")).hexdigest()
            filepath = f"./save_config_{digest}.json"
        Path(filepath).write_text(text, encoding="utf-8")
        return filepath

    def load(
        self,
        filepath: Optional[str] = None,
        config_json: Optional[str] = None,
        use_oai_assistant: Optional[bool] = False,
        **kwargs: Any,
    ) -> tuple[list[ConversableAgent], dict[str, Any]]:
        """Create the agents of a team saved by :meth:`save` (a file, or its JSON text), without the builder model.

        ``code_execution_config=`` and ``user_proxy=`` in ``kwargs`` replace the saved ones; the rest go to every
        expert's constructor.

        Raises:
            FileNotFoundError, ValueError: the file is missing, or not a valid team config (named with the problem).
        """
        _refuse_oai_assistant(bool(use_oai_assistant))
        if (filepath is None) == (config_json is None):
            raise ValueError("give exactly one of filepath (a saved team's file) and config_json (its JSON text)")
        team = load_team_config(str(filepath if filepath is not None else config_json))
        if kwargs.get("code_execution_config") is not None:
            team = team.model_copy(update={"code_execution_config": kwargs.pop("code_execution_config")})
        kwargs.pop("code_execution_config", None)
        user_proxy = kwargs.pop("user_proxy", None)
        return self._build_agents(team, team.default_llm_config, user_proxy, **kwargs)
