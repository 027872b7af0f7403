"""Score corpora too big for one machine with dask: a ``dask.dataframe`` or a ``dask.bag``.

The Scorer is wrapped in one ``dask.delayed`` object that every partition task depends on. dask
then ships it to each worker once and keeps it there: a worker unpickles (and so rebuilds the
matcher for) one Scorer, however many partitions it scores; an object passed as a plain argument
would instead be embedded in, and unpickled with, every task. Needs ``rhetoric-lens[dask]``::

    import dask.dataframe as dd
    from rhetoric.dask import score_dask_frame
    scored = score_dask_frame(dd.read_parquet("articles/"), text_col="body")
    scored.groupby("outlet").state_media.mean().compute()
"""

from __future__ import annotations

import pickle
from typing import TYPE_CHECKING, Any

from rhetoric.frame import score_frame

if TYPE_CHECKING:
    import dask.bag as db
    import dask.dataframe as dd
    import pandas as pd

    from rhetoric.pipeline import Scorer

__all__ = ["score_bag", "score_dask_frame", "scorer_delayed"]


def _dask() -> Any:
    try:
        import dask
    except ImportError as exc:
        raise ImportError("rhetoric.dask needs dask: pip install 'rhetoric-lens[dask]'") from exc
    return dask


def scorer_delayed(scorer: Scorer | None = None) -> Any:
    """The Scorer as one named ``dask.delayed`` key, so each worker receives and unpickles it once."""
    from rhetoric.pipeline import default_scorer
    dask = _dask()
    scorer = scorer or default_scorer()
    token = dask.base.tokenize(pickle.dumps(scorer))  # by content: equal scorers share one key
    return dask.delayed(scorer, pure=True, name=f"rhetoric-scorer-{token}")


def _score_partition(df: pd.DataFrame, scorer: Scorer, text_col: str, prefix: str) -> pd.DataFrame:
    return score_frame(df, text_col=text_col, scorer=scorer, prefix=prefix)


def score_dask_frame(ddf: dd.DataFrame, text_col: str = "text", scorer: Scorer | None = None,
                     prefix: str = "") -> dd.DataFrame:
    """Lazily add the :func:`rhetoric.frame.score_frame` columns to a dask DataFrame.

    Index and divisions are kept. ``meta`` is the input's meta plus the score columns, computed
    locally by scoring the empty meta frame, so dask never has to guess by running a partition.
    """
    from rhetoric.pipeline import default_scorer
    _dask()
    scorer = scorer or default_scorer()
    meta = score_frame(ddf._meta, text_col=text_col, scorer=scorer, prefix=prefix)
    return ddf.map_partitions(_score_partition, scorer_delayed(scorer), text_col, prefix, meta=meta)


def _score_dicts(texts: Any, scorer: Scorer) -> list[dict[str, Any]]:
    return [scorer.score(t).to_dict(include_text=False) for t in texts]


def score_bag(bag: db.Bag, scorer: Scorer | None = None) -> db.Bag:
    """A bag of texts to a bag of ``Report.to_dict(include_text=False)`` dicts, in the same order.

    Dicts, not Reports, because they are cheap to move between workers and write straight to
    JSON lines (``.map(json.dumps).to_textfiles(...)``); the texts are already in the input bag.
    """
    from rhetoric.pipeline import default_scorer
    _dask()
    return bag.map_partitions(_score_dicts, scorer_delayed(scorer or default_scorer()))

