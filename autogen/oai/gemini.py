"""``GeminiClient`` (``api_type: "google"``): Gemini through the ``google-genai`` SDK.

Config keys: ``model``, ``api_key`` (else ``GOOGLE_API_KEY``/``GEMINI_API_KEY``), ``base_url``, ``timeout``,
``price``; for Vertex AI instead of an API key, 0.2's ``project_id``, ``location`` (default us-central1)
and ``google_application_credentials`` (a service-account key file; else Google's default credentials).
Sampling options (``temperature``, ``max_tokens``, ``top_p``, ``stop``, ``seed``), ``tool_choice`` and
``response_format`` (JSON mode and JSON schema) are all taken. ``safety_settings`` in the config is passed on as is.
"""

from __future__ import annotations

import os
import re
import uuid
from typing import Any, Optional

from .openai_like import api_key_or_env
from .provider_base import ProviderClient, StreamCollector
from .provider_http import provider_http_client
from .provider_request import ChatRequest, Image, Part, Text, ToolCall, ToolResult, Turn, alternate

__all__ = ["GeminiClient"]

DEFAULT_VERTEX_LOCATION = "us-central1"
_FINISH = {"STOP": "stop", "MAX_TOKENS": "length", "SAFETY": "content_filter", "RECITATION": "content_filter"}
_DELAY = re.compile(r"^(\d+(?:\.\d+)?)s$")


