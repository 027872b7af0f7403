"""Source type from the source phrase's head noun and its relation, before the older cue-side rules.

The rules of :mod:`rhetoric.sourcing.attribution` look for a capital letter or a lexicon phrase;
that calls "White House aides" named (capital letters) and "the newspaper" vague. This typer first
finds the phrase's *head noun* (the last word before a preposition, a relative clause, a comma or
a participle: "officials" in "senior officials at the Pentagon familiar with ...") and decides:

``anonymous`` head officials, aides, advisers, sources, insiders, diplomats, people "familiar
              with"... unless a person's name stands in apposition ("aide Jane Roe"); also any
              source, not a person's name, with an anonymity marker anywhere in its sentence (also
              after the verb: "..., said the official, who was not authorised to speak");
``vague``     head critics, experts, analysts, polls, reports, surveys, data, many, some; a
              capitalised collective (Democrats, Europeans, Republicans);
``named``     a definite back-reference ("the newspaper", "the report", "the campaign") to a
              named body mentioned before (state media when the nearest outlet is state media);
pronouns      "he"/"she" take the nearest person: a personal name before it, else the previous
              singular source (so "One source ... he said" stays anonymous); "they" the previous
              plural source.

Everything else falls through to :class:`~rhetoric.sourcing.attribution._Classifier`.
"""

from __future__ import annotations

from rhetoric.sourcing.attribution import (
    _DEMONYM,
    _Classifier,
    _personal_name_before,
    _sentence_range,
)

__all__ = ["SourceTyper", "head_index"]

ANONYMOUS_HEADS = frozenset(
    "official officials aide aides adviser advisers advisor advisors source sources insider insiders diplomat "
    "diplomats staffer staffers operative operatives confidant confidants associate associates "
    "whistleblower whistle-blower".split())
PEOPLE_HEADS = frozenset("person people individual individuals someone".split())
VAGUE_HEADS = frozenset(
    "critics experts analysts observers commentators pundits skeptics sceptics detractors watchers specialists "
    "scholars economists strategists supporters opponents activists campaigners polls poll surveys survey "
    "reports rumors rumours studies research data figures estimates many some others most few everyone "
    "everybody nobody scientists researchers historians voters residents americans europeans democrats "
    "republicans conservatives liberals progressives politicians lawmakers legislators people".split())
COLLECTIVES = frozenset(
    "democrats republicans conservatives liberals progressives libertarians socialists tories europeans "
    "americans britons russians ukrainians chinese koreans israelis palestinians germans republican "
    "democratic".split())
BACKREF_HEADS = frozenset(
    "newspaper paper magazine network channel broadcaster outlet agency report statement study poll survey "
    "campaign company firm group organization organisation committee party ministry department "
    "website site blog station publication newsletter journal foundation institute union".split())
_HEAD_STOP = frozenset(
    "of at in from for with within inside on who which that familiar close briefed knowledgeable involved "
    "speaking , ( - :".split())
_PERSON_TITLES = frozenset("mr mrs ms dr sen rep gov gen president senator governor secretary".split())
_SINGULAR = frozenset({"he", "she", "him", "her", "i"})
_PLURAL = frozenset({"they", "them", "we"})
_PRONOUN_LIKE = _SINGULAR | _PLURAL | frozenset({"it", "you", "us", "me"})


def head_index(words: list[str], lo: int, hi: int) -> int:
    """Index of the head noun of ``words[lo:hi]``: the last word before the first post-modifier."""
    end = hi
    for k in range(lo + 1, hi):
        if words[k] in _HEAD_STOP or words[k].endswith("ing") and k > lo + 1:
            end = k
            break
    return end - 1


def _is_plural(word: str) -> bool:
    return word in _PLURAL or (word.endswith("s") and not word.endswith("ss") and word not in _SINGULAR)


