"""The safe model file: one zip holding several named heads; loading never executes code from it.

Format ``rhetoric-model`` version 2::

    model.json                  {"format", "format_version": 2, "card", "library_versions",
                                 "heads": {name: {"kind", "meta", "arrays": {array: {sha256, dtype, shape}}}},
                                 "content_sha256"}   (sha256 of the sorted JSON without this key)
    heads/<name>/<array>.npy    numpy arrays, read with allow_pickle=False

A head is any object with ``to_parts() -> (meta: dict, arrays: dict[str, np.ndarray])`` and a
classmethod ``from_parts(meta, arrays)``; its *kind* (``head.kind``, or found by class) names the
class that reads it back, looked up in a whitelist of ``"rhetoric.<module>:<Class>"`` strings
(:data:`HEAD_KINDS`, extended with :func:`register_head_kind`) and imported lazily. Nothing in
the file can name another module.

* :func:`load_bundle` -- a read-only :class:`ModelBundle` (name -> head); ``None``: the shipped file.
* :func:`save_bundle` -- write heads (+ card) atomically: a unique temporary file beside the
  target, fsynced, renamed over it, the folder fsynced; what loading would refuse is refused here.
* :func:`replace_head` -- add or replace one head of an existing file, atomically and under an
  ``fcntl`` lock on ``<path>.lock``, so processes replacing different heads keep each other's.

A version-1 file (``rhetoric-propaganda-model``, one propaganda model) loads as a bundle with one
``"propaganda"`` head. Every failure is a :class:`ModelFormatError` naming the file; the checks
on untrusted bytes (size limits, strict JSON, array headers) are in :mod:`rhetoric.learn.modelcheck`.
The checksums detect damage, not forgery: only load files from a source you trust.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from rhetoric.learn import modelcheck as _check
from rhetoric.learn.card import ModelCard
from rhetoric.learn.modelcheck import FORMAT, FORMAT_VERSION, V1_FORMAT, ModelFormatError

_ARRAY, _NAME, _digest = _check.ARRAY, _check.NAME, _check.digest

__all__ = ["FORMAT", "FORMAT_VERSION", "HEAD_KINDS", "ModelBundle", "ModelCard", "ModelFormatError",
           "default_model_path", "load_bundle", "register_head_kind", "replace_head", "save_bundle"]


# kind -> "module:Class" inside the rhetoric package; imported only when a file holds that kind
HEAD_KINDS: dict[str, str] = {
    "propaganda": "rhetoric.propaganda.head:PropagandaHead",
    "attribution-crf": "rhetoric.sourcing.tagger:AttributionTagger",
    "hedging": "rhetoric.hedging.head:HedgingHead",
    "state_media_register": "rhetoric.statemedia.head:StateMediaHead",
}

_KIND = re.compile(r"[a-z][a-z0-9_\-]{0,39}")
_TARGET = re.compile(r"rhetoric(\.[A-Za-z_][A-Za-z0-9_]*)+:[A-Za-z_][A-Za-z0-9_]*")


def register_head_kind(kind: str, target: str) -> None:
    """Allow files to hold heads of ``kind``, read by ``target`` = ``"rhetoric.<module>:<Class>"``."""
    if not _KIND.fullmatch(kind):
        raise ValueError(f"invalid head kind {kind!r}")
    if not _TARGET.fullmatch(target):
        raise ValueError(f"head class must be 'rhetoric.<module>:<Class>', got {target!r}")
    HEAD_KINDS[kind] = target


def _head_class(kind: str) -> type:
    from importlib import import_module
    target = HEAD_KINDS.get(kind)
    if target is None:
        raise ModelFormatError(f"unknown head kind {kind!r} (known: {', '.join(sorted(HEAD_KINDS))})")
    module, _, name = target.partition(":")
    cls = getattr(import_module(module), name)
    if not isinstance(cls, type):
        raise ModelFormatError(f"head kind {kind!r} does not name a class")
    return cls


def _kind_of(head: Any) -> str:
    kind = getattr(type(head), "kind", None)
    if isinstance(kind, str) and kind in HEAD_KINDS:
        return kind
    path = f"{type(head).__module__}:{type(head).__qualname__}"
    for k, target in HEAD_KINDS.items():
        if target == path:
            return k
    raise ValueError(f"{type(head).__name__} is not a registered head kind; call register_head_kind first")


class ModelBundle(Mapping[str, Any]):
    """The heads of one model file, by name (read-only), with the file's card and identity."""

    def __init__(self, heads: Mapping[str, Any], card: Mapping[str, Any] | None = None, content_sha256: str = "",
                 library_versions: Mapping[str, str] | None = None, path: str | None = None) -> None:
        self._heads = dict(heads)
        self.card = ModelCard(dict(card or {}))
        self.content_sha256 = content_sha256
        self.library_versions = dict(library_versions or {})
        self.path = path

    def __getitem__(self, name: str) -> Any:
        return self._heads[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._heads)

    def __len__(self) -> int:
        return len(self._heads)

    @property
    def name(self) -> str:
        return f"{FORMAT}/{FORMAT_VERSION} {self.content_sha256[:12] or 'unsaved'}"

    def __repr__(self) -> str:
        return f"ModelBundle({self.name!r}, heads={list(self._heads)})"


