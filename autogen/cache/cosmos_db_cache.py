"""A cache in an Azure Cosmos DB container (needs the optional ``azure-cosmos`` package)."""

from __future__ import annotations

import base64
import pickle
from typing import Any, Optional, TypedDict, Union

from ._seed import check_seed
from .abstract_cache_base import CacheContextMixin

COSMOS_EXTRA_HINT = (
    "The Cosmos DB cache needs the 'azure-cosmos' package: pip install 'autogen[cosmosdb]' (or 'azure-cosmos>=4.2')."
)
DEFAULT_DATABASE_ID = "autogen_cache"
DEFAULT_CONTAINER_ID = "autogen_cache"


class CosmosDBConfig(TypedDict, total=False):
    """How to reach the container: a ``connection_string`` or an existing ``client``."""

    connection_string: str
    database_id: str
    container_id: str
    cache_seed: Union[str, int, None]
    client: Any


def _import_cosmos() -> Any:
    try:
        from azure.cosmos import CosmosClient, PartitionKey, exceptions
    except ImportError as e:
        raise ImportError(COSMOS_EXTRA_HINT) from e
    return CosmosClient, PartitionKey, exceptions


class CosmosDBCache(CacheContextMixin):
    """A cache whose entries are items of one Cosmos DB container, partitioned by seed.

    Values are pickled (base64 in the item); only use a container you trust.

    Args:
        seed: names the cache and is the partition key of its items.
        cosmosdb_config: ``connection_string`` or ``client``, plus optional ``database_id``
            and ``container_id`` (both default to ``"autogen_cache"``).

    Raises:
        ImportError: when ``azure-cosmos`` is not installed, naming the package to install.
        ValueError: when the config has neither a connection string nor a client.
    """

    def __init__(self, seed: Union[str, int], cosmosdb_config: CosmosDBConfig) -> None:
        cosmos_client_cls, partition_key_cls, exceptions = _import_cosmos()
        self.seed = check_seed(seed)
        self._not_found = exceptions.CosmosResourceNotFoundError
        client = cosmosdb_config.get("client")
        if client is None:
            connection_string = cosmosdb_config.get("connection_string")
            if not connection_string:
                raise ValueError("cosmosdb_config needs a 'connection_string' or a 'client'")
            client = cosmos_client_cls.from_connection_string(connection_string)
        database = client.create_database_if_not_exists(cosmosdb_config.get("database_id", DEFAULT_DATABASE_ID))
        self._container = database.create_container_if_not_exists(
            id=cosmosdb_config.get("container_id", DEFAULT_CONTAINER_ID),
            partition_key=partition_key_cls(path="/partitionKey"),
        )

    @classmethod
    def from_config(cls, seed: Union[str, int], cosmosdb_config: CosmosDBConfig) -> CosmosDBCache:
        """Build the cache from a config dict."""
        return cls(seed, cosmosdb_config)

    @classmethod
    def from_connection_string(
        cls, seed: Union[str, int], connection_string: str, database_id: str, container_id: str
    ) -> CosmosDBCache:
        """Build the cache from an account connection string."""
        config: CosmosDBConfig = {
            "connection_string": connection_string,
            "database_id": database_id,
            "container_id": container_id,
        }
        return cls(seed, config)

    @classmethod
    def from_existing_client(
        cls, seed: Union[str, int], client: Any, database_id: str, container_id: str
    ) -> CosmosDBCache:
        """Build the cache from a ``CosmosClient`` you already have."""
        config: CosmosDBConfig = {"client": client, "database_id": database_id, "container_id": container_id}
        return cls(seed, config)

    def get(self, key: str, default: Optional[Any] = None) -> Optional[Any]:
        """Return the value stored under ``key``, or ``default`` when there is none."""
        try:
            item = self._container.read_item(item=key, partition_key=self.seed)
        except self._not_found:
            return default
        return pickle.loads(base64.b64decode(item["value"]))

    def set(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key``, replacing any previous value."""
        encoded = base64.b64encode(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).decode("ascii")
        self._container.upsert_item({"id": key, "partitionKey": self.seed, "value": encoded})

    def close(self) -> None:
        """Nothing to release: the Cosmos client is owned by whoever made it."""

    def __repr__(self) -> str:
        return f"CosmosDBCache(seed={self.seed!r})"
