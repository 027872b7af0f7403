"""rhetoric.plot: the bootstrap interval's properties and the outlet figure's structure (Agg backend)."""

from __future__ import annotations

import io
import math
import sys

import numpy as np
import pytest

from rhetoric.plot import bootstrap_ci


def test_bootstrap_ci_is_seeded_and_brackets_the_mean():
    x = np.random.default_rng(1).exponential(size=200)
    low, high = bootstrap_ci(x, n_boot=500, seed=3)
    assert (low, high) == bootstrap_ci(x, n_boot=500, seed=3)
    assert low < x.mean() < high
    assert (low, high) != bootstrap_ci(x, n_boot=500, seed=4)


def test_bootstrap_ci_narrows_with_more_data():
    rng = np.random.default_rng(0)
    small, big = rng.normal(size=30), rng.normal(size=3000)
    width = lambda v: np.subtract(*bootstrap_ci(v, n_boot=400)[::-1])
    assert width(big) < width(small) / 4  # about 1/sqrt(100)


def test_bootstrap_ci_edge_cases():
    assert all(math.isnan(v) for v in bootstrap_ci([]))
    assert all(math.isnan(v) for v in bootstrap_ci([float("nan")]))
    assert bootstrap_ci([0.3]) == (0.3, 0.3)
    assert bootstrap_ci([0.2, 0.2, float("nan")]) == (0.2, 0.2)  # NaN dropped
    assert bootstrap_ci([1, 2, 3, 100], stat=np.median, n_boot=200)[1] <= 100


@pytest.fixture
def frame():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(0)
    outlets = ["rt", "ap", "kcna"]
    rows = [{"outlet": o, "state_media": rng.beta(1 + 3 * i, 5), "anonymous_sourcing": rng.beta(1, 4),
             "hedging": rng.beta(2, 3)} for i, o in enumerate(outlets) for _ in range(40 + 10 * i)]
    return pd.DataFrame(rows)


@pytest.fixture
def mpl():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")  # headless, whatever MPLBACKEND says
    return mpl


def test_plot_outlets_draws_one_panel_per_score(frame, mpl):
    from rhetoric.plot import plot_outlets
    fig = plot_outlets(frame, "outlet", n_boot=200)
    axes = fig.axes
    assert [a.get_title() for a in axes] == ["state_media", "anonymous_sourcing", "hedging"]
    labels = [t.get_text() for t in axes[0].get_xticklabels()]
    assert labels == ["ap\n(n=50)", "kcna\n(n=60)", "rt\n(n=40)"]  # sorted by name, with sizes
    points = axes[0].collections[0]
    assert len(points.get_offsets()) == 50  # every "ap" document is drawn
    # the mean marker of the "ap" outlet sits at its mean
    means = [line for line in axes[0].lines if line.get_marker() == "o"]
    assert means and math.isclose(means[0].get_ydata()[0], frame.loc[frame.outlet == "ap", "state_media"].mean())
    fig.savefig(io.BytesIO(), format="png")  # renders headless (Agg, no pyplot)


def test_plot_outlets_into_given_axes_and_errors(frame, mpl):
    import matplotlib.pyplot as plt

    from rhetoric.plot import plot_outlets
    fig, ax = plt.subplots()
    try:
        assert plot_outlets(frame, "outlet", score_cols="hedging", ax=ax, n_boot=50) is fig
        assert ax.get_title() == "hedging"
        with pytest.raises(ValueError, match="1 Axes for 2 score columns"):
            plot_outlets(frame, "outlet", score_cols=("hedging", "state_media"), ax=ax)
        with pytest.raises(KeyError, match="boosting"):
            plot_outlets(frame, "outlet", score_cols=("boosting",))
    finally:
        plt.close(fig)


def test_missing_matplotlib_says_which_extra(monkeypatch):
    from rhetoric.plot import plot_outlets
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r"pip install 'rhetoric-lens\[plot\]'"):
        plot_outlets(None, "outlet")  # fails on the import, before looking at the frame
