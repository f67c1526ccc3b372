"""Helpers for retrieval: find documents, read them as text, split them into chunks, and a Chroma shortcut.

As in AutoGen 0.2: ``get_files_from_dir`` -> ``split_files_to_chunks`` -> a vector store. PDFs are read with
pypdf, HTML with beautifulsoup4 + markdownify (the ``retrievechat`` extra); they are imported when first used.
A URL is downloaded only when it is given as a document path, and a failed download is an error naming it.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any, Callable, Optional, Union
from urllib.parse import urlparse

from .token_count_utils import count_token

__all__ = [
    "HASH_LENGTH",
    "TEXT_FORMATS",
    "UNSTRUCTURED_FORMATS",
    "DocumentPathError",
    "DownloadError",
    "create_vector_db_from_dir",
    "extract_text_from_pdf",
    "get_file_from_url",
    "get_files_from_dir",
    "is_url",
    "parse_html_to_markdown",
    "query_vector_db",
    "split_files_to_chunks",
    "split_text_to_chunks",
]

logger = logging.getLogger(__name__)

HASH_LENGTH = int(os.environ.get("HASH_LENGTH", 8))
CHUNK_MODES = ("multi_lines", "one_line")
MIN_CHUNK_CHARS = 10  # shorter chunks carry no meaning and are dropped, as in 0.2
UNSTRUCTURED_FORMATS = ["doc", "docx", "epub", "msg", "odt", "org", "pdf", "ppt", "pptx", "rtf", "rst", "xlsx"]
TEXT_FORMATS = ["txt", "json", "csv", "tsv", "md", "html", "htm", "rtf", "rst", "jsonl", "log", "xml", "yaml", "yml"]
TEXT_FORMATS += ["pdf", "py"]
HTML_SUFFIXES = (".html", ".htm")
GLOB_CHARS = re.compile(r"[*?\[]")
DOWNLOAD_DIR = "tmp/chromadb"
DOWNLOAD_TIMEOUT_S = 30.0
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024

FileItem = Union[str, tuple[str, str]]  # a path, or (downloaded path, URL it came from)


class DocumentPathError(ValueError):
    """A document path that does not exist, cannot be read, or holds no document of the asked types."""


class DownloadError(OSError):
    """A URL given as a document could not be downloaded."""


# ---- splitting text -------------------------------------------------------------------------------------
def split_text_to_chunks(
    text: str,
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    overlap: int = 0,
) -> list[str]:
    """Split ``text`` into chunks of at most ``max_tokens`` tokens.

    Args:
        text: the text.
        max_tokens: the most tokens in one chunk.
        chunk_mode: "multi_lines" (a chunk holds as many whole lines as fit) or "one_line" (one line a chunk).
        must_break_at_empty_line: in "multi_lines", end chunks only at empty lines (paragraphs) where possible.
        overlap: lines repeated at the start of the next chunk ("multi_lines" only).

    Raises:
        ValueError: an unknown ``chunk_mode``, or a ``max_tokens`` or ``overlap`` out of range.
    """
    if chunk_mode not in CHUNK_MODES:
        raise ValueError(f"chunk_mode must be one of {CHUNK_MODES}, not {chunk_mode!r}")
    if not isinstance(max_tokens, int) or max_tokens < 1:
        raise ValueError(f"max_tokens must be a positive int, not {max_tokens!r}")
    if overlap < 0:
        raise ValueError(f"overlap must be >= 0, not {overlap!r}")
    if chunk_mode == "one_line":
        must_break_at_empty_line, overlap = False, 0
    lines = text.split("\n")
    if len(lines) < 3:
        must_break_at_empty_line = False  # too short to have paragraphs
    tokens = [count_token(line) for line in lines]
    chunks: list[str] = []
    while sum(tokens) > max_tokens:
        cut = _cut_point(lines, tokens, max_tokens, chunk_mode, must_break_at_empty_line)
        if cut == 0 and must_break_at_empty_line:
            must_break_at_empty_line = False  # no paragraph break fits: break between lines instead
            continue
        if cut == 0:  # the first line alone is too long: cut it by characters
            head, lines[0] = _split_long_line(lines[0], tokens[0], max_tokens)
            tokens[0] = count_token(lines[0])
            _keep_chunk(chunks, head)
            continue
        _keep_chunk(chunks, "\n".join(lines[:cut]))
        start = cut - overlap if cut > overlap else cut
        lines, tokens = lines[start:], tokens[start:]
    _keep_chunk(chunks, "\n".join(lines).strip())
    return chunks


def _cut_point(lines: list[str], tokens: list[int], max_tokens: int, mode: str, at_empty_line: bool) -> int:
    """How many leading lines form the next chunk (0: none fits)."""
    if mode == "one_line":
        return 1 if tokens[0] <= max_tokens else 0
    best = 0
    total = 0
    for i, n in enumerate(tokens):
        total += n
        if total > max_tokens:
            break
        end = i + 1
        if not at_empty_line or end == len(lines) or not lines[end].strip():
            best = end
    return best


def _split_long_line(line: str, line_tokens: int, max_tokens: int) -> tuple[str, str]:
    """Cut a line longer than ``max_tokens`` by characters, at a space where one is near."""
    length = max(int(len(line) * max_tokens / max(line_tokens, 1) * 0.9), MIN_CHUNK_CHARS)
    space = line.rfind(" ", length // 2, length)
    if space > 0:
        length = space
    return line[:length], line[length:].lstrip()


def _keep_chunk(chunks: list[str], chunk: str) -> None:
    if len(chunk.strip()) > MIN_CHUNK_CHARS:
        chunks.append(chunk)


# ---- reading files --------------------------------------------------------------------------------------
def extract_text_from_pdf(file: str) -> str:
    """The text of every page of the PDF ``file`` (pypdf).

    Raises:
        DocumentPathError: ``file`` is not a PDF, or is encrypted with a password.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(file)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentPathError(f"PDF {file!r} is encrypted with a password: decrypt it first, or remove it.")
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except PdfReadError as e:
        raise DocumentPathError(f"{file!r} is not a readable PDF ({e}): fix the file or remove it.") from e
    if not text.strip():
        logger.warning("No text found in PDF %s (a scan without a text layer?)", file)
    return text


