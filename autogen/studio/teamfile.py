"""Workflows as the team files ``autogen run`` reads (``autogen/cli/team_file.py``), both ways.

Export never writes an API key: a model with a key is written without it (the SDK then reads its
environment variable, e.g. ``OPENAI_API_KEY``). A workflow whose agents use only the embedded model is
written without a config list, so ``autogen run`` uses ``$OAI_CONFIG_LIST`` or the embedded model.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Optional

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from autogen.cli.team_file import AgentSpec, TeamFileError, TeamSpec, load_team_file

from .catalog import local_model, model_for_entry
from .schemas import folder_name_problem
from .tables import AgentRow, ModelRow, SessionRow, WorkflowRow

__all__ = ["TeamFileImportError", "export_team_file", "import_team_file"]

_PLACEHOLDER_TASK = "Say what you want the team to do (or pass --task to autogen run)."
_SELECTIONS = ("auto", "round_robin", "random", "manual")


class TeamFileImportError(ValueError):
    """The text is not a team file the Studio can import (the message says where and why)."""


# ---- export --------------------------------------------------------------------------------------------
def _agent_entry(row: AgentRow) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": row.name, "type": "user_proxy" if row.type == "userproxy" else "assistant"}
    if row.system_message:
        entry["system_message"] = row.system_message
    if row.description:
        entry["description"] = row.description
    entry["human_input_mode"] = row.human_input_mode
    if row.max_consecutive_auto_reply is not None:
        entry["max_consecutive_auto_reply"] = row.max_consecutive_auto_reply
    if row.code_execution != "none":
        entry["code_execution"] = {"timeout": row.timeout, "use_docker": row.code_execution == "docker"}
    entry["use_llm"] = row.model_id is not None
    entry["terminate_on"] = "TERMINATE"
    return entry


def _config_entry(model: ModelRow) -> dict[str, Any]:
    entry: dict[str, Any] = {"model": model.model}
    if model.api_type != "openai":
        entry["api_type"] = model.api_type
    if model.base_url:
        entry["base_url"] = model.base_url
    if model.api_version:
        entry["api_version"] = model.api_version
    return entry  # never the key


def _last_task(db: Session, workflow: WorkflowRow) -> Optional[str]:
    query = (
        select(SessionRow.task)
        .where(SessionRow.workflow_id == workflow.id, SessionRow.task.is_not(None))
        .order_by(SessionRow.id.desc())
    )
    return db.scalars(query).first()


def export_team_file(db: Session, workflow: WorkflowRow) -> tuple[str, str]:
    """The YAML team file of ``workflow`` and a file name for it."""
    initiator = db.get(AgentRow, workflow.initiator_id)
    assert initiator is not None
    if workflow.kind == "twoagent":
        ids = [workflow.initiator_id, workflow.receiver_id]
    else:
        ids = list(workflow.member_ids or [])
        if workflow.initiator_id not in ids:
            ids.insert(0, workflow.initiator_id)
    rows = [row for row in (db.get(AgentRow, i) for i in ids) if row is not None]
    manager = db.get(AgentRow, workflow.manager_id) if workflow.manager_id is not None else None
    models: list[ModelRow] = []
    for row in [*rows, *([manager] if manager else [])]:
        model = db.get(ModelRow, row.model_id) if row.model_id is not None else None
        if model is not None and model.id not in [m.id for m in models]:
            models.append(model)
    data: dict[str, Any] = {}
    remote = [m for m in models if m.api_type != "local"]
    if remote:
        data["llm"] = {"config_list": [_config_entry(m) for m in remote]}
    elif models:
        data["llm"] = {"temperature": 0}
    data["agents"] = [_agent_entry(row) for row in rows]
    if workflow.kind == "groupchat":
        data["group_chat"] = {"max_round": workflow.max_rounds, "speaker_selection_method": workflow.speaker_selection}
    task: dict[str, Any] = {"message": _last_task(db, workflow) or workflow.description or _PLACEHOLDER_TASK}
    task["initiator"] = initiator.name
    if workflow.kind == "twoagent":
        task["max_turns"] = workflow.max_rounds
    task["summary_method"] = workflow.summary_method
    data["task"] = task
    header = (
        f"# AutoGen Studio workflow {workflow.name!r}, exported as a team file.\n"
        "# Run it with: autogen run THIS_FILE [--task '...']\n"
        "# API keys are never exported: set the provider's key in its environment variable (e.g. OPENAI_API_KEY).\n"
    )
    if not remote:
        header += "# Without a config list, autogen run uses $OAI_CONFIG_LIST or the embedded local model.\n"
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", workflow.name).strip("-").lower() or "workflow"
    return header + body, f"{slug}.yaml"


# ---- import --------------------------------------------------------------------------------------------
def _parse(content: str) -> TeamSpec:
    with tempfile.TemporaryDirectory(prefix="autogen-studio-import-") as folder:
        path = Path(folder) / "team.yaml"  # YAML reads JSON too
        path.write_text(content, encoding="utf-8")
        try:
            return load_team_file(str(path))
        except TeamFileError as err:
            raise TeamFileImportError(
                str(err).replace("team.yaml: ", "").replace("team.yaml", "the team file")
            ) from None


def _agent_row(spec: AgentSpec, model_id: Optional[int]) -> AgentRow:
    problem = folder_name_problem(spec.name)
    if problem is not None:
        raise TeamFileImportError(problem)
    options = spec.options
    is_proxy = spec.type == "user_proxy" or (spec.type == "conversable" and not spec.use_llm)
    code = spec.code_execution
    if code is False:
        code_execution, timeout = "none", 60
    else:
        settings = code if isinstance(code, dict) else {}
        code_execution = "docker" if settings.get("use_docker") else "local"
        timeout = int(settings.get("timeout", 60))
    return AgentRow(
        name=spec.name,
        type="userproxy" if is_proxy else "assistant",
        description=options.get("description", ""),
        system_message=options.get("system_message", ""),
        model_id=model_id if spec.use_llm else None,
        skill_ids=[],
        human_input_mode=options.get("human_input_mode", "ALWAYS" if spec.type == "user_proxy" else "NEVER"),
        max_consecutive_auto_reply=options.get("max_consecutive_auto_reply"),
        code_execution=code_execution,
        timeout=timeout,
    )


def import_team_file(db: Session, content: str, name: Optional[str]) -> WorkflowRow:
    """Create a workflow, its agents and (if needed) its model from a team file's text.

    Raises:
        TeamFileImportError: naming the place in the file that is wrong.
    """
    team = _parse(content)
    config_list = team.llm.get("config_list")
    if config_list:
        first = config_list[0]
        if not isinstance(first, dict) or not isinstance(first.get("model"), str):
            raise TeamFileImportError("llm.config_list[0] needs a 'model' string")
        model = model_for_entry(db, first)
    else:
        model = local_model(db)
    rows = [_agent_row(spec, model.id) for spec in team.agents]
    db.add_all(rows)
    db.flush()
    by_name = {row.name: row for row in rows}
    initiator = by_name[team.task.initiator]
    workflow = WorkflowRow(
        name=name or "Imported team",
        description=team.task.message,
        initiator_id=initiator.id,
        summary_method=team.task.summary_method,
    )
    if team.group_chat is not None:
        settings = team.group_chat
        selection = settings.get("speaker_selection_method", "auto")
        if selection not in _SELECTIONS:
            raise TeamFileImportError(
                f"group_chat.speaker_selection_method {selection!r} is not supported; "
                f"use one of {', '.join(_SELECTIONS)}"
            )
        rounds = settings.get("max_round", 10)
        if not isinstance(rounds, int) or isinstance(rounds, bool) or rounds < 1:
            raise TeamFileImportError(f"group_chat.max_round must be a whole number >= 1, got {rounds!r}")
        manager = AgentRow(
            name="chat_manager", type="groupchat", model_id=model.id, skill_ids=[], human_input_mode="NEVER"
        )
        db.add(manager)
        db.flush()
        workflow.kind, workflow.manager_id, workflow.receiver_id = "groupchat", manager.id, None
        workflow.member_ids = [row.id for row in rows]
        workflow.speaker_selection, workflow.max_rounds = selection, rounds
    else:
        receiver = next(row for row in rows if row is not initiator)
        workflow.kind, workflow.receiver_id, workflow.member_ids = "twoagent", receiver.id, []
        workflow.max_rounds = team.task.max_turns or 10
    db.add(workflow)
    db.commit()
    return workflow
