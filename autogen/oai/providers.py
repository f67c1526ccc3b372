"""Which client serves which ``api_type``: the model providers reached through their own SDKs.

Each row names the module in ``autogen.oai`` and the class in it (0.2's names where 0.2 had the provider),
the SDK module it imports, and the pip extra that installs that SDK. Modules are imported only when a
config uses their ``api_type``, so a missing SDK only matters to the configs that need it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Optional

__all__ = ["PROVIDERS", "Provider", "ProviderSDKMissingError", "make_provider_client", "provider_for"]


@dataclass(frozen=True)
class Provider:
    """One ``api_type``'s client, ``autogen.oai.<module>.<class_name>``; ``sdk`` comes with ``autogen[<extra>]``."""

    module: str
    class_name: str
    sdk: str
    extra: str
    # Where a config without base_url goes, and the config key of its credential (for `autogen config check`).
    endpoint: str = ""
    credential_key: str = "api_key"

    @property
    def install_hint(self) -> str:
        """The command that installs the SDK."""
        return f'pip install "autogen[{self.extra}]"'


PROVIDERS: dict[str, Provider] = {
    "anthropic": Provider("anthropic", "AnthropicClient", "anthropic", "anthropic", "api.anthropic.com"),
    "google": Provider("gemini", "GeminiClient", "google.genai", "gemini", "generativelanguage.googleapis.com"),
    "bedrock": Provider(
        "bedrock", "BedrockClient", "boto3", "bedrock", "bedrock-runtime.<region>.amazonaws.com", "aws_access_key"
    ),
    "ollama": Provider("ollama", "OllamaClient", "ollama", "ollama", "127.0.0.1:11434 (or client_host)"),
    "mistral": Provider("mistral", "MistralAIClient", "mistralai.client", "mistral"),
    "groq": Provider("groq", "GroqClient", "groq", "groq"),
    "together": Provider("together", "TogetherClient", "together", "together"),
    "cohere": Provider("cohere", "CohereClient", "cohere", "cohere"),
}


class ProviderSDKMissingError(ImportError):
    """A config's ``api_type`` needs a provider SDK that is not installed."""


def provider_for(api_type: Any) -> Optional[Provider]:
    """The provider row of ``api_type`` (case-insensitive), or None for OpenAI-compatible kinds."""
    if not isinstance(api_type, str):
        return None
    return PROVIDERS.get(api_type.lower())


def make_provider_client(api_type: str, config: dict[str, Any]) -> Any:
    """Build the client of ``api_type`` for one merged config, importing its module (and SDK) now.

    Raises:
        ProviderSDKMissingError: the provider's SDK is not installed; the message names the pip command.
        KeyError: ``api_type`` has no provider row.
    """
    provider = PROVIDERS[api_type.lower()]
    try:
        importlib.import_module(provider.sdk)
    except ImportError as err:
        raise ProviderSDKMissingError(
            f"api_type={api_type!r} (model {config.get('model')!r}) needs the {provider.sdk!r} package, "
            f"which is not installed ({err}). Install it with: {provider.install_hint}"
        ) from err
    module = importlib.import_module(f"{__package__}.{provider.module}")
    cls = getattr(module, provider.class_name)
    return cls(config)