class SourceTyper(_Classifier):
    """:class:`_Classifier` with head-noun, collective, back-reference and pronoun rules first."""

    def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
        super().__init__(ctx)
        self.memory: list[tuple[int, str, bool]] = []   # (sentence, kind, plural) of earlier sources

    def classify(self, rng: tuple[int, int], sent: int, marker: bool) -> tuple[str, str]:
        ctx = self.ctx
        words = ctx.seg.words
        lo_sent, hi_sent = _sentence_range(ctx, sent)
        start, end = ctx.seg.starts[rng[0]], ctx.seg.ends[rng[1] - 1]
        base = super().classify(rng, sent, marker)
        h = head_index(words, rng[0], rng[1])
        head = words[h].split("'")[0]          # "we're" -> "we"
        plural = _is_plural(head)
        kind, reason = base
        if base[0] != "state_media":
            kind, reason = self._refine(rng, h, head, sent, lo_sent, hi_sent, start, end, base)
        self.memory.append((sent, kind, plural))
        return kind, reason

    def _refine(self, rng, h, head, sent, lo_sent, hi_sent, start, end, base):  # type: ignore[no-untyped-def]
        ctx = self.ctx
        words = ctx.seg.words
        person = self._person_name(rng, h, lo_sent)
        if head in ANONYMOUS_HEADS or (head in PEOPLE_HEADS and base[0] == "anonymous"):
            if person:
                return "named", "head:name-in-apposition"
            return "anonymous", f"head:{head}"
        if base[0] == "anonymous":
            return base
        if not person and base[0] == "vague" and self._marker_in_sentence(sent):
            return "anonymous", "anonymity-marker-in-sentence"
        if head in COLLECTIVES and not person:
            return "vague", f"collective:{head}"
        if head in VAGUE_HEADS and not person:
            return "vague", f"head:{head}"
        if head in BACKREF_HEADS and words[rng[0]] in ("the", "this", "that") and h - rng[0] <= 2:
            if base[0] == "state_media":
                return base
            return "named", f"back-reference:{head}"
        if head in _PRONOUN_LIKE and rng[1] - rng[0] == 1 and base[1] == "proper-name":
            base = ("vague", "pronoun-unresolved")   # a capitalised "We're" opening a sentence is no name
        if head in _SINGULAR and rng[1] - rng[0] == 1:
            if _personal_name_before(ctx, start, sent):
                return "named", "pronoun->name"
            for _, kind, plural in reversed(self.memory):
                if not plural:
                    return kind, "pronoun->previous-singular"
            return "vague", "pronoun-unresolved"
        if head in _PLURAL and rng[1] - rng[0] == 1:
            for _, kind, plural in reversed(self.memory):
                if plural:
                    return kind, "pronoun->previous-plural"
            return "vague", "pronoun-unresolved"
        return base

    def _person_name(self, rng: tuple[int, int], h: int, lo_sent: int) -> bool:
        """A personal name in the phrase: two capitalised name tokens in a row, or a title and a name,
        not inside a prepositional phrase after the head ("officials at the White House")."""
        ctx = self.ctx
        words = ctx.seg.words
        names = set(ctx.name_tokens(rng, lo_sent))
        for i in range(rng[0], rng[1]):
            if i > h and words[i] in _HEAD_STOP and words[i] not in (",", "-"):
                break
            if words[i] in _PERSON_TITLES and i + 1 < rng[1] and ctx.is_cap(i + 1):
                return True
            if i in names and i + 1 in names and not _DEMONYM.search(words[i + 1]) \
                    and words[i + 1] not in COLLECTIVES:
                if i + 1 < h:   # "White House aides": a name that modifies the head is not the source
                    continue
                return True
        return False

    def _marker_in_sentence(self, sent: int) -> bool:
        ctx = self.ctx
        lo, hi = ctx.seg.sentences[sent]
        return any(m.entry.label == "anonymity_marker" for m in ctx.starting_in(lo, hi))
