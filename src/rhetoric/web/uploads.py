"""From what a reader pasted or dropped to the text that is scored, with a clear message when unreadable.

Plain text must be UTF-8 (a BOM is fine); a web page (by file name or by its first tag) goes
through the article extractor. Binary files (PDF, Word, images) are recognised and refused with a
sentence a reader can act on, not a stack trace.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rhetoric.text.html_input import HTMLExtractionError, extract_article, is_html_name, looks_like_html

__all__ = ["ACCEPTED_SUFFIXES", "Submission", "Unreadable", "read_submission"]

ACCEPTED_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml")
_BINARY_MAGIC = {b"%PDF": "a PDF", b"PK\x03\x04": "a Word/zip file", b"\xd0\xcf\x11\xe0": "an old Word file",
                 b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image"}


class Unreadable(ValueError):
    """The submission cannot be scored; ``str(exc)`` is the message shown to the reader."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Submission:
    """The text to score, where it came from, and what the extractor recorded (HTML only)."""

    text: str
    name: str
    input_meta: dict[str, Any] | None = None


def read_submission(data: bytes | str, name: str = "pasted text", *, force_html: bool = False) -> Submission:
    """Decode (and, for a web page, extract) what was pasted or uploaded."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if not raw.strip():
        raise Unreadable("There is no text to score: paste an article or drop a .txt or .html file.")
    suffix = Path(name).suffix.lower()
    if suffix and suffix not in ACCEPTED_SUFFIXES and name != "pasted text":
        raise Unreadable(f"{name}: only .txt and .html files can be read (save the article as text or as a "
                         "web page, or paste it).", status=415)
    for magic, what in _BINARY_MAGIC.items():
        if raw.startswith(magic):
            raise Unreadable(f"{name} is {what}, not text. Save the article as .txt or .html, or paste it.",
                             status=415)
    if b"\x00" in raw[:4096]:
        raise Unreadable(f"{name} is a binary file, not text. Only .txt and .html files can be read.", status=415)
    if force_html or is_html_name(name) or looks_like_html(raw):
        try:
            extracted = extract_article(raw)
        except HTMLExtractionError as exc:
            raise Unreadable(f"{name}: {exc}.", status=422) from exc
        return Submission(extracted.text, name, extracted.meta())
    try:
        text = raw.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{name} is not UTF-8 text (byte {exc.start} cannot be read). Save it as UTF-8, "
                         "or paste the text.", status=422) from exc
    return Submission(text, name)
