"""Column storage for a report's spans, sentences and attributions, read through sequence views.

A 50 MB document has about a million spans and sentences; as frozen objects they cost ~15x the
text. A :class:`Report` therefore keeps them in columns (NumPy arrays for numbers, small integer
codes into string tables, explanations and counts as flat arrays of (name code, value), no span
or sentence text: it is the slice ``text[start:end]``), the way spaCy's ``Doc`` holds arrays and makes ``Token`` objects on
access. :class:`SpanView` and :class:`SentenceView` (and, in
:mod:`rhetoric.report.attribution_columns`, :class:`AttributionView`) are immutable ``Sequence`` s that
build the :class:`Span` / :class:`Sentence` / :class:`Attribution` objects
on ``__getitem__`` and iteration, without caching them (iterating a long report must not rebuild
its whole object graph in memory).

A view made from objects (the report of one short text, a hand-built report) keeps them and
encodes its columns only when they are needed (pickling, ``to_dict``, merging blocks): encoding
costs more than the objects save for a text of a few sentences, and ``score`` of a short text is
the common case. A long text is scored in blocks, whose merged report is columns only.

How a column is stored (exactly: a hand-built report reads back what it was given) is
:mod:`rhetoric.report.encoding`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any, ClassVar

import numpy as np

from rhetoric.report.encoding import Column, added, concat_columns, encode, ints, odd_texts
from rhetoric.report.parts import Sentence, Span

__all__ = ["SentenceView", "SpanView"]

_CHUNK = 2048  # objects built per step when iterating


class _View(Sequence):
    """An immutable sequence of result objects built from columns on access (module docstring)."""

    __slots__ = ("_c", "_n", "_o", "_rows", "_t", "_text")
    _cls: ClassVar[type]
    _kinds: ClassVar[dict[str, str]]  # field -> encoding
    _names: ClassVar[tuple[str, ...]]  # the dataclass's fields, in order
    __hash__ = None  # type: ignore[assignment]  # like a list: compared by value, not hashed

    def __init__(self, text: str, cols: dict[str, Column] | None, texts: Column | None, n: int,
                 objects: tuple[Any, ...] | None = None, rows: tuple[Any, ...] | None = None) -> None:
        self._text, self._c, self._t, self._n, self._o, self._rows = text, cols, texts, n, objects, rows

    # Both the objects (from field rows) and the columns (from objects) are made on first use.
    # Threads may do that work twice, never see half of it: each result is made in a local and
    # published with one attribute store (the texts before the columns that say they are there).
    @property
    def _objs(self) -> tuple[Any, ...] | None:
        """The objects this view holds (made on first use from the field rows it was sent as),
        or ``None`` for a view of columns only."""
        objs, rows = self._o, self._rows
        if objs is None and rows is not None:
            objs = self._o = self._from_rows(self._text, rows)
            self._rows = None
        return objs

    def _encode_once(self) -> dict[str, Column]:
        cols = self._c
        if cols is None:
            cols, self._t = self._encoded(self._text, self._objs or ())
            self._c = cols
        return cols

    @property
    def _cols(self) -> dict[str, Column]:
        return self._encode_once()

    @property
    def _texts(self) -> Column | None:
        self._encode_once()
        return self._t

    @classmethod
    def from_objects(cls, text: str, objects: Sequence[Any]) -> _View:
        """The view of these objects (kept; columns encoded when needed)."""
        if isinstance(objects, cls):
            return objects
        objects = tuple(objects)
        return cls(text, None, None, len(objects), objects)

    @classmethod
    def _encoded(cls, text: str, objects: Sequence[Any]) -> tuple[dict[str, Column], Column | None]:
        """The objects' columns, and their texts where one is not the slice it points at."""
        names = [*cls._kinds, "text"]
        values = dict(zip(names, list(zip(*map(attrgetter(*names), objects))) or [() for _ in names]))
        cols = {f: encode(k, values[f]) for f, k in cls._kinds.items()}
        return cols, odd_texts(text, values["text"], values["start"], values["end"])

    def column(self, name: str) -> list[Any]:
        """The values of one field for every row (without building the objects)."""
        if self._objs is not None:
            return [getattr(o, name) for o in self._objs]
        if name == "text":
            starts, ends = self.column("start"), self.column("end")
            return self._with_text(starts, ends, 0, self._n)
        return self._cols[name].decode(0, self._n)

    def _with_text(self, starts: list[int], ends: list[int], lo: int, hi: int) -> list[str]:
        text = self._text
        out = [text[a:b] for a, b in zip(starts, ends)]
        if self._texts is not None:
            out = [t if odd is None else odd for t, odd in zip(out, self._texts.decode(lo, hi))]
        return out

    def _fields(self, lo: int, hi: int) -> list[list[Any]]:
        """Rows ``lo:hi`` as one list of values per field, in the dataclass's field order."""
        raise NotImplementedError

    def _build(self, lo: int, hi: int) -> list[Any]:
        if self._objs is not None:
            return list(self._objs[lo:hi])
        return list(map(self._cls, *self._fields(lo, hi)))

    def _dicts(self, lo: int, hi: int) -> list[dict[str, Any]]:
        names = self._names
        return [dict(zip(names, row)) for row in zip(*self._fields(lo, hi))]

    def dicts(self) -> Iterator[dict[str, Any]]:
        """The ``to_dict()`` of every row, made from the columns (no object per row)."""
        for lo in range(0, self._n, _CHUNK):
            yield from self._dicts(lo, min(self._n, lo + _CHUNK))

    # -- Sequence ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: Any) -> Any:
        objs = self._objs
        if objs is not None:
            if isinstance(i, slice):
                part = objs[i]
                return type(self)(self._text, None, None, len(part), part)
            try:
                return objs[i]
            except IndexError:
                raise IndexError(f"{type(self).__name__} index out of range") from None
        if isinstance(i, slice):
            start, stop, step = i.indices(self._n)
            n = len(range(start, stop, step))
            sl = slice(start, None if stop < 0 else stop, step)  # (stop -1 of a reversed slice is "before 0")
            texts = None if self._texts is None else self._texts.take(sl)
            return type(self)(self._text, {f: c.take(sl) for f, c in self._cols.items()}, texts, n)
        i = i.__index__()
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._build(i, i + 1)[0]

    def __iter__(self) -> Iterator[Any]:
        if self._objs is not None:
            yield from self._objs
            return
        for lo in range(0, self._n, _CHUNK):
            yield from self._build(lo, min(self._n, lo + _CHUNK))

    def __reversed__(self) -> Iterator[Any]:
        if self._objs is not None:
            yield from reversed(self._objs)
            return
        for hi in range(self._n, 0, -_CHUNK):
            yield from reversed(self._build(max(0, hi - _CHUNK), hi))

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, (type(self), tuple, list)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    def __add__(self, other: Any) -> Any:
        if isinstance(other, (tuple, list, _View)):
            return (*self, *other) if not isinstance(other, list) else [*self, *other]
        return NotImplemented

    def __radd__(self, other: Any) -> Any:
        if isinstance(other, tuple):
            return (*other, *self)
        if isinstance(other, list):
            return [*other, *self]
        return NotImplemented

    def __repr__(self) -> str:
        head = ", ".join(map(repr, self._build(0, min(self._n, 3))))
        return f"<{type(self).__name__} of {self._n}: {head}{', ...' if self._n > 3 else ''}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self._text, self._cols, self._texts, self._n)

    def state(self) -> tuple[Any, ...]:
        """The view without the text (``from_state`` rebuilds it with the text): its columns, or,
        for a view of objects not yet encoded (a short text's report), their field rows, which
        cost less to make and to send than columns (``score_many`` workers send these)."""
        rows, objs = self._rows, self._o
        if self._c is None and objs is None and rows is not None:
            return ("rows", rows)
        if self._c is None and objs is not None:
            return ("rows", self._row_state(self._text, objs))
        return self._cols, self._texts, self._n

    @classmethod
    def from_state(cls, text: str, state: tuple[Any, ...]) -> _View:
        if len(state) == 2 and state[0] == "rows":  # objects made when first read
            return cls(text, None, None, state[1][-1], None, state[1])
        return cls(text, *state)

    @classmethod
    def _row_state(cls, text: str, objects: Sequence[Any]) -> tuple[Any, ...]:
        """``(field lists without the text, the texts or None when every one is its slice, n)``."""
        names = cls._names
        at = names.index("text")
        columns = list(zip(*map(attrgetter(*names), objects)))
        if not columns:
            return [], None, 0
        texts = columns.pop(at)
        sliced = all(t == text[a:b] for t, a, b in zip(texts, columns[at - 2], columns[at - 1]))
        return columns, None if sliced else texts, len(objects)

    @classmethod
    def _from_rows(cls, text: str, rows: tuple[Any, ...]) -> tuple[Any, ...]:
        columns, texts, n = rows
        if not n:
            return ()
        at = cls._names.index("text")
        if texts is None:
            texts = [text[a:b] for a, b in zip(columns[at - 2], columns[at - 1])]
        return tuple(map(cls._cls, *columns[:at], texts, *columns[at:]))

    @classmethod
    def concat(cls, text: str, views: Sequence[_View]) -> _View:
        """One view of the rows of ``views`` in order, on ``text`` (views of consecutive blocks of
        it, shifted to it)."""
        cols = {f: concat_columns([v._cols[f] for v in views], k) for f, k in cls._kinds.items()}
        texts = None
        if any(v._texts is not None for v in views):
            texts = Column("obj", (tuple(x for v in views for x in (
                [None] * v._n if v._texts is None else v._texts.decode(0, v._n))),))
        return cls(text, cols, texts, sum(v._n for v in views))


