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
``generic-modal``  "may"/"might"/"could"/"can" of ability, permission or generic possibility, not of
                   the writer's doubt: after "so that" / "in order that" ("so that his father could
                   work"), after "you" or generic "one" ("you may apply"), and before a verb of
                   generic variation or use ("may vary", "can range", "may be employed", "may be
                   downloaded"), also across "also", "still", "only", "often", "not", "sometimes".
``approximator``   approximators ("about", "around", "roughly") hedge only a quantity, so they
                   count only before a figure or an amount ("about 20", "around two thousand"; not
                   "about two leaders").

A hedge inside a quotation is kept and belongs to its sentence like any other span.
"""

from __future__ import annotations

from collections.abc import Iterable

from rhetoric.lexicon.matcher import Match
from rhetoric.text.segment import Segmentation

__all__ = ["filter_hedges", "modal_sense", "month_or_name", "noun_might", "NUMBER_WORDS", "MODALS"]

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
MODALS = frozenset({"may", "might", "could", "can"})
_GENERIC_VERBS = frozenset(
    "vary varies differ range include contain apply occur exist extend reach exceed last cost take "
    "choose opt select prefer".split())
_GENERIC_PASSIVES = frozenset(
    "used employed applied found obtained purchased bought downloaded accessed seen viewed reached made "
    "divided classified described defined written called referred played combined added installed "
    "ordered bought rented booked selected chosen adjusted configured customised customized "
    "substituted replaced grown cooked eaten served heard visited".split())
_MODAL_SKIP = frozenset("also still only often not sometimes usually easily then therefore thus "
                        "generally typically either".split())
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


def modal_sense(seg: Segmentation, i: int) -> str | None:
    """``"generic-modal"`` when the modal at token i reads as ability, permission or generic use."""
    words, n = seg.words, len(seg.words)
    if words[i] not in MODALS:
        return None
    before = [words[k] for k in range(max(i - 4, 0), i)]
    if before[-1:] in (["you"], ["one"]) or before[-2:] == ["you", "also"]:
        return "generic-modal"
    if words[i] == "may" and i + 1 < n and words[i + 1] in ("i", "we", "you", "he", "she", "they", "god") and \
            (i == 0 or not seg.is_word[i - 1]) and not (i + 2 < n and words[i + 2] in ("have", "be")):
        return "generic-modal"  # "May I ask", "May he rest in peace": permission, wish ("May they have ..." stays)
    # purpose clauses: "so that (his father) could", "in order that they can"
    if any(before[k:k + 2] == ["so", "that"] or before[k:k + 2] == ["order", "that"] for k in range(len(before) - 1)):
        return "generic-modal"
    k = i + 1
    while k < n and words[k] in _MODAL_SKIP:
        k += 1
    if k < n and words[k] in _GENERIC_VERBS:
        return "generic-modal"
    if k + 1 < n and words[k] == "be" and words[k + 1] in _GENERIC_PASSIVES:
        return "generic-modal"
    return None


def month_or_name(text: str, seg: Segmentation, first: int, start: int) -> bool:
    """ "May" the month or the name (token ``first`` at character ``start``)."""
    if seg.words[first] != "may" or text[start] != "M":
        return False
    sentence_start = seg.sentences[seg.sentence_of(start)][0] if seg.sentences else 0
    if start > sentence_start:
        return True
    nxt = _next_word(seg, first)
    return _is_number(nxt) or nxt in _MONTH_FOLLOWERS


def noun_might(seg: Segmentation, first: int) -> bool:
    """ "might" the noun ("its might", "military might")."""
    return seg.words[first] == "might" and first > 0 and _noun_might(seg, first)


def _dropped_by(m: Match, text: str, seg: Segmentation) -> str | None:
    """The id of the rule that rejects this hedge/booster candidate, or None to keep it."""
    first = seg.token_at(m.start)
    last = seg.token_at(m.end - 1)
    word = seg.words[first] if first < len(seg.words) else ""
    if word == "may" and last == first and month_or_name(text, seg, first, m.start):
        return "month-or-name"
    if word == "might" and last == first and noun_might(seg, first):
        return "noun-might"
    if last == first and word in MODALS and modal_sense(seg, first) is not None:
        return "generic-modal"
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
