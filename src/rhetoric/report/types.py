"""Result types: spans, sentences, attributions and the report that holds them.

All are frozen dataclasses. Offsets are Python string indices into the scored text (code points,
start inclusive, end exclusive), so ``text[span.start:span.end] == span.text`` always holds.
``Report.to_dict()`` is the documented, versioned JSON schema (see ``SCHEMA_VERSION``) and
``Report.from_dict()`` reads it back: ``Report.from_json(r.to_json()) == r``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from operator import attrgetter
from typing import Any

from rhetoric.report.ptc import ptc_lines

__all__ = ["SCHEMA_VERSION", "SPAN_CATEGORIES", "ATTRIBUTION_KINDS", "Span", "Sentence", "Attribution", "Report"]

SCHEMA_VERSION = "2.0"
SPAN_CATEGORIES = ("state_media", "technique", "attribution", "hedge", "booster", "approximation", "boilerplate")
VOICES = ("author", "quoted")
ATTRIBUTION_KINDS = ("named", "anonymous", "vague", "state_media")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of evidence: where it is, what it is, and which rule or lexicon entry found it.

    ``rule`` is a lexicon line (``"state_media.tsv:12"``), a context rule (``"attribution:source"``)
    or a model (``"model:span-tagger"``); ``pattern`` is the lexicon pattern or a short description.
    ``voice`` is ``"author"`` or ``"quoted"`` (inside a quotation or an attributed content span; then
    ``attribution`` is the index of that attribution in ``Report.attributions``, else -1). ``scope``
    is, for a hedge, the ``(start, end)`` of the clause it governs.
    """

    start: int
    end: int
    text: str
    category: str
    label: str
    weight: float
    rule: str
    pattern: str = ""
    sentence: int = -1
    voice: str = "author"
    attribution: int = -1
    scope: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["scope"] = None if self.scope is None else list(self.scope)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Span:
        """The span of :meth:`to_dict` output (``scope`` back to a tuple)."""
        values = _known(cls, d)
        if values.get("scope") is not None:
            values["scope"] = tuple(values["scope"])
        return cls(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        return _reduce(self)


@dataclass(frozen=True, slots=True)
class Attribution:
    """One act of citing: the cue ("said", "according to"), its source, and the source's kind.

    ``kind`` is ``named``, ``anonymous``, ``vague`` or ``state_media``; ``reason`` says which rule
    or lexicon entry decided it (``"anonymous.tsv:3"``, ``"proper-name"``, ``"pronoun->named"``).
    ``content`` is what was said, when found; ``source_id`` numbers distinct sources (attributions
    of the same source share it; -1 when unknown).
    """

    cue: Span
    source: Span | None
    kind: str
    reason: str
    sentence: int
    content: Span | None = None
    source_id: int = -1

    def to_dict(self) -> dict[str, Any]:
        return {
            "cue": self.cue.to_dict(),
            "source": None if self.source is None else self.source.to_dict(),
            "kind": self.kind,
            "reason": self.reason,
            "sentence": self.sentence,
            "content": None if self.content is None else self.content.to_dict(),
            "source_id": self.source_id,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Attribution:
        """The attribution of :meth:`to_dict` output."""
        values = _known(cls, d)
        for role in ("cue", "source", "content"):
            if values.get(role) is not None:
                values[role] = Span.from_dict(values[role])
        return cls(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        return _reduce(self)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence with its per-sentence evidence counts and, with a model, its calls and probabilities.

    ``explanation`` lists the features that pushed the model's score up most, as
    ``(feature, contribution to the log-odds)`` pairs. ``is_propaganda`` and ``is_hedged`` are the
    heads' decisions at their operating thresholds (``None`` without a model); ``state_media`` the
    state-media head's probability; ``boilerplate`` marks site furniture left out of every score.
    """

    index: int
    start: int
    end: int
    text: str
    n_words: int
    counts: dict[str, float]
    propaganda: float | None = None
    explanation: tuple[tuple[str, float], ...] = ()
    is_propaganda: bool | None = None
    is_hedged: bool | None = None
    state_media: float | None = None
    boilerplate: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["explanation"] = [list(x) for x in self.explanation]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Sentence:
        """The sentence of :meth:`to_dict` output (``explanation`` back to a tuple of pairs)."""
        values = _known(cls, d)
        values["counts"] = dict(values.get("counts", {}))
        values["explanation"] = tuple((str(f), c) for f, c in values.get("explanation", ()))
        return cls(**values)

    def __reduce__(self) -> tuple[Any, ...]:
        return _reduce(self)


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
    spans: tuple[Span, ...]
    sentences: tuple[Sentence, ...]
    attributions: tuple[Attribution, ...]
    lexicon_sha256: str
    model: str | None = None
    version: str = ""
    schema_version: str = SCHEMA_VERSION
    meta: dict[str, Any] = field(default_factory=dict)

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
            "spans": [s.to_dict() for s in self.spans],
            "sentences": [s.to_dict() for s in self.sentences],
            "attributions": [a.to_dict() for a in self.attributions],
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


def _known(cls: type, d: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``cls`` found in ``d``; keys a later minor schema version may add are ignored."""
    if not isinstance(d, Mapping):
        raise ValueError(f"a {cls.__name__} must be a JSON object, got {type(d).__name__}")
    return {name: d[name] for name in _FIELDS[cls] if name in d}


def _check_offsets(report: Report) -> None:
    spans = [*report.spans, *(s for a in report.attributions for s in (a.cue, a.source, a.content) if s is not None)]
    for s in spans:
        if report.text[s.start:s.end] != s.text:
            raise ValueError(f"span [{s.start}, {s.end}) says {s.text!r} but the text there is "
                             f"{report.text[s.start:s.end]!r}: the report does not belong to this text")


# -- pickling ---------------------------------------------------------------------------------
# ``score_many`` sends every report from a worker process back to the caller, where unpickling is
# serial. A result object pickles as its constructor arguments (the default for frozen, slotted
# dataclasses is about twice as slow), and a report sends its spans and sentences column-wise, one
# list per field, and rebuilds them with one ``map`` per class. The text of a span or sentence is a
# slice of the report's text, so it is left out and sliced again on loading (unless it differs from
# that slice, which only a hand-built report can have); equal explanation pairs are sent once.

def _reduce(obj: Any) -> tuple[Any, ...]:
    return type(obj), tuple(getattr(obj, f) for f in _FIELDS[type(obj)])


_FIELDS: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in (Span, Attribution, Sentence, Report)}
_SPAN_ROW = attrgetter(*_FIELDS[Span])
_SENTENCE_ROW = attrgetter(*_FIELDS[Sentence])
_REPORT_SCALARS = tuple(f for f in _FIELDS[Report] if f not in ("text", "spans", "sentences", "attributions"))
# Span and Sentence both hold ``start, end, text`` in a row (Sentence after its index)
_SPAN_TEXT = _FIELDS[Span].index("text")
_SENTENCE_TEXT = _FIELDS[Sentence].index("text")
_EXPLANATION = _FIELDS[Sentence].index("explanation")


def _columns(rows: Any, text_at: int, text: str) -> tuple[list[tuple[Any, ...]], Any]:
    """Column lists of ``rows`` (field tuples) without their text column, and that column (``None``
    when every row's text is the slice ``text[start:end]``, with start and end just before it)."""
    columns = list(zip(*rows))
    if not columns:
        return [], None
    texts = columns.pop(text_at)
    starts, ends = columns[text_at - 2], columns[text_at - 1]
    sliced = all(t == text[a:b] for t, a, b in zip(texts, starts, ends))
    return columns, None if sliced else texts


def _with_text(columns: list[tuple[Any, ...]], texts: Any, text_at: int, text: str) -> list[Any]:
    if texts is None:
        texts = [text[a:b] for a, b in zip(columns[text_at - 2], columns[text_at - 1])]
    return [*columns[:text_at], texts, *columns[text_at:]]


def compact_state(report: Report) -> tuple[Any, ...]:
    """The report without its text, in columns (see :func:`from_compact_state`). ``score_many``
    workers send this, and the caller, which holds the text, rebuilds the report."""
    text = report.text
    pairs: dict[Any, Any] = {}   # equal explanation pairs (and names) become one object: pickled once
    names: dict[str, str] = {}

    def shared(p: tuple[str, float]) -> tuple[str, float]:
        q = pairs.get(p)
        if q is None:
            q = pairs[p] = (names.setdefault(p[0], p[0]), p[1])
        return q
    sentences = []
    for s in report.sentences:
        row = list(_SENTENCE_ROW(s))
        row[_EXPLANATION] = tuple([shared(p) for p in s.explanation])
        sentences.append(row)
    cues, sources, contents, rest = [], [], [], []
    for a in report.attributions:
        cues.append(a.cue)
        if a.source is not None:
            sources.append(a.source)
        if a.content is not None:
            contents.append(a.content)
        rest.append((a.source is not None, a.kind, a.reason, a.sentence, a.content is not None, a.source_id))
    return (tuple(getattr(report, f) for f in _REPORT_SCALARS),
            _columns(map(_SPAN_ROW, report.spans), _SPAN_TEXT, text), _columns(sentences, _SENTENCE_TEXT, text),
            [_columns(map(_SPAN_ROW, x), _SPAN_TEXT, text) for x in (cues, sources, contents)], rest)


def from_compact_state(state: tuple[Any, ...], text: str) -> Report:
    """The report of :func:`compact_state` output and the text it was scored on."""
    scalars, (spans, span_texts), (sentences, sentence_texts), parts, rest = state
    values: dict[str, Any] = dict(zip(_REPORT_SCALARS, scalars))
    values["text"] = text
    values["spans"] = tuple(map(Span, *_with_text(spans, span_texts, _SPAN_TEXT, text))) if spans else ()
    values["sentences"] = tuple(map(Sentence, *_with_text(sentences, sentence_texts, _SENTENCE_TEXT, text))) \
        if sentences else ()
    cues, sources, contents = (iter(map(Span, *_with_text(c, t, _SPAN_TEXT, text))) if c else iter(())
                               for c, t in parts)
    values["attributions"] = tuple(
        Attribution(next(cues), next(sources) if has_source else None, kind, reason, sentence,
                    next(contents) if has_content else None, source_id)
        for has_source, kind, reason, sentence, has_content, source_id in rest)
    return Report(**values)
