"""Models as config-list entries, the embedded local model they may use, and "test this model"."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from typing import Any, Optional

from .tables import ModelRow
from .views import mask_key

__all__ = ["LOCAL_LLM_SETTINGS", "ModelEndpoints", "scrub"]

# a tiny local model follows instructions best with sampling off
LOCAL_LLM_SETTINGS = {"temperature": 0, "seed": 42}
_TEST_PROMPT = "Reply with one short sentence saying that you are ready."


def scrub(text: str, secrets: Sequence[Optional[str]]) -> str:
    """``text`` with each secret replaced by its masked form (error messages can echo a key)."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, mask_key(secret) or "…")
    return text


class ModelEndpoints:
    """Turns model rows into config-list entries; starts the embedded llama.cpp model on first use."""

    def __init__(self) -> None:
        self._server: Any = None
        self._lock = threading.Lock()

    def _start_local(self) -> dict[str, Any]:
        with self._lock:
            if self._server is None or not self._server.running:
                from autogen.oai.local import LocalModelServer

                server = LocalModelServer()
                server.check_installed()
                server.start()
                self._server = server
            entry: dict[str, Any] = self._server.config_list()[0]
            return entry

    async def local_entry(self) -> dict[str, Any]:
        """The config entry of the embedded local model (started now if it is not running)."""
        return await asyncio.to_thread(self._start_local)

    async def entry_for(self, row: ModelRow) -> dict[str, Any]:
        """The config-list entry of ``row`` (with its key: for the engine only, never for a response)."""
        if row.api_type == "local":
            return await self.local_entry()
        entry: dict[str, Any] = {"model": row.model}
        if row.api_type != "openai":
            entry["api_type"] = row.api_type
        for key in ("base_url", "api_key", "api_version"):
            value = getattr(row, key)
            if value:
                entry[key] = value
        return entry

    @staticmethod
    def llm_settings(row: ModelRow) -> dict[str, Any]:
        """llm_config keys that go with ``row`` besides its config list."""
        return dict(LOCAL_LLM_SETTINGS) if row.api_type == "local" else {}

    async def test(self, row: ModelRow, timeout: float = 120.0) -> dict[str, Any]:
        """Make one real call to ``row``'s endpoint: ``{"ok", "message", "reply"}`` (no key in any of it)."""
        from autogen import OpenAIWrapper

        try:
            entry = await self.entry_for(row)
            client = OpenAIWrapper(config_list=[entry], cache_seed=None, max_retries=0, **self.llm_settings(row))
            response = await asyncio.wait_for(
                client.a_create(messages=[{"role": "user", "content": _TEST_PROMPT}], max_tokens=40), timeout
            )
            texts = client.extract_text_or_completion_object(response)
            reply = texts[0] if texts and isinstance(texts[0], str) else str(texts[0] if texts else "")
        except Exception as err:  # every failure is the answer to "does this model work?"
            message = f"{row.model} did not answer: {type(err).__name__}: {err}"
            return {"ok": False, "message": scrub(message, [row.api_key]), "reply": None}
        return {"ok": True, "message": f"{row.model} answered", "reply": scrub(reply, [row.api_key])}

    def close(self) -> None:
        """Stop the local model, if this app started it."""
        with self._lock:
            if self._server is not None:
                self._server.stop()
                self._server = None
