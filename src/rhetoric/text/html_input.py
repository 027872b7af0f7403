"""Article text out of a web page: menus, footers and scripts left behind, the story kept.

Articles arrive as saved web pages. Scoring the whole page would count navigation, cookie notices
and "related stories" as the author's words, so the main text is taken out with trafilatura (its
own heuristics, with jusText and readability as fall-backs), entirely offline. trafilatura is an
optional dependency (``pip install "rhetoric-lens[html]"``): it brings about a dozen packages
(lxml, dateparser, babel, ...), too many for a core dependency of a library that scores text.

Paragraphs are joined by a blank line, so a headline or a paragraph ending without a full stop
stays its own sentence. The report says where its text came from (``Report.meta["input"]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Extracted", "HTMLExtractionError", "extract_article", "is_html_name", "looks_like_html"]

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE | re.DOTALL)
_INSTALL_HINT = 'reading HTML needs the optional extractor: pip install "rhetoric-lens[html]"'


class HTMLExtractionError(ValueError):
    """The page could not be read, or held no article text."""


@dataclass(frozen=True)
class Extracted:
    """The article text of a page, its title, and what did the extracting."""

    text: str
    title: str | None
    extractor: str
    n_chars_page: int

    def meta(self) -> dict[str, Any]:
        """What ``Report.meta["input"]`` records about the page."""
        return {"format": "html", "extractor": self.extractor, "title": self.title,
                "n_chars_page": self.n_chars_page, "n_chars_text": len(self.text)}


def is_html_name(name: str) -> bool:
    """True for a file name ending in .html, .htm, .xhtml or .shtml."""
    return Path(name).suffix.lower() in _HTML_SUFFIXES


def looks_like_html(data: bytes | str) -> bool:
    """True when the first markup of ``data`` is a doctype or an html/head/body/meta/title tag."""
    head = (data.encode("utf-8", "replace") if isinstance(data, str) else data)[:4096]
    return bool(_HTML_START.match(head.removeprefix(b"\xef\xbb\xbf")))


def extract_article(page: bytes | str) -> Extracted:
    """The main text of ``page`` (bytes are decoded by the page's own charset declaration).

    Raises :class:`HTMLExtractionError` when trafilatura is missing, or the page holds no text.
    """
    try:
        import trafilatura
    except ImportError as exc:
        raise HTMLExtractionError(_INSTALL_HINT) from exc
    if not page.strip():
        raise HTMLExtractionError("the page is empty")
    doc = trafilatura.bare_extraction(page, with_metadata=True, include_comments=False,
                                      include_tables=True, deduplicate=False)
    fields = doc if isinstance(doc, dict) else {"text": getattr(doc, "text", None), "title": getattr(doc, "title", None)}
    text = (fields.get("text") or "").strip()
    if not text:
        raise HTMLExtractionError("no article text found in the page")
    paragraphs = [" ".join(p.split()) for p in text.split("\n")]
    title = fields.get("title") or None
    return Extracted(text="\n\n".join(p for p in paragraphs if p), title=title,
                     extractor=f"trafilatura {trafilatura.__version__}", n_chars_page=len(page))
