"""Training, cross-validation, the train/evaluate commands, and the scikit-learn contract of LexiconFeatures."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import require_corpus
from test_model import LOADED, NEUTRAL, synthetic_docs

import rhetoric
from rhetoric.data.datasets import Article, Corpus, load_csv
from rhetoric.data.metrics import assert_no_group_overlap, grouped_splits
from rhetoric.propaganda.model import PropagandaModel, load_model
from rhetoric.propaganda.training import corpus_documents, cross_validate, train, train_corpus

SMALL = {"n_bits": 12, "tagger_bits": 12, "calibration_folds": 3, "technique_folds": 3}


def sentences(n: int = 120, seed: int = 1) -> tuple[list[str], list[int]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        a, b = rng.choice(NEUTRAL, 2, replace=False)
        if i % 3 == 0:
            texts.append(f"The {a} is run by {rng.choice(LOADED)} traitors who betray the {b}!")
            labels.append(1)
        else:
            texts.append(f"The {a} opened next to the {b} on day {i}.")
            labels.append(0)
    return texts, labels


def synthetic_corpus(n_docs: int = 20) -> Corpus:
    from rhetoric.data.datasets import LabelledSpan
    arts = [Article(d["id"], d["text"], tuple(LabelledSpan(s, e, t) for s, e, t in d["spans"]), None,
                    "outlet-a" if i % 2 else "outlet-b")
            for i, d in enumerate(synthetic_docs(n_docs, seed=3))]
    return Corpus(arts, "synthetic")


def test_train_is_reproducible_with_a_seed():
    texts, labels = sentences()
    a = train(texts, labels, seed=7, **SMALL)
    b = train(texts, labels, seed=7, **SMALL)
    np.testing.assert_array_equal(a.coef_hash_, b.coef_hash_)
    np.testing.assert_array_equal(a.predict_proba(texts[:10]), b.predict_proba(texts[:10]))
    assert a.threshold == b.threshold
    assert a.predict(["They are vile traitors who betray the nation!"])[0] == 1


def test_train_csv_end_to_end(tmp_path):
    texts, labels = sentences(90)
    path = tmp_path / "mine.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["text", "label", "id"])
        w.writerows(zip(texts, labels, range(len(texts))))  # one id per row: the rows are independent
    corpus = load_csv(path, group_column="id")
    model = train_corpus(corpus, seed=0, **SMALL)
    assert not model.tagger_fitted_ and model.heads_ == ["propaganda"]
    assert model.position_features is False  # isolated sentences
    out = model.save(tmp_path / "mine.rhetoric-model")
    report = rhetoric.Scorer(model=out).score("Vile traitors betray the station! The library opened on day 2.")
    assert report.scores["propaganda"] > 0
    first, second = report.sentences
    assert first.propaganda > second.propaganda
    # the CLI path: train + evaluate on the same file
    model_file = tmp_path / "cli.rhetoric-model"
    cli = [sys.executable, "-m", "rhetoric.cli.main"]
    r = subprocess.run(cli + ["train", str(path), "--format", "csv", "--group-column", "id", "-o", str(model_file),
                              "--seed", "1"], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and "note" not in r.stderr, r.stderr
    assert load_model(model_file).heads_ == ["propaganda"]
    r = subprocess.run(cli + ["evaluate", str(path), "--format", "csv", "--model", str(model_file)],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("rhetoric: note: no --group-column, so each of the 90 rows is its own article")
    assert "sentence  P" in r.stdout


def test_cli_errors(tmp_path):
    cli = [sys.executable, "-m", "rhetoric.cli.main"]
    r = subprocess.run(cli + ["train", str(tmp_path / "none.csv"), "--format", "csv", "-o", str(tmp_path / "m")],
                       capture_output=True, text=True, check=False)
    assert r.returncode == 1 and r.stderr.startswith("rhetoric: ") and len(r.stderr.strip().splitlines()) == 1
    r = subprocess.run(cli + ["train", "x.csv", "--format", "xml", "-o", "m"], capture_output=True, text=True, check=False)
    assert r.returncode == 2
    bad = tmp_path / "bad.rhetoric-model"
    bad.write_bytes(b"not a model")
    good = tmp_path / "ok.csv"
    good.write_text("text,label\na b c,1\nd e f,0\n", encoding="utf-8")
    r = subprocess.run(cli + ["evaluate", str(good), "--format", "csv", "--model", str(bad)], capture_output=True, text=True, check=False)
    assert r.returncode == 1 and "not a rhetoric model" in r.stderr
    env = dict(os.environ, RHETORIC_DATA=str(tmp_path / "nowhere"))
    r = subprocess.run(cli + ["evaluate", "--format", "ptc"], capture_output=True, text=True, env=env, check=False)
    assert r.returncode == 1 and r.stderr.startswith("rhetoric: ")


def test_train_corpus_with_spans_and_cross_validation():
    corpus = synthetic_corpus()
    model = train_corpus(corpus, seed=0, techniques=("Loaded_Language",), **SMALL)
    assert model.tagger_fitted_ and model.heads_ == ["propaganda", "Loaded_Language"]
    res = cross_validate(corpus, 3, seed=0, techniques=("Loaded_Language",), **SMALL)
    art = res["by_article"]
    assert art["sentence"]["f1"] > 0.8 and art["spans"]["f1"] > 0.3
    assert 0 <= art["brier"] < art["brier_base_rate"]
    assert len(art["reliability"]) == 10
    assert "by_outlet" in res and res["by_outlet"]["n_splits"] == 2


def test_grouped_splits_never_straddle():
    corpus = synthetic_corpus(12)
    docs = corpus_documents(corpus)
    # sentence-level groups from the corpus: every sentence of an article in one fold
    groups = corpus.groups()
    for seed in range(3):
        splits = grouped_splits(groups, 4, seed)
        assert_no_group_overlap(splits, groups)
        assert sorted(np.concatenate([te for _, te in splits]).tolist()) == list(range(len(groups)))
    assert len({d["group"] for d in docs}) == len(docs)
    with pytest.raises(AssertionError):
        assert_no_group_overlap([(np.array([0, 1]), np.array([2]))], ["a", "b", "b"])


def test_corpus_documents_dedupes_copies_and_strips_lines():
    text = "  First line.  \n\nSecond line."
    arts = [Article("1", text, (), (1, 0, 0)), Article("19", text, (), (1, 0, 0), metadata={"group": "1"})]
    docs = corpus_documents(Corpus(arts, "c"))
    assert len(docs) == 1
    assert [text[s:e] for s, e in docs[0]["ranges"]] == ["First line.", "Second line."]
    assert docs[0]["labels"] == [1, 0] and docs[0]["spans"] is None


# -- LexiconFeatures and the scikit-learn contract --------------------------------------------------


def test_lexicon_features_estimator_checks():
    from sklearn.base import clone
    from sklearn.utils import estimator_checks as ec

    from rhetoric.learn.transformers import LexiconFeatures
    est = LexiconFeatures()
    name = type(est).__name__
    ec.check_parameters_default_constructible(name, est)
    ec.check_get_params_invariance(name, est)
    ec.check_set_params(name, est)
    ec.check_no_attributes_set_in_init(name, est)
    ec.check_estimator_repr(name, est) if hasattr(ec, "check_estimator_repr") else None
    # checks that feed numeric arrays do not apply: feed strings ourselves
    X = ["They are traitors!", "The weather was mild.", "Officials, who spoke on condition of anonymity, said so."]
    params = est.get_params()
    fitted = clone(est).fit(X)
    assert est.get_params() == params                          # overwrite-params check, by hand
    assert not any(k.endswith("_") for k in vars(est))        # dont-overwrite / no fitted state on the original
    before = {k: v for k, v in vars(fitted).items() if not k.endswith("_")}
    out = fitted.transform(X)
    assert {k: v for k, v in vars(fitted).items() if not k.endswith("_")} == before
    assert out.shape == (3, len(fitted.get_feature_names_out()))
    np.testing.assert_array_equal(out, clone(est).fit_transform(X))
    assert clone(fitted).get_params() == fitted.get_params()
    assert not hasattr(clone(fitted), "scorer_")


def test_propaganda_model_is_clonable():
    from sklearn.base import clone
    from sklearn.utils import estimator_checks as ec
    m = PropagandaModel(n_bits=10)
    ec.check_parameters_default_constructible("PropagandaModel", m)
    ec.check_no_attributes_set_in_init("PropagandaModel", m)
    assert clone(m).get_params() == m.get_params()


def test_evidence_features_need_no_sklearn():
    code = ("import sys, rhetoric.learn.evidence, rhetoric.learn.features, rhetoric.propaganda.head; "
            "print('sklearn' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "False"


# -- shared data ----------------------------------------------------------------------------------

# measured on the shipped model (see src/rhetoric/models/MODEL_CARD.md)
DEV_SENTENCE_F1 = None


@pytest.mark.shared_data
@pytest.mark.slow
def test_evaluate_default_model_on_ptc_dev(shared_data):
    require_corpus(shared_data, "ptc-semeval2020")
    card = load_model().card
    r = subprocess.run([sys.executable, "-m", "rhetoric.cli.main", "evaluate", str(shared_data), "--format", "ptc",
                        "--subset", "dev", "--model", "default", "--json"], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    import json
    res = json.loads(r.stdout)
    assert res["spans"]["f1"] >= 0.28
    assert abs(res["sentence"]["f1"] - card["ptc_dev"]["sentence_f1"]) < 0.02
    assert res["sentence"]["f1"] > 0.45


@pytest.mark.shared_data
def test_cross_validate_small_ptc_subset(shared_data):
    require_corpus(shared_data, "ptc-semeval2020")
    corpus = rhetoric.data.datasets.load_ptc("dev", shared_data)
    corpus.articles = corpus.articles[:15]
    res = cross_validate(corpus, 3, seed=0, **SMALL)["by_article"]
    assert 0.2 < res["sentence"]["f1"] < 0.9
    assert 0.0 < res["spans"]["f1"] < 0.6


@pytest.mark.shared_data
def test_train_subset_of_nlp4if_reproducible(shared_data, tmp_path: Path):
    require_corpus(shared_data, "nlp4if2019")
    corpus = rhetoric.data.datasets.load_nlp4if("train", shared_data)
    corpus.articles = corpus.articles[:12]
    a = train_corpus(corpus, seed=3, spans=False, **SMALL)
    b = train_corpus(corpus, seed=3, spans=False, **SMALL)
    np.testing.assert_array_equal(a.coef_hash_, b.coef_hash_)
    assert a.position_features