class GeminiClient(ProviderClient):
    """One config's Gemini model (0.2's ``autogen.oai.gemini.GeminiClient``)."""

    provider = "Gemini"
    supported = frozenset({"temperature", "max_tokens", "top_p", "stop", "seed", "tool_choice", "response_format"})
    config_keys = frozenset({"project_id", "location", "google_application_credentials", "safety_settings"})

    def __init__(self, config: Optional[dict[str, Any]] = None, **kwargs: Any) -> None:
        super().__init__(config, **kwargs)
        config = self.config
        self.project_id: Optional[str] = config.get("project_id")
        self.location: Optional[str] = config.get("location")
        self.safety_settings = config.get("safety_settings")
        # Gemini signs its function calls; the signature must come back with the call in the next request,
        # and OpenAI-style messages have no place for it: kept here by call id.
        self._signatures: dict[str, bytes] = {}
        if not self.project_id:  # Vertex AI authenticates with Google credentials instead
            key = self.api_key or os.environ.get("GEMINI_API_KEY")
            self.api_key = api_key_or_env(key, "GOOGLE_API_KEY", self.model, "google")

    def _make_sdk_client(self) -> Any:
        from google import genai
        from google.genai import types

        http_options = types.HttpOptions(
            base_url=self.base_url,
            timeout=int(self.timeout * 1000),
            retry_options=types.HttpRetryOptions(attempts=1),  # retries are the wrapper's
            httpx_async_client=provider_http_client(),  # the loop's shared pool (else aiohttp, when installed)
        )
        if self.project_id and not self.api_key:
            return genai.Client(
                vertexai=True,
                project=self.project_id,
                location=self.location or DEFAULT_VERTEX_LOCATION,
                credentials=self._service_account(),
                http_options=http_options,
            )
        return genai.Client(api_key=self.api_key, http_options=http_options)

    def _service_account(self) -> Any:
        """0.2's ``google_application_credentials``: a service-account key file (else Google's default credentials)."""
        path = self.config.get("google_application_credentials")
        if not path:
            return None
        from google.oauth2 import service_account

        return service_account.Credentials.from_service_account_file(
            path, scopes=["https://www.googleapis.com/auth/cloud-platform"]
        )

    async def _send(self, request: ChatRequest) -> Any:
        from google.genai import errors

        models = self.sdk_client().aio.models
        contents = [self._content(turn) for turn in alternate(request.turns, end_with_user=False)]
        config = self._config(request)
        try:
            if not request.stream:
                response = await models.generate_content(model=request.model, contents=contents, config=config)
                collector = StreamCollector(request.model, streamed=False)
                self._collect(collector, response)
                return collector.result()
            collector = StreamCollector(request.model)
            async for chunk in await models.generate_content_stream(
                model=request.model, contents=contents, config=config
            ):
                self._collect(collector, chunk)
            return collector.result()
        except errors.APIError as err:
            # Read by autogen.oai.retry: the status (aiohttp responses have no status_code) and RetryInfo's delay.
            err.status_code = err.code  # type: ignore[attr-defined]
            err.retry_after = _retry_delay(err)  # type: ignore[attr-defined]
            raise

    def _config(self, request: ChatRequest) -> dict[str, Any]:
        options = request.options
        config: dict[str, Any] = {
            name: options[key]
            for key, name in (
                ("temperature", "temperature"),
                ("max_tokens", "max_output_tokens"),
                ("top_p", "top_p"),
                ("stop", "stop_sequences"),
                ("seed", "seed"),
            )
            if key in options
        }
        if request.system:
            config["system_instruction"] = request.system
        if request.tools:
            declarations = [
                {"name": t.name, "description": t.description, "parameters_json_schema": t.parameters}
                for t in request.tools
            ]
            config["tools"] = [{"function_declarations": declarations}]
            config["automatic_function_calling"] = {"disable": True}
            if request.tool_choice is not None:
                config["tool_config"] = {"function_calling_config": _calling_config(request.tool_choice)}
        if request.json_schema is not None:
            config["response_mime_type"] = "application/json"
            if request.json_schema:
                config["response_json_schema"] = request.json_schema
        if self.safety_settings:
            config["safety_settings"] = self.safety_settings
        return config

    def _content(self, turn: Turn) -> dict[str, Any]:
        return {"role": "model" if turn.role == "assistant" else "user", "parts": [self._part(p) for p in turn.parts]}

    def _part(self, part: Part) -> dict[str, Any]:
        if isinstance(part, Text):
            return {"text": part.text}
        if isinstance(part, Image):
            if part.data is None:
                return {"file_data": {"file_uri": part.url, "mime_type": part.mime}}
            return {"inline_data": {"mime_type": part.mime, "data": part.data}}
        if isinstance(part, ToolCall):
            call: dict[str, Any] = {"function_call": {"id": part.id, "name": part.name, "args": part.arguments}}
            if part.id in self._signatures:
                call["thought_signature"] = self._signatures[part.id]
            return call
        assert isinstance(part, ToolResult)
        return {"function_response": {"id": part.id, "name": part.name, "response": {"result": part.content}}}

    def _collect(self, collector: StreamCollector, response: Any) -> None:
        """Feed one response (or stream chunk) to ``collector``."""
        collector.response_id = getattr(response, "response_id", None) or collector.response_id
        collector.model = getattr(response, "model_version", None) or collector.model
        usage = response.usage_metadata
        if usage is not None:  # counts so far: the last chunk's are the totals
            collector.prompt_tokens = (usage.prompt_token_count or 0) + (usage.tool_use_prompt_token_count or 0)
            collector.completion_tokens = (usage.candidates_token_count or 0) + (usage.thoughts_token_count or 0)
        feedback = getattr(response, "prompt_feedback", None)
        if feedback is not None and feedback.block_reason is not None:
            collector.finish_reason = "content_filter"  # the prompt itself was blocked: no candidates
        candidate = response.candidates[0] if response.candidates else None
        if candidate is None:
            return
        if candidate.finish_reason is not None:
            name = getattr(candidate.finish_reason, "value", str(candidate.finish_reason))
            collector.finish_reason = _FINISH.get(name, "stop")
        for part in (candidate.content.parts if candidate.content else None) or []:
            if part.thought:
                continue
            if part.function_call is not None:
                call_id = part.function_call.id or f"call_{uuid.uuid4().hex[:20]}"
                if part.thought_signature:
                    self._signatures[call_id] = part.thought_signature
                collector.add_call(
                    ToolCall(call_id, part.function_call.name or "", dict(part.function_call.args or {}))
                )
            elif part.text:
                collector.add_text(part.text)


def _calling_config(choice: str) -> dict[str, Any]:
    if choice in ("auto", "none"):
        return {"mode": choice.upper()}
    if choice == "required":
        return {"mode": "ANY"}
    return {"mode": "ANY", "allowed_function_names": [choice]}


def _retry_delay(err: Any) -> Optional[float]:
    """The seconds Gemini asks to wait (``RetryInfo.retryDelay`` in the error details), or None."""
    details = err.details.get("error", {}).get("details", []) if isinstance(err.details, dict) else []
    for detail in details if isinstance(details, list) else []:
        match = _DELAY.match(str(detail.get("retryDelay", ""))) if isinstance(detail, dict) else None
        if match:
            return float(match.group(1))
    return None
