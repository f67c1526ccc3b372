"""The text of the reply an agent sends after running code (0.2's format, shared by both code paths)."""

from __future__ import annotations

__all__ = ["format_code_reply"]


def format_code_reply(exit_code: int, output: str) -> str:
    """Format an execution result as the agent's reply.

    ``exitcode: 0 (execution succeeded)\\nCode output: <output>``, or ``(execution failed)`` for a
    non-zero exit code (124 means the code ran past its timeout).

    Args:
        exit_code: the exit code of the (last) block run.
        output: what the code printed (already capped by the executor).
    """
    status = "execution succeeded" if exit_code == 0 else "execution failed"
    return f"exitcode: {exit_code} ({status})\nCode output: {output}"
