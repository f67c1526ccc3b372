"""The built-in gallery: three example workflows that run on the embedded local model with no setup."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy.orm import Session

from .catalog import local_model, skill_named
from .tables import AgentRow, WorkflowRow

__all__ = ["GALLERY", "GalleryItem", "import_gallery_item"]

_MULTIPLY = '''def multiply(a: float, b: float) -> float:
    """Multiply two numbers."""
    return a * b
'''


@dataclass(frozen=True)
class _Agent:
    name: str
    type: str
    system_message: str = ""
    description: str = ""
    code_execution: str = "none"
    human_input_mode: str = "NEVER"
    max_consecutive_auto_reply: Optional[int] = None
    uses_model: bool = True
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class GalleryItem:
    """One example workflow: its agents (the first starts the chat) and a task to try."""

    id: str
    name: str
    description: str
    task: str
    kind: str
    agents: tuple[_Agent, ...]
    speaker_selection: str = "round_robin"
    max_rounds: int = 3
    skills: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (source, description)

    def summary(self) -> dict[str, Any]:
        """What ``GET /api/gallery`` lists."""
        return {"id": self.id, "name": self.name, "description": self.description, "task": self.task}


GALLERY: tuple[GalleryItem, ...] = (
    GalleryItem(
        id="python-coder",
        name="Python coder",
        description="An assistant writes a Python script; a user proxy runs it on this machine and reports the "
        "output (two agents, at most 3 round trips).",
        task="Write a Python script that prints the squares of the numbers 1 to 10, one per line.",
        kind="twoagent",
        agents=(
            _Agent(
                "user_proxy",
                "userproxy",
                description="Runs the code it receives and reports the output.",
                code_execution="local",
                max_consecutive_auto_reply=3,
                uses_model=False,
            ),
            _Agent(
                "coder",
                "assistant",
                system_message="You are a Python programmer. Answer with one complete Python script in a ```python "
                "code block that does the task and prints the result. Do not explain.",
                description="Writes Python scripts.",
            ),
        ),
        max_rounds=3,
    ),
    GalleryItem(
        id="writer-critic",
        name="Writer and critic",
        description="A group chat taking turns: a writer drafts a short text, a critic suggests one improvement, "
        "the writer revises it (round robin, 4 messages).",
        task="Write a two-sentence product description for a solar-powered bicycle lamp.",
        kind="groupchat",
        agents=(
            _Agent("user", "userproxy", description="Gives the task.", uses_model=False),
            _Agent(
                "writer",
                "assistant",
                system_message="You are a writer. Write or revise the requested short text. Keep it short.",
                description="Writes and revises short texts.",
            ),
            _Agent(
                "critic",
                "assistant",
                system_message="You are a critic. Name one concrete way to improve the latest text, in one sentence.",
                description="Suggests one improvement.",
            ),
            _Agent("chat_manager", "groupchat", description="Lets the members speak in turn.", uses_model=False),
        ),
        speaker_selection="round_robin",
        max_rounds=4,
    ),
    GalleryItem(
        id="calculator-tool",
        name="Calculator tool",
        description="An assistant answers with a call to the `multiply` skill; the user proxy runs the tool and "
        "returns the result (two agents, tool use).",
        task="What is 12.5 multiplied by 4? Use the multiply tool.",
        kind="twoagent",
        agents=(
            _Agent(
                "user_proxy",
                "userproxy",
                description="Runs the tools the assistant calls.",
                max_consecutive_auto_reply=2,
                uses_model=False,
            ),
            _Agent(
                "calculator",
                "assistant",
                system_message="You answer arithmetic questions by calling the multiply tool. "
                "When you have the result, state it and end with TERMINATE.",
                description="Uses the multiply tool.",
                skills=("multiply",),
            ),
        ),
        max_rounds=2,
        skills={"multiply": (_MULTIPLY, "Multiply two numbers and return the product.")},
    ),
)


def import_gallery_item(db: Session, item: GalleryItem) -> WorkflowRow:
    """Create the item's workflow and agents (and the local model and skills, if missing)."""
    model = local_model(db)
    skill_ids = {name: skill_named(db, name, src, text).id for name, (src, text) in item.skills.items()}
    rows: dict[str, AgentRow] = {}
    for spec in item.agents:
        row = AgentRow(
            name=spec.name,
            type=spec.type,
            description=spec.description,
            system_message=spec.system_message,
            model_id=model.id if spec.uses_model else None,
            skill_ids=[skill_ids[name] for name in spec.skills],
            human_input_mode=spec.human_input_mode,
            max_consecutive_auto_reply=spec.max_consecutive_auto_reply,
            code_execution=spec.code_execution,
            timeout=60,
        )
        db.add(row)
        rows[spec.name] = row
    db.flush()
    members = [rows[s.name] for s in item.agents if s.type != "groupchat"]
    manager = next((rows[s.name] for s in item.agents if s.type == "groupchat"), None)
    workflow = WorkflowRow(
        name=item.name,
        description=item.description,
        kind=item.kind,
        initiator_id=members[0].id,
        receiver_id=members[1].id if item.kind == "twoagent" else None,
        manager_id=manager.id if manager is not None else None,
        member_ids=[m.id for m in members] if item.kind == "groupchat" else [],
        speaker_selection=item.speaker_selection,
        max_rounds=item.max_rounds,
        summary_method="last_msg",
    )
    db.add(workflow)
    db.commit()
    return workflow
