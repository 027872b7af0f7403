"""Reading an untrusted model file: limits, strict JSON, ``.npy`` headers and the structure of
``model.json``, so that any bytes give a :class:`ModelFormatError` quickly and in little memory.

:mod:`rhetoric.learn.modelfile` reads and writes the format; this module holds the checks it runs
on every file before a head class sees any of it. Sizes are checked on the zip headers before
anything is inflated and again while reading (a header may lie); numbers must be finite; the
``*bits`` integers that size a head's hashed weight table are bounded; array headers are checked
against the bytes that follow them before an array is allocated. The checksums these checks sit
behind detect damage, not forgery: a valid file with chosen weights can always be written.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import struct
import zipfile
from typing import Any

import numpy as np

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "MAX_BITS",
    "MAX_JSON",
    "MAX_MEMBER",
    "MAX_MEMBERS",
    "MAX_TOTAL",
    "V1_FORMAT",
    "ModelFormatError",
    "check_directory",
    "check_meta",
    "check_tree",
    "digest",
    "npy_array",
    "parse_json",
    "read_member",
]

FORMAT = "rhetoric-model"
FORMAT_VERSION = 2
V1_FORMAT = "rhetoric-propaganda-model"

NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
ARRAY = re.compile(r"[A-Za-z0-9_]{1,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# The shipped file is ~8 MB inflated and its model.json ~12 KB; these leave room for more heads.
MAX_MEMBER = 32 << 20          # one array, inflated
MAX_TOTAL = 64 << 20           # all members, inflated (as the zip headers claim them)
MAX_JSON = 2 << 20             # model.json
MAX_MEMBERS = 256
MAX_DEPTH = 32                 # nesting of model.json
MAX_BITS = 24                  # "bits", "n_bits", "*_bits" of a head: at most 2**24 hashed columns
_DTYPE_KINDS = "biufUS"        # bool, integers, floats, fixed-width strings; never objects or records
_COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


class ModelFormatError(ValueError):
    """The file is not a valid rhetoric model: foreign, truncated, tampered with or a newer format."""


def digest(meta: dict[str, Any]) -> str:
    """``content_sha256``: sha256 of the sorted JSON of ``meta`` without that key."""
    body = {k: v for k, v in meta.items() if k != "content_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()


def check_directory(where: str, path: Any) -> None:
    """Refuse a zip whose central directory claims too many members, before zipfile parses it (a
    directory of a million entries takes seconds); the end record is in the last 64 KiB."""
    with open(path, "rb") as f:
        f.seek(0, 2)
        size = f.tell()
        f.seek(max(0, size - (1 << 16) - 22))
        tail = f.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return   # zipfile.is_zipfile has said no already, or will
    entries, directory_size = struct.unpack_from("<HL", tail, at + 10)
    if entries > MAX_MEMBERS or directory_size > MAX_MEMBERS * 1024:   # also refuses ZIP64 (0xFFFF...)
        raise ModelFormatError(f"{where}: implausibly many members ({entries}, limit {MAX_MEMBERS})")


def read_member(z: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, where: str) -> bytes:
    """One member, never more than ``limit`` bytes inflated whatever its header claims."""
    if info.compress_type not in _COMPRESSIONS or info.flag_bits & 0x1:
        raise ModelFormatError(f"{where}: member {info.filename!r} is encrypted or uses an unsupported "
                               "compression method")
    if info.file_size > limit:
        raise ModelFormatError(f"{where}: member {info.filename!r} is implausibly large "
                               f"({info.file_size} bytes, limit {limit})")
    with z.open(info) as f:   # zipfile stops at the header's size and then checks the CRC
        data = f.read(limit + 1)
    if len(data) > limit:  # pragma: no cover - defensive
        raise ModelFormatError(f"{where}: member {info.filename!r} is implausibly large")
    return data


def _finite_float(s: str) -> float:
    v = float(s)
    if not math.isfinite(v):
        raise ValueError(f"number {s} is out of range")
    return v


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a finite number")


def parse_json(where: str, raw: bytes) -> Any:
    """Strict JSON: UTF-8, finite numbers only (no NaN, Infinity or 1e999)."""
    try:
        return json.loads(raw.decode("utf-8"), parse_float=_finite_float, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:   # JSONDecodeError is a ValueError
        raise ModelFormatError(f"{where}: model.json is not valid JSON "
                               f"({type(exc).__name__}: {exc})") from None


def check_tree(where: str, node: Any, label: str, bits: bool) -> None:
    """The depth of a JSON tree and, with ``bits``, its ``*bits`` integers, which size the hashed
    weight tables a head allocates (``n_bits: 40`` is a 2**40 table); walked without recursion."""
    stack = [(node, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ModelFormatError(f"{where}: {label} is nested more than {MAX_DEPTH} deep")
        if isinstance(value, dict):
            for k, v in value.items():
                if bits and (k in ("bits", "n_bits") or k.endswith("_bits")) and \
                        (type(v) is not int or not 1 <= v <= MAX_BITS):
                    raise ModelFormatError(f"{where}: {label}: {k} must be an integer in 1..{MAX_BITS}, "
                                           f"got {v!r}")
                stack.append((v, depth + 1))
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)


def _check_specs(where: str, label: str, specs: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(specs, dict):
        raise ModelFormatError(f"{where}: the arrays of {label} must be an object")
    for array, spec in specs.items():
        ok = (isinstance(spec, dict) and isinstance(spec.get("sha256"), str)
              and _SHA256.fullmatch(spec["sha256"]) is not None and isinstance(spec.get("dtype"), str)
              and isinstance(spec.get("shape"), list) and len(spec["shape"]) <= 8
              and all(type(n) is int and n >= 0 for n in spec["shape"]))
        if not ARRAY.fullmatch(array) or not ok:
            raise ModelFormatError(f"{where}: invalid entry for array {array!r} of {label}")
    return specs


def check_meta(where: str, meta: Any) -> dict[str, tuple[str, dict[str, Any], dict[str, Any], str]]:
    """Validate model.json; ``{head name: (kind, head meta, array specs, member name pattern)}``."""
    fmt = meta.get("format") if isinstance(meta, dict) else None
    if fmt not in (FORMAT, V1_FORMAT):
        raise ModelFormatError(f"{where}: not a rhetoric model (format {fmt!r})")
    version = meta.get("format_version")
    if type(version) is not int or (fmt, version) not in ((FORMAT, FORMAT_VERSION), (V1_FORMAT, 1)):
        raise ModelFormatError(f"{where}: model format version {version!r} is not supported "
                               f"(this rhetoric reads version {FORMAT_VERSION}, and version 1)")
    if not isinstance(meta.get("content_sha256"), str) or meta["content_sha256"] != digest(meta):
        raise ModelFormatError(f"{where}: model.json was modified (checksum mismatch)")
    if not all(meta.get(k) is None or isinstance(meta[k], dict) for k in ("card", "library_versions")):
        raise ModelFormatError(f"{where}: card and library_versions must be objects")
    check_tree(where, meta, "model.json", bits=False)
    if fmt == V1_FORMAT:      # one propaganda model: its meta minus the file-level keys is the head
        file_keys = ("format", "format_version", "arrays", "library_versions", "card", "content_sha256")
        head_meta = {k: v for k, v in meta.items() if k not in file_keys}
        head_meta["card"] = meta.get("card") or {}
        check_tree(where, head_meta, "the model", bits=True)
        return {"propaganda": ("propaganda", head_meta, _check_specs(where, "the model", meta.get("arrays")),
                               "arrays/{array}.npy")}
    heads = meta.get("heads")
    if not isinstance(heads, dict) or not heads:
        raise ModelFormatError(f"{where}: the file holds no heads")
    out = {}
    for name, h in heads.items():
        if not NAME.fullmatch(name) or not isinstance(h, dict) or not isinstance(h.get("kind"), str) \
                or not isinstance(h.get("meta"), dict):
            raise ModelFormatError(f"{where}: invalid head entry {name!r}")
        check_tree(where, h["meta"], f"head {name!r}", bits=True)
        out[name] = (h["kind"], h["meta"], _check_specs(where, f"head {name!r}", h.get("arrays")),
                     "heads/" + name + "/{array}.npy")
    return out


def npy_array(where: str, label: str, b: bytes) -> np.ndarray:
    """An ``.npy`` blob as a (writable) array. The header is checked against the bytes that follow it
    before anything is allocated (``np.load`` allocates whatever a header claims); plain numeric or
    string dtypes only; float values must be finite."""
    from numpy.lib import format as npy
    f = io.BytesIO(b)
    version = npy.read_magic(f)
    if version == (1, 0):
        shape, fortran, dtype = npy.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, fortran, dtype = npy.read_array_header_2_0(f)
    else:
        raise ModelFormatError(f"{where}: array {label} has an unsupported .npy version {version}")
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None \
            or dtype.kind not in _DTYPE_KINDS:
        raise ModelFormatError(f"{where}: array {label} has an unsupported dtype {dtype}")
    count = math.prod(shape)
    if any(n < 0 for n in shape) or count * dtype.itemsize != len(b) - f.tell():
        raise ModelFormatError(f"{where}: array {label}: its header does not match its size")
    a = np.frombuffer(b, dtype=dtype, count=count, offset=f.tell())
    a = a.reshape(shape, order="F" if fortran else "C").copy()
    if a.dtype.kind == "f" and not np.isfinite(a).all():
        raise ModelFormatError(f"{where}: array {label} holds values that are not finite (NaN or infinity)")
    return a
