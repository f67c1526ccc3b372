"""Errors of the LLM client layer.

When every config of an :class:`~autogen.oai.client.OpenAIWrapper` fails, ``create`` raises one error
that lists each config tried (model and base_url, never the key) and why it failed. Its class derives
from both :class:`AllConfigsFailedError` and the class of the last underlying error, so code that
catches ``openai.RateLimitError`` (or ``openai.APITimeoutError``, ``TimeoutError``, ...) keeps working,
and code that wants the whole story catches :class:`AllConfigsFailedError` and reads ``attempts``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Optional

import openai

from ..logger.redact import REDACTED, redact_text

__all__ = [
    "AllConfigsFailedError",
    "Attempt",
    "ContextWindowExceededError",
    "AttemptTimeoutError",
    "InvalidResponseError",
    "ResponseTooLargeError",
    "StreamInterruptedError",
    "all_configs_failed",
    "redact",
]

CONTEXT_WINDOW_FIX = (
    "To keep long chats under the limit, give the agent the TransformMessages capability "
    "(autogen.agentchat.contrib.capabilities.transform_messages.TransformMessages) with "
    "MessageHistoryLimiter(max_messages=...) and/or MessageTokenLimiter(max_tokens=...) from "
    "autogen.agentchat.contrib.capabilities.transforms; or use a model with a larger context window."
)


class StreamInterruptedError(openai.APIConnectionError):
    """A streamed answer broke off before it was complete (retried like a connection error)."""

    def __init__(self, message: str, *, request: Any = None) -> None:
        super().__init__(message=message, request=request)


class InvalidResponseError(openai.APIError):
    """The server answered 200 with a body that is not a completion (retried)."""

    def __init__(self, message: str, *, request: Any = None) -> None:
        super().__init__(message, request, body=None)


class ResponseTooLargeError(InvalidResponseError):
    """The answer (decompressed) is longer than the config's ``max_response_bytes`` (not retried)."""


class AttemptTimeoutError(openai.APITimeoutError):
    """One attempt (connecting, waiting, reading the whole body or stream) took longer than ``timeout``."""

    def __init__(self, timeout: float, base_url: Optional[str]) -> None:
        import httpx

        request = httpx.Request("POST", base_url or "https://api.openai.com/v1")
        message = (
            f"No complete answer within timeout={timeout:g} s (the deadline covers the whole attempt: "
            "connecting, waiting for the answer and reading all of it, streams included)."
        )
        openai.APIConnectionError.__init__(self, message=message, request=request)
        self.timeout = timeout


class ContextWindowExceededError(openai.BadRequestError):
    """The request (messages + tools + max_tokens) is longer than the model's context window."""

    @classmethod
    def from_bad_request(cls, err: openai.BadRequestError, model: Optional[str]) -> ContextWindowExceededError:
        """Wrap the server's 400 answer in an error that says what happened and how to fix it."""
        body = err.body if isinstance(err.body, dict) else {}
        said = body.get("message") or err.message
        message = f"The request exceeded the context window of model {model!r} (the server said: {said}). "
        message += CONTEXT_WINDOW_FIX
        return cls(message, response=err.response, body=err.body)


@dataclass
class Attempt:
    """One config that was tried and why it did not give an answer."""

    index: int
    model: Optional[str]
    base_url: Optional[str]
    error: BaseException
    tries: int

    def __reduce__(self) -> tuple[Any, ...]:
        # SDK errors do not unpickle (their __init__ needs keyword arguments): carry the error's state.
        error = (type(self.error), self.error.args, getattr(self.error, "__dict__", {}))
        return (_restore_attempt, (self.index, self.model, self.base_url, error, self.tries))

    def describe(self, secrets: Sequence[str] = ()) -> str:
        """One line: which config, how many tries, and the error (registered secrets and ``secrets`` hidden)."""
        where = f"model={self.model!r} base_url={self.base_url or 'https://api.openai.com/v1'!r}"
        tries = f" after {self.tries} tries" if self.tries > 1 else ""
        reason = redact(f"{type(self.error).__name__}: {self.error}", secrets)
        return f"  config {self.index} ({where}) failed{tries}: {reason}"


def _rebuild_exception(cls: type[BaseException], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    """An exception of ``cls`` with ``args`` and ``state``, made without calling its ``__init__``."""
    err = cls.__new__(cls)
    err.args = args
    err.__dict__.update(state)
    return err


def _restore_attempt(
    index: int, model: Optional[str], base_url: Optional[str], error: tuple[Any, ...], tries: int
) -> Attempt:
    return Attempt(index, model, base_url, _rebuild_exception(*error), tries)


class AllConfigsFailedError(Exception):
    """Every config in the config list failed; ``attempts`` says how each one did."""

    attempts: list[Attempt]

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def __reduce__(self) -> tuple[Any, ...]:
        # The combined class is made at run time and its base's __init__ may need arguments that are
        # not in ``args``: rebuild from the base class and the state instead.
        base = next((b for b in type(self).__bases__ if b not in (AllConfigsFailedError, TimeoutError)), None)
        return (_restore, (base, self.args, self.__dict__))


def _restore(base: Optional[type], args: tuple[Any, ...], state: dict[str, Any]) -> BaseException:
    """Unpickle an :class:`AllConfigsFailedError` (see ``__reduce__``)."""
    return _rebuild_exception(_combined_class(base) if base is not None else AllConfigsFailedError, args, state)


_combined: dict[type, type[AllConfigsFailedError]] = {}
_combined_lock = threading.Lock()


def _combined_class(base: type) -> type[AllConfigsFailedError]:
    """The subclass of both :class:`AllConfigsFailedError` and ``base`` (made once per base)."""
    with _combined_lock:
        cls = _combined.get(base)
        if cls is None:
            bases: tuple[type, ...] = (AllConfigsFailedError, base)
            if issubclass(base, openai.APITimeoutError):
                bases += (TimeoutError,)  # 0.2 raised the builtin TimeoutError on timeouts
            try:
                cls = type(f"AllConfigsFailed_{base.__name__}", bases, {"__module__": __name__})
            except TypeError:  # an exception class that cannot be combined
                cls = AllConfigsFailedError
            else:
                setattr(sys.modules[__name__], cls.__name__, cls)  # so it pickles
            _combined[base] = cls
        return cls


def all_configs_failed(attempts: list[Attempt], secrets: Sequence[str] = ()) -> BaseException:
    """The error to raise after the last config failed (see the module docstring)."""
    last = attempts[-1].error
    lines = [f"OpenAIWrapper: all {len(attempts)} config(s) failed:"]
    lines += [attempt.describe(secrets) for attempt in attempts]
    if isinstance(last, openai.APITimeoutError):
        lines.append("Raise 'timeout' (seconds) in the llm_config / OpenAIWrapper config if the model needs longer.")
    message = "\n".join(lines)
    cls = _combined_class(type(last))
    err = cls.__new__(cls)
    err.__dict__.update(last.__dict__)
    err.args = (message,)
    if hasattr(last, "message"):
        err.message = message  # type: ignore[attr-defined]  # the openai base class has it
    err.attempts = attempts
    err.__cause__ = last
    return err


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """``text`` with ``secrets``, every registered secret and key-like strings replaced by ``***``."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, "***")
    return redact_text(text).replace(REDACTED, "***")
