"""The propaganda head: persistence (pickle-free, verified), the shipped default, scoring integration, and
the shared per-document feature pass (DocumentFeatures)."""

from __future__ import annotations

import io
import json
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
from conftest import assert_offsets_exact, line_document

import rhetoric
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.modelfile import ModelFormatError, default_model_path, load_bundle
from rhetoric.propaganda.head import SHIPPED_TECHNIQUES, PropagandaHead
from rhetoric.propaganda.model import PropagandaModel, load_model

LOADED = ["disgraceful", "evil", "shameful", "traitors", "corrupt", "disastrous", "vile", "pathetic"]
NEUTRAL = ["meeting", "report", "budget", "council", "weather", "schedule", "station", "library"]


def synthetic_docs(n_docs: int = 24, seed: int = 0) -> list[dict]:
    """Articles whose propaganda sentences contain a loaded phrase (the span)."""
    rng = np.random.default_rng(seed)
    docs = []
    for d in range(n_docs):
        lines, labels, spans, pos = [], [], [], 0
        for i in range(8):
            a, b = rng.choice(NEUTRAL, 2, replace=False)
            if rng.random() < 0.4:
                w = str(rng.choice(LOADED))
                prefix = f"The {a} said the "
                phrase = f"{w} {w}ly traitors"
                line = prefix + phrase + f" ruined the {b}."
                spans.append((pos + len(prefix), pos + len(prefix) + len(phrase), "Loaded_Language"))
                labels.append(1)
            else:
                line = f"The {a} of the {b} met on day {i}."
                labels.append(0)
            lines.append(line)
            pos += len(line) + 1
        docs.append(line_document(str(d), lines, labels, spans))
    return docs


@pytest.fixture(scope="module")
def small_model() -> PropagandaModel:
    return PropagandaModel(n_bits=12, tagger_bits=12, position_features=True, techniques=("Loaded_Language",),
                           calibration_folds=3, technique_folds=3).fit_documents(synthetic_docs())


@pytest.fixture(scope="module")
def saved(small_model, tmp_path_factory) -> Path:
    return small_model.save(tmp_path_factory.mktemp("m") / "small.rhetoric-model")


SENTENCES = ["The council said the evil evilly traitors ruined the budget.", "The weather of the library met on day 3."]


def test_fit_predict_api(small_model):
    proba = small_model.predict_proba(SENTENCES)
    assert proba.shape == (2, 2)
    np.testing.assert_allclose(proba.sum(1), 1.0)
    assert proba[0, 1] > proba[1, 1]
    assert list(small_model.predict(SENTENCES)) == [1, 0]
    assert small_model.decision_function(SENTENCES).shape == (2,)
    assert small_model.get_params()["n_bits"] == 12
    assert "n_bits=12" in repr(small_model)
    with pytest.raises(TypeError):
        small_model.predict_proba("one string")


def test_save_load_round_trip_is_identical(small_model, saved):
    loaded = load_model(saved)
    np.testing.assert_array_equal(small_model.predict_proba(SENTENCES), loaded.predict_proba(SENTENCES))
    text = synthetic_docs(1, seed=5)[0]["text"]
    a = rhetoric.Scorer(model=small_model).score(text)
    b = rhetoric.Scorer(model=saved).score(text)
    assert [s.propaganda for s in a.sentences] == [s.propaganda for s in b.sentences]
    assert a.scores["propaganda"] == b.scores["propaganda"]
    assert [(s.start, s.end, s.label) for s in a.spans] == [(s.start, s.end, s.label) for s in b.spans]
    assert loaded.get_params() == small_model.get_params()
    with zipfile.ZipFile(saved) as z:  # one file: JSON + .npy arrays under heads/<name>/, nothing else
        names = z.namelist()
        meta = json.loads(z.read("model.json"))
    assert set(names) == {"model.json"} | {f"heads/propaganda/{a}.npy" for a in meta["heads"]["propaganda"]["arrays"]}
    assert meta["format"] == "rhetoric-model" and meta["format_version"] == 2
    assert {"card", "library_versions", "heads", "content_sha256"} <= set(meta)
    head = meta["heads"]["propaganda"]
    assert head["kind"] == "propaganda"
    assert {"params", "platt", "threshold", "features", "card"} <= set(head["meta"])


