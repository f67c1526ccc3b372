"""CosmosDBCache: without azure-cosmos installed, a clear error names what to install."""

from __future__ import annotations

import sys

import pytest

from autogen.cache import Cache
from autogen.cache.cosmos_db_cache import CosmosDBCache


@pytest.fixture
def no_azure_cosmos(monkeypatch):
    monkeypatch.setitem(sys.modules, "azure.cosmos", None)


def test_cosmos_cache_without_package_names_the_extra(no_azure_cosmos):
    with pytest.raises(ImportError, match=r"azure-cosmos.*autogen\[cosmosdb\]|autogen\[cosmosdb\].*azure-cosmos"):
        CosmosDBCache(1, {"connection_string": "AccountEndpoint=x;AccountKey=y"})


def test_cache_cosmos_db_factory_without_package_names_the_extra(no_azure_cosmos):
    with pytest.raises(ImportError, match="azure-cosmos"):
        Cache.cosmos_db(connection_string="AccountEndpoint=x;AccountKey=secret-key", container_id="c")


def test_missing_package_error_does_not_leak_the_connection_string(no_azure_cosmos):
    with pytest.raises(ImportError) as info:
        Cache.cosmos_db(connection_string="AccountEndpoint=x;AccountKey=secret-key")
    assert "secret-key" not in str(info.value)
