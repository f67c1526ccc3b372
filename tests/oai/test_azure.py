"""Azure OpenAI configs: deployment routing, api-key header, api-version."""

from __future__ import annotations

from autogen.oai.client import OpenAIWrapper
from autogen.oai.openai_utils import DEFAULT_AZURE_API_VERSION


def azure_config(server, **extra):
    return {
        "model": "gpt-3.5-turbo",
        "api_type": "azure",
        "base_url": f"http://{server.host}:{server.port}",
        "api_key": server.api_key,
        **extra,
    }


def test_azure_config_routes_to_deployment_with_api_key_header(server):
    server.script("from azure")
    wrapper = OpenAIWrapper(config_list=[azure_config(server, api_version="2024-06-01")])
    response = wrapper.create(messages=[{"role": "user", "content": "hi"}])
    assert response.choices[0].message.content == "from azure"
    request = server.requests[0]
    assert request.path == "/openai/deployments/gpt-35-turbo/chat/completions?api-version=2024-06-01"
    assert request.headers["api-key"] == server.api_key
    assert "authorization" not in request.headers
    assert request.body["model"] == "gpt-35-turbo"


def test_azure_config_without_api_version_uses_default(server):
    server.script("ok")
    OpenAIWrapper(config_list=[azure_config(server)]).create(messages=[{"role": "user", "content": "hi"}])
    assert server.requests[0].path.endswith(f"api-version={DEFAULT_AZURE_API_VERSION}")


def test_azure_endpoint_option_is_used(server):
    server.script("ok")
    config = azure_config(server, azure_endpoint=f"http://{server.host}:{server.port}", model="gpt-4o")
    del config["base_url"]
    OpenAIWrapper(config_list=[config]).create(messages=[{"role": "user", "content": "hi"}])
    assert server.requests[0].path.startswith("/openai/deployments/gpt-4o/chat/completions")
