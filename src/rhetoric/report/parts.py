"""The parts of a report: spans, sentences and attributions (frozen dataclasses users build and compare).

Offsets are Python string indices into the scored text (code points, start inclusive, end
exclusive), so ``text[span.start:span.end] == span.text`` always holds. A
:class:`~rhetoric.report.types.Report` stores them in columns (:mod:`rhetoric.report.columns`)
and builds these objects when they are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["ATTRIBUTION_KINDS", "SPAN_CATEGORIES", "VOICES", "Attribution", "Sentence", "Span"]

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


def _known(cls: type, d: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``cls`` found in ``d``; keys a later minor schema version may add are ignored."""
    if not isinstance(d, Mapping):
        raise ValueError(f"a {cls.__name__} must be a JSON object, got {type(d).__name__}")
    return {name: d[name] for name in _FIELDS[cls] if name in d}


# a result object pickles as its constructor arguments (the default for frozen, slotted
# dataclasses is about twice as slow)
def _reduce(obj: Any) -> tuple[Any, ...]:
    return type(obj), tuple(getattr(obj, f) for f in _FIELDS[type(obj)])


_FIELDS: dict[type, tuple[str, ...]] = {cls: tuple(f.name for f in fields(cls)) for cls in (Span, Attribution, Sentence)}
