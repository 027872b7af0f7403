"""How a report's columns are stored: typed NumPy arrays, string tables, flat item arrays.

:mod:`rhetoric.report.columns` holds its spans, sentences and attributions as one
:class:`Column` per field. Encoding is exact: a column is stored typed only when every value has
the declared type (``int``, ``float``, ``bool``, ``str``, ``None`` where allowed; ``-0.0`` and
the order of a dict's keys kept); otherwise it keeps the original objects (kind ``"obj"``), so a
hand-built report reads back what it was given.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

__all__ = ["Column", "added", "concat_columns", "encode", "ints", "odd_texts"]

_OPTBOOL = (False, True, None)  # int8 code -> value (-1 -> None)
_NONE = type(None)
_SCALE = 10_000


class Column:
    """One field of every row: ``kind`` names the encoding, ``rows`` are per-row arrays (sliced
    with the view), ``table`` is shared by the rows: a string table, or for counts and
    explanations (key table, flat key codes, flat values, value scale: 0 or 10,000ths)."""

    __slots__ = ("kind", "rows", "table")

    def __init__(self, kind: str, rows: tuple[Any, ...], table: tuple[Any, ...] = ()) -> None:
        self.kind, self.rows, self.table = kind, rows, table

    def take(self, sl: slice) -> Column:
        return Column(self.kind, tuple(r[sl] for r in self.rows), self.table)

    def decode(self, lo: int, hi: int) -> list[Any]:
        """The Python values of rows ``lo:hi``."""
        kind, rows = self.kind, self.rows
        if kind in ("int", "float", "bool"):
            return rows[0][lo:hi].tolist()
        if kind == "obj":
            return list(rows[0][lo:hi])
        if kind == "str":
            return list(map(self.table.__getitem__, rows[0][lo:hi].tolist()))
        if kind == "optfloat":
            return [None if v != v else v for v in rows[0][lo:hi].tolist()]
        if kind == "optbool":
            return list(map(_OPTBOOL.__getitem__, rows[0][lo:hi].tolist()))
        if kind == "scope":
            return [None if a < 0 else (a, b) for a, b in zip(rows[0][lo:hi].tolist(), rows[1][lo:hi].tolist())]
        if kind in ("counts", "pairs"):  # rows: where each row's items lie in the shared flat arrays
            a, b = rows[0][lo:hi].tolist(), rows[1][lo:hi].tolist()
            if not a:
                return []
            base, top = min(a), max(b)
            if top - base > 4 * sum(y - x for x, y in zip(a, b)) + 64:  # a strided view: row by row
                items = [self._items(x, y) for x, y in zip(a, b)]
            else:
                flat = self._items(base, top)
                items = [flat[x - base:y - base] for x, y in zip(a, b)]
            return list(map(dict, items)) if kind == "counts" else list(map(tuple, items))
        raise AssertionError(kind)

    def _items(self, lo: int, hi: int) -> list[tuple[str, float]]:
        """Items ``lo:hi`` of the flat (key code, value) arrays of a counts or pairs column."""
        keys, codes, values, scale = self.table
        vals = values[lo:hi] / scale if scale else values[lo:hi]
        return list(zip(map(keys.__getitem__, codes[lo:hi].tolist()), vals.tolist()))

    def __len__(self) -> int:
        return len(self.rows[0])

    def __reduce__(self) -> tuple[Any, ...]:
        return Column, (self.kind, self.rows, self.table)


def ints(values: Any) -> np.ndarray:
    """Integers as int32 when they fit (they nearly always do), else int64; an int32 array as it is."""
    if isinstance(values, np.ndarray) and values.dtype == np.int32:
        return values
    a = np.asarray(values, dtype=np.int64)
    if len(a) and -2 ** 31 <= a.min() and a.max() < 2 ** 31:
        return a.astype(np.int32)
    return a


def _plus(a: np.ndarray, k: int) -> np.ndarray:
    """``a + k`` in int32 when the result fits (no int64 copy of a long column in between)."""
    if len(a) and a.dtype == np.int32 and -2 ** 31 <= int(a.min()) + k and int(a.max()) + k < 2 ** 31:
        return a + np.int32(k)
    return ints(a.astype(np.int64) + k)


def _codes(n: int) -> type:
    return np.uint16 if n <= 2 ** 16 else np.int32


def encode(kind: str, values: Sequence[Any]) -> Column:
    """``values`` in the encoding ``kind`` when every value fits it, else as the objects ("obj")."""
    types = set(map(type, values))
    if kind == "int" and types <= {int} and (not values or -2 ** 63 <= min(values) and max(values) < 2 ** 63):
        return Column("int", (ints(values),))
    if kind == "float" and types <= {float}:
        return Column("float", (np.array(values, dtype=np.float64),))
    if kind == "bool" and types <= {bool}:
        return Column("bool", (np.array(values, dtype=np.bool_),))
    if kind == "str" and types <= {str}:
        index = _first_seen(values)
        return Column("str", (_code_array(index, values),), tuple(index))
    if kind == "optfloat" and types <= {float, _NONE} and all(v == v for v in values if v is not None):
        return Column("optfloat", (np.array([math.nan if v is None else v for v in values], dtype=np.float64),))
    if kind == "optbool" and types <= {bool, _NONE}:
        return Column("optbool", (np.array([-1 if v is None else v for v in values], dtype=np.int8),))
    if kind == "scope" and types <= {tuple, _NONE} and all(
            v is None or (len(v) == 2 and type(v[0]) is int and type(v[1]) is int and v[0] >= 0) for v in values):
        return Column("scope", (ints([-1 if v is None else v[0] for v in values]),
                                ints([-1 if v is None else v[1] for v in values])))
    if kind == "counts" and types <= {dict}:
        column = _flat_items(kind, [d.items() for d in values])
        if column is not None:
            return column
    if kind == "pairs" and types <= {tuple}:
        column = _flat_items(kind, values)
        if column is not None:
            return column
    return Column("obj", (tuple(values),))


def _first_seen(values: Sequence[str]) -> dict[str, int]:
    """Each distinct value's code, in order of first appearance."""
    return {v: i for i, v in enumerate(dict.fromkeys(values))}


