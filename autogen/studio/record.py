"""Each message a session's agents send: stored with its share of the usage, then streamed to the browser."""

from __future__ import annotations

from typing import Any, Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from autogen.agentchat.chat_run import ChatRun
from autogen.code_utils import content_str, extract_code

from .endpoints import scrub
from .tables import MessageRow, SessionRow
from .views import message_view, session_view

__all__ = ["Recorder", "message_fields"]


def _jsonable(value: Any) -> Any:
    """Plain JSON data (tool calls may hold SDK objects)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    dump = getattr(value, "model_dump", None)
    return _jsonable(dump()) if callable(dump) else str(value)


def message_fields(message: Any) -> dict[str, Any]:
    """The stored fields of a message the engine sends (a string or an OpenAI-style dict)."""
    if not isinstance(message, dict):
        message = {"content": message}
    raw = message.get("content")
    content = None if raw is None else content_str(raw)
    tool_responses = message.get("tool_responses")
    function_call = message.get("function_call")
    tool_calls = message.get("tool_calls") or (
        [{"id": "", "type": "function", "function": function_call}] if function_call else None
    )
    role = message.get("role") or ("tool" if tool_responses else "assistant")
    blocks = [] if not content else [{"language": lang, "code": code} for lang, code in extract_code(content)]
    return {
        "role": str(role),
        "content": content,
        "tool_calls": _jsonable(tool_calls),
        "tool_responses": _jsonable(tool_responses),
        "code_blocks": [b for b in blocks if b["language"] != "unknown"],
        "code_output": content if content is not None and content.startswith("exitcode:") else None,
    }


class Recorder:
    """Records the messages of one session's run (a ``process_message_before_send`` hook on each speaker).

    Usage comes from the run every model call of the chat counts in: each message gets what was spent
    since the one before it (the model call that produced it), the session the running total.
    """

    def __init__(
        self,
        db: sessionmaker,
        session_id: int,
        run: ChatRun,
        publish: Callable[[dict[str, Any]], None],
        secrets: list[str],
    ) -> None:
        self.db = db
        self.session_id = session_id
        self.run = run
        self.publish = publish
        self.secrets = secrets
        self._counted = (0, 0, 0.0)
        with db() as session:
            last: Optional[int] = session.scalar(
                select(func.max(MessageRow.seq)).where(MessageRow.session_id == session_id)
            )
            row = session.get(SessionRow, session_id)
            base = (row.prompt_tokens, row.completion_tokens, row.cost) if row else (0, 0, 0.0)
        self._seq = last or 0
        self._base = base  # totals of the session's earlier runs

    def _usage_delta(self) -> tuple[int, int, float]:
        usage = self.run.usage
        now = (usage.prompt_tokens, usage.completion_tokens, usage.cost)
        delta = (now[0] - self._counted[0], now[1] - self._counted[1], now[2] - self._counted[2])
        self._counted = now
        return delta

    def totals(self) -> tuple[int, int, float]:
        """The session's tokens and cost: earlier runs plus this one so far."""
        usage = self.run.usage
        return (
            self._base[0] + usage.prompt_tokens,
            self._base[1] + usage.completion_tokens,
            self._base[2] + usage.cost,
        )

    def hook(self, sender: Any, message: Any, recipient: Any, silent: bool) -> Any:
        """Store ``message`` and stream it; returns it unchanged."""
        fields = message_fields(message)
        if fields["content"] is not None:
            fields["content"] = scrub(fields["content"], list(self.secrets))
        prompt_tokens, completion_tokens, cost = self._usage_delta()
        self._seq += 1
        with self.db() as session:
            row = MessageRow(
                session_id=self.session_id,
                seq=self._seq,
                sender=str(getattr(sender, "name", sender)),
                recipient=str(getattr(recipient, "name", recipient)),
                cost=cost,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                **fields,
            )
            session.add(row)
            owner = session.get(SessionRow, self.session_id)
            if owner is not None:
                owner.prompt_tokens, owner.completion_tokens, owner.cost = self.totals()
            session.commit()
            self.publish({"type": "message", "message": message_view(row)})
            if owner is not None:
                self.publish({"type": "status", "session": session_view(owner)})
        return message
