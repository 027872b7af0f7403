"""The hedging dimension: hedge cues (with their scope), weasels, approximations and boosters.

Scores (see ``README``, "Hedging"):

* ``hedging``: hedge spans per 1,000 words, **weasels included**, each weighing 1.0. The default
  ``weasels="patterns"`` counts the weasels the Wikipedia corpora mark as uncertainty: impersonal
  and vague passives ("it is believed", "widely regarded") and vague-quantifier subjects ("some
  say", "many fans consider", "some critics argue"). ``weasels="all"`` adds every vague source the
  sourcing dimension found ("critics argue", "others point out"): what a news reader may call a
  weasel, but the Szeged annotation marks almost none of them (development cue F1 0.80 -> 0.78),
  and they are counted by ``vague_sourcing`` anyway; ``"none"`` counts no weasels. Approximations
  are not in it.
* ``approximation``: "about 30", "roughly half", "up to 7": a hedge on a quantity, not on a claim.
* ``boosting``: boosters ("undoubtedly"), except those inside a hedge's scope ("may never be fully
  verified").

Without a head the hedge spans are the lexicon's (after the sense filters of
:mod:`rhetoric.lexicon.senses`). With the trained head (:class:`~rhetoric.hedging.head.HedgingHead`)
the cue tagger decides which tokens are hedge cues (the lexicon is one of its features); news
hedges the Wikipedia-trained tagger never saw ("reportedly", "could not be independently
verified") are kept from the lexicon, and every sentence gets ``is_hedged`` from the sentence head.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from rhetoric.analysis import Analysis
from rhetoric.evidence import Evidence, lexicon_spans
from rhetoric.hedging.features import token_features
from rhetoric.hedging.scope import clause_scope
from rhetoric.hedging.tagger import TYPE_LABELS, CueSpan
from rhetoric.hedging.weasels import find_weasels
from rhetoric.learn.features import document_hashes
from rhetoric.learn.hashing import TokenHashes
from rhetoric.lexicon.senses import NUMBER_WORDS, month_or_name, noun_might
from rhetoric.report.scores import density_and_score
from rhetoric.report.types import Span
from rhetoric.text.boilerplate import boilerplate_sentences, in_boilerplate

__all__ = ["HedgingDimension", "TAGGER_RULE", "WEASEL_RULE", "WEASEL_MODES"]

TAGGER_RULE = "model:hedge-tagger"
WEASEL_RULE = "hedging:weasel"
WEASEL_MODES = ("all", "patterns", "none")
_WEASEL_LIKE = frozenset({"reporting", "doxastic"})     # a weasel that contains one of these replaces it


def _news_hedge(s: Span) -> bool:
    """Lexicon hedges kept beside the tagger's: verification disclaimers and distancing adverbs
    ("reportedly", "allegedly"); Wikipedia-trained, the tagger rarely sees them. Multi-word reporting
    entries ("is said to", "claimed that") are left to the tagger: Szeged marks almost none of them."""
    return s.label == "unverified" or (s.label == "reporting" and " " not in s.text and s.text.lower().endswith("ly"))


def _with_weasels(hedges: list[Span], weasels: list[Any], text: str, seg: Any) -> list[Span]:
    """The hedges with the weasels placed: a weasel drops the weasel-like hedges inside it (a longer
    one, or one that is exactly it but of one word) and is added unless a hedge still overlaps it.

    Weasels are sorted and disjoint (:func:`~rhetoric.hedging.weasels.find_weasels`), so an added
    weasel never overlaps a later one and each weasel reads only the hedges that start near it.
    """
    order = sorted(range(len(hedges)), key=lambda k: hedges[k].start)
    starts = [hedges[k].start for k in order]
    longest = max((h.end - h.start for h in hedges), default=0)
    removed: set[int] = set()
    added: list[Span] = []
    for w in weasels:
        near = [k for k in order[bisect_left(starts, w.start - longest):bisect_left(starts, w.end)]
                if k not in removed]
        inside = {k for k in near if w.start <= hedges[k].start and hedges[k].end <= w.end
                  and hedges[k].label in _WEASEL_LIKE
                  and ((hedges[k].start, hedges[k].end) != (w.start, w.end) or " " in hedges[k].text)}
        removed |= inside
        if not any(hedges[k].start < w.end and w.start < hedges[k].end for k in near if k not in inside):
            added.append(Span(w.start, w.end, text[w.start:w.end], "hedge", "weasel", 1.0, WEASEL_RULE,
                              w.reason, seg.sentence_of(w.start)))
    return [h for k, h in enumerate(hedges) if k not in removed] + added


class _SpanIndex:
    """Spans kept sorted by start, for "the first span (in insertion order) overlapping [a, b)" in
    about log time: a candidate starts before ``b`` and after ``a - longest``. Long documents have
    thousands of hedges, and a scan of all of them per cue was quadratic."""

    def __init__(self, spans: list[Span] = ()) -> None:  # type: ignore[assignment]
        self._items: list[tuple[int, int, Span]] = []   # (start, insertion number, span)
        self._starts: list[int] = []
        self._longest = 0
        for sp in spans:
            self.add(sp)

    def add(self, sp: Span) -> None:
        k = bisect_right(self._starts, sp.start)
        self._starts.insert(k, sp.start)
        self._items.insert(k, (sp.start, len(self._items), sp))
        self._longest = max(self._longest, sp.end - sp.start)

    def first_overlapping(self, a: int, b: int) -> Span | None:
        lo = bisect_right(self._starts, a - self._longest - 1)
        hi = bisect_right(self._starts, b - 1)
        best: tuple[int, Span] | None = None
        for _, order, sp in self._items[lo:hi]:
            if sp.start < b and a < sp.end and (best is None or order < best[0]):
                best = (order, sp)
        return None if best is None else best[1]


def _with_scope(span: Span, analysis: Analysis) -> Span:
    seg = analysis.seg
    first, last = seg.token_at(span.start), seg.token_at(span.end - 1)
    scope = clause_scope(seg, first, min(last, len(seg.words) - 1), span.label)
    return Span(span.start, span.end, span.text, span.category, span.label, span.weight, span.rule,
                span.pattern, span.sentence, scope=scope)


def _quantity_span(span: Span, analysis: Analysis) -> Span:
    """An approximator as an ``approximation`` span that takes in the figure it qualifies ("about 30")."""
    seg = analysis.seg
    k = seg.token_at(span.end - 1) + 1
    end = span.end
    while k < len(seg.words) and (seg.words[k][:1].isdigit() or seg.words[k] in NUMBER_WORDS
                                  or seg.words[k] in ("$", "%", "€", "£", ",")):
        if seg.words[k] == "," and not (k + 1 < len(seg.words) and seg.words[k + 1][:1].isdigit()):
            break
        end = seg.ends[k]
        k += 1
    return Span(span.start, end, analysis.text[span.start:end], "approximation", span.label, span.weight, span.rule,
                span.pattern, span.sentence)


class HedgingDimension:
    """Hedges, weasels, approximations and boosters. ``head``: the trained "hedging" head, if any."""

    def __init__(self, head: Any = None, weasels: str = "patterns") -> None:
        if weasels not in WEASEL_MODES:
            raise ValueError(f"weasels must be one of {WEASEL_MODES}, got {weasels!r}")
        self.head = head
        self.weasels = weasels

    def _tagged(self, analysis: Analysis, hashes: TokenHashes, lexical: list[Span]) -> tuple[list[Span], Any]:
        """Hedge spans from the cue tagger (and the news-only lexicon hedges), plus the token probabilities."""
        tagger = self.head.tagger
        text, seg = analysis.text, analysis.seg
        proba = tagger.token_proba(analysis, token_features(analysis, tagger.bits, hashes))
        out: list[Span] = []
        lexical_index = _SpanIndex(lexical)
        cue: CueSpan
        for cue in tagger.cue_spans(analysis, proba):
            if cue.first == cue.last and (month_or_name(text, seg, cue.first, cue.start) or noun_might(seg, cue.first)):
                continue
            lex = lexical_index.first_overlapping(cue.start, cue.end)
            label = lex.label if lex is not None else TYPE_LABELS[cue.type]
            out.append(Span(cue.start, cue.end, text[cue.start:cue.end], "hedge", label, 1.0, TAGGER_RULE,
                            f"p={cue.prob:.2f}", seg.sentence_of(cue.start)))
        kept = _SpanIndex(out)
        for sp in lexical:  # news hedges the tagger did not cover (each also blocks later overlapping ones)
            if _news_hedge(sp) and kept.first_overlapping(sp.start, sp.end) is None:
                out.append(sp)
                kept.add(sp)
        return out, proba

    def apply(self, analysis: Analysis, features: Any = None, sourcing: Evidence | None = None) -> Evidence:
        text, seg = analysis.text, analysis.seg
        lexical = lexicon_spans(text, analysis.matches, seg, ("hedge", "booster"))
        approximations = [_quantity_span(s, analysis) for s in lexical
                          if s.category == "hedge" and s.label == "approximator"]
        hedges = [s for s in lexical if s.category == "hedge" and s.label != "approximator"]
        proba = None
        if self.head is not None:
            hashes = document_hashes(analysis, getattr(features, "hashes", None))
            hedges, proba = self._tagged(analysis, hashes, hedges)
        attributions = sourcing.attributions if sourcing is not None and self.weasels == "all" else ()
        weasels = find_weasels(analysis, attributions) if self.weasels != "none" else []
        if weasels:
            hedges = _with_weasels(hedges, weasels, text, seg)
        if getattr(analysis, "boilerplate", ()):  # site furniture: no model or weasel spans in it
            hedges = [s for s in hedges if not in_boilerplate(analysis, s.start, s.end)]
        hedges = sorted((_with_scope(s, analysis) for s in hedges), key=lambda s: (s.start, s.end))
        inside_scope = _scope_test([h.scope for h in hedges if h.scope is not None])
        boosters = [s for s in lexical if s.category == "booster" and not inside_scope(s.start, s.end)]
        densities, scores = {}, {}
        for key, group in (("hedging", hedges), ("approximation", approximations), ("boosting", boosters)):
            densities[key], scores[key] = density_and_score(key, sum(s.weight for s in group), seg.n_words)
        fields: dict[str, Any] = {}
        meta: dict[str, Any] = {"hedging_weasels": self.weasels}
        if self.head is not None and proba is not None:
            p = self.head.sentence_proba(analysis, proba, [w.start for w in weasels], hashes)
            skip = boilerplate_sentences(analysis) if getattr(analysis, "boilerplate", ()) else set()
            fields["is_hedged"] = [bool(x >= self.head.threshold_) and k not in skip for k, x in enumerate(p)]
            meta["hedging_threshold"] = self.head.threshold_
        return Evidence(spans=(*hedges, *approximations, *boosters), scores=scores, densities=densities,
                        sentence_fields=fields, meta=meta)


def _scope_test(scopes: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test of whether ``[start, end)`` lies inside one of ``scopes``: the largest end among the
    scopes that start at or before ``start`` reaches ``end`` (sorted once, a bisect per test)."""
    ordered = sorted(scopes)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))

    def inside(start: int, end: int) -> bool:
        k = bisect_right(starts, start)
        return k > 0 and reach[k - 1] >= end
    return inside