def _code_array(index: dict[str, int], values: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(index.__getitem__, values), dtype=_codes(len(index)), count=len(values))


def _flat_items(kind: str, rows: Sequence[Any]) -> Column | None:
    """Rows of ``(str, float)`` items (a counts dict's, an explanation's) as one flat array of key
    codes and one of values, each row a ``lo:hi`` range of them; ``None`` if an item is not that."""
    rows = [tuple(r) for r in rows]
    sizes = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    flat = list(chain.from_iterable(rows))
    keys: Sequence[Any] = ()
    values: Sequence[Any] = ()
    if flat:
        if set(map(type, flat)) != {tuple} or set(map(len, flat)) != {2}:
            return None
        keys, values = zip(*flat)
        if set(map(type, keys)) != {str} or set(map(type, values)) != {float}:
            return None
    hi = np.cumsum(sizes)
    index = _first_seen(keys)
    vals, scale = _scaled(np.array(values, dtype=np.float64))
    return Column(kind, (ints(hi - sizes), ints(hi)), (tuple(index), _code_array(index, keys), vals, scale))


def _scaled(v: np.ndarray) -> tuple[np.ndarray, int]:
    """``v`` as int32 ten-thousandths when that is exact (explanations are rounded to 4 places:
    half the bytes), else as it is (scale 0)."""
    with np.errstate(invalid="ignore", over="ignore"):
        k = np.rint(v * _SCALE)
        if len(v) and np.all(np.abs(k) < 2 ** 31) and np.array_equal(k / _SCALE, v) and \
                not np.any(np.signbit(v) & (v == 0)):
            return k.astype(np.int32), _SCALE
    return v, 0


def odd_texts(text: str, values: Sequence[Any], starts: Sequence[int], ends: Sequence[int]) -> Column | None:
    """``None`` when every value is the slice of ``text`` it points at, else the values (``None``
    where they are that slice)."""
    odd = [v if type(v) is not str or v != text[a:b] else None for v, a, b in zip(values, starts, ends)]
    return Column("obj", (tuple(odd),)) if any(v is not None for v in odd) else None


def concat_columns(parts: Sequence[Column], declared: str) -> Column:
    """One column of the rows of ``parts`` in order (typed when all parts share a typed kind)."""
    kinds = {p.kind for p in parts}
    if len(kinds) != 1 or "obj" in kinds:
        return encode(declared, [v for p in parts for v in p.decode(0, len(p))])
    kind = kinds.pop()
    if kind in ("int", "scope"):
        return Column(kind, tuple(_join([p.rows[i] for p in parts]) for i in range(len(parts[0].rows))))
    if kind in ("float", "bool", "optfloat", "optbool"):
        return Column(kind, (np.concatenate([p.rows[0] for p in parts]),))
    if kind in ("counts", "pairs"):
        return _concat_items(kind, parts)
    # strings: one table for all parts, each part's codes mapped through a small remap array
    index: dict[str, int] = {}
    for p in parts:
        for v in p.table:
            index.setdefault(v, len(index))
    dtype = _codes(len(index))
    recoded = [np.array([index[v] for v in p.table], dtype=dtype)[p.rows[0]] for p in parts]
    return Column(kind, (np.concatenate(recoded),), tuple(index))


def _concat_items(kind: str, parts: Sequence[Column]) -> Column:
    index: dict[str, int] = {}
    for p in parts:
        for k in p.table[0]:
            index.setdefault(k, len(index))
    dtype = _codes(len(index))
    codes, lo, hi = [], [], []
    size = 0
    for p in parts:
        keys, c, _, _ = p.table
        codes.append(np.array([index[k] for k in keys], dtype=dtype)[c])
        lo.append(_plus(p.rows[0], size))
        hi.append(_plus(p.rows[1], size))
        size += len(c)
    scales = {p.table[3] for p in parts}
    if scales == {_SCALE}:  # every part exact in ten-thousandths: joined as they are
        vals, scale = np.concatenate([p.table[2] for p in parts]), _SCALE
    else:
        vals, scale = _scaled(np.concatenate([p.table[2] / p.table[3] if p.table[3] else p.table[2] for p in parts]))
    return Column(kind, (_join(lo), _join(hi)), (tuple(index), np.concatenate(codes), vals, scale))


def _join(arrays: list[np.ndarray]) -> np.ndarray:
    """Integer arrays joined (int32 unless one of them is int64)."""
    return ints(np.concatenate(arrays)) if arrays else np.zeros(0, dtype=np.int32)


def added(col: Column, k: int, only_set: bool) -> Column:
    """An int column plus ``k`` (only where it is set, >= 0, with ``only_set``)."""
    if col.kind != "int":
        return encode("int", [v + k if not only_set or v >= 0 else v for v in col.decode(0, len(col))])
    a = col.rows[0]
    if not only_set:
        return Column("int", (_plus(a, k),))
    b = _plus(a, k)
    return Column("int", (np.where(a >= 0, b, a.astype(b.dtype, copy=False)),))
