"""Removing secrets (API keys, tokens, authorization headers) from text that leaves the process.

Two kinds of secret are removed: values that *look* like keys (``sk-...``, ``Bearer ...``), and every
value registered with :func:`register_secret`, whatever it looks like. ``OpenAIWrapper`` registers the
key (and token, and credential headers) of every config it is given, so a short key or an Azure key of
32 hex digits is removed from log records, error messages and pickled errors too.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any, Optional

__all__ = [
    "MIN_SECRET_LENGTH",
    "REDACTED",
    "is_secret_key",
    "known_secrets",
    "redact",
    "redact_json",
    "redact_text",
    "register_secret",
]

REDACTED = "[REDACTED]"

# Key names whose values are secrets, wherever they appear (config lists, headers, init args).
_SECRET_KEY = re.compile(
    r"(api[_-]?key|azure[_-]?ad[_-]?token|authorization|secret|password|passwd|access[_-]?token|"
    r"auth[_-]?token|refresh[_-]?token|bearer|credential|private[_-]?key|session[_-]?token)",
    re.IGNORECASE,
)

# Values that look like keys, wherever they appear (even inside free text).
_SECRET_VALUE = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}"  # OpenAI / Anthropic style
    r"|gsk_[A-Za-z0-9]{16,}"  # Groq
    r"|AIza[0-9A-Za-z_\-]{30,}"  # Google
    r"|xox[abposr]-[A-Za-z0-9\-]{10,}"  # Slack
    r"|gh[pousr]_[A-Za-z0-9]{20,}"  # GitHub
    r"|(?<=[Bb]earer )[A-Za-z0-9._\-~+/=]{8,})",
)


# Substrings without which no secret key name (lower-cased) or secret value can be present. One
# scan for them is much cheaper than the full patterns, so most records skip parsing entirely.
_KEY_MARKERS = re.compile("api|azure|auth|secret|passw|access|refresh|bearer|credential|private|session")
_VALUE_MARKERS = re.compile(r"sk-|gsk_|AIza|xox|gh[pousr]_|[Bb]earer ")


# ---- the registry of configured secrets ------------------------------------------------------------
# Shorter values are not treated as secrets: replacing every "abc" in a log would destroy it, and a
# key that short protects nothing.
MIN_SECRET_LENGTH = 4
_known: set[str] = set()
_known_lock = threading.Lock()
_known_pattern: Optional[re.Pattern[str]] = None


def register_secret(value: object) -> None:
    """Remember ``value`` (a str) as a secret: from now on it is redacted wherever it appears.

    The registry lives as long as the process (keys are few and small); registering again is a set lookup.
    """
    global _known_pattern
    if not isinstance(value, str) or len(value) < MIN_SECRET_LENGTH or value in _known:
        return
    # The forms the value takes inside JSON text: as is, and escaped (quotes, backslashes, non-ASCII).
    forms = {value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1]}
    with _known_lock:
        _known.update(f for f in forms if len(f) >= MIN_SECRET_LENGTH)
        alternatives = sorted(_known, key=len, reverse=True)  # longest first: no partial leftovers
        _known_pattern = re.compile("|".join(re.escape(f) for f in alternatives))


def known_secrets() -> frozenset[str]:
    """Every registered secret (and its JSON-escaped forms)."""
    return frozenset(_known)


def _strip_known(text: str) -> str:
    pattern = _known_pattern
    return pattern.sub(REDACTED, text) if pattern is not None else text


def redact_text(text: str) -> str:
    """``text`` with every registered secret and every key-like string replaced by ``[REDACTED]``."""
    text = _strip_known(text)
    return _SECRET_VALUE.sub(REDACTED, text) if _may_hold_secret(text) else text


def redact_json(text: str) -> str:
    """Return JSON text with every secret replaced; text with nothing that could be one is returned as is."""
    text = _strip_known(text)
    if not _KEY_MARKERS.search(text.lower()) and not _VALUE_MARKERS.search(text):
        return text
    return json.dumps(redact(json.loads(text)))


def is_secret_key(name: str) -> bool:
    """Whether a mapping key names a secret (``api_key``, ``Authorization``, ``azure_ad_token``, ...)."""
    return bool(_SECRET_KEY.search(name))


def redact(value: Any) -> Any:
    """Return ``value`` (plain JSON data) with every secret replaced by ``[REDACTED]``.

    Values under secret-looking keys are replaced whole; registered secrets and strings anywhere that
    look like an API key or a bearer token have that part replaced.
    """
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {
            k: (REDACTED if v is not None and isinstance(k, str) and is_secret_key(k) else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _may_hold_secret(text: str) -> bool:
    # Cheap pre-check so ordinary message text skips the regex.
    return _VALUE_MARKERS.search(text) is not None
