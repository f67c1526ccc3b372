"""The environment code runs with: the host's, minus anything that looks like a secret."""

from __future__ import annotations

import os
import re
from typing import Dict, Iterable, Mapping, Optional

from ..logger.redact import known_secrets

__all__ = ["looks_secret", "scrubbed_environ"]

_SECRET_NAME = re.compile(
    r"KEY|TOKEN|SECRET|PASSW(?:OR)?D|PASSPHRASE|CREDENTIAL|AUTH(?!OR)|PRIVATE|COOKIE|SESSION|SIGNATURE|PGPASS",
    re.IGNORECASE,
)
# user:password@ inside a URL (DATABASE_URL=postgres://me:hunter2@db/...)
_CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


def looks_secret(name: str, value: str) -> bool:
    """Whether a variable looks like it holds a secret (by its name, or a password inside a URL)."""
    return bool(_SECRET_NAME.search(name) or _CREDENTIALS_IN_URL.search(value))


def scrubbed_environ(
    *,
    base: Optional[Mapping[str, str]] = None,
    passthrough: Iterable[str] = (),
    extra: Optional[Mapping[str, str]] = None,
    secret_values: Iterable[str] = (),
) -> Dict[str, str]:
    """``base`` (default: ``os.environ``) without secret-looking variables.

    Args:
        base: the environment to start from.
        passthrough: names kept even though they look secret (an explicit opt-in).
        extra: variables set as given, after scrubbing (an explicit opt-in).
        secret_values: values (e.g. API keys from an llm_config) removed under any name; the
            values of removed variables, and the key of every model config this process has
            loaded, are removed under other names too.

    Variables like ``PATH``, ``HOME``, ``LANG``/``LC_*`` and ``VIRTUAL_ENV`` are kept.
    """
    source = dict(os.environ if base is None else base)
    keep = set(passthrough)
    removed = {value for value in secret_values if value} | set(known_secrets())  # every configured key
    env: Dict[str, str] = {}
    for name, value in source.items():
        if name not in keep and looks_secret(name, value):
            if len(value) >= 8:
                removed.add(value)
            continue
        env[name] = value
    env = {name: value for name, value in env.items() if name in keep or value not in removed}
    env.update(extra or {})
    return env
