"""Running sessions: each a real chat of the workflow's agents, as an asyncio task on the app's loop.

A session's run watches its chat through a top-level :class:`~autogen.agentchat.chat_run.ChatRun`
(the chat's own run is its child, so every model call's usage is counted in it), records every sent
message (``record.Recorder``), streams events through the hub, asks the browser for human input,
and ends as "finished", "stopped" (Stop button: the task is cancelled, the history stays) or "error".
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from autogen.agentchat.chat_run import ChatRun, activated

from .endpoints import ModelEndpoints, scrub
from .hub import EventHub
from .human import HumanChannel
from .record import Recorder
from .tables import SessionRow, WorkflowRow, utcnow
from .team import build_team
from .views import session_view

__all__ = ["ACTIVE", "SessionRuns"]

logger = logging.getLogger(__name__)
ACTIVE = ("running", "waiting_input")
STOPPED_BY_USER = "stopped_by_user"


@dataclass
class _Active:
    task: asyncio.Task[None]
    human: HumanChannel
    run: ChatRun
    stopping: bool = False


class SessionRuns:
    """The sessions running in this app, and their live events."""

    def __init__(self, db: sessionmaker, endpoints: ModelEndpoints, work_dir: Path, input_timeout: float) -> None:
        self.db = db
        self.endpoints = endpoints
        self.work_dir = work_dir
        self.input_timeout = input_timeout
        self.hub = EventHub()
        self._active: dict[int, _Active] = {}

    # ---- state ------------------------------------------------------------------------------------
    def is_active(self, session_id: int) -> bool:
        """True while the session runs (or waits for input)."""
        return session_id in self._active

    def pending_question(self, session_id: int) -> Optional[dict[str, Any]]:
        """The ``input_request`` event of the question waiting for the human's answer (timeout: seconds left)."""
        active = self._active.get(session_id)
        if active is None or not active.human.waiting:
            return None
        return {
            "type": "input_request",
            "prompt": active.human.prompt,
            "timeout": round(active.human.seconds_left(), 1),
        }

    def recover(self) -> None:
        """At start-up: sessions left running by a Studio that stopped are marked as errors."""
        with self.db() as session:
            for row in session.scalars(select(SessionRow).where(SessionRow.status.in_(ACTIVE))):
                row.status, row.error = "error", "the Studio stopped while this session was running"
                row.finished_at = row.finished_at or utcnow()
            session.commit()

    def _set(self, session_id: int, **values: Any) -> Optional[dict[str, Any]]:
        """Update the session row and publish its new state (a "status" event); returns it."""
        with self.db() as session:
            row = session.get(SessionRow, session_id)
            if row is None:
                return None
            for key, value in values.items():
                setattr(row, key, value)
            session.commit()
            view = session_view(row)
        self.hub.publish(session_id, {"type": "status", "session": view})
        return view

    # ---- control ----------------------------------------------------------------------------------
    def start(self, session_id: int, task: str) -> None:
        """Start the session's workflow on ``task`` (the caller checked it is not running)."""
        run = ChatRun(sync=False, silent=True)

        def asked(prompt: str) -> None:
            self._set(session_id, status="waiting_input")
            self.hub.publish(session_id, {"type": "input_request", "prompt": prompt, "timeout": self.input_timeout})

        def answered() -> None:
            active = self._active.get(session_id)
            if active is not None and not active.stopping:
                self._set(session_id, status="running")

        human = HumanChannel(asked, answered, self.input_timeout)
        self._set(
            session_id,
            status="running",
            task=task,
            stop_reason=None,
            error=None,
            finished_at=None,
        )
        job = asyncio.get_running_loop().create_task(self._run(session_id, task, run, human))
        self._active[session_id] = _Active(job, human, run)

    def stop(self, session_id: int) -> bool:
        """Stop a running session (False if it is not running); its messages so far are kept."""
        active = self._active.get(session_id)
        if active is None:
            return False
        active.stopping = True
        active.run.stop(STOPPED_BY_USER)
        active.task.cancel()
        return True

    def answer(self, session_id: int, text: str) -> bool:
        """Answer the session's waiting question (False if none waits)."""
        active = self._active.get(session_id)
        return active is not None and active.human.answer(text)

    async def shutdown(self) -> None:
        """Stop every running session (the app is closing)."""
        tasks = [active.task for active in self._active.values()]
        for session_id in list(self._active):
            self.stop(session_id)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

    # ---- one run ----------------------------------------------------------------------------------
    async def _run(self, session_id: int, task: str, run: ChatRun, human: HumanChannel) -> None:
        recorder: Optional[Recorder] = None
        secrets: list[str] = []
        outcome: dict[str, Any] = {}
        try:
            with self.db() as session:
                row = session.get(SessionRow, session_id)
                workflow = session.get(WorkflowRow, row.workflow_id) if row is not None else None
                if workflow is None:
                    raise LookupError(f"session {session_id}'s workflow no longer exists")
                team = await build_team(
                    session, workflow, self.endpoints, human, self.work_dir / f"session-{session_id}"
                )
            secrets = team.secrets
            recorder = Recorder(self.db, session_id, run, lambda e: self.hub.publish(session_id, e), secrets)
            for agent in team.speakers:
                agent.register_hook("process_message_before_send", recorder.hook)
            with activated(run):
                result = await team.initiator.a_initiate_chat(
                    team.recipient,
                    message=task,
                    max_turns=team.max_turns,
                    summary_method=team.summary_method,
                    silent=True,
                )
            outcome = {"status": "finished", "stop_reason": result.stop_reason}
        except asyncio.CancelledError:
            outcome = {"status": "stopped", "stop_reason": run.stop_reason or STOPPED_BY_USER}
        except Exception as err:  # the session ends in "error" with a message that holds no key
            logger.info("studio session %s failed: %s", session_id, type(err).__name__)
            outcome = {"status": "error", "error": scrub(f"{type(err).__name__}: {err}", secrets)}
        finally:
            self._active.pop(session_id, None)
            if recorder is not None:
                prompt_tokens, completion_tokens, cost = recorder.totals()
                outcome.update(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, cost=cost)
            outcome.setdefault("status", "stopped")
            view = self._set(session_id, finished_at=utcnow(), **outcome)
            if view is not None:
                self.hub.publish(session_id, {"type": "done", "session": view})
