"""rhetoric.frame (score_frame, spans_frame, reports_frame) and score_many's processes and progress."""

from __future__ import annotations

import dataclasses
import pickle
import sys
from pathlib import Path

import pytest

import rhetoric
import rhetoric.frame
from rhetoric import pipeline

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture(scope="module")
def scorer() -> rhetoric.Scorer:
    return rhetoric.Scorer(model=None)  # the trained model is not required here


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Paragraphs of the seed articles plus a few short, hand-made cases (empty, one word, Unicode)."""
    paras = [p for f in sorted(SEEDS.glob("*.txt")) for p in f.read_text("utf-8").split("\n") if p.strip()]
    return paras + ["", "Hello.", "Officials, speaking on condition of anonymity, said the glorious leader won.",
                    "İstanbul’s “heroic” people reportedly cheered."]


# --------------------------------------------------------------------------------------------------
# score_many: processes, order, determinism, progress
# --------------------------------------------------------------------------------------------------


def test_score_many_two_processes_equal_one_process(scorer, texts):
    serial = [r.to_dict() for r in scorer.score_many(texts, n_jobs=1)]
    parallel = [r.to_dict() for r in scorer.score_many(texts, n_jobs=2, batch_size=7)]  # several batches
    assert parallel == serial
    assert [d["text"] for d in parallel] == texts  # input order


def test_scorer_ships_once_per_worker(scorer, texts):
    """A pickled Scorer rebuilds exactly; a worker holds the one its initializer received, and a batch
    carries only texts: reports come back without their text and are rebuilt with the caller's copy."""
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone.score(texts[3]).to_dict() == scorer.score(texts[3]).to_dict()
    saved = list(pipeline._WORKER)
    try:
        pipeline._install_worker_scorer(pickle.dumps(scorer))
        states = pipeline._score_compact_batch(texts[:6])
    finally:
        pipeline._WORKER[:] = saved
    assert all(text is None for _, text in states)
    assert all(t not in repr(state) for t, (state, _) in zip(texts[:6], states) if len(t) > 40)
    rebuilt = [pipeline.from_compact_state(state, t) for t, (state, _) in zip(texts[:6], states)]
    assert rebuilt == [scorer.score(t) for t in texts[:6]]


def test_a_scorer_of_a_model_file_pickles_as_its_path():
    """The same bytes before and after scoring (the heads' caches stay home), and the same model back."""
    full = rhetoric.Scorer()
    before = pickle.dumps(full)
    report = full.score("Officials said the report may be true.")
    assert pickle.dumps(full) == before
    clone = pickle.loads(before)
    assert clone.model_.name == full.model_.name
    assert clone.score("Officials said the report may be true.") == report
    with pytest.raises(rhetoric.learn.modelfile.ModelFormatError, match="changed"):
        pipeline._scorer_from_file(full.lexicons_, "default", "another model")


def test_report_pickles_exactly_and_compactly():
    """A pickled report (spans' and sentences' texts left out and sliced back) equals the original."""
    text = (SEEDS / "000_812b28cb18a5bb42.txt").read_text("utf-8")
    report = rhetoric.Scorer().score(text)
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.to_json() == report.to_json()
    assert all(isinstance(s, rhetoric.Span) for a in back.attributions for s in (a.cue, a.source, a.content)
               if s is not None)
    longest = max(report.sentences, key=lambda s: len(s.text)).text.encode("utf-8")
    assert pickle.dumps(report).count(longest) == 1  # in the report's text only, not again in its sentence
    # a hand-made span whose text is not its slice keeps its own text
    odd = rhetoric.Span(0, 5, "other", "hedge", "hedge", 1.0, "test")
    edited = dataclasses.replace(report, spans=(odd, *report.spans))
    assert pickle.loads(pickle.dumps(edited)).spans[0].text == "other"


def test_score_many_progress_bar(scorer, texts, capsys):
    pytest.importorskip("tqdm")
    reports = scorer.score_many(texts[:5], progress=True)
    assert len(reports) == 5
    assert "5/5" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------------
# score_frame
# --------------------------------------------------------------------------------------------------


def test_score_frame_adds_columns_and_keeps_index(scorer, texts):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"body": texts, "outlet": ["a", "b"] * (len(texts) // 2) + ["a"] * (len(texts) % 2)},
                      index=[f"d{i // 2}" for i in range(len(texts))])  # duplicated labels on purpose
    before = df.copy()
    out = rhetoric.frame.score_frame(df, text_col="body", scorer=scorer)
    pd.testing.assert_frame_equal(df, before)  # the input is not modified
    assert out.index.equals(df.index)
    report = scorer.score(texts[5])
    row = out.iloc[5]
    for key, value in report.scores.items():
        assert row[key] == value
    for key, value in report.densities.items():
        assert row[f"{key}_per_1k"] == value
    for key, value in report.sourcing.items():
        assert row[key] == value
    assert row["n_words"] == report.n_words
    assert str(out["n_words"].dtype) == "int64"
    assert list(out.columns[:2]) == ["body", "outlet"]


def test_score_frame_parallel_and_prefix(scorer, texts):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": texts})
    serial = rhetoric.frame.score_frame(df, scorer=scorer, prefix="rh_")
    parallel = rhetoric.frame.score_frame(df, scorer=scorer, prefix="rh_", n_jobs=2)
    pd.testing.assert_frame_equal(serial, parallel)
    assert "rh_state_media" in serial.columns and "rh_n_words" in serial.columns