_SPAN_KINDS = {"start": "int", "end": "int", "category": "str", "label": "str", "weight": "float", "rule": "str",
               "pattern": "str", "sentence": "int", "voice": "str", "attribution": "int", "scope": "scope"}


class SpanView(_View):
    """The spans of a report (or an attribution part), built on access."""

    __slots__ = ()
    _cls = Span
    _kinds: ClassVar[dict[str, str]] = _SPAN_KINDS

    _names: ClassVar[tuple[str, ...]] = ("start", "end", "text", *list(_SPAN_KINDS)[2:])

    def _fields(self, lo: int, hi: int) -> list[list[Any]]:
        c = self._cols
        start, end = c["start"].decode(lo, hi), c["end"].decode(lo, hi)
        return [start, end, self._with_text(start, end, lo, hi), *[c[f].decode(lo, hi) for f in self._names[3:]]]

    def _dicts(self, lo: int, hi: int) -> list[dict[str, Any]]:
        out = super()._dicts(lo, hi)
        for d in out:  # as Span.to_dict
            if d["scope"] is not None:
                d["scope"] = list(d["scope"])
        return out

    def shifted(self, offset: int, sentence: int, attribution: int, text: str) -> SpanView:
        """The spans moved ``offset`` characters on into ``text``, their sentence and attribution
        indices (when set) on by ``sentence`` and ``attribution`` (a block report into its document:
        the view then holds the document's text, not the block's)."""
        c = dict(self._cols)
        for f, k in (("start", offset), ("end", offset), ("sentence", sentence), ("attribution", attribution)):
            c[f] = added(c[f], k, f in ("sentence", "attribution"))
        if c["scope"].kind == "scope":
            a, b = c["scope"].rows
            c["scope"] = Column("scope", (ints(np.where(a >= 0, a.astype(np.int64) + offset, -1)),
                                          ints(np.where(a >= 0, b.astype(np.int64) + offset, -1))))
        else:
            c["scope"] = encode("scope", [None if s is None else (s[0] + offset, s[1] + offset)
                                          for s in c["scope"].decode(0, self._n)])
        return SpanView(text, c, self._texts, self._n)