def parse_html_to_markdown(html: str, url: Optional[str] = None) -> str:
    """Markdown for an HTML page (scripts and styles dropped), headed by its title."""
    import markdownify
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup(["script", "style", "title"]):
        tag.extract()
    text = markdownify.MarkdownConverter().convert_soup(soup)
    text = re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()
    return f"# {title}\n\n{text}" if title else text


def _read_text(file: str) -> str:
    """A file's text: PDFs through pypdf, HTML as markdown, the rest as UTF-8."""
    suffix = os.path.splitext(file)[1].lower()
    if suffix == ".pdf":
        return extract_text_from_pdf(file)
    try:
        with open(file, encoding="utf-8", errors="ignore") as f:
            text = f.read()
    except OSError as e:
        raise DocumentPathError(f"cannot read document {file!r}: {e}. Fix its permissions or remove it.") from e
    return parse_html_to_markdown(text) if suffix in HTML_SUFFIXES else text


def split_files_to_chunks(
    files: Iterable[FileItem],
    max_tokens: int = 4000,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    custom_text_split_function: Optional[Callable[[str], list[str]]] = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Read ``files`` and split them into chunks; returns ``(chunks, sources)``, one ``{"source": ...}`` a chunk.

    ``files`` holds paths, or ``(path, url)`` pairs for downloaded files (the URL is then the source).
    ``custom_text_split_function(text) -> list[str]`` replaces the built-in splitter.
    """
    chunks: list[str] = []
    sources: list[dict[str, Any]] = []
    for item in files:
        file, url = (item[0], item[1]) if isinstance(item, tuple) else (item, None)
        text = _read_text(file)
        if not text.strip():
            logger.warning("No text in document %s: skipped", file)
            continue
        if custom_text_split_function is not None:
            file_chunks = list(custom_text_split_function(text))
        else:
            file_chunks = split_text_to_chunks(text, max_tokens, chunk_mode, must_break_at_empty_line)
        chunks += file_chunks
        sources += [{"source": url or file} for _ in file_chunks]
    return chunks, sources


# ---- finding files --------------------------------------------------------------------------------------
def is_url(string: str) -> bool:
    """True when ``string`` is an absolute URL (a scheme and a host)."""
    try:
        parsed = urlparse(string)
    except (ValueError, AttributeError):
        return False
    return bool(parsed.scheme and parsed.netloc)


def _normalized_types(types: Sequence[str]) -> set[str]:
    if isinstance(types, str) or not types:
        raise ValueError(f"types must be a non-empty list of file extensions such as ['md', 'txt'], not {types!r}")
    return {t.lower().lstrip(".") for t in types}


def _files_in(folder: str, types: set[str], recursive: bool) -> list[str]:
    pattern = os.path.join(glob.escape(folder), "**", "*") if recursive else os.path.join(glob.escape(folder), "*")
    return sorted(f for f in glob.glob(pattern, recursive=recursive) if os.path.isfile(f) and _suffix_of(f) in types)


def _suffix_of(path: str) -> str:
    return os.path.splitext(path)[1].lower().lstrip(".")


def get_files_from_dir(
    dir_path: Union[str, Sequence[str]], types: Sequence[str] = TEXT_FORMATS, recursive: bool = True
) -> list[FileItem]:
    """The documents at ``dir_path``: a file, a folder (its files of ``types``), a glob, a URL, or a list of these.

    A URL is downloaded (to ``tmp/chromadb``) and returned as ``(local path, url)``.

    Raises:
        DocumentPathError: a path that does not exist (naming it).
        DownloadError: a URL that cannot be downloaded.
        ValueError: ``types`` is empty.
    """
    wanted = _normalized_types(types)
    items = [dir_path] if isinstance(dir_path, str) else list(dir_path)
    files: list[FileItem] = []
    for item in items:
        if not isinstance(item, str):
            raise DocumentPathError(f"docs_path entries must be str paths or URLs, not {type(item).__name__}: {item!r}")
        files.extend(_files_of(item, wanted, recursive))
    return files


def _files_of(item: str, types: set[str], recursive: bool) -> list[FileItem]:
    if os.path.isfile(item):
        return [item]
    if os.path.isdir(item):
        return list(_files_in(item, types, recursive))
    if is_url(item):
        return [get_file_from_url(item)]
    if GLOB_CHARS.search(item):
        found = sorted(f for f in glob.glob(item, recursive=True) if os.path.isfile(f))
        if not found:
            raise DocumentPathError(f"docs_path pattern {item!r} matches no file: fix the pattern.")
        return list(found)
    raise DocumentPathError(
        f"docs_path {item!r} does not exist (working directory: {os.getcwd()}): give an existing file or folder, "
        "a glob, or a URL."
    )


def _file_name_for_url(url: str) -> str:
    parsed = urlparse(url)
    base = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(parsed.path) or "index")[:100]
    digest = hashlib.blake2b(url.encode("utf-8")).hexdigest()[:HASH_LENGTH]
    return f"{parsed.netloc}_{digest}_{base}"


def get_file_from_url(url: str, save_path: Optional[str] = None) -> tuple[str, str]:
    """Download ``url`` to ``save_path`` (a file or folder; default ``tmp/chromadb``); returns ``(path, url)``.

    An HTML page is saved as markdown. Downloads are capped at 50 MB.

    Raises:
        DownloadError: the URL cannot be fetched (offline, HTTP error, too large), naming it and the fix.
    """
    import httpx

    if save_path is None:
        save_path = DOWNLOAD_DIR
        os.makedirs(save_path, exist_ok=True)
    target = os.path.join(save_path, _file_name_for_url(url)) if os.path.isdir(save_path) else save_path
    os.makedirs(os.path.dirname(target) or ".", exist_ok=True)
    logger.info("Downloading %s to %s", url, target)
    try:
        with httpx.stream("GET", url, timeout=DOWNLOAD_TIMEOUT_S, follow_redirects=True) as response:
            response.raise_for_status()
            body = bytearray()
            for part in response.iter_bytes():
                body += part
                if len(body) > MAX_DOWNLOAD_BYTES:
                    raise DownloadError(f"{url} is larger than {MAX_DOWNLOAD_BYTES} bytes: download it yourself.")
            content_type = response.headers.get("content-type", "")
    except httpx.HTTPError as e:
        raise DownloadError(
            f"could not download document {url!r} ({type(e).__name__}: {e}). Check the URL and the network, or "
            "download the file yourself and give its local path in docs_path."
        ) from e
    if "text/html" in content_type:
        target = os.path.splitext(target)[0] + ".md"
        with open(target, "w", encoding="utf-8") as f:
            f.write(parse_html_to_markdown(body.decode("utf-8", errors="ignore"), url))
    else:
        with open(target, "wb") as f:
            f.write(body)
    return target, url


# ---- the Chroma shortcut of 0.2 -------------------------------------------------------------------------
def create_vector_db_from_dir(
    dir_path: Union[str, list[str]],
    max_tokens: int = 4000,
    client: Any = None,
    db_path: str = "tmp/chromadb.db",
    collection_name: str = "all-my-documents",
    get_or_create: bool = False,
    chunk_mode: str = "multi_lines",
    must_break_at_empty_line: bool = True,
    embedding_model: str = "all-MiniLM-L6-v2",
    embedding_function: Optional[Callable[..., Any]] = None,
    custom_text_split_function: Optional[Callable[[str], list[str]]] = None,
    custom_text_types: Sequence[str] = TEXT_FORMATS,
    recursive: bool = True,
    extra_docs: bool = False,
) -> Any:
    """Chunk the documents at ``dir_path`` into the Chroma collection ``collection_name``; returns the client.

    ``client`` is a chromadb client (default: a persistent one at ``db_path``). ``get_or_create=False``
    refuses an existing collection; ``extra_docs`` numbers new chunks after the existing ones.
    """
    from .agentchat.contrib.vectordb.chromadb import ChromaVectorDB
    from .agentchat.contrib.vectordb.embeddings import resolve_embedding_function

    db = ChromaVectorDB(
        client=client, path=db_path, embedding_function=resolve_embedding_function(embedding_function, embedding_model)
    )
    collection = db.create_collection(collection_name, overwrite=False, get_or_create=get_or_create)
    start = len(collection.get(include=[])["ids"]) if extra_docs else 0
    files = get_files_from_dir(dir_path, custom_text_types, recursive)
    chunks, sources = split_files_to_chunks(
        files, max_tokens, chunk_mode, must_break_at_empty_line, custom_text_split_function
    )
    docs = [
        {"id": f"doc_{start + i}", "content": chunk, "metadata": source}
        for i, (chunk, source) in enumerate(zip(chunks, sources))
    ]
    db.insert_docs(docs, collection_name, upsert=True)  # type: ignore[arg-type]
    logger.info("Found %d chunks.", len(chunks))
    return db.client


def query_vector_db(
    query_texts: list[str],
    n_results: int = 10,
    client: Any = None,
    db_path: str = "tmp/chromadb.db",
    collection_name: str = "all-my-documents",
    search_string: str = "",
    embedding_model: str = "all-MiniLM-L6-v2",
    embedding_function: Optional[Callable[..., Any]] = None,
) -> dict[str, Any]:
    """Query a Chroma collection made by :func:`create_vector_db_from_dir`; returns Chroma's result dict
    (``ids``, ``documents``, ``metadatas``, ``distances``), one list per query text.

    ``search_string`` keeps only chunks that contain it.
    """
    from .agentchat.contrib.vectordb.chromadb import ChromaVectorDB
    from .agentchat.contrib.vectordb.embeddings import resolve_embedding_function

    db = ChromaVectorDB(
        client=client, path=db_path, embedding_function=resolve_embedding_function(embedding_function, embedding_model)
    )
    return db.query_raw(query_texts, collection_name, n_results, search_string)
