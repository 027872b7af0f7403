"""The PTC interchange format: ``id<TAB>technique<TAB>start<TAB>end`` (TC) or ``id<TAB>start<TAB>end`` (SI).

The official SemEval-2020 Task 11 scorers read these files, so spans written here can be scored
by them and their gold files read back for :func:`rhetoric.data.metrics.si_scores`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from rhetoric.data.base import LabelledSpan, PathLike
from rhetoric.data.readers import _parse_span_lines
from rhetoric.data.scoring import SpanLike, _interval

__all__ = ["read_ptc", "write_ptc"]


def write_ptc(path: PathLike, spans_by_article: Mapping[str, Iterable[SpanLike]]) -> None:
    """Write spans in the PTC format, one span per line.

    Spans with a technique (``LabelledSpan`` with one, or ``(start, end, technique)``) are written
    as ``id<TAB>technique<TAB>start<TAB>end`` (task TC); plain ``(start, end)`` spans as
    ``id<TAB>start<TAB>end`` (task SI).  One file must not mix the two.
    """
    lines = []
    columns: set[int] = set()
    for article_id, spans in spans_by_article.items():
        for span in spans:
            start, end = _interval(span)
            if isinstance(span, LabelledSpan):
                technique = span.technique
            else:
                technique = span[2] if len(span) > 2 else None
            if technique is None:
                columns.add(3)
                lines.append(f"{article_id}\t{start}\t{end}\n")
            else:
                if "\t" in technique or "\n" in technique:
                    raise ValueError(f"technique {technique!r} contains a tab or newline")
                columns.add(4)
                lines.append(f"{article_id}\t{technique}\t{start}\t{end}\n")
    if len(columns) > 1:
        raise ValueError("spans mix the SI (no technique) and TC (with technique) formats")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.writelines(lines)


def read_ptc(path: PathLike) -> dict[str, list[LabelledSpan]]:
    """Read a PTC span file (4-column TC or 3-column SI) into ``{article_id: [LabelledSpan, ...]}``.

    For the SI format ``technique`` is ``None``.  A directory is read file by file (the per-article
    ``*.labels`` files of the corpus releases).  Malformed lines raise :class:`DatasetFormatError`.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix == ".labels")
    elif path.is_file():
        files = [path]
    else:
        raise FileNotFoundError(f"no such file or directory: {path}")
    result: dict[str, list[LabelledSpan]] = {}
    for file in files:
        for article_id, span in _parse_span_lines(file):
            result.setdefault(article_id, []).append(span)
    return result
