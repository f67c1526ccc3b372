"""Split a merged config into SDK-client options, wrapper options and request parameters."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CLIENT_KWARGS",
    "EXTRA_KWARGS",
    "PROVIDER_CLIENT_KWARGS",
    "SECRET_KWARGS",
    "client_kwargs_of",
    "split_create_config",
]

# Options of the openai SDK client constructors (OpenAI and AzureOpenAI): they pick the endpoint
# and credentials, so they are never sent in a request body.
CLIENT_KWARGS = frozenset(
    {
        "api_key",
        "organization",
        "project",
        "base_url",
        "websocket_base_url",
        "timeout",
        "max_retries",
        "default_headers",
        "default_query",
        "http_client",
        "api_version",
        "azure_endpoint",
        "azure_deployment",
        "azure_ad_token",
        "azure_ad_token_provider",
        "webhook_secret",
    }
)
# Options of the provider clients' SDKs (autogen/oai/providers.py) that pick the endpoint and credentials:
# like CLIENT_KWARGS, never part of a request (nor of its cache key or log).
PROVIDER_CLIENT_KWARGS = frozenset(
    {
        "aws_region",
        "aws_access_key",
        "aws_secret_key",
        "aws_session_token",
        "aws_profile_name",
        "client_host",
        "project_id",
        "location",
        "google_application_credentials",
    }
)
# Options that steer the wrapper itself (cache, filtering, templating, routing, pricing).
EXTRA_KWARGS = frozenset(
    {
        "agent",
        "cache",
        "cache_seed",
        "filter_func",
        "allow_format_str_template",
        "context",
        "api_version",
        "api_type",
        "tags",
        "price",
        "model_client_cls",
        "max_response_bytes",
        "budgets",
    }
)
# Values that must never be shown: in reprs, logs or error messages.
SECRET_KWARGS = frozenset(
    {
        "api_key",
        "azure_ad_token",
        "azure_ad_token_provider",
        "webhook_secret",
        "http_client",
        # Bedrock's AWS credentials (api_type "bedrock").
        "aws_secret_key",
        "aws_session_token",
    }
)


def client_kwargs_of(config: dict[str, Any]) -> dict[str, Any]:
    """The SDK-client options in ``config``."""
    return {k: v for k, v in config.items() if k in CLIENT_KWARGS}


def split_create_config(config: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split ``config`` into (request parameters, wrapper options); SDK-client options are dropped."""
    create: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in config.items():
        if key in EXTRA_KWARGS:
            extra[key] = value
        elif key not in CLIENT_KWARGS and key not in PROVIDER_CLIENT_KWARGS:
            create[key] = value
    return create, extra


def public_view(config: dict[str, Any]) -> dict[str, Any]:
    """``config`` without secrets or callables, for reprs and logs."""
    return {
        k: ("***" if k in SECRET_KWARGS else v)
        for k, v in config.items()
        if not callable(v) and k not in ("filter_func", "cache", "agent", "budgets")
    }
