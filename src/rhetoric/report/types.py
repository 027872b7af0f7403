"""Result types: spans, sentences, attributions and the report that holds them.

All are frozen dataclasses. Offsets are Python string indices into the scored text (code points,
start inclusive, end exclusive), so ``text[span.start:span.end] == span.text`` always holds.
``Report.to_dict()`` is the documented, versioned JSON schema (see ``SCHEMA_VERSION``) and
``Report.from_dict()`` reads it back: ``Report.from_json(r.to_json()) == r``.

A report keeps its spans, sentences and attributions in columns; ``report.spans`` and the others
are read-only sequence views that build the objects on access (:mod:`rhetoric.report.columns`).
A report built by hand with tuples of objects is converted to columns when it is made.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from rhetoric.report.attribution_columns import AttributionView
from rhetoric.report.columns import SentenceView, SpanView
from rhetoric.report.parts import ATTRIBUTION_KINDS, SPAN_CATEGORIES, VOICES, Attribution, Sentence, Span
from rhetoric.report.ptc import ptc_lines

__all__ = ["SCHEMA_VERSION", "SPAN_CATEGORIES", "ATTRIBUTION_KINDS", "VOICES", "Span", "Sentence", "Attribution",
           "Report", "compact_state", "from_compact_state"]

SCHEMA_VERSION = "2.0"
_VIEWS = {"spans": SpanView, "sentences": SentenceView, "attributions": AttributionView}


@dataclass(frozen=True)
class Report:
    """Everything :func:`rhetoric.score` found in one text.

    ``scores`` holds one bounded 0–1 score per dimension, ``densities`` the evidence per 1,000
    words behind each (``docs/scoring.md`` in the README gives the formulas), ``sourcing`` the
    attribution counts and shares.
    """

    text: str
    n_words: int
    scores: dict[str, float]
    densities: dict[str, float]
    sourcing: dict[str, float]
    spans: Sequence[Span]
    sentences: Sequence[Sentence]
    attributions: Sequence[Attribution]
    lexicon_sha256: str
    model: str | None = None
    version: str = ""
    schema_version: str = SCHEMA_VERSION
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # tuples or lists of objects (a hand-built report, from_dict, dataclasses.replace) become
        # columns; a view of this or another report is kept as it is (its texts are its own)
        for name, view in _VIEWS.items():
            value = getattr(self, name)
            if not isinstance(value, view):
                object.__setattr__(self, name, view.from_objects(self.text, value))

    # -- selection -------------------------------------------------------------------------
    def spans_of(self, category: str, label: str | None = None) -> list[Span]:
        """Spans of one category (and optionally one label)."""
        return [s for s in self.spans if s.category == category and (label is None or s.label == label)]

    # -- export ----------------------------------------------------------------------------
    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """A JSON-safe dict; its layout is versioned by ``schema_version``."""
        d: dict[str, Any] = {
            "schema_version": self.schema_version,
            "rhetoric_version": self.version,
            "lexicon_sha256": self.lexicon_sha256,
            "model": self.model,
            "n_words": self.n_words,
            "scores": dict(self.scores),
            "densities": dict(self.densities),
            "sourcing": dict(self.sourcing),
            # each part's to_dict(), made from the columns
            "spans": list(self.spans.dicts()),  # type: ignore[attr-defined]
            "sentences": list(self.sentences.dicts()),  # type: ignore[attr-defined]
            "attributions": list(self.attributions.dicts()),  # type: ignore[attr-defined]
            "meta": dict(self.meta),
        }
        if include_text:
            d["text"] = self.text
        return d

    def to_json(self, indent: int | None = None, include_text: bool = True) -> str:
        return json.dumps(self.to_dict(include_text=include_text), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Report:
        """Rebuild a report from :meth:`to_dict` output, so stored reports can be read back.

        The dict must hold the text (``include_text=True``, the default): every offset points into
        it. ``ValueError`` for a dict without text, another schema major version, a missing field,
        or a span whose offsets do not match the text (a report edited or paired with another text).
        """
        if not isinstance(d, Mapping):
            raise ValueError(f"a report dict must be a JSON object, got {type(d).__name__}")
        if "text" not in d:
            raise ValueError("the report has no 'text' (it was exported with include_text=False), and a Report "
                             "cannot be rebuilt without the text its offsets point into: export it with "
                             "to_dict() / to_json() (include_text=True, the default), or set d['text'] to the "
                             "scored text")
        version = str(d.get("schema_version", ""))
        if version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
            raise ValueError(f"report schema version {version!r} cannot be read as schema {SCHEMA_VERSION}")
        try:
            report = cls(
                text=d["text"], n_words=d["n_words"], scores=dict(d["scores"]), densities=dict(d["densities"]),
                sourcing=dict(d["sourcing"]), spans=tuple(Span.from_dict(s) for s in d["spans"]),
                sentences=tuple(Sentence.from_dict(s) for s in d["sentences"]),
                attributions=tuple(Attribution.from_dict(a) for a in d["attributions"]),
                lexicon_sha256=d["lexicon_sha256"], model=d.get("model"), version=d.get("rhetoric_version", ""),
                schema_version=version, meta=dict(d.get("meta", {})))
        except KeyError as exc:
            raise ValueError(f"the report dict has no field {exc.args[0]!r}") from None
        except TypeError as exc:  # a span or sentence without one of its required fields
            raise ValueError(f"malformed report dict: {exc}") from None
        _check_offsets(report)
        return report

    @classmethod
    def from_json(cls, s: str | bytes) -> Report:
        """Rebuild a report from :meth:`to_json` output (see :meth:`from_dict`)."""
        return cls.from_dict(json.loads(s))

    def to_ptc(self, article_id: str | int) -> str:
        """The ``technique`` spans as PTC lines ``id<TAB>technique<TAB>start<TAB>end`` (SemEval-2020 Task 11)."""
        return ptc_lines(self.spans, article_id)

    def to_html(self, title: str = "rhetoric report") -> str:
        """A standalone HTML page with the highlighted text and the scores."""
        from rhetoric.report.html import render_page
        return render_page(self, title=title)

    def _repr_html_(self) -> str:
        from rhetoric.report.html import render_fragment
        return render_fragment(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return from_compact_state, (compact_state(self), self.text)

    def __repr__(self) -> str:
        scores = ", ".join(f"{k}={v:.2f}" for k, v in self.scores.items())
        return f"<Report {self.n_words} words, {len(self.spans)} spans, {len(self.attributions)} attributions: {scores}>"


def _check_offsets(report: Report) -> None:
    for view in (report.spans, *(report.attributions.part(p) for p in ("cue", "source", "content"))):
        for a, b, t in zip(view.column("start"), view.column("end"), view.column("text")):
            if report.text[a:b] != t:
                raise ValueError(f"span [{a}, {b}) says {t!r} but the text there is "
                                 f"{report.text[a:b]!r}: the report does not belong to this text")


# -- pickling ---------------------------------------------------------------------------------
# ``score_many`` sends every report from a worker process back to the caller, where unpickling is
# serial. A report pickles as its columns (NumPy arrays and string tables, no span or sentence
# text: that is sliced from the report's text again), so loading builds no object per span.

_REPORT_SCALARS = tuple(f.name for f in fields(Report) if f.name not in ("text", *_VIEWS))


def compact_state(report: Report) -> tuple[Any, ...]:
    """The report without its text, in columns (see :func:`from_compact_state`). ``score_many``
    workers send this, and the caller, which holds the text, rebuilds the report."""
    views = []
    for name, view in _VIEWS.items():
        v = getattr(report, name)
        if v._text is not report.text:  # a view of another text (replace(report, text=...)): its own texts kept
            v = view.from_objects(report.text, list(v))
        views.append(v.state())
    return (tuple(getattr(report, f) for f in _REPORT_SCALARS), *views)


def from_compact_state(state: tuple[Any, ...], text: str) -> Report:
    """The report of :func:`compact_state` output and the text it was scored on."""
    scalars, *views = state
    values: dict[str, Any] = dict(zip(_REPORT_SCALARS, scalars))
    values["text"] = text
    for (name, view), s in zip(_VIEWS.items(), views):
        values[name] = view.from_state(text, s)
    return Report(**values)