def _rewrite(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return dst


def test_flipped_array_bytes_are_rejected(saved, tmp_path):
    def flip(name, data):
        if name.endswith("sentence_hash_coef.npy"):
            data = bytearray(data)
            data[-3] ^= 0xFF
            return bytes(data)
        return data
    with pytest.raises(ModelFormatError, match="sentence_hash_coef.*modified"):
        load_model(_rewrite(saved, tmp_path / "flipped.rhetoric-model", flip))


def test_edited_json_is_rejected(saved, tmp_path):
    def edit(name, data):
        if name == "model.json":
            meta = json.loads(data)
            meta["heads"]["propaganda"]["meta"]["threshold"][0] = 0.01
            return json.dumps(meta).encode()
        return data
    with pytest.raises(ModelFormatError, match="model.json was modified"):
        load_model(_rewrite(saved, tmp_path / "edited.rhetoric-model", edit))


def test_newer_format_version_is_rejected(saved, tmp_path):
    def edit(name, data):
        if name == "model.json":
            meta = json.loads(data)
            meta["format_version"] = 99
            return json.dumps(meta).encode()
        return data
    with pytest.raises(ModelFormatError, match="version 99 is not supported"):
        load_model(_rewrite(saved, tmp_path / "v99.rhetoric-model", edit))


def test_truncated_file_is_rejected(saved, tmp_path):
    data = saved.read_bytes()
    for cut in (len(data) // 2, len(data) - 10, 30):
        bad = tmp_path / f"cut{cut}.rhetoric-model"
        bad.write_bytes(data[:cut])
        with pytest.raises(ModelFormatError):
            load_model(bad)


class _Boom:
    def __reduce__(self):
        return (print, ("code executed from a model file",))


def test_pickle_file_is_rejected_without_running_it(tmp_path, capsys):
    bad = tmp_path / "evil.rhetoric-model"
    bad.write_bytes(pickle.dumps({"model": _Boom()}))
    with pytest.raises(ModelFormatError, match="not a zip archive"):
        load_model(bad)
    assert "code executed" not in capsys.readouterr().out


def test_random_zip_and_npz_with_objects_are_rejected(tmp_path):
    bad = tmp_path / "random.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ModelFormatError, match="no model.json"):
        load_model(bad)
    npz = tmp_path / "objects.npz"
    np.savez(npz, a=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ModelFormatError):
        load_model(npz)
    with pytest.raises(FileNotFoundError):
        load_model(tmp_path / "missing.rhetoric-model")


def test_object_array_inside_a_model_is_not_unpickled(saved, tmp_path):
    def edit(name, data):
        if name.endswith("sentence_dense_coef.npy"):
            buf = io.BytesIO()
            np.save(buf, np.array([_Boom()], dtype=object), allow_pickle=True)
            return buf.getvalue()
        return data
    with pytest.raises(ModelFormatError):
        load_model(_rewrite(saved, tmp_path / "obj.rhetoric-model", edit))


def test_scorer_rejects_a_bad_model_path_clearly(tmp_path):
    bad = tmp_path / "x.rhetoric-model"
    bad.write_bytes(b"\x80\x04not a model")
    with pytest.raises(ModelFormatError, match="not a rhetoric model"):
        rhetoric.Scorer(model=bad)


# -- the shipped default --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def default_model() -> PropagandaModel:
    return load_model()


def test_default_model_loads_with_card(default_model):
    assert default_model.heads_[0] == "propaganda"
    assert set(default_model.heads_[1:]) == {"Loaded_Language", "Flag-Waving", "Name_Calling,Labeling", "Doubt"}
    assert default_model.tagger_fitted_
    card = default_model.card
    assert "licence" in str(card).lower() and card["ptc_dev"]["si_f1"] > 0.25
    assert default_model.name.startswith("rhetoric-model/2 ")
    assert Path(default_model_path()).stat().st_size < 10e6
    assert "propaganda" in load_bundle()


def test_seed_000_scores_higher_than_seed_004(seed_000, seed_004):
    r000, r004 = rhetoric.score(seed_000), rhetoric.score(seed_004)
    assert r000.scores["propaganda"] > r004.scores["propaganda"]


def test_score_fills_propaganda_sentences_and_explanations(seed_000):
    report = rhetoric.score(seed_000)
    assert 0.0 < report.scores["propaganda"] < 1.0
    assert report.model and report.model.startswith("rhetoric-model/2 ")
    scored = [s for s in report.sentences if not s.boilerplate]
    assert scored and all(s.propaganda is not None and 0.0 <= s.propaganda <= 1.0 for s in scored)
    assert all(s.propaganda is None and s.is_propaganda is None for s in report.sentences if s.boilerplate)
    explained = [s for s in report.sentences if s.explanation]
    assert explained
    for s in explained:
        assert len(s.explanation) <= 5
        contributions = [c for _, c in s.explanation]
        assert all(c > 0 for c in contributions) and contributions == sorted(contributions, reverse=True)
        for name, _ in s.explanation:
            assert name.startswith(("ngram:", "dense:", "lex:", "surface:"))
            if name.startswith("ngram:"):  # named from the sentence's own tokens
                assert all(w in s.text.lower() for w in name[6:].split(" ") if w.isalpha())
    words = sum(s.n_words for s in report.sentences)
    expected = sum(max(s.n_words, 1) * s.propaganda for s in scored) / sum(max(s.n_words, 1) for s in scored)
    assert words and report.scores["propaganda"] == pytest.approx(expected)


def test_model_spans_have_exact_offsets_on_token_boundaries(seed_000):
    scorer = rhetoric.pipeline.default_scorer()
    report = scorer.score(seed_000)
    model_spans = [s for s in report.spans if s.rule == "model:span-tagger"]
    assert model_spans
    seg = scorer.analyze(seed_000).seg
    starts, ends = set(seg.starts), set(seg.ends)
    for s in model_spans:
        assert s.category == "technique"
        assert s.label in (*SHIPPED_TECHNIQUES, "propaganda")  # "propaganda": no technique head was confident
        assert report.text[s.start:s.end] == s.text
        assert s.start in starts and s.end in ends
        sentence = report.sentences[s.sentence]
        assert sentence.start <= s.start and s.end <= sentence.end
    assert_offsets_exact(report)


def test_empty_and_tiny_texts():
    assert rhetoric.score("").sentences == ()
    r = rhetoric.score("x")
    assert 0.0 <= r.scores["propaganda"] <= 1.0


def test_scoring_with_the_default_model_does_not_import_sklearn():
    code = ("import sys, rhetoric; r = rhetoric.score('They are traitors! Our glorious nation will win.'); "
            "assert 'propaganda' in r.scores; print(sorted(m for m in sys.modules if m.startswith(('sklearn', 'scipy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_model_scorer_pickles_for_workers(seed_004):
    scorer = rhetoric.pipeline.default_scorer()
    clone = pickle.loads(pickle.dumps(scorer))
    assert clone.score(seed_004).scores["propaganda"] == scorer.score(seed_004).scores["propaganda"]


def test_model_scoring_path_needs_no_sklearn():
    """The propaganda head's scoring path (features, head, spans, explanations) never imports
    scikit-learn or scipy: after ``import rhetoric`` and loading the shipped file (other dimensions
    and heads may import them), imports of them are blocked and a text is scored."""
    code = (
        "import sys, rhetoric\n"
        "from rhetoric.analysis import Analyzer\n"
        "from rhetoric.learn.features import DocumentFeatures\n"
        "from rhetoric.learn.modelfile import load_bundle\n"
        "head = load_bundle()['propaganda']\n"   # other heads in the file may need scikit-learn
        "for m in [m for m in sys.modules if m.split('.')[0] in ('sklearn', 'scipy')]: del sys.modules[m]\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('sklearn', 'scipy'): raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "a = Analyzer().analyze('They are vile traitors! Our glorious nation will win. The budget passed.')\n"
        "r = head.score_document(a, DocumentFeatures(a))\n"
        "assert r.sentence_proba and r.explanations\n"
        "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr


def test_scoring_modules_import_no_sklearn_at_module_level():
    import ast
    import importlib
    for name in ("rhetoric.learn.hashing", "rhetoric.learn.features", "rhetoric.learn.linear",
                 "rhetoric.learn.calibration", "rhetoric.learn.modelfile", "rhetoric.learn.evidence",
                 "rhetoric.propaganda.head", "rhetoric.propaganda.spans", "rhetoric.propaganda.explain"):
        tree = ast.parse(Path(importlib.util.find_spec(name).origin).read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: imports inside functions run on use
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(m.split(".")[0] in ("sklearn", "scipy") for m in mods), (name, mods)


def test_loaded_default_is_the_numpy_head_and_load_model_the_estimator(default_model):
    head = load_bundle()["propaganda"]
    assert type(head) is PropagandaHead and isinstance(default_model, PropagandaHead)
    sentences = ["They are vile traitors!", "The library opened on Monday."]
    np.testing.assert_array_equal(head.predict_proba(sentences), default_model.predict_proba(sentences))
    assert default_model.get_params() == PropagandaModel(**head.hyper_parameters()).get_params()


# -- DocumentFeatures: one feature pass per document, shared by every head ---------------------------


def test_document_features_one_pass_cached_and_read_only(seed_000):
    analysis = rhetoric.pipeline.default_scorer().analyze(seed_000)
    f = DocumentFeatures(analysis)
    seg = analysis.seg
    assert len(f.hashes.h) == len(f.hashes.suf) == len(f.hashes.shp) == len(seg.words)
    g = f.ngram_rows(12)
    assert f.ngram_rows(12) is g and f.units() is f.units()          # computed once per document
    assert g.n == len(seg.sentences) and g.cols.max() < 2 ** 12
    assert f.token_columns(12).shape == (len(f.units().tok), 14)
    assert f.surface_rows().shape == (len(seg.sentences), 15) and f.evidence_rows().shape[0] == len(seg.sentences)
    for a in (f.hashes.h, g.cols, f.surface_rows(), f.token_columns(12)):
        with pytest.raises(ValueError):
            a[0] = 0                                                    # caches cannot be changed by a head
    ranges = [(s, e) for s, e in seg.sentences[:3]]
    u = f.units(ranges)
    assert u.n == 3 and u.ranges == ranges
    np.testing.assert_array_equal(u.tok, f.units().tok[: len(u.tok)])
    # bigrams never cross units: every bigram's two tokens are in the same unit
    bi = g.kind == 1
    assert np.all(f.units().row[g.src[bi]] == f.units().row[g.src[bi] + 1])


def test_heads_share_features_across_threads(seed_000, seed_004):
    """One head, many threads, one DocumentFeatures per document: the same numbers as in series."""
    from concurrent.futures import ThreadPoolExecutor
    scorer = rhetoric.pipeline.default_scorer()
    head = scorer.model_["propaganda"]
    texts = [seed_000, seed_004, seed_000[: len(seed_000) // 2], seed_004[::-1]] * 4
    analyses = [scorer.analyze(t) for t in texts]

    def run(a):
        r = head.score_document(a, DocumentFeatures(a))
        return r.sentence_proba, [(s.start, s.end, s.label) for s in r.spans], r.explanations
    serial = [run(a) for a in analyses]
    with ThreadPoolExecutor(8) as pool:
        assert list(pool.map(run, analyses)) == serial
