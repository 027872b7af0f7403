"""The propaganda head's context columns: the sourcing, hedging and state-media evidence per sentence.

A head trained with ``context_features`` lists the columns in its model file and reads the
evidence the pipeline already has; a head without them (every older model file) never computes
them and scores exactly as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import line_document

import rhetoric
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.modelfile import load_bundle
from rhetoric.propaganda.context import CONTEXT_NAMES, N_CONTEXT, EvidenceSource, context_rows
from rhetoric.propaganda.head import PropagandaHead
from rhetoric.propaganda.model import PropagandaModel

TEXT = ('Officials said the plan would fail. "It is a disgrace," a source told reporters.\n'
        "The vile traitors may perhaps have ruined everything, RT reported.\n"
        "The council met on Tuesday.")

LOADED = ["disgraceful", "evil", "shameful", "traitors", "corrupt", "vile"]


def _docs(n: int = 18) -> list[dict]:
    rng = np.random.default_rng(1)
    docs = []
    for d in range(n):
        lines, labels = [], []
        for i in range(6):
            if rng.random() < 0.4:
                w = str(rng.choice(LOADED))
                lines.append(f'"These {w} people ruined it," officials said of the day {i} plan.')
                labels.append(1)
            else:
                lines.append(f"The council met on day {i} and may discuss the budget.")
                labels.append(0)
        docs.append(line_document(str(d), lines, labels))
    return docs


@pytest.fixture(scope="module")
def source() -> EvidenceSource:
    return EvidenceSource()


@pytest.fixture(scope="module")
def context_model() -> PropagandaModel:
    return PropagandaModel(n_bits=12, context_features=True, tagger=False, techniques=(),
                           calibration_folds=3).fit_documents(_docs())


def test_context_rows_count_the_evidence_of_each_sentence(source):
    a = rhetoric.Scorer(model=None).analyze(TEXT)
    f = DocumentFeatures(a)
    rows = context_rows(a.seg.sentences, a.seg.sentences, *source.evidence(f))
    assert rows.shape == (len(a.seg.sentences), N_CONTEXT) and np.all(np.isfinite(rows))
    col = {n: i for i, n in enumerate(CONTEXT_NAMES)}
    assert rows[0, col["ctx:attribution_cues"]] > 0          # "Officials said"
    assert rows[1, col["ctx:quoted_share"]] > 0.3            # mostly a quotation
    assert not rows[-1, :-1].any()                           # no source, quotation or hedge: the council
    assert 0 <= rows[:, col["ctx:state_media_p"]].max() <= 1
    # character ranges that are not the sentences: the same counts, attributed to the range holding them
    whole = context_rows([(0, len(TEXT))], a.seg.sentences, *source.evidence(f))
    assert whole[0, col["ctx:attribution_cues"]] == pytest.approx(np.log1p(np.expm1(rows[:, 0]).sum()))


def test_missing_evidence_gives_zero_columns():
    assert not context_rows([(0, 5), (6, 9)], [(0, 5), (6, 9)]).any()
    assert context_rows([], []).shape == (0, N_CONTEXT)


def test_context_head_lists_its_columns_and_scores_finite(context_model, tmp_path):
    assert context_model.dense_names_[-N_CONTEXT:] == list(CONTEXT_NAMES)
    meta, _ = context_model.to_parts()
    assert meta["params"]["context_features"] is True
    assert meta["features"]["dense"][-N_CONTEXT:] == list(CONTEXT_NAMES)
    p = context_model.predict_proba(['"These vile people ruined it," officials said.', "The council met."])[:, 1]
    assert np.all(np.isfinite(p)) and p[0] > p[1]
    loaded = load_bundle(context_model.save(tmp_path / "ctx.rhetoric-model"))["propaganda"]
    assert loaded.context_features and loaded.dense_names_ == context_model.dense_names_


def test_pipeline_evidence_equals_the_training_evidence(context_model):
    """In a report the head reads the pipeline's evidence; in training it computes the same itself."""
    bundle = load_bundle()
    heads = {k: bundle[k] for k in bundle if k != "propaganda"}
    from rhetoric.learn.modelfile import ModelBundle
    scorer = rhetoric.Scorer(model=ModelBundle({**heads, "propaganda": context_model}, None, ""))
    report = scorer.score(TEXT)
    a = scorer.analyze(TEXT)
    own = context_model.score_document(a, DocumentFeatures(a), explain=False, spans=False)
    assert [s.propaganda for s in report.sentences] == pytest.approx(own.sentence_proba, abs=0)


def test_a_head_without_context_columns_never_computes_them(monkeypatch):
    """An older model file has no ``context_features`` parameter: it scores as it always did."""
    head = load_bundle()["propaganda"]
    meta, arrays = head.to_parts()
    meta["params"].pop("context_features", None)
    n_ctx = N_CONTEXT if head.context_features else 0
    if n_ctx:  # strip the columns as an old file would not have them
        meta["features"]["dense"] = meta["features"]["dense"][:-n_ctx]
        arrays = dict(arrays)
        arrays["sentence_dense_coef"] = arrays["sentence_dense_coef"][:-n_ctx]
    old = PropagandaHead.from_parts(meta, arrays)
    assert old.context_features is False

    def boom(*args, **kwargs):
        raise AssertionError("context computed for a head without context columns")
    monkeypatch.setattr("rhetoric.propaganda.context.context_rows", boom)
    a = rhetoric.Scorer(model=None).analyze(TEXT)
    res = old.score_document(a)
    assert len(res.sentence_proba) == len(a.seg.sentences) and np.all(np.isfinite(res.sentence_proba))