_SENTENCE_KINDS = {"index": "int", "start": "int", "end": "int", "n_words": "int", "counts": "counts",
                   "propaganda": "optfloat", "explanation": "pairs", "is_propaganda": "optbool",
                   "is_hedged": "optbool", "state_media": "optfloat", "boilerplate": "bool"}


class SentenceView(_View):
    """The sentences of a report, built on access."""

    __slots__ = ()
    _cls = Sentence
    _kinds: ClassVar[dict[str, str]] = _SENTENCE_KINDS

    _names: ClassVar[tuple[str, ...]] = ("index", "start", "end", "text", *list(_SENTENCE_KINDS)[3:])

    def _fields(self, lo: int, hi: int) -> list[list[Any]]:
        c = self._cols
        start, end = c["start"].decode(lo, hi), c["end"].decode(lo, hi)
        return [c["index"].decode(lo, hi), start, end, self._with_text(start, end, lo, hi),
                *[c[f].decode(lo, hi) for f in self._names[4:]]]

    def _dicts(self, lo: int, hi: int) -> list[dict[str, Any]]:
        out = super()._dicts(lo, hi)
        for d in out:  # as Sentence.to_dict
            d["explanation"] = [list(x) for x in d["explanation"]]
            if type(d["counts"]) is not dict:
                d["counts"] = dict(d["counts"])
        return out

    def shifted(self, offset: int, sentence: int, text: str) -> SentenceView:
        """The sentences moved ``offset`` characters on into ``text``, their indices on by ``sentence``."""
        c = dict(self._cols)
        for f, k in (("index", sentence), ("start", offset), ("end", offset)):
            c[f] = added(c[f], k, False)
        return SentenceView(text, c, self._texts, self._n)
