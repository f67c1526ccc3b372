"""Chat summaries: the last message, a reflection by the model, or a user callable."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any, Callable, Union

if TYPE_CHECKING:
    from .conversable_agent import ConversableAgent

__all__ = ["DEFAULT_SUMMARY_PROMPT", "a_summarize_chat", "check_summary_method"]

DEFAULT_SUMMARY_PROMPT = (
    "Sum up what the conversation above arrived at. Begin with the substance itself, with no preamble "
    "such as 'Here is a summary'."
)
SUMMARY_METHODS = ("last_msg", "reflection_with_llm")


def check_summary_method(summary_method: Any) -> None:
    """Raise ValueError unless ``summary_method`` is None, a known name or a callable."""
    if summary_method is None or callable(summary_method) or summary_method in SUMMARY_METHODS:
        return
    raise ValueError(
        f"summary_method must be 'last_msg', 'reflection_with_llm', a callable or None, not {summary_method!r}"
    )


def last_msg_as_summary(sender: ConversableAgent, recipient: Any, summary_args: dict[str, Any]) -> str:
    """The last message of the chat, without "TERMINATE"."""
    try:
        content = recipient.last_message(sender)["content"]
    except (IndexError, AttributeError, KeyError, TypeError) as e:
        warnings.warn(
            f"Cannot extract summary using last_msg: {e}. Using an empty str as summary.", UserWarning, stacklevel=2
        )
        return ""
    if isinstance(content, str):
        return content.replace("TERMINATE", "")
    if isinstance(content, list):
        return "\n".join(part["text"] for part in content if isinstance(part, dict) and "text" in part)
    return ""


async def a_reflection_with_llm_as_summary(
    sender: ConversableAgent, recipient: Any, summary_args: dict[str, Any]
) -> Union[str, dict[str, Any]]:
    """Ask the recipient's (else the sender's) model to summarise the chat."""
    prompt = summary_args.get("summary_prompt") or DEFAULT_SUMMARY_PROMPT
    if not isinstance(prompt, str):
        raise ValueError(f"summary_prompt must be a string, not {type(prompt).__name__}")
    role = summary_args.get("summary_role", "system")
    if not isinstance(role, str):
        raise ValueError(f"summary_role must be a string, not {type(role).__name__}")
    llm_agent = sender if recipient is None else recipient
    history = list(recipient.chat_messages_for_summary(sender))
    from openai import BadRequestError

    try:
        summary = await sender._a_reflection_with_llm(prompt, history, llm_agent, summary_args.get("cache"), role)
    except BadRequestError as e:  # as 0.2: a refused summary request leaves the chat's result intact
        warnings.warn(
            f"Cannot extract summary using reflection_with_llm: {e}. Using an empty str as summary.",
            UserWarning,
            stacklevel=2,
        )
        return ""
    # as 0.2: a reflection that is a tool/function call is returned as that message dict
    return summary if summary is not None else ""


async def a_summarize_chat(
    sender: ConversableAgent,
    summary_method: Union[str, Callable[..., Any], None],
    summary_args: dict[str, Any],
    recipient: Any,
    cache: Any,
) -> Any:
    """The chat's summary by ``summary_method``."""
    if summary_method is None:
        return ""
    summary_args = dict(summary_args or {})
    summary_args.setdefault("cache", cache)
    if summary_method == "last_msg":
        return last_msg_as_summary(sender, recipient, summary_args)
    if summary_method == "reflection_with_llm":
        return await a_reflection_with_llm_as_summary(sender, recipient, summary_args)
    if callable(summary_method):
        result = summary_method(sender, recipient, summary_args)
        if hasattr(result, "__await__"):
            result = await result
        return result
    check_summary_method(summary_method)
    return ""
