"""rhetoric.dask on a real two-process LocalCluster: same results as one process, one Scorer per worker."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import rhetoric
import rhetoric.dask
from rhetoric.frame import score_columns, score_frame

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
BUILT: list[int] = []  # pids of processes that rebuilt a CountingScorer from a pickle


class CountingScorer(rhetoric.Scorer):
    """A Scorer that records every unpickling, to count how often workers rebuild it."""

    def __reduce__(self):
        return (_rebuild_counting, (self.lexicons_,))


def _rebuild_counting(lexicons):
    BUILT.append(os.getpid())
    return CountingScorer(lexicons, model=None)


def _n_built() -> int:
    return len(BUILT)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    paras = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text("utf-8").split("\n") if p.strip()]
    return paras + ["", "Officials, speaking on condition of anonymity, said the glorious leader won."]


@pytest.fixture(scope="module")
def scorer() -> CountingScorer:
    return CountingScorer(model=None)


@pytest.fixture(scope="module")
def client():
    pytest.importorskip("pandas")
    pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None, silence_logs=40) as cluster, \
            distributed.Client(cluster) as c:
        yield c
    # leaving both ``with`` blocks closed the client, the workers and the scheduler


@pytest.mark.slow
def test_dask_frame_on_cluster_matches_one_process(client, scorer, texts):
    import dask.dataframe as dd
    import pandas as pd
    df = pd.DataFrame({"text": texts, "outlet": [f"o{i % 3}" for i in range(len(texts))]},
                      index=pd.Index(range(100, 100 + len(texts)), name="doc"))
    ddf = dd.from_pandas(df, npartitions=8)
    scored = rhetoric.dask.score_dask_frame(ddf, scorer=scorer)
    assert scored.divisions == ddf.divisions
    result = scored.compute()
    expected = score_frame(df, scorer=scorer)
    cols = score_columns(scorer)
    pd.testing.assert_frame_equal(result[cols], expected[cols])  # also checks the index
    assert list(result.columns) == list(scored._meta.columns)
    assert (result.dtypes[cols] == scored._meta.dtypes[cols]).all()
    built = client.run(_n_built)
    assert sum(built.values()) >= 1 and max(built.values()) <= 1, built  # 8 partitions, <= 1 rebuild each


@pytest.mark.slow
def test_dask_bag_on_cluster_matches_one_process(client, scorer, texts):
    import dask.bag as db
    before = client.run(_n_built)
    out = rhetoric.dask.score_bag(db.from_sequence(texts, npartitions=6), scorer=scorer).compute()
    assert out == [r.to_dict(include_text=False) for r in scorer.score_many(texts)]
    after = client.run(_n_built)
    assert all(after[w] - before.get(w, 0) <= 1 for w in after), (before, after)


def test_one_scorer_key_in_the_graph(texts):
    """Every partition task depends on one scorer key instead of embedding its own copy."""
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    scorer = rhetoric.Scorer(model=None)
    ddf = dd.from_pandas(pd.DataFrame({"text": texts}), npartitions=4)
    graph = dict(rhetoric.dask.score_dask_frame(ddf, scorer=scorer).__dask_graph__())
    keys = [k for k in graph if "rhetoric-scorer" in str(k)]
    assert len(keys) == 1


def test_missing_dask_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(ImportError, match=r"pip install 'rhetoric-lens\[dask\]'"):
        rhetoric.dask.score_bag([], scorer=rhetoric.Scorer(model=None))
