"""The model file, format 2: several named heads, safe loading, version-1 files, atomic replace_head."""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import zipfile
from pathlib import Path

import numpy as np
import pytest
from test_model import SENTENCES, synthetic_docs

import rhetoric
from rhetoric.learn import modelfile
from rhetoric.learn.modelfile import (
    ModelBundle,
    ModelFormatError,
    load_bundle,
    register_head_kind,
    replace_head,
    save_bundle,
)
from rhetoric.propaganda.head import PropagandaHead
from rhetoric.propaganda.model import PropagandaModel, load_model


def _fit(seed: int, **params) -> PropagandaModel:
    return PropagandaModel(n_bits=10, tagger_bits=10, position_features=True, techniques=("Loaded_Language",),
                           calibration_folds=2, technique_folds=2, random_state=seed,
                           **params).fit_documents(synthetic_docs(12, seed=seed))


@pytest.fixture(scope="module")
def heads() -> dict[str, PropagandaModel]:
    return {"propaganda": _fit(0), "alt": _fit(1, tagger=False)}


@pytest.fixture(scope="module")
def two_heads(heads, tmp_path_factory) -> Path:
    return save_bundle(tmp_path_factory.mktemp("b") / "two.rhetoric-model", heads, card={"name": "two heads"})


def _rewrite(src: Path, dst: Path, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return dst


def _edit_json(src: Path, dst: Path, change) -> Path:
    """Change model.json and re-sign it, so the test reaches the check behind the checksum."""
    def edit(name, data):
        if name != "model.json":
            return data
        meta = json.loads(data)
        change(meta)
        meta["content_sha256"] = modelfile._digest(meta)
        return json.dumps(meta).encode()
    return _rewrite(src, dst, edit)


def test_bundle_holds_named_heads_read_only(two_heads, heads):
    b = load_bundle(two_heads)
    assert isinstance(b, ModelBundle) and list(b) == ["propaganda", "alt"] and len(b) == 2
    assert b.card["name"] == "two heads" and b.name.startswith("rhetoric-model/2 ") and b.get("missing") is None
    for name, h in heads.items():
        assert type(b[name]) is PropagandaHead
        np.testing.assert_array_equal(b[name].predict_proba(SENTENCES), h.predict_proba(SENTENCES))
    assert b["alt"].tagger_ is None and b["propaganda"].tagger_ is not None
    with pytest.raises(TypeError):
        b["x"] = 1  # type: ignore[index]
    with zipfile.ZipFile(two_heads) as z:
        assert {n.split("/")[1] for n in z.namelist() if n.startswith("heads/")} == {"propaganda", "alt"}


def test_scorer_accepts_bundle_head_path_or_none(two_heads, heads):
    text = synthetic_docs(1, seed=5)[0]["text"]
    by_path = rhetoric.Scorer(model=two_heads).score(text)
    by_bundle = rhetoric.Scorer(model=load_bundle(two_heads)).score(text)
    by_head = rhetoric.Scorer(model=heads["propaganda"]).score(text)
    assert by_path.scores["propaganda"] == by_bundle.scores["propaganda"] == by_head.scores["propaganda"]
    assert by_path.model == load_bundle(two_heads).name
    no_propaganda = save_bundle(two_heads.with_name("alt-only.rhetoric-model"), {"alt": heads["alt"]})
    assert "propaganda" not in rhetoric.Scorer(model=no_propaganda).score(text).scores
    with pytest.raises(TypeError, match="ModelBundle"):
        rhetoric.Scorer(model=42)


def test_replace_head_keeps_the_others_byte_for_byte(two_heads, heads, tmp_path):
    path = tmp_path / "m.rhetoric-model"
    path.write_bytes(two_heads.read_bytes())
    replace_head(path, "alt", heads["propaganda"])
    with zipfile.ZipFile(two_heads) as a, zipfile.ZipFile(path) as b:
        for n in a.namelist():
            if n.startswith("heads/propaganda/"):
                assert a.read(n) == b.read(n)
        meta = json.loads(b.read("model.json"))
    assert meta["card"] == {"name": "two heads"}
    new = load_bundle(path)
    np.testing.assert_array_equal(new["alt"].predict_proba(SENTENCES), heads["propaganda"].predict_proba(SENTENCES))
    created = replace_head(tmp_path / "new.rhetoric-model", "propaganda", heads["alt"])
    assert list(load_bundle(created)) == ["propaganda"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]       # no temp files left


def _replace_many(path: str, name: str, n: int) -> None:
    head = load_bundle(path)["propaganda"]
    for _ in range(n):
        replace_head(path, name, head)


def test_concurrent_replace_head_loses_no_head(two_heads, tmp_path):
    path = tmp_path / "shared.rhetoric-model"
    path.write_bytes(two_heads.read_bytes())
    names = ["attribution", "hedging", "state_media", "extra"]
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_replace_many, args=(str(path), name, 6)) for name in names]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert set(load_bundle(path)) == {"propaganda", "alt", *names}


def _write_v1(path: Path, head: PropagandaModel) -> Path:
    """A file in format 1 (rhetoric 0.1's layout: one propaganda model, arrays under arrays/)."""
    meta, arrays = head.to_parts()
    card = meta.pop("card")
    blobs = {}
    for name, a in arrays.items():
        buf = io.BytesIO()
        np.save(buf, np.ascontiguousarray(a), allow_pickle=False)
        blobs[name] = buf.getvalue()
    meta.update({"format": "rhetoric-propaganda-model", "format_version": 1, "library_versions": {}, "card": card,
                 "arrays": {n: {"sha256": hashlib.sha256(b).hexdigest(), "dtype": str(arrays[n].dtype),
                                "shape": list(arrays[n].shape)} for n, b in blobs.items()}})
    meta["content_sha256"] = modelfile._digest(meta)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("model.json", json.dumps(meta))
        for n, b in blobs.items():
            z.writestr(f"arrays/{n}.npy", b)
    return path


