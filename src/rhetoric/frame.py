"""pandas views of reports: score a DataFrame column, list spans, flatten reports.

Researchers work in DataFrames, so a corpus goes in as a frame and comes back as the same frame
with one column per number in :class:`~rhetoric.report.types.Report`. pandas is an optional extra
(``rhetoric-lens[pandas]``): it is imported when a function here is called, not on import, so
``import rhetoric`` stays light.

Columns added by :func:`score_frame` / :func:`reports_frame`, in this order:

* each ``report.scores`` key (``state_media``, ``hedging``, ...; ``propaganda`` with a model);
* each density as ``<dimension>_per_1k`` (evidence per 1,000 words);
* each ``report.sourcing`` key (``n_attributions``, ``n_anonymous``, ``anonymous_share``, ...);
* ``n_words``;
* with ``score_frame(..., keep_reports=True)``, ``report``: the :class:`Report` objects themselves,
  which :func:`spans_frame` reads.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from rhetoric.report.types import Report

if TYPE_CHECKING:
    import pandas as pd

    from rhetoric.pipeline import Scorer

__all__ = ["report_row", "reports_frame", "score_columns", "score_frame", "spans_frame"]

REPORT_COLUMN = "report"
SPAN_COLUMNS = ("doc", "start", "end", "text", "category", "label", "weight", "rule", "pattern", "sentence")
_INT_SPAN_COLUMNS = ("start", "end", "sentence")


def _pandas() -> Any:
    """Import pandas or say which extra to install (it is optional for the core scorer)."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError("rhetoric's DataFrame functions need pandas: pip install 'rhetoric-lens[pandas]'") from exc
    return pandas


def report_row(report: Report) -> dict[str, float]:
    """One report as a flat ``{column: number}`` dict (the columns :func:`score_frame` adds)."""
    row: dict[str, float] = dict(report.scores)
    row.update({f"{k}_per_1k": v for k, v in report.densities.items()})
    row.update(report.sourcing)
    row["n_words"] = report.n_words
    return row


def score_columns(scorer: Scorer | None = None) -> list[str]:
    """The column names a scorer produces, known before scoring anything (dask needs them for ``meta``).

    Scoring an empty text yields every key: the dimensions and sourcing counts are fixed per scorer.
    """
    from rhetoric.pipeline import default_scorer
    return list(report_row((scorer or default_scorer()).score("")))


def _numbers_frame(rows: Sequence[dict[str, float]], columns: Sequence[str], index: Any, prefix: str) -> pd.DataFrame:
    pd = _pandas()
    data = {f"{prefix}{c}": np.array([r[c] for r in rows], dtype=np.int64 if c == "n_words" else np.float64)
            for c in columns}
    return pd.DataFrame(data, index=index, columns=list(data))


def reports_frame(reports: Iterable[Report], ids: Sequence[Hashable] | None = None, prefix: str = "") -> pd.DataFrame:
    """One row per report, indexed by ``ids`` (default ``0..n-1``), with the :func:`score_frame` columns."""
    reports = list(reports)
    index = _ids(ids, len(reports))
    columns = list(report_row(reports[0])) if reports else list(_lexicon_only_columns())
    return _numbers_frame([report_row(r) for r in reports], columns, index, prefix)


