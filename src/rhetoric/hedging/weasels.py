"""Weasels: unsourced, vague attributions ("it is believed", "some say", "critics argue").

Why a hedge: the writer presents a claim as someone's view without saying whose, which the
Wikipedia corpora (CoNLL-2010, Szeged "doxastic") count as uncertainty. Two sources:

* the sourcing dimension's attributions of kind ``vague`` (no source, or a vague one such as
  "some critics"); the span runs from the source to the cue when both sit in one sentence;
* impersonal passives the attribution rules do not treat as citing: "it is (widely) believed /
  thought / said / claimed / rumoured that", "is widely regarded / considered / believed".

The hedging score counts weasels (see :mod:`rhetoric.hedging.dimension`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from rhetoric.analysis import Analysis

__all__ = ["Weasel", "find_weasels"]

_PASSIVE_VERBS = frozenset(
    "believed thought said claimed rumoured rumored alleged suggested feared understood speculated "
    "considered regarded supposed presumed assumed estimated argued held reported".split())
_BE = frozenset("is was are were be been being 's".split())
_VAGUE_ADVERBS = frozenset("widely generally commonly often sometimes popularly largely frequently also "
                           "now still once long".split())
_MAX_GAP = 80
# attribution reasons that mark an unsourced/vague source ("head:critics", a vague-source lexicon line,
# "reportedly"); "unidentified" (an unnamed but specific source, "the envoy said") is not a weasel
_WEASEL_REASONS = ("head:", "attribution.tsv:", "implicit-source", "vague")
_QUANTIFIERS = frozenset("some many several most various numerous certain few countless".split())
_OPINION_VERBS = frozenset(
    "say says said believe believes believed argue argues argued claim claims claimed suggest suggests "
    "suggested consider considers considered think thinks thought feel feels felt regard regards regarded "
    "contend contends contended maintain maintains maintained speculate speculates speculated assert "
    "asserts asserted insist insists insisted theorize theorized theorise theorised hold holds held "
    "describe describes described call calls called praise praised criticize criticized criticise "
    "criticised".split())
_AUX = frozenset("have has had also still would do did".split())
_SCAN_WORDS = 256   # up to this many tokens, candidate words are found by a plain scan


@dataclass(frozen=True)
class Weasel:
    start: int
    end: int
    reason: str


def _in_sentences(analysis: Analysis, vocabulary: frozenset[str]) -> list[tuple[int, int, int]]:
    """``(k, i, j)`` for every token ``k`` of a sentence (token range ``[i, j)``) whose word is in
    ``vocabulary``, in text order: the rules below start only at such words."""
    ranges = analysis.seg.sentence_tokens
    if not ranges:
        return []
    firsts = [i for i, _ in ranges]
    words = analysis.seg.words
    # a short text is scanned word by word (no vectorised pass to set up); the same positions
    found = [k for k, w in enumerate(words) if w in vocabulary] if len(words) <= _SCAN_WORDS \
        else analysis.word_positions(vocabulary)
    out = []
    for k in found:
        r = bisect_right(firsts, k) - 1
        if r >= 0 and k < ranges[r][1]:
            out.append((k, *ranges[r]))
    return out


def _passives(analysis: Analysis) -> Iterable[Weasel]:
    seg, words = analysis.seg, analysis.seg.words
    for k, i, j in _in_sentences(analysis, _PASSIVE_VERBS):
        if k - 1 < i:
            continue
        b = k - 1
        while b > i and words[b] in _VAGUE_ADVERBS:
            b -= 1
        if words[b] not in _BE:
            continue
        adverb = b < k - 1
        nxt = words[k + 1] if k + 1 < j else ""
        if b - 1 >= i and words[b - 1] == "it" and nxt in ("that", "to", "by"):
            yield Weasel(seg.starts[b - 1], seg.ends[k], "impersonal-passive")
        elif adverb and words[b + 1] in ("widely", "generally", "commonly", "popularly", "often") \
                and words[k] in ("believed", "thought", "considered", "regarded", "held", "said", "assumed"):
            yield Weasel(seg.starts[b + 1], seg.ends[k], "vague-passive")


def _quantified_subjects(analysis: Analysis) -> Iterable[Weasel]:
    """ "some critics argue", "many fans consider", "several scholars have suggested"."""
    seg, words = analysis.seg, analysis.seg.words
    for k, i, j in _in_sentences(analysis, _QUANTIFIERS):
        if k >= j - 2 or not seg.is_word[k + 1]:
            continue
        v = k + 2 if words[k + 1] != "of" else k + 3  # "some of them say"
        if words[k + 1] in _OPINION_VERBS:  # "some say", "many believe"
            yield Weasel(seg.starts[k], seg.ends[k + 1], "vague-quantifier")
            continue
        while v < j and words[v] in _AUX:
            v += 1
        if v < j and words[v] in _OPINION_VERBS:
            yield Weasel(seg.starts[k], seg.ends[v], "vague-quantifier")


def _from_attributions(analysis: Analysis, attributions: Iterable[Any]) -> Iterable[Weasel]:
    seg = analysis.seg
    for a in attributions:
        reason = getattr(a, "reason", "") or ""
        if getattr(a, "kind", None) != "vague" or not reason.startswith(_WEASEL_REASONS):
            continue
        cue, src = a.cue, a.source
        start, end = cue.start, cue.end
        if src is not None and seg.sentence_of(src.start) == seg.sentence_of(cue.start):
            lo, hi = min(src.start, cue.start), max(src.end, cue.end)
            if hi - lo <= _MAX_GAP + (src.end - src.start) + (cue.end - cue.start):
                start, end = lo, hi
        yield Weasel(start, end, "attribution:" + (a.reason or "vague"))


def find_weasels(analysis: Analysis, attributions: Iterable[Any] = ()) -> list[Weasel]:
    """Weasel ranges of a document, sorted, overlapping ones merged into the first."""
    found = sorted([*_from_attributions(analysis, attributions), *_passives(analysis),
                    *_quantified_subjects(analysis)],
                   key=lambda w: (w.start, -w.end))
    out: list[Weasel] = []
    for w in found:
        if out and w.start < out[-1].end:
            continue
        out.append(w)
    return out
