"""Removing secrets (API keys, tokens, authorization headers) from log records before they are written."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["REDACTED", "is_secret_key", "redact", "redact_json"]

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


def redact_json(text: str) -> str:
    """Return JSON text with every secret replaced; text with nothing that could be one is returned as is."""
    if not _KEY_MARKERS.search(text.lower()) and not _VALUE_MARKERS.search(text):
        return text
    return json.dumps(redact(json.loads(text)))


def is_secret_key(name: str) -> bool:
    """Whether a mapping key names a secret (``api_key``, ``Authorization``, ``azure_ad_token``, ...)."""
    return bool(_SECRET_KEY.search(name))


def redact(value: Any) -> Any:
    """Return ``value`` (plain JSON data) with every secret replaced by ``[REDACTED]``.

    Values under secret-looking keys are replaced whole; strings anywhere that look like an
    API key or a bearer token have that part replaced.
    """
    if isinstance(value, str):
        return _SECRET_VALUE.sub(REDACTED, value) if _may_hold_secret(value) else value
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
