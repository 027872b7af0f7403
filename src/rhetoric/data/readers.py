"""File readers shared by several corpus families: article texts, PTC span files, CSV with a header."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from rhetoric.data.base import DatasetFormatError, LabelledSpan


def _read_article_text(path: Path) -> str:
    """Read an article exactly as the annotation offsets count it.

    ``newline=""`` keeps any ``\\r`` and a leading byte-order mark is *kept* as the character U+FEFF:
    two PTC training articles start with one and their gold offsets count it (verified on the data).
    """
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


_ARTICLE_FILE = re.compile(r"^article(\d+)\.txt$")


def _article_files(folder: Path) -> dict[str, Path]:
    """``{article_id: path}`` for the ``article{ID}.txt`` files of a PTC-style folder, sorted by id."""
    found = {}
    for path in folder.iterdir():
        match = _ARTICLE_FILE.match(path.name)
        if match:
            found[match.group(1)] = path
    return dict(sorted(found.items()))


def _tab_rows(path: Path) -> Iterator[tuple[int, str, list[str]]]:
    """``(line number, line, tab-separated fields)`` of every non-blank line of a UTF-8 file."""
    with open(path, encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if line.strip():
                yield number, line, line.split("\t")


def _parse_span_lines(
    path: Path, *, expected_id: str | None = None, text_length: int | None = None, clip: bool = False
) -> list[tuple[str, LabelledSpan]]:
    """Parse a PTC span file: ``id<TAB>technique<TAB>start<TAB>end`` or ``id<TAB>start<TAB>end``.

    With ``text_length`` the offsets must fall inside the article; ``clip=True`` instead cuts spans
    that run past its end and drops spans that start beyond it (NLP4IF has three spans past the end
    of their article: two end 1 character too late, one lies wholly beyond it).
    """
    result = []
    for number, line, fields in _tab_rows(path):
        if len(fields) == 4:
            article_id, technique, start_text, end_text = fields
        elif len(fields) == 3:
            article_id, start_text, end_text = fields
            technique = None
        else:
            raise DatasetFormatError(
                path, number, f"expected 'id<TAB>technique<TAB>start<TAB>end', got {line!r}"
            )
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise DatasetFormatError(path, number, f"offsets must be integers, got {line!r}") from None
        if expected_id is not None and article_id != expected_id:
            raise DatasetFormatError(
                path, number, f"article id {article_id!r} does not match the file's {expected_id!r}"
            )
        if start < 0 or end <= start:
            raise DatasetFormatError(path, number, f"empty or negative span [{start}, {end})")
        if text_length is not None and end > text_length:
            if not clip:
                raise DatasetFormatError(
                    path, number, f"span [{start}, {end}) runs past the article end ({text_length})"
                )
            if start >= text_length:
                continue  # nothing of the span is left in the article
            end = text_length
        result.append((article_id, LabelledSpan(start, end, technique)))
    return result



def _dict_rows(path: Path, required: Sequence[str], delimiter: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(first line of record, row)`` for a CSV with a header; checks the header and row lengths."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise DatasetFormatError(path, 1, "file is empty (expected a header row)") from None
        except csv.Error as error:
            raise DatasetFormatError(path, 1, f"CSV error: {error}") from None
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            raise DatasetFormatError(
                path, 1, f"missing column(s) {', '.join(map(repr, missing))}; the header has {header}"
            )
        line = reader.line_num + 1
        try:
            for row in reader:
                if row:  # csv yields [] for a blank line
                    if len(row) != len(header):
                        raise DatasetFormatError(
                            path, line, f"{len(row)} fields, but the header has {len(header)}"
                        )
                    yield line, dict(zip(header, row))
                line = reader.line_num + 1
        except csv.Error as error:
            raise DatasetFormatError(path, line, f"CSV error: {error}") from None
