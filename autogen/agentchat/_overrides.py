"""Which conversation steps a class overrides, resolved once per class.

The engine calls an agent's ``send``/``receive``/``generate_reply`` (or their ``a_`` twins) only
where the agent's class overrides them; otherwise it runs its own step directly. A sync chat
prefers a sync override and an async chat an async one; an override of the other kind is still
honoured (a sync one in an async chat runs on a worker thread).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Overrides"]


@dataclass(frozen=True)
class Overrides:
    """For each step, whether the class defines its own sync / async version."""

    send: bool = False
    a_send: bool = False
    receive: bool = False
    a_receive: bool = False
    generate_reply: bool = False
    a_generate_reply: bool = False

    @classmethod
    def between(cls, subclass: type, base: type) -> Overrides:
        """The steps ``subclass`` defines differently from ``base``."""
        return cls(
            send=subclass.send is not base.send,  # type: ignore[attr-defined]
            a_send=subclass.a_send is not base.a_send,  # type: ignore[attr-defined]
            receive=subclass.receive is not base.receive,  # type: ignore[attr-defined]
            a_receive=subclass.a_receive is not base.a_receive,  # type: ignore[attr-defined]
            generate_reply=subclass.generate_reply is not base.generate_reply,  # type: ignore[attr-defined]
            a_generate_reply=subclass.a_generate_reply is not base.a_generate_reply,  # type: ignore[attr-defined]
        )


NONE = Overrides()
# an agent that is not a ConversableAgent: every step is its own
ALL = Overrides(True, True, True, True, True, True)