def test_score_frame_refuses_missing_texts_and_clashes(scorer):
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValueError, match="1 missing texts"):
        rhetoric.frame.score_frame(pd.DataFrame({"text": ["a", None]}), scorer=scorer)
    with pytest.raises(ValueError, match="prefix="):
        rhetoric.frame.score_frame(pd.DataFrame({"text": ["a"], "hedging": [1]}), scorer=scorer)
    with pytest.raises(KeyError, match="text_col"):
        rhetoric.frame.score_frame(pd.DataFrame({"body": ["a"]}), scorer=scorer)


def test_score_frame_of_empty_frame_has_the_columns(scorer):
    pd = pytest.importorskip("pandas")
    out = rhetoric.frame.score_frame(pd.DataFrame({"text": pd.Series([], dtype=object)}), scorer=scorer)
    assert len(out) == 0
    assert list(out.columns[1:]) == rhetoric.frame.score_columns(scorer)


# --------------------------------------------------------------------------------------------------
# spans_frame and reports_frame
# --------------------------------------------------------------------------------------------------


def test_spans_frame_one_row_per_span(scorer, texts):
    pytest.importorskip("pandas")
    reports = scorer.score_many(texts)
    ids = [f"doc{i}" for i in range(len(texts))]
    spans = rhetoric.frame.spans_frame(reports, ids=ids)
    assert len(spans) == sum(len(r.spans) for r in reports) > 0
    assert list(spans.columns) == ["doc", "start", "end", "text", "category", "label", "weight", "rule",
                                   "pattern", "sentence"]
    by_id = dict(zip(ids, texts))
    for row in spans.itertuples():
        assert by_id[row.doc][row.start:row.end] == row.text
    assert str(spans["start"].dtype) == "int64" and str(spans["weight"].dtype) == "float64"


def test_spans_frame_edge_cases(scorer):
    pytest.importorskip("pandas")
    empty = rhetoric.frame.spans_frame([])
    assert len(empty) == 0 and str(empty["start"].dtype) == "int64"
    report = scorer.score((SEEDS / "000_812b28cb18a5bb42.txt").read_text("utf-8"))
    assert len(report.spans) > 0
    assert set(rhetoric.spans_frame(report)["doc"]) == {0}  # a single Report, not only a list
    assert not hasattr(report, "spans_frame")  # result types know no pandas
    with pytest.raises(ValueError, match="2 ids for 1 reports"):
        rhetoric.frame.spans_frame([report], ids=[1, 2])


def test_spans_frame_reads_score_frame_with_kept_reports(scorer, texts):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"body": texts[:6]}, index=[f"d{i}" for i in range(6)])
    scored = rhetoric.frame.score_frame(df, text_col="body", scorer=scorer, keep_reports=True)
    assert list(scored.columns) == ["body", *rhetoric.frame.score_columns(scorer), "report"]
    assert [r.text for r in scored["report"]] == texts[:6]
    spans = rhetoric.spans_frame(scored)
    expected = rhetoric.frame.spans_frame(scored["report"].tolist(), ids=list(df.index))
    pd.testing.assert_frame_equal(spans, expected)
    assert len(spans) > 0 and set(spans["doc"]) <= set(df.index)
    for row in spans.itertuples():  # rows join back to the scored frame by label
        assert df.loc[row.doc, "body"][row.start:row.end] == row.text
    # a prefix renames the report column too, and spans_frame still finds it
    prefixed = rhetoric.frame.score_frame(df, text_col="body", scorer=scorer, keep_reports=True, prefix="rh_")
    assert "rh_report" in prefixed.columns
    pd.testing.assert_frame_equal(rhetoric.spans_frame(prefixed), spans)
    with pytest.raises(ValueError, match="prefix="):  # the report column counts as a clash too
        rhetoric.frame.score_frame(df.assign(report=1), text_col="body", scorer=scorer, keep_reports=True)


def test_spans_frame_says_what_a_frame_without_reports_lacks(scorer, texts):
    pd = pytest.importorskip("pandas")
    scored = rhetoric.frame.score_frame(pd.DataFrame({"text": texts[:3]}), scorer=scorer)
    assert "report" not in scored.columns  # numbers only by default
    with pytest.raises(TypeError, match=r"keep_reports=True"):
        rhetoric.spans_frame(scored)
    with pytest.raises(TypeError, match="Report objects, got a str"):
        rhetoric.spans_frame(["not a report"])
    twice = rhetoric.frame.score_frame(pd.DataFrame({"text": texts[:2]}), scorer=scorer, keep_reports=True)
    twice["other_report"] = twice["report"]
    with pytest.raises(TypeError, match="several columns"):
        rhetoric.spans_frame(twice)


def test_reports_frame(scorer, texts):
    pytest.importorskip("pandas")
    reports = scorer.score_many(texts[:4])
    frame = rhetoric.frame.reports_frame(reports, ids=["a", "b", "c", "d"])
    assert list(frame.index) == ["a", "b", "c", "d"]
    assert frame.loc["c", "hedging"] == reports[2].scores["hedging"]
    assert list(rhetoric.frame.reports_frame([]).columns) == rhetoric.frame.score_columns(scorer)


def test_missing_pandas_says_which_extra(monkeypatch, scorer):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes "import pandas" raise ImportError
    with pytest.raises(ImportError, match=r"pip install 'rhetoric-lens\[pandas\]'"):
        rhetoric.frame.spans_frame([scorer.score("x")])
