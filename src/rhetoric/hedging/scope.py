"""Scope of a hedge: the clause it governs, as character offsets (``Span.scope``).

Why rules: the Szeged corpus marks cues but no scopes, and the BioScope/CoNLL-2010 convention is
syntactic (a modal or an epistemic verb governs its whole clause, subject included; a conditional
governs its antecedent clause). Without a parser, clause edges are approximated by punctuation and
clause-opening words:

* the clause of a cue runs from the last boundary before it to the first boundary after it, where
  a boundary is ``;``, ``:``, a dash or bracket, or a comma followed by a clause-opening word
  ("but", "while", "which", ...), and the sentence edges;
* a conditional ("if", "unless", "whether", "should" at the start) governs from the cue to the
  next comma or clause boundary: the antecedent;
* a final full stop, question or exclamation mark is left out.
"""

from __future__ import annotations

from rhetoric.text.segment import Segmentation

__all__ = ["clause_scope"]

_HARD = frozenset(";:()[]—–")
_OPENERS = frozenset("but while whereas although though because which who whom whose where when and or "
                     "since so yet unless if".split())
_FINAL = frozenset(".?!")
_COORDINATORS = frozenset("and or but yet so".split())
_CONDITIONAL = frozenset({"conditional"})


def _boundary_after(seg: Segmentation, k: int, j: int) -> bool:
    """Token k (a separator) ends a clause: a hard separator, or a comma before a clause opener."""
    w = seg.words[k]
    if w in _HARD or (w == "-" and k + 1 < j and seg.words[k + 1] == "-"):
        return True
    return w == "," and k + 1 < j and seg.words[k + 1] in _OPENERS


def clause_scope(seg: Segmentation, first: int, last: int, label: str = "") -> tuple[int, int] | None:
    """``(start, end)`` of the clause governed by the cue at tokens ``first..last``; None outside a sentence."""
    if first >= len(seg.words):
        return None
    k_sent = seg.sentence_of(seg.starts[first])
    if k_sent >= len(seg.sentence_tokens):
        return None
    i, j = seg.sentence_tokens[k_sent]
    if not i <= first < j:
        return None
    conditional = label in _CONDITIONAL
    words = seg.words
    lo = first
    if not conditional:
        lo = i
        for k in range(first - 1, i - 1, -1):
            w = words[k]   # only a separator can end a clause: test those (what _boundary_after decides)
            if (w in _HARD or w == "," or w == "-") and _boundary_after(seg, k, j):
                lo = k + 1
                while lo < first and words[lo] in _COORDINATORS:
                    lo += 1
                break
    hi = j - 1
    for k in range(last + 1, j):
        w = words[k]
        if (w in _HARD or w == "," or w == "-") and (_boundary_after(seg, k, j) or conditional and w == ","):
            hi = k - 1
            break
    while hi > last and (seg.words[hi] in _FINAL or not seg.is_word[hi] and seg.words[hi] in ",'\""):
        hi -= 1
    lo = min(lo, first)
    return seg.starts[lo], seg.ends[max(hi, last)]
