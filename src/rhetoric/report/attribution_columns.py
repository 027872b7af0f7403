"""The attributions of a report as columns, read through a sequence view (see :mod:`rhetoric.report.columns`).

An attribution holds up to three spans (cue, source, content): they are three
:class:`~rhetoric.report.columns.SpanView` s, sources and contents only for the attributions that
have one, beside the attribution's own columns (kind, reason, sentence, source id and the row of
its source and content in their span views).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from rhetoric.report.columns import SpanView, _View
from rhetoric.report.encoding import Column, added, concat_columns, encode
from rhetoric.report.parts import Attribution

__all__ = ["AttributionView"]


class AttributionView(_View):
    """The attributions of a report, built on access: the cue, source and content spans are three
    :class:`SpanView` s (sources and contents only for the attributions that have one)."""

    __slots__ = ()
    _cls = Attribution
    _kinds: ClassVar[dict[str, str]] = {"kind": "str", "reason": "str", "sentence": "int", "source_id": "int",
                                        "source_row": "int", "content_row": "int"}

    @classmethod
    def _encoded(cls, text: str, objects: Sequence[Any]) -> tuple[dict[str, Column], Column | None]:
        objects = list(objects)
        sources = [a.source for a in objects if a.source is not None]
        contents = [a.content for a in objects if a.content is not None]
        rows: dict[str, list[Any]] = {f: [getattr(a, f) for a in objects] for f in ("kind", "reason", "sentence",
                                                                                     "source_id")}
        for name, part in (("source", sources), ("content", contents)):
            k = iter(range(len(part)))
            rows[f"{name}_row"] = [-1 if getattr(a, name) is None else next(k) for a in objects]
        cols = {f: encode(kind, rows[f]) for f, kind in cls._kinds.items()}
        for name, part in (("cue", [a.cue for a in objects]), ("source", sources), ("content", contents)):
            cols[name] = SpanView.from_objects(text, part)  # type: ignore[assignment]
        return cols, None

    def part(self, name: str) -> SpanView:
        """The cue, source or content spans, one row per attribution that has one."""
        return self._cols[name]  # type: ignore[return-value]

    _names: ClassVar[tuple[str, ...]] = ("cue", "source", "kind", "reason", "sentence", "content", "source_id")

    def _fields(self, lo: int, hi: int, how: str = "_build") -> list[list[Any]]:
        c = self._cols
        cues = getattr(self.part("cue"), how)(lo, hi)
        found = {}
        for name in ("source", "content"):
            rows = c[f"{name}_row"].decode(lo, hi)
            kept = [r for r in rows if r >= 0]
            part = self.part(name)
            if kept and kept[-1] - kept[0] + 1 == len(kept):  # contiguous, as built
                made = getattr(part, how)(kept[0], kept[-1] + 1)
            else:
                made = [getattr(part, how)(r, r + 1)[0] for r in kept]
            it = iter(made)
            found[name] = [None if r < 0 else next(it) for r in rows]
        return [cues, found["source"], c["kind"].decode(lo, hi), c["reason"].decode(lo, hi),
                c["sentence"].decode(lo, hi), found["content"], c["source_id"].decode(lo, hi)]

    def _dicts(self, lo: int, hi: int) -> list[dict[str, Any]]:
        names = self._names
        return [dict(zip(names, row)) for row in zip(*self._fields(lo, hi, "_dicts"))]

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice) and self._objs is None:  # part views hold row numbers: slice through objects
            return AttributionView.from_objects(self._text, [self[k] for k in range(*i.indices(self._n))])
        return super().__getitem__(i)

    def state(self) -> tuple[Any, ...]:
        if self._c is None and (self._rows is not None or self._o is not None):
            return super().state()
        own = {f: self._cols[f] for f in self._kinds}
        return own, {p: self.part(p).state() for p in ("cue", "source", "content")}, self._n

    @classmethod
    def from_state(cls, text: str, state: tuple[Any, ...]) -> AttributionView:
        if len(state) == 2 and state[0] == "rows":
            return cls(text, None, None, state[1][-1], None, state[1])
        own, parts, n = state
        return cls(text, {**own, **{p: SpanView.from_state(text, s) for p, s in parts.items()}}, None, n)

    @classmethod
    def _row_state(cls, text: str, objects: Sequence[Any]) -> tuple[Any, ...]:
        """The cue, source and content spans as span rows, the rest as one tuple per attribution."""
        parts = [[a.cue for a in objects], [a.source for a in objects if a.source is not None],
                 [a.content for a in objects if a.content is not None]]
        rest = [(a.source is not None, a.kind, a.reason, a.sentence, a.content is not None, a.source_id)
                for a in objects]
        return [SpanView._row_state(text, p) for p in parts], rest, len(objects)

    @classmethod
    def _from_rows(cls, text: str, rows: tuple[Any, ...]) -> tuple[Any, ...]:
        parts, rest, _ = rows
        cues, sources, contents = (iter(SpanView._from_rows(text, p)) for p in parts)
        return tuple(Attribution(next(cues), next(sources) if has_source else None, kind, reason, sentence,
                                 next(contents) if has_content else None, source_id)
                     for has_source, kind, reason, sentence, has_content, source_id in rest)

    @classmethod
    def concat(cls, text: str, views: Sequence[_View]) -> AttributionView:
        cols: dict[str, Any] = {f: concat_columns([v._cols[f] for v in views], k)
                                for f, k in cls._kinds.items() if not f.endswith("_row")}
        for p in ("cue", "source", "content"):
            parts = [v.part(p) for v in views]  # type: ignore[attr-defined]
            cols[p] = SpanView.concat(text, parts)
            if p != "cue":
                sizes = np.cumsum([0, *map(len, parts)]).tolist()
                cols[f"{p}_row"] = concat_columns([added(v._cols[f"{p}_row"], k, True)
                                                   for v, k in zip(views, sizes)], "int")
        return cls(text, cols, None, sum(v._n for v in views))

    def without_content(self) -> AttributionView:
        """The attributions with ``content=None`` (lighter objects, for rules that do not read it)."""
        empty = SpanView.from_objects(self._text, ())
        return AttributionView(self._text, {**self._cols, "content": empty,
                                            "content_row": encode("int", [-1] * self._n)}, None, self._n)

    def with_source_ids(self, ids: Sequence[int]) -> AttributionView:
        return AttributionView(self._text, {**self._cols, "source_id": encode("int", list(ids))}, None, self._n)

    def shifted(self, offset: int, sentence: int, attribution: int, text: str) -> AttributionView:
        c = dict(self._cols)
        for name in ("cue", "source", "content"):
            c[name] = self.part(name).shifted(offset, sentence, attribution, text)  # type: ignore[assignment]
        c["sentence"] = added(c["sentence"], sentence, True)
        return AttributionView(text, c, None, self._n)
