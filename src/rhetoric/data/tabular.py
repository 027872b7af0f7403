"""Users' own labelled sentences: CSV with a header row, or JSON lines."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rhetoric.data.base import Article, Corpus, DatasetFormatError, PathLike
from rhetoric.data.readers import _dict_rows

__all__ = ["UngroupedRowsWarning", "load_csv", "load_jsonl", "parse_label"]


class UngroupedRowsWarning(UserWarning):
    """No group column was named, so every row became its own article (see :func:`load_csv`)."""


_LABEL_WORDS = {
    "1": 1, "true": 1, "yes": 1, "propaganda": 1,
    "0": 0, "false": 0, "no": 0, "non-propaganda": 0,
}  # fmt: skip


def parse_label(value: object) -> int:
    """Map a label to 0/1: accepts 0/1, true/false, yes/no, propaganda/non-propaganda (any case).

    Raises ``ValueError`` for anything else: guessing (e.g. treating ``2`` as positive) would hide
    a wrong column or a multi-class file.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip().lower() in _LABEL_WORDS:
        return _LABEL_WORDS[value.strip().lower()]
    raise ValueError(f"label {value!r} is not one of 0/1, true/false, yes/no, propaganda/non-propaganda")


# A row: (line number, text, raw label or None, group or None)
_Row = tuple[int, Any, Any, Any]


def _csv_rows(
    path: Path, text_column: str, label_column: str | None, group_column: str | None, delimiter: str
) -> Iterator[_Row]:
    required = [name for name in (text_column, label_column, group_column) if name is not None]
    for line, row in _dict_rows(path, required, delimiter):
        yield (
            line,
            row[text_column],
            row[label_column] if label_column else None,
            row[group_column] if group_column else None,
        )


def _jsonl_rows(
    path: Path, text_field: str, label_field: str | None, group_field: str | None
) -> Iterator[_Row]:
    with open(path, encoding="utf-8-sig") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as error:
                raise DatasetFormatError(path, line, f"invalid JSON: {error.msg}") from None
            if not isinstance(record, dict):
                raise DatasetFormatError(path, line, f"expected a JSON object, got {type(record).__name__}")
            for name in (text_field, label_field, group_field):
                if name is not None and name not in record:
                    raise DatasetFormatError(
                        path, line, f"missing field {name!r}; the record has {sorted(record)}"
                    )
            yield (
                line,
                record[text_field],
                record[label_field] if label_field else None,
                record[group_field] if group_field else None,
            )


def _one_line(text: str) -> str:
    """Turn any line break inside a row's text into a space: lines are the sentence unit."""
    return " ".join(text.splitlines())


def _rows_to_corpus(
    rows: Iterable[_Row], path: Path, name: str, *, labelled: bool = True, skip_empty: bool = False
) -> Corpus:
    """Build a corpus: one article per row, or one per group with its rows as lines."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    articles: list[Article] = []
    for line, text, raw_label, group in rows:
        if not isinstance(text, str):
            raise DatasetFormatError(path, line, f"text must be a string, got {type(text).__name__}")
        text = _one_line(text)
        if not text.strip():
            if skip_empty:
                continue
            raise DatasetFormatError(path, line, "empty text")
        label = 0  # placeholder when unlabelled; the corpus then reports labels as None
        if labelled:
            try:
                label = parse_label(raw_label)
            except ValueError as error:
                raise DatasetFormatError(path, line, str(error)) from None
        if group is None:
            metadata = {"file": path.name, "line": str(line)}
            articles.append(Article(str(line), text, (), (label,) if labelled else None, None, metadata))
        else:
            grouped.setdefault(str(group), []).append((text, label))
    if not articles and not grouped:
        raise DatasetFormatError(path, 1, "file has no data rows")
    for group_id, members in grouped.items():
        labels = tuple(label for _, label in members) if labelled else None
        joined = "\n".join(member_text for member_text, _ in members)
        articles.append(Article(group_id, joined, (), labels, None, {"file": path.name}))
    return Corpus(articles, name, None, labelled=labelled)


def load_csv(
    path: PathLike,
    text_column: str = "text",
    label_column: str | None = "label",
    group_column: str | None = None,
    *,
    delimiter: str = ",",
) -> Corpus:
    """Load your own labelled sentences from a CSV file with a header row.

    Labels may be 0/1, true/false, yes/no or propaganda/non-propaganda; anything else raises
    :class:`DatasetFormatError` naming the file and line.  ``label_column=None`` loads unlabelled
    text.  Without ``group_column`` every row is its own article (id = line number); with it, rows
    sharing a group value (e.g. an article id) become the lines of one article, so that a grouped
    cross-validation keeps them together.  Line breaks inside a text become spaces.

    Without ``group_column`` an :class:`UngroupedRowsWarning` (a ``UserWarning``) says so: sentences of one article that sit on both
    sides of a split overstate every cross-validated score, and nothing in the file shows it.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rows = _csv_rows(path, text_column, label_column, group_column, delimiter)
    corpus = _rows_to_corpus(rows, path, path.stem, labelled=label_column is not None)
    if group_column is None:
        _warn_ungrouped("load_csv", "group_column", path, len(corpus))
    return corpus


def load_jsonl(
    path: PathLike,
    text_field: str = "text",
    label_field: str | None = "label",
    group_field: str | None = None,
) -> Corpus:
    """Load your own labelled sentences from a JSON-lines file (one object per line).

    Same label rules, grouping and warning as :func:`load_csv`; JSON booleans and the numbers 0/1
    work too.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rows = _jsonl_rows(path, text_field, label_field, group_field)
    corpus = _rows_to_corpus(rows, path, path.stem, labelled=label_field is not None)
    if group_field is None:
        _warn_ungrouped("load_jsonl", "group_field", path, len(corpus))
    return corpus


def _warn_ungrouped(function: str, parameter: str, path: Path, n_rows: int) -> None:
    """Say how the groups were formed when the caller named no group column (stacklevel: the caller's call)."""
    warnings.warn(
        f"{function}({path.name!r}): no {parameter} given, so each row is its own article "
        f"({n_rows} articles, id = line number) and grouped cross-validation treats every row as "
        f"independent. If several rows come from one article, pass {parameter}='<column with the "
        f"article id>' so that its rows form one article and stay in one fold; if the rows really are "
        f"independent, pass {parameter} naming a column with one distinct value per row.",
        UngroupedRowsWarning,
        stacklevel=3,
    )