def score_frame(df: pd.DataFrame, text_col: str = "text", scorer: Scorer | None = None, n_jobs: int = 1,
                progress: bool = False, prefix: str = "", keep_reports: bool = False) -> pd.DataFrame:
    """Score ``df[text_col]`` and return a copy of ``df`` with the score columns added (index kept).

    ``n_jobs`` and ``progress`` are passed to :meth:`Scorer.score_many`. Missing texts raise a
    ``ValueError`` rather than silently scoring as empty (which would drag means towards zero):
    drop or fill them first. A score column that already exists in ``df`` also raises; use
    ``prefix="rh_"`` to keep both. ``keep_reports=True`` adds a last column ``<prefix>report``
    holding each row's :class:`Report` (the evidence behind the numbers), so that
    ``spans_frame(scored)`` lists every span by row label.
    """
    from rhetoric.pipeline import default_scorer
    _pandas()
    if text_col not in df.columns:
        raise KeyError(f"no column {text_col!r} in the frame; pass text_col=... (columns: {list(df.columns)})")
    texts = df[text_col]
    n_missing = int(texts.isna().sum())
    if n_missing:
        raise ValueError(f"{n_missing} missing texts in column {text_col!r}; drop them "
                         f"(df.dropna(subset=[{text_col!r}])) or fill them (.fillna('')) first")
    scorer = scorer or default_scorer()
    columns = score_columns(scorer)
    added = [f"{prefix}{c}" for c in columns] + ([f"{prefix}{REPORT_COLUMN}"] if keep_reports else [])
    clash = sorted(set(added) & {str(c) for c in df.columns})
    if clash:
        raise ValueError(f"the frame already has columns {clash}; pass prefix='rh_' (or another) to keep both")
    reports = scorer.score_many(texts.tolist(), n_jobs=n_jobs, progress=progress)
    scores = _numbers_frame([report_row(r) for r in reports], columns, df.index, prefix)
    # assign with arrays, not concat: no index alignment, so duplicate index labels are fine
    new = {c: scores[c].to_numpy() for c in scores.columns}
    if keep_reports:
        kept = np.empty(len(reports), dtype=object)
        kept[:] = reports
        new[f"{prefix}{REPORT_COLUMN}"] = kept
    return df.assign(**new)


def spans_frame(reports: Report | Iterable[Report] | pd.DataFrame,
                ids: Sequence[Hashable] | None = None) -> pd.DataFrame:
    """One row per evidence span: ``doc`` and the Span fields, for a Report, a list of Reports, or a frame.

    ``doc`` comes from ``ids`` (default ``0..n-1``); for a frame from :func:`score_frame` with
    ``keep_reports=True`` it is the frame's index, so rows join back to the scored frame by label.
    ``text[start:end] == span_text`` holds against each report's text.
    """
    pd = _pandas()
    if isinstance(reports, pd.DataFrame):
        column = _report_column(reports)
        if ids is None:
            ids = list(reports.index)
        reports = reports[column].tolist()
    elif _is_report(reports):
        reports = [reports]
    reports = list(reports)
    bad = next((r for r in reports if not _is_report(r)), None)
    if bad is not None:
        raise TypeError(f"spans_frame needs Report objects, got a {type(bad).__name__}")
    docs = _ids(ids, len(reports))
    cols: dict[str, list[Any]] = {c: [] for c in SPAN_COLUMNS}
    for doc, report in zip(docs, reports):
        for s in report.spans:
            cols["doc"].append(doc)
            for c in SPAN_COLUMNS[1:]:
                cols[c].append(getattr(s, c))
    frame = pd.DataFrame(cols, columns=list(SPAN_COLUMNS))
    types = {c: "int64" for c in _INT_SPAN_COLUMNS} | {"weight": "float64"}
    return frame.astype(types)


def _is_report(obj: object) -> bool:
    return isinstance(obj, Report)


def _report_column(df: pd.DataFrame) -> Hashable:
    """The column of Report objects that ``score_frame(..., keep_reports=True)`` added."""
    found = [c for c in df.columns if str(c).endswith(REPORT_COLUMN) and all(map(_is_report, df[c]))]
    if len(found) == 1:
        return found[0]
    if found:
        raise TypeError(f"spans_frame found several columns of Report objects ({found}); pass one of them: "
                        f"spans_frame(df[{found[0]!r}].tolist(), ids=df.index)")
    raise TypeError("spans_frame needs the reports, and this DataFrame has no column of Report objects: "
                    "score_frame() keeps only the numbers unless asked. Score with "
                    "score_frame(df, ..., keep_reports=True), which adds a 'report' column, and pass that "
                    "frame; or pass a Report or a list of Reports (e.g. scorer.score_many(texts)).")


@lru_cache(maxsize=1)
def _lexicon_only_columns() -> tuple[str, ...]:
    """Columns of a model-free scorer, for an empty list of reports (nothing to read them from).

    Read off the scorer itself (see :func:`score_columns`), so the list cannot drift from it.
    """
    from rhetoric.pipeline import Scorer
    return tuple(score_columns(Scorer(model=None)))


def _ids(ids: Sequence[Hashable] | None, n: int) -> list[Hashable]:
    if ids is None:
        return list(range(n))
    ids = list(ids)
    if len(ids) != n:
        raise ValueError(f"got {len(ids)} ids for {n} reports")
    return ids