def default_model_path() -> Path:
    return Path(__file__).resolve().parents[1] / "models" / "default.rhetoric-model"


def library_versions() -> dict[str, str]:
    import platform
    from importlib import metadata
    out = {"python": platform.python_version(), "numpy": np.__version__}
    for dist in ("scikit-learn", "scipy", "rhetoric-lens"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:  # pragma: no cover
            pass
    return out


def jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    if isinstance(v, np.ndarray):
        return jsonable(v.tolist())
    if isinstance(v, os.PathLike):
        return os.fspath(v)
    return v


# -- reading ---------------------------------------------------------------------------------------


def _read(p: Path) -> tuple[dict[str, Any], dict[str, tuple[str, dict[str, Any], dict[str, bytes]]]]:
    """Validated ``(file meta, {head name: (kind, head meta, {array: npy bytes})})``; the checks are
    in :mod:`rhetoric.learn.modelcheck` (limits from the zip headers first, then strict JSON)."""
    where = str(p)
    if not zipfile.is_zipfile(p):
        raise ModelFormatError(f"{where}: not a rhetoric model (not a zip archive; pickles are not accepted)")
    _check.check_directory(where, p)
    with zipfile.ZipFile(p) as z:
        infos = z.infolist()
        if len(infos) > _check.MAX_MEMBERS:
            raise ModelFormatError(f"{where}: implausibly many members ({len(infos)}, "
                                   f"limit {_check.MAX_MEMBERS})")
        by_name = {i.filename: i for i in infos}
        if len(by_name) != len(infos):
            raise ModelFormatError(f"{where}: duplicate member names in the archive")
        if "model.json" not in by_name:
            raise ModelFormatError(f"{where}: not a rhetoric model (no model.json in the archive)")
        if sum(i.file_size for i in infos) > _check.MAX_TOTAL:
            raise ModelFormatError(f"{where}: implausibly large model file "
                                   f"(over {_check.MAX_TOTAL >> 20} MiB inflated)")
        meta = _check.parse_json(where, _check.read_member(z, by_name["model.json"], _check.MAX_JSON, where))
        heads = {}
        for name, (kind, head_meta, arrays, member_fmt) in _check.check_meta(where, meta).items():
            blobs = {}
            for array, spec in arrays.items():
                label = f"{array!r}" if meta["format"] == V1_FORMAT else f"{name}/{array!r}"
                info = by_name.get(member_fmt.format(array=array))
                if info is None:
                    raise ModelFormatError(f"{where}: array {label} is missing")
                b = _check.read_member(z, info, _check.MAX_MEMBER, where)
                if hashlib.sha256(b).hexdigest() != spec["sha256"]:
                    raise ModelFormatError(f"{where}: array {label} was modified (sha256 mismatch)")
                blobs[array] = b
            heads[name] = (kind, head_meta, blobs)
    return meta, heads


# RuntimeError: an "encrypted" flag; NotImplementedError (a RuntimeError): a foreign compression
# method; zlib.error: a damaged deflate stream; the rest: whatever a damaged file makes a reader raise
_READ_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, LookupError, TypeError, ValueError,
                AttributeError, ImportError, OSError, RuntimeError, zlib.error, ArithmeticError, MemoryError)


