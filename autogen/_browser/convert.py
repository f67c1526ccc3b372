"""Documents to text for the text browser: HTML to markdown (BeautifulSoup + markdownify), PDF to text (pypdf)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Optional
from urllib.parse import urljoin

__all__ = ["INSTALL_HINT", "Page", "html_to_markdown", "pdf_to_text", "require_websurfer_extra"]

INSTALL_HINT = 'pip install "autogen[websurfer]"'
_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "svg")


@dataclass
class Page:
    """A document as the browser shows it: its title (None when it has none) and its text."""

    title: Optional[str]
    content: str


def require_websurfer_extra() -> None:
    """Raise ImportError naming the install command unless beautifulsoup4, markdownify and pypdf import."""
    missing = []
    for module, package in (("bs4", "beautifulsoup4"), ("markdownify", "markdownify"), ("pypdf", "pypdf")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise ImportError(f"The text browser needs {', '.join(missing)}: install them with `{INSTALL_HINT}`.")


def _converter(base_url: str) -> Any:
    from markdownify import MarkdownConverter

    class _Converter(MarkdownConverter):
        """Links made absolute (the model can follow them); script links and images' bytes left out."""

        def convert_a(self, el: Any, text: str, parent_tags: Any) -> str:
            href = el.get("href")
            if not href or href.strip().lower().startswith(("javascript:", "data:")):
                return text
            el["href"] = urljoin(base_url, href.strip())
            return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

        def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
            src = el.get("src") or ""
            if src.lower().startswith("data:"):  # inline bytes: only the description is useful
                return str(el.get("alt") or "")
            el["src"] = urljoin(base_url, src)
            return str(super().convert_img(el, text, parent_tags))  # type: ignore[misc]

    return _Converter(heading_style="ATX")


def html_to_markdown(html: str, base_url: str) -> Page:
    """The page's title and its body as markdown, links resolved against ``base_url``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(list(_DROPPED_TAGS)):
        tag.decompose()
    title = soup.title.get_text(" ", strip=True) if soup.title is not None else None
    body = soup.body if soup.body is not None else soup
    text = _converter(base_url).convert_soup(body)
    lines = [line.rstrip() for line in text.splitlines()]
    content = "\n".join(lines)
    while "\n\n\n" in content:
        content = content.replace("\n\n\n", "\n\n")
    return Page(title or None, content.strip())


def pdf_to_text(data: bytes) -> Page:
    """The PDF's title (from its metadata) and the text of its pages, one after another.

    Raises:
        ValueError: the bytes are not a PDF pypdf can read.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata is not None else None
    except (PyPdfError, ValueError, OSError) as exc:
        raise ValueError(f"not a readable PDF: {exc}") from exc
    return Page(str(title) if title else None, "\n\n".join(p.strip() for p in pages).strip())
