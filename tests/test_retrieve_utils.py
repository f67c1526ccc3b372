"""autogen.retrieve_utils: splitting, reading PDFs and HTML, finding documents, the Chroma shortcut."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from autogen.retrieve_utils import (
    TEXT_FORMATS,
    DocumentPathError,
    DownloadError,
    create_vector_db_from_dir,
    extract_text_from_pdf,
    get_files_from_dir,
    is_url,
    parse_html_to_markdown,
    query_vector_db,
    split_files_to_chunks,
    split_text_to_chunks,
)
from autogen.token_count_utils import count_token

from .retrieval_corpus import write_corpus

PARAGRAPHS = "\n\n".join(
    f"Paragraph {i} line one about topic {i}.\nParagraph {i} line two, more words." for i in range(40)
)


def test_chunks_respect_max_tokens_and_keep_all_text():
    chunks = split_text_to_chunks(PARAGRAPHS, max_tokens=60)
    assert len(chunks) > 5
    assert all(count_token(c) <= 60 for c in chunks)
    assert "".join(chunks).replace("\n", "") == PARAGRAPHS.replace("\n", "")


def test_chunks_break_at_empty_lines_when_asked():
    chunks = split_text_to_chunks(PARAGRAPHS, max_tokens=60, must_break_at_empty_line=True)
    assert all(c.strip().startswith("Paragraph") and c.strip().endswith("more words.") for c in chunks)


def test_one_line_mode_gives_one_line_per_chunk():
    text = "\n".join(f"line number {i} with some text" for i in range(10))
    assert split_text_to_chunks(text, max_tokens=8, chunk_mode="one_line") == text.split("\n")


def test_overlap_repeats_lines_in_the_next_chunk():
    text = "\n".join(f"sentence number {i} of the text" for i in range(30))
    chunks = split_text_to_chunks(text, max_tokens=40, must_break_at_empty_line=False, overlap=1)
    for first, second in zip(chunks, chunks[1:]):
        assert first.split("\n")[-1] == second.split("\n")[0]


def test_a_line_longer_than_max_tokens_is_cut():
    line = " ".join(f"word{i}" for i in range(400))
    chunks = split_text_to_chunks(line, max_tokens=50)
    assert len(chunks) > 3
    assert all(count_token(c) <= 60 for c in chunks)


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [({"chunk_mode": "paragraphs"}, "chunk_mode"), ({"max_tokens": 0}, "max_tokens"), ({"overlap": -1}, "overlap")],
)
def test_bad_split_arguments_are_named(kwargs, named):
    with pytest.raises(ValueError, match=named):
        split_text_to_chunks("some text here", **kwargs)


def test_pdf_text_is_extracted(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    assert "Danny Pruett" in extract_text_from_pdf(str(corpus / "football.pdf"))


def test_a_pdf_that_is_not_a_pdf_is_named(tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("this is plain text, not a PDF")
    with pytest.raises(DocumentPathError, match=r"fake\.pdf.*not a readable PDF"):
        split_files_to_chunks([str(fake)])


def test_html_becomes_markdown_without_scripts():
    html = "<html><head><title>T</title><script>alert(1)</script></head><body><h2>Head</h2><p>Body</p></body></html>"
    text = parse_html_to_markdown(html)
    assert text.startswith("# T")
    assert "Head" in text and "Body" in text and "alert" not in text and "<p>" not in text


def test_files_from_folder_by_type_and_recursion(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "deep.md").write_text("deep file text here")
    (corpus / "image.png").write_bytes(b"\x89PNG")
    found = get_files_from_dir(str(corpus))
    assert len(found) == 31 and str(corpus / "sub" / "deep.md") in found
    assert not any(str(f).endswith(".png") for f in found)
    assert len(get_files_from_dir(str(corpus), recursive=False)) == 30
    assert len(get_files_from_dir(str(corpus), types=[".pdf"])) == 6
    assert {"pdf", "md", "html", "txt", "py"} <= set(TEXT_FORMATS)


def test_files_from_a_list_of_files_folders_and_globs(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    found = get_files_from_dir([str(corpus / "bus.py"), str(corpus / "*.pdf")])
    assert found[0] == str(corpus / "bus.py")
    assert len(found) == 7


def test_a_missing_path_is_named_with_the_fix(tmp_path):
    with pytest.raises(DocumentPathError, match=r"'no/such/dir' does not exist.*existing file or folder"):
        get_files_from_dir("no/such/dir")
    with pytest.raises(DocumentPathError, match="matches no file"):
        get_files_from_dir(["nothing*.md"])
    with pytest.raises(ValueError, match="types"):
        get_files_from_dir(str(tmp_path), types=[])


def test_is_url():
    assert is_url("https://example.com/a.md")
    assert not is_url("docs/a.md")
    assert not is_url("example.com")


def _serve(body: bytes, content_type: str):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("content-type", content_type)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_url_is_downloaded_only_when_given_and_html_saved_as_markdown(tmp_path):
    page = b"<html><head><title>Remote</title></head><body><p>Remote fact: 42 owls.</p></body></html>"
    server = _serve(page, "text/html")
    try:
        url = f"http://127.0.0.1:{server.server_port}/page.html"
        (path, source), *_ = get_files_from_dir([url])
    finally:
        server.shutdown()
    assert source == url and path.endswith(".md") and Path(path).is_file()
    chunks, sources = split_files_to_chunks([(path, source)])
    assert "42 owls" in chunks[0] and sources == [{"source": url}]


def test_an_unreachable_url_is_a_clear_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DownloadError, match=rf"could not download document 'http://127.0.0.1:{port}/x.md'.*local path"):
        get_files_from_dir(f"http://127.0.0.1:{port}/x.md")


@pytest.mark.slow
def test_create_and_query_vector_db_from_dir(tmp_path):
    corpus = write_corpus(tmp_path / "docs")
    client = create_vector_db_from_dir(str(corpus), max_tokens=300, db_path=str(tmp_path / "db"))
    results = query_vector_db(["Who is the mayor of the town?"], n_results=3, client=client)
    assert "Priya Okonjo" in results["documents"][0][0]
    assert results["metadatas"][0][0]["source"].endswith("council.html")
    only = query_vector_db(["Who is the mayor?"], n_results=3, client=client, search_string="Shannon")
    assert only["ids"][0] and all("Shannon" in d for d in only["documents"][0])
    with pytest.raises(ValueError, match=r"already exists.*get_or_create=True"):
        create_vector_db_from_dir(str(corpus), client=client)
    assert query_vector_db(["mayor"], client=client)["ids"][0]  # the refused call deleted nothing