def test_version_1_file_loads_as_one_propaganda_head_and_upgrades(heads, tmp_path):
    h = heads["propaganda"]
    h.card_ = {"name": "old"}
    v1 = _write_v1(tmp_path / "v1.rhetoric-model", h)
    b = load_bundle(v1)
    assert list(b) == ["propaganda"] and b.card["name"] == "old"
    np.testing.assert_array_equal(b["propaganda"].predict_proba(SENTENCES), h.predict_proba(SENTENCES))
    assert load_model(v1).card["name"] == "old"
    replace_head(v1, "alt", heads["alt"])                        # rewritten in format 2, both heads
    with zipfile.ZipFile(v1) as z:
        assert json.loads(z.read("model.json"))["format_version"] == 2
    b2 = load_bundle(v1)
    assert set(b2) == {"propaganda", "alt"} and b2.card["name"] == "old"
    np.testing.assert_array_equal(b2["propaganda"].predict_proba(SENTENCES), h.predict_proba(SENTENCES))
    def flip(name, data):
        return data[:-2] + bytes([data[-2] ^ 1]) + data[-1:] if name == "arrays/sentence_dense_coef.npy" else data
    bad = _rewrite(_write_v1(tmp_path / "v1b.rhetoric-model", h), tmp_path / "v1bad.rhetoric-model", flip)
    with pytest.raises(ModelFormatError, match="sentence_dense_coef.*modified"):
        load_bundle(bad)


def test_kinds_come_only_from_the_whitelist(two_heads, tmp_path):
    def kind(value):
        return lambda meta: meta["heads"]["alt"].__setitem__("kind", value)
    for value in ("os:system", "rhetoric.pipeline:Scorer", "nonexistent"):
        with pytest.raises(ModelFormatError, match="unknown head kind"):
            load_bundle(_edit_json(two_heads, tmp_path / "k.rhetoric-model", kind(value)))
    for target in ("os:system", "tests.test_modelfile:Head", "rhetoric:x", "rhetoric.x.y"):
        with pytest.raises(ValueError):
            register_head_kind("mine", target)
    with pytest.raises(ValueError):
        register_head_kind("Bad Kind", "rhetoric.x:Y")
    register_head_kind("test-missing", "rhetoric.nowhere:Head")
    try:
        bad = _edit_json(two_heads, tmp_path / "m.rhetoric-model", kind("test-missing"))
        with pytest.raises(ModelFormatError, match="No module named"):
            load_bundle(bad)
    finally:
        del modelfile.HEAD_KINDS["test-missing"]


def test_head_and_array_names_cannot_escape(two_heads, heads, tmp_path):
    for bad in ("../x", "Propaganda", "a/b", "", "x" * 41):
        with pytest.raises(ValueError, match="head name"):
            save_bundle(tmp_path / "x.rhetoric-model", {bad: heads["alt"]})
    def rename(meta):
        meta["heads"]["../../evil"] = meta["heads"].pop("alt")
    with pytest.raises(ModelFormatError, match="invalid head entry"):
        load_bundle(_edit_json(two_heads, tmp_path / "n.rhetoric-model", rename))
    with pytest.raises(ValueError, match="not a registered head kind"):
        save_bundle(tmp_path / "y.rhetoric-model", {"x": object()})


def test_tampering_wrong_shapes_and_size_limits(two_heads, tmp_path, monkeypatch):
    def edit(meta):
        meta["heads"]["alt"]["arrays"]["sentence_dense_coef"]["shape"] = [1, 1]
    with pytest.raises(ModelFormatError, match="wrong dtype or shape"):
        load_bundle(_edit_json(two_heads, tmp_path / "s.rhetoric-model", edit))
    def drop(meta):
        del meta["heads"]["alt"]["meta"]["threshold"]
    with pytest.raises(ModelFormatError, match="head 'alt'"):
        load_bundle(_edit_json(two_heads, tmp_path / "d.rhetoric-model", drop))
    with pytest.raises(ModelFormatError, match="was modified"):
        load_bundle(_rewrite(two_heads, tmp_path / "t.rhetoric-model",
                             lambda n, d: d.replace(b'"two heads"', b'"2 heads!!"') if n == "model.json" else d))
    monkeypatch.setattr(modelfile._check, "MAX_MEMBER", 1000)
    with pytest.raises(ModelFormatError, match="implausibly large"):
        load_bundle(two_heads)
    monkeypatch.setattr(modelfile._check, "MAX_MEMBER", 256 << 20)
    monkeypatch.setattr(modelfile._check, "MAX_TOTAL", 1000)
    with pytest.raises(ModelFormatError, match="implausibly large"):
        load_bundle(two_heads)


def test_newer_version_and_foreign_format_are_refused(two_heads, tmp_path):
    with pytest.raises(ModelFormatError, match="version 3 is not supported"):
        load_bundle(_edit_json(two_heads, tmp_path / "v3.rhetoric-model", lambda m: m.update(format_version=3)))
    with pytest.raises(ModelFormatError, match="not a rhetoric model"):
        load_bundle(_edit_json(two_heads, tmp_path / "f.rhetoric-model", lambda m: m.update(format="other")))
