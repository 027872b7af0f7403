"""Hostile model files: whatever the bytes, loading either gives a working bundle or raises
ModelFormatError naming the file, within 1 s and 200 MB (flipped bytes, truncation, zip bombs,
lying headers, huge array headers, wrong JSON types, NaN, deep JSON, oversized members); and
saving goes through a unique temporary file, fsync and rename."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest
from test_model import synthetic_docs

from rhetoric.learn import modelfile
from rhetoric.learn.modelfile import ModelFormatError, load_bundle, replace_head, save_bundle
from rhetoric.propaganda.model import PropagandaModel

SECONDS = 1.0
BYTES = 200 << 20


@pytest.fixture(scope="module")
def head() -> PropagandaModel:
    return PropagandaModel(n_bits=10, tagger_bits=10, position_features=True, techniques=("Loaded_Language",),
                           calibration_folds=2, technique_folds=2, random_state=0).fit_documents(synthetic_docs(12))


@pytest.fixture(scope="module")
def small(head, tmp_path_factory) -> bytes:
    return save_bundle(tmp_path_factory.mktemp("m") / "small.rhetoric-model", {"propaganda": head}).read_bytes()


def _load(tmp_path: Path, data: bytes, name: str = "x.rhetoric-model"):
    """Load ``data`` as a model file; return the bundle or the ModelFormatError, checking time and memory."""
    p = tmp_path / name
    p.write_bytes(data)
    tracemalloc.start()
    t = time.perf_counter()
    try:
        result = load_bundle(p)
    except ModelFormatError as exc:
        result = exc
    finally:
        elapsed = time.perf_counter() - t
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if isinstance(result, ModelFormatError):
        assert str(p) in str(result)
        assert elapsed < SECONDS, f"{elapsed:.2f} s to refuse: {result}"
        assert peak < BYTES, f"{peak >> 20} MB to refuse: {result}"
    return result


def _refused(tmp_path: Path, data: bytes, match: str | None = None) -> ModelFormatError:
    result = _load(tmp_path, data)
    assert isinstance(result, ModelFormatError), f"loaded a hostile file: {result!r}"
    if match is not None:
        assert match in str(result), str(result)
    return result


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as z:
        for name, b in members.items():
            z.writestr(name, b)
    return buf.getvalue()


def _signed(meta: dict) -> bytes:
    meta = dict(meta)
    meta["content_sha256"] = modelfile._digest(meta)
    return json.dumps(meta).encode()


def _with_meta(small: bytes, change) -> bytes:
    members = _members(small)
    meta = json.loads(members["model.json"])
    change(meta)
    members["model.json"] = _signed(meta)
    return _zip(members)


def _central_patch(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of ``name``'s central-directory entry (what zipfile trusts for sizes)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        n_name, n_extra, n_comment = struct.unpack_from("<HHH", out, pos + 28)
        if out[pos + 46:pos + 46 + n_name].decode() == name:
            struct.pack_into(fmt, out, pos + offset, value)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 46 + n_name + n_extra + n_comment)
    raise AssertionError(f"{name} not in the central directory")


def _claim_size(data: bytes, name: str, size: int) -> bytes:
    return _central_patch(data, name, 24, "<I", size)


# -- the bytes themselves ------------------------------------------------------------------------


def test_the_small_file_loads(small, tmp_path):
    assert "propaganda" in _load(tmp_path, small)


def test_every_flipped_byte_loads_or_is_a_model_format_error(small, tmp_path):
    n = len(small)
    central = small.rfind(b"PK\x01\x02")
    positions = sorted(set(range(120)) | set(range(n - 600, n)) | set(range(0, n, 5)) |
                       set(range(max(central - 200, 0), n)))
    refused = 0
    for pos in positions:
        if pos >= n:
            continue
        data = bytearray(small)
        data[pos] ^= 0xFF
        result = _load(tmp_path, bytes(data))
        refused += isinstance(result, ModelFormatError)
    assert refused > len(positions) // 2   # most flips are caught by a checksum or the zip structure


@pytest.mark.parametrize("keep", [0, 1, 4, 21, 22, 100, 0.5, -22, -1])
def test_truncated_files(small, tmp_path, keep):
    cut = int(len(small) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(small) + keep)
    _refused(tmp_path, small[:cut])


def test_foreign_files(tmp_path):
    import pickle
    _refused(tmp_path, pickle.dumps({"format": "rhetoric-model"}), "not a zip")
    _refused(tmp_path, _zip({"other.txt": b"x"}), "no model.json")
    _refused(tmp_path, _zip({"model.json": b"\xff\xfe"}), "model.json")
    _refused(tmp_path, _zip({"model.json": b"[1, 2]"}))


# -- bombs and size limits ------------------------------------------------------------------------


def test_model_json_claiming_a_gibibyte_is_refused_before_reading(small, tmp_path):
    _refused(tmp_path, _claim_size(small, "model.json", 1 << 30), "large")


def test_array_claiming_a_gibibyte_is_refused_before_reading(small, tmp_path):
    _refused(tmp_path, _claim_size(small, "heads/propaganda/sentence_hash_coef.npy", (1 << 30) - 1), "large")


def test_member_inflating_beyond_its_claimed_size_is_refused(small, tmp_path):
    members = _members(small)
    members["heads/propaganda/sentence_hash_coef.npy"] = b"\0" * (64 << 20)   # 64 MiB of zeros, ~64 KB deflated
    data = _zip(members)
    _refused(tmp_path, _claim_size(data, "heads/propaganda/sentence_hash_coef.npy", 1000))


def test_many_large_members_are_refused_from_their_headers(small, tmp_path):
    members = _members(small)
    for k in range(16):
        members[f"padding/{k}.bin"] = b"\0" * 1000
    data = _zip(members)
    for k in range(16):
        data = _claim_size(data, f"padding/{k}.bin", 250 << 20)
    _refused(tmp_path, data, "large")


def test_whitespace_model_json_is_refused(small, tmp_path):
    members = _members(small)
    members["model.json"] = members["model.json"][:-1] + b" " * (6_300_000) + b"}"
    _refused(tmp_path, _zip(members), "large")


def test_too_many_members(small, tmp_path):
    members = _members(small)
    members.update({f"x/{k}": b"" for k in range(5000)})
    _refused(tmp_path, _zip(members, zipfile.ZIP_STORED))


def test_unsupported_compression_and_encryption_flags(small, tmp_path):
    _refused(tmp_path, _central_patch(small, "model.json", 10, "<H", 99))      # unknown method
    _refused(tmp_path, _central_patch(small, "model.json", 10, "<H", 12))      # bzip2: not what we write
    _refused(tmp_path, _central_patch(small, "model.json", 8, "<H", 1))        # "encrypted"


def test_duplicate_member_names(small, tmp_path):
    members = _members(small)
    buf = io.BytesIO()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w") as z:
            for name, b in members.items():
                z.writestr(name, b)
            z.writestr("model.json", members["model.json"])
    _refused(tmp_path, buf.getvalue(), "duplicate")


# -- array headers -------------------------------------------------------------------------------


def _replace_array(small: bytes, array: str, blob: bytes, dtype: str, shape: list[int]) -> bytes:
    members = _members(small)
    members[f"heads/propaganda/{array}.npy"] = blob
    meta = json.loads(members["model.json"])
    meta["heads"]["propaganda"]["arrays"][array] = {"sha256": hashlib.sha256(blob).hexdigest(), "dtype": dtype,
                                                     "shape": shape}
    members["model.json"] = _signed(meta)
    return _zip(members)


@pytest.mark.parametrize("shape", [(10 ** 12,), (1 << 40, 1 << 40), (1 << 62,), (3, -1)])
def test_array_header_claiming_terabytes(small, tmp_path, shape):
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "<f8", "fortran_order": False, "shape": shape})
    _refused(tmp_path, _replace_array(small, "sentence_hash_coef", buf.getvalue(), "float64", list(shape)))


def test_object_and_structured_arrays_are_refused(small, tmp_path):
    buf = io.BytesIO()
    np.save(buf, np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")]))
    _refused(tmp_path, _replace_array(small, "sentence_hash_coef", buf.getvalue(), "[('a', '<f4'), ('b', '<i4')]",
                                      [3]))
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    _refused(tmp_path, _replace_array(small, "sentence_hash_coef", buf.getvalue() + b"\0" * 8, "object", [1]))


def test_nan_weights_are_refused(small, tmp_path):
    members = _members(small)
    a = np.load(io.BytesIO(members["heads/propaganda/sentence_hash_coef.npy"]))
    a = a.copy()
    a.flat[0] = np.nan
    buf = io.BytesIO()
    np.save(buf, a)
    _refused(tmp_path, _replace_array(small, "sentence_hash_coef", buf.getvalue(), str(a.dtype), list(a.shape)),
             "finite")


# -- model.json contents -------------------------------------------------------------------------


def _set(path: tuple, value):
    def change(meta):
        node = meta
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


HOSTILE_JSON = {
    "heads-list": _set(("heads",), []),
    "heads-empty": _set(("heads",), {}),
    "head-list": _set(("heads", "propaganda"), []),
    "arrays-list": _set(("heads", "propaganda", "arrays"), []),
    "array-spec-string": _set(("heads", "propaganda", "arrays", "sentence_hash_coef"), "x"),
    "shape-string": _set(("heads", "propaganda", "arrays", "sentence_hash_coef", "shape"), "abc"),
    "shape-negative": _set(("heads", "propaganda", "arrays", "sentence_hash_coef", "shape"), [-1]),
    "dtype-object": _set(("heads", "propaganda", "arrays", "sentence_hash_coef", "dtype"), "object"),
    "sha-int": _set(("heads", "propaganda", "arrays", "sentence_hash_coef", "sha256"), 5),
    "kind-int": _set(("heads", "propaganda", "kind"), 5),
    "kind-unknown": _set(("heads", "propaganda", "kind"), "os.system"),
    "meta-list": _set(("heads", "propaganda", "meta"), []),
    "params-int": _set(("heads", "propaganda", "meta", "params"), 1),
    "n_bits-string": _set(("heads", "propaganda", "meta", "params", "n_bits"), "18"),
    "n_bits-40": _set(("heads", "propaganda", "meta", "params", "n_bits"), 40),
    "n_bits-bool": _set(("heads", "propaganda", "meta", "params", "n_bits"), True),
    "tagger_bits-huge": _set(("heads", "propaganda", "meta", "params", "tagger_bits"), 1 << 62),
    "intercept-nan": _set(("heads", "propaganda", "meta", "intercept"), [float("nan")] * 2),
    "threshold-inf": _set(("heads", "propaganda", "meta", "threshold"), [float("inf")] * 2),
    "card-list": _set(("card",), []),
    "versions-list": _set(("library_versions",), [1]),
    "format_version-string": _set(("format_version",), "2"),
}


@pytest.mark.parametrize("case", list(HOSTILE_JSON))
def test_wrong_json_types_and_values(small, tmp_path, case):
    _refused(tmp_path, _with_meta(small, HOSTILE_JSON[case]))


def test_json_nan_literals_and_overflowing_numbers(small, tmp_path):
    members = _members(small)
    text = members["model.json"].decode()
    for literal in ("NaN", "Infinity", "-Infinity", "1e999"):
        meta = json.loads(text)
        meta["card"] = {"x": 0.5}
        meta["content_sha256"] = modelfile._digest(meta)
        raw = json.dumps(meta).replace('"x": 0.5', f'"x": {literal}')
        members["model.json"] = raw.encode()
        _refused(tmp_path, _zip(members))


def test_deeply_nested_json(small, tmp_path):
    members = _members(small)
    members["model.json"] = b"[" * 100_000 + b"]" * 100_000
    _refused(tmp_path, _zip(members))
    members["model.json"] = b'{"format": "rhetoric-model", "card": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _refused(tmp_path, _zip(members))


def test_unsigned_changes_are_refused(small, tmp_path):
    members = _members(small)
    meta = json.loads(members["model.json"])
    meta["card"] = {"name": "tampered"}
    members["model.json"] = json.dumps(meta).encode()
    _refused(tmp_path, _zip(members), "checksum")


# -- saving --------------------------------------------------------------------------------------


def test_save_fsyncs_and_renames_through_a_unique_temp_file(head, tmp_path, monkeypatch):
    synced, replaced = [], []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(modelfile.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    monkeypatch.setattr(modelfile.os, "replace", lambda a, b: (replaced.append((str(a), str(b))), real_replace(a, b))[1])
    target = tmp_path / "m.rhetoric-model"
    save_bundle(target, {"propaganda": head})
    assert len(synced) >= 2   # the file, then its folder
    (tmp, final), = replaced
    assert final == str(target) and Path(tmp).parent == tmp_path and tmp != final
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.rhetoric-model", "m.rhetoric-model.lock"]


def test_concurrent_saves_to_one_path_leave_a_valid_file(head, tmp_path):
    target = tmp_path / "m.rhetoric-model"
    errors: list[BaseException] = []

    def save(k: int) -> None:
        try:
            save_bundle(target, {"propaganda": head}, card={"writer": k})
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert load_bundle(target).card["writer"] in range(6)
    assert not list(tmp_path.glob("*.tmp"))


def test_save_to_a_directory_fails_before_writing(head, tmp_path):
    with pytest.raises(IsADirectoryError):
        save_bundle(tmp_path, {"propaganda": head})
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_replace_head_refuses_a_hostile_file_and_keeps_it(head, small, tmp_path):
    p = tmp_path / "m.rhetoric-model"
    bad = _claim_size(small, "model.json", 1 << 30)
    p.write_bytes(bad)
    with pytest.raises(ModelFormatError):
        replace_head(p, "propaganda", head)
    assert p.read_bytes() == bad


@pytest.mark.parametrize("setting, value", [("explain_top", "five"), ("span_threshold", "x"), ("ngram_range", "x")])
def test_a_resigned_file_with_a_wrong_head_setting_is_refused_by_the_scorer(small, tmp_path, setting, value):
    """The format checks cannot know every head's settings; the Scorer scores a probe text when it
    loads a model file, so such a file is refused there, naming the file, not at the first score."""
    import rhetoric

    def change(meta):
        meta["heads"]["propaganda"]["meta"]["params"][setting] = value

    p = tmp_path / "resigned.rhetoric-model"
    p.write_bytes(_with_meta(small, change))
    try:
        scorer = rhetoric.Scorer(model=p)
    except ModelFormatError as exc:
        assert str(p) in str(exc)
    else:  # the setting turned out harmless: then scoring must work
        assert scorer.score("Officials said it may be true.").scores
