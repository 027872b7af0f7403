"""A report's technique spans in the PTC format that the SemEval-2020 Task 11 scorers read."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["ptc_lines"]


def ptc_lines(spans: Iterable[Any], article_id: str | int) -> str:
    """The ``technique`` spans (of :class:`~rhetoric.report.types.Span`) as lines ``id<TAB>technique<TAB>start<TAB>end``, each once, by offset.

    Offsets are characters of the text as given, which for PTC articles is the file read as UTF-8
    (keep a leading BOM), so the official scorer matches them against the gold files.
    """
    rows = sorted({(s.label, s.start, s.end) for s in spans if s.category == "technique"},
                  key=lambda r: (r[1], r[2], r[0]))
    return "".join(f"{article_id}\t{label}\t{start}\t{end}\n" for label, start, end in rows)
