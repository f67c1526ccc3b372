"""PGVectorDB: PostgreSQL with the pgvector extension, one table per collection (psycopg 3)."""

from __future__ import annotations

import json
from typing import Any, Callable, Optional

from ._store import StoreBase, check_docs
from .base import Document, ItemID
from .utils import require

__all__ = ["PGVectorDB"]

METRICS = {"cosine": "<=>", "euclidean": "<->", "l2": "<->", "ip": "<#>", "inner_product": "<#>"}


def _psycopg() -> Any:
    return require("psycopg", "retrievechat-pgvector", "PGVectorDB")


class PGVectorDB(StoreBase):
    """A PostgreSQL + pgvector store. Each collection is a table ``(id, embedding, documents, metadatas)``.

    Args:
        conn: an open psycopg 3 connection to use.
        connection_string: a PostgreSQL URI, e.g. ``postgresql://user:pw@host:5432/db``.
        host, port, dbname, username, password: the connection's parts, when no connection string is given.
        connect_timeout: seconds to wait for the server.
        embedding_function: ``f(texts) -> vectors``; default the sentence-transformers model ``model_name``.
        metric: "cosine" (default), "euclidean" or "ip" (distance = negative inner product).
        model_name: the sentence-transformers model used when no embedding_function is given.
        metadata: accepted for 0.2 compatibility (HNSW settings are not applied).

    Raises:
        ConnectionError: the server cannot be reached (naming where and the fix).
        ValueError: an unknown metric, or the vector extension cannot be created.
    """

    type = "pgvector"
    label = "PGVector"

    def __init__(
        self,
        *,
        conn: Any = None,
        connection_string: Optional[str] = None,
        host: Optional[str] = None,
        port: Optional[int] = None,
        dbname: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        connect_timeout: int = 10,
        embedding_function: Optional[Callable[..., Any]] = None,
        metric: str = "cosine",
        model_name: str = "all-MiniLM-L6-v2",
        metadata: Optional[dict[str, Any]] = None,
    ) -> None:
        from .embeddings import resolve_embedding_function

        super().__init__(resolve_embedding_function(embedding_function, model_name))
        if metric.lower() not in METRICS:
            raise ValueError(f"metric must be one of {sorted(METRICS)}, not {metric!r}")
        self.operator = METRICS[metric.lower()]
        self.metric = metric.lower()
        self.metadata = metadata
        psycopg = _psycopg()
        if conn is None:
            params = {"host": host, "port": port, "dbname": dbname, "user": username, "password": password}
            params = {k: v for k, v in params.items() if v is not None}
            where = connection_string or " ".join(f"{k}={v}" for k, v in params.items() if k != "password")
            try:
                conn = psycopg.connect(
                    connection_string or "", autocommit=True, connect_timeout=connect_timeout, **params
                )
            except psycopg.OperationalError as e:
                raise ConnectionError(
                    f"cannot connect to PostgreSQL at {where or 'the default socket'!r} ({' '.join(str(e).split())}). "
                    "Start the server (for "
                    "a local one: pip install pgserver; pgserver.get_server(DIR).get_uri()) or fix connection_string."
                ) from e
        self.conn = conn
        self._setup_extension()

    def _setup_extension(self) -> None:
        pgvector = require("pgvector.psycopg", "retrievechat-pgvector", "PGVectorDB")
        try:
            self.conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
        except Exception as e:
            raise ValueError(
                f"PostgreSQL has no usable pgvector extension ({e}): install pgvector in the server "
                "(https://github.com/pgvector/pgvector) or use the pgserver wheel, which bundles it."
            ) from e
        pgvector.register_vector(self.conn)

    def _sql(self, template: str, name: str) -> Any:
        sql = _psycopg().sql
        return sql.SQL(template).format(table=sql.Identifier(name))

    # ---- collections (the life cycle is StoreBase's; a collection's handle is its table name) ---------
    def _exists(self, name: str) -> bool:
        row = self.conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f'"{name}"',)).fetchone()
        return bool(row and row[0])

    def _create(self, name: str) -> Any:
        columns = f"id TEXT PRIMARY KEY, embedding vector({self.dimension}), documents TEXT, metadatas JSONB"
        self.conn.execute(self._sql("CREATE TABLE {table} (" + columns + ")", name))
        return name

    def _drop(self, name: str) -> None:
        self.conn.execute(self._sql("DROP TABLE IF EXISTS {table}", name))

    def _stored_dimension(self, collection: Any) -> int:
        row = self.conn.execute(
            "SELECT atttypmod FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attname = 'embedding'",
            (f'"{collection}"',),
        ).fetchone()
        return int(row[0])

    # ---- documents --------------------------------------------------------------------------------
    def insert_docs(
        self, docs: list[Document], collection_name: Optional[str] = None, upsert: bool = False, **kwargs: Any
    ) -> None:
        """Add ``docs`` in one transaction: all are written, or none. ``upsert`` replaces same-id documents.

        Raises:
            ValueError: a bad document, an existing id without ``upsert``, or another embedding dimension.
        """
        if not docs:
            return
        check_docs(docs)
        name = self.get_collection(collection_name)
        dimension = self._stored_dimension(name)
        vectors = [
            v for batch in self._batches(docs) for v in self._embed([d["content"] for d in batch], name, dimension)
        ]
        conflict = (
            "ON CONFLICT (id) DO UPDATE SET embedding = EXCLUDED.embedding, documents = EXCLUDED.documents, "
            "metadatas = EXCLUDED.metadatas"
            if upsert
            else ""
        )
        statement = self._sql(
            "INSERT INTO {table} (id, embedding, documents, metadatas) VALUES (%s, %s::vector, %s, %s::jsonb) "
            + conflict,
            name,
        )
        rows = [
            (str(d["id"]), vector, d["content"], json.dumps(dict(d.get("metadata") or {})))
            for d, vector in zip(docs, vectors)
        ]
        try:
            with self.conn.transaction(), self.conn.cursor() as cursor:
                cursor.executemany(statement, rows)
        except _psycopg().errors.UniqueViolation as e:
            raise ValueError(f"a document id already exists in {name!r}: pass upsert=True to replace it ({e})") from e

    def delete_docs(self, ids: list[ItemID], collection_name: Optional[str] = None, **kwargs: Any) -> None:
        """Delete the documents with these ids."""
        name = self.get_collection(collection_name)
        self.conn.execute(self._sql("DELETE FROM {table} WHERE id = ANY(%s)", name), ([str(i) for i in ids],))

    @staticmethod
    def _document(row: tuple[Any, ...], with_vector: bool = False) -> Document:
        doc: Document = {"id": row[0], "content": row[1], "metadata": row[2]}
        if with_vector:
            vector = row[3].to_list() if hasattr(row[3], "to_list") else row[3]
            doc["embedding"] = [float(x) for x in vector]
        return doc

    def _search(self, collection: Any, vector: list[float], n_results: int) -> list[tuple[Document, float]]:
        """The nearest rows by the store's metric."""
        statement = self._sql(
            "SELECT id, documents, metadatas, embedding " + self.operator + " %s::vector AS distance FROM {table} "
            "ORDER BY distance LIMIT %s",
            collection,
        )
        return [(self._document(r), float(r[3])) for r in self.conn.execute(statement, (vector, n_results)).fetchall()]

    def get_docs_by_ids(
        self,
        ids: Optional[list[ItemID]] = None,
        collection_name: Optional[str] = None,
        include: Optional[list[str]] = None,
        **kwargs: Any,
    ) -> list[Document]:
        """The documents with these ids (None: all); ``include=["embeddings"]`` adds the vectors."""
        name = self.get_collection(collection_name)
        with_vectors = bool(include and "embeddings" in include)
        query = "SELECT id, documents, metadatas, embedding FROM {table}"
        if ids is None:
            rows = self.conn.execute(self._sql(query + " ORDER BY id", name)).fetchall()
        else:
            rows = self.conn.execute(
                self._sql(query + " WHERE id = ANY(%s)", name), ([str(i) for i in ids],)
            ).fetchall()
        return [self._document(r, with_vectors) for r in rows]
