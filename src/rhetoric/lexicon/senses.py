"""Context rules for hedges and boosters.

The lexicon finds candidate cues; these rules drop the readings that are not hedges. Negations
and fixed expressions ("could not", "no doubt") are handled in the lexicon by ``ignore`` entries
and longer phrases; here are the rules that need the surrounding tokens:

``month-or-name``  "May" written with a capital inside a sentence is the month or a name
                   ("in May 2025", "Theresa May"); at the start of a sentence it is the month when a
                   number or "of"/"and" follows ("May 5", "May of last year").
``noun-might``     "might" as a noun: after a possessive ("its might", "Russia's might") always;
                   after an adjective ("military might") unless a verb follows, as in the modal
                   reading "the military might strike" / "might not respond".
``approximator``   approximators ("about", "around", "roughly") hedge only a quantity, so they
                   count only before a figure or an amount ("about 20", "around two thousand"; not
                   "about two leaders").

A hedge inside a quotation is kept and belongs to its sentence like any other span.
"""

from __future__ import annotations

from collections.abc import Iterable

from rhetoric.lexicon.matcher import Match
from rhetoric.text.segment import Segmentation

__all__ = ["filter_hedges", "NUMBER_WORDS"]

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty sixty "
    "seventy eighty ninety hundred hundreds thousand thousands million millions billion billions "
    "dozen dozens half a an".split()
)
_MIGHT_AFTER_POSSESSIVE = frozenset("its their his her our your my full all sheer".split())
_MIGHT_AFTER_ADJECTIVE = frozenset("military economic naval industrial nuclear financial political great".split())
# words that follow the noun "might" but never the modal ("military might is ...", "might of Russia")
_AFTER_NOUN_MIGHT = frozenset(
    "is was are were has had of and or in on at to for with against from that which will would can could "
    "should must may alone remains behind by".split()
)
_MONTH_FOLLOWERS = frozenset({"of", "and", "to", "through", "until", "last", "next", "this"})


def _is_number(word: str) -> bool:
    return word[:1].isdigit() or word in NUMBER_WORDS


def _noun_might(seg: Segmentation, i: int) -> bool:
    before = seg.words[i - 1]
    if before in _MIGHT_AFTER_POSSESSIVE or before.endswith("'s"):
        return True
    if before in _MIGHT_AFTER_ADJECTIVE:
        following = seg.words[i + 1] if i + 1 < len(seg.words) else ""
        return not following or not seg.is_word[i + 1] or following in _AFTER_NOUN_MIGHT
    return False


def _next_word(seg: Segmentation, i: int) -> str:
    j = i + 1
    while j < len(seg.words) and not seg.is_word[j]:
        if seg.words[j] not in ("$", "%", "~", "€", "£"):
            return ""
        j += 1
    return seg.words[j] if j < len(seg.words) else ""


_FRACTIONS = frozenset({"half", "quarter", "quarters", "third", "thirds"})
_SCALE_WORDS = frozenset("hundred hundreds thousand thousands million millions billion billions dozen dozens".split())


def _quantity_follows(seg: Segmentation, i: int) -> bool:
    """A figure ("about 20", "about $5") or a spelled-out amount ("around two thousand") follows token i."""
    nxt = _next_word(seg, i)
    if nxt[:1].isdigit() or nxt in _FRACTIONS:
        return True
    if nxt in NUMBER_WORDS and i + 2 < len(seg.words):
        return _next_word(seg, i + 1) in _SCALE_WORDS or nxt in _SCALE_WORDS
    return False


def _dropped_by(m: Match, text: str, seg: Segmentation) -> str | None:
    """The id of the rule that rejects this hedge/booster candidate, or None to keep it."""
    first = seg.token_at(m.start)
    last = seg.token_at(m.end - 1)
    word = seg.words[first] if first < len(seg.words) else ""
    if word == "may" and last == first:
        if text[m.start] == "M":
            sentence_start = seg.sentences[seg.sentence_of(m.start)][0] if seg.sentences else 0
            if m.start > sentence_start:
                return "month-or-name"
            nxt = _next_word(seg, first)
            if _is_number(nxt) or nxt in _MONTH_FOLLOWERS:
                return "month-or-name"
    if word == "might" and last == first and first > 0 and _noun_might(seg, first):
        return "noun-might"
    if m.entry.label == "approximator" and not _quantity_follows(seg, last):
        return "approximator"
    return None


def filter_hedges(matches: Iterable[Match], text: str, seg: Segmentation) -> list[Match]:
    """Keep the hedge and booster matches that survive the context rules; pass others through."""
    kept = []
    for m in matches:
        if m.entry.category in ("hedge", "booster") and _dropped_by(m, text, seg) is not None:
            continue
        kept.append(m)
    return kept