@contextmanager
def _as_format_error(where: str) -> Iterator[None]:
    """Any failure to read a file (other than a missing one) is a ModelFormatError naming it."""
    try:
        yield
    except (ModelFormatError, FileNotFoundError):
        raise
    except _READ_ERRORS as exc:
        raise ModelFormatError(f"{where}: not a valid rhetoric model ({type(exc).__name__}: {exc})") from None


def _arrays(where: str, name: str, specs: dict[str, Any], blobs: dict[str, bytes]) -> dict[str, np.ndarray]:
    out = {}
    for array, b in blobs.items():
        a = _check.npy_array(where, f"{array!r} of head {name!r}", b)   # header checked before allocating
        spec = specs[array]
        if str(a.dtype) != spec["dtype"] or list(a.shape) != spec["shape"]:
            raise ModelFormatError(f"{where}: array {array!r} of head {name!r} has the wrong dtype or shape")
        out[array] = a
    return out


def load_bundle(path: str | os.PathLike[str] | None = None) -> ModelBundle:
    """Load a model file (``None``: the shipped default). Never unpickles; verifies every checksum.

    Raises :class:`ModelFormatError` for a file that is not a valid model of a known format and
    version, and ``FileNotFoundError`` for a missing file.
    """
    p = default_model_path() if path is None else Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"model file not found: {p}")
    where = str(p)
    with _as_format_error(where):
        meta, raw = _read(p)
        v1 = meta["format"] == V1_FORMAT
        heads = {}
        for name, (kind, head_meta, blobs) in raw.items():
            specs = meta["arrays"] if v1 else meta["heads"][name]["arrays"]
            arrays = _arrays(where, name, specs, blobs)
            try:
                heads[name] = _head_class(kind).from_parts(head_meta, arrays)
            except Exception as exc:  # noqa: BLE001 - a checked but inconsistent meta
                raise ModelFormatError(f"{where}: head {name!r} ({kind}) cannot be read: "
                                       f"{type(exc).__name__}: {exc}") from None
        return ModelBundle(heads, meta.get("card") or {}, meta["content_sha256"], meta.get("library_versions", {}),
                           where)


# -- writing ---------------------------------------------------------------------------------------


def _parts(name: str, head: Any) -> tuple[dict[str, Any], dict[str, bytes]]:
    if not _NAME.fullmatch(name):
        raise ValueError(f"invalid head name {name!r}: lower-case letters, digits and _ (max 40)")
    kind = _kind_of(head)
    cls = _head_class(kind)
    if not isinstance(head, cls):
        raise TypeError(f"head {name!r} is a {type(head).__name__}, kind {kind!r} is read by {cls.__name__}")
    meta, arrays = head.to_parts()
    blobs, specs = {}, {}
    for array, a in arrays.items():
        if not _ARRAY.fullmatch(array):
            raise ValueError(f"invalid array name {array!r} in head {name!r}")
        a = np.ascontiguousarray(a)
        if a.dtype.hasobject or a.dtype.fields is not None or a.dtype.kind not in "biufUS":
            raise ValueError(f"array {array!r} of head {name!r}: dtype {a.dtype}; numbers or strings only")
        if a.dtype.kind == "f" and not np.isfinite(a).all():   # e.g. a float32 weight beyond float16's range
            raise ValueError(f"array {array!r} of head {name!r} holds values that are not finite")
        buf = io.BytesIO()
        np.save(buf, a, allow_pickle=False)
        blobs[array] = b = buf.getvalue()
        if len(b) > _check.MAX_MEMBER:
            raise ValueError(f"array {array!r} of head {name!r} is {len(b)} bytes; "
                             f"a model file member is at most {_check.MAX_MEMBER}")
        specs[array] = {"sha256": hashlib.sha256(b).hexdigest(), "dtype": str(a.dtype), "shape": list(a.shape)}
    entry = {"kind": kind, "meta": jsonable(meta), "arrays": specs}
    json.dumps(entry, allow_nan=False)   # fail here, not half-way through writing, on a meta that is not JSON
    _check.check_tree(f"head {name!r}", entry["meta"], "its meta", bits=True)   # what loading would refuse
    return entry, blobs


def _write(path: Path, entries: dict[str, dict[str, Any]], blobs: dict[str, dict[str, bytes]],
           card: Mapping[str, Any] | None) -> str:
    meta: dict[str, Any] = {"format": FORMAT, "format_version": FORMAT_VERSION, "card": jsonable(dict(card or {})),
                            "library_versions": library_versions(), "heads": entries}
    meta["content_sha256"] = _digest(meta)
    _check.check_tree(str(path), meta, "model.json", bits=False)
    text = json.dumps(meta, indent=1, ensure_ascii=False, allow_nan=False).encode("utf-8")
    sizes = [len(b) for name in entries for b in blobs[name].values()]
    total = len(text) + sum(sizes)
    if len(text) > _check.MAX_JSON or total > _check.MAX_TOTAL or len(sizes) + 1 > _check.MAX_MEMBERS:
        raise ValueError(f"model file too large to load back (model.json {len(text)} bytes, limit "
                         f"{_check.MAX_JSON}; {len(sizes) + 1} members; {total} bytes, "
                         f"limit {_check.MAX_TOTAL})")
    # a unique temporary file beside the target, flushed to disk, then renamed over it: a crash, a
    # full disk or a concurrent save leaves the old file or a complete new one, never a mixture
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("model.json", text)
                for name in entries:
                    for array, b in blobs[name].items():
                        z.writestr(f"heads/{name}/{array}.npy", b)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)
    return str(meta["content_sha256"])


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable: fsync the folder (POSIX; skipped where a folder cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - file systems without folder fsync
        pass
    finally:
        os.close(fd)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive ``fcntl`` lock on ``<path>.lock`` (no lock where fcntl does not exist)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace only
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def save_bundle(path: str | os.PathLike[str], heads: Mapping[str, Any], card: Mapping[str, Any] | None = None) -> Path:
    """Write ``heads`` (name -> head) and ``card`` as one model file, replacing it atomically."""
    p = Path(path)
    if p.is_dir():
        raise IsADirectoryError(f"{p} is a directory, not a model file path")
    if not heads:
        raise ValueError("a model file needs at least one head")
    entries, blobs = {}, {}
    for name, head in heads.items():
        entries[name], blobs[name] = _parts(name, head)
    with _locked(p):
        _write(p, entries, blobs, card)
    return p


def replace_head(path: str | os.PathLike[str], name: str, head: Any) -> Path:
    """Add or replace head ``name`` in the model file at ``path`` (created if missing), keeping the
    other heads byte for byte and the card; safe against concurrent ``replace_head`` calls."""
    p = Path(path)
    if p.is_dir():
        raise IsADirectoryError(f"{p} is a directory, not a model file path")
    entry, blob = _parts(name, head)
    with _locked(p):
        entries: dict[str, dict[str, Any]] = {}
        blobs: dict[str, dict[str, bytes]] = {}
        card: Mapping[str, Any] | None = None
        if p.exists():
            with _as_format_error(str(p)):
                meta, raw = _read(p)
            card = meta.get("card")
            if meta["format"] == V1_FORMAT:   # upgrade: read the v1 head, store it in format 2
                bundle = load_bundle(p)
                for other, h in bundle.items():
                    entries[other], blobs[other] = _parts(other, h)
            else:
                for other, (kind, head_meta, b) in raw.items():
                    entries[other] = meta["heads"][other]
                    blobs[other] = b
        entries[name], blobs[name] = entry, blob
        _write(p, entries, blobs, card)
    return p
