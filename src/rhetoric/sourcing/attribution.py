"""Who is cited, how, and whether the source is named.

For every attribution cue the lexicon found ("said", "according to", "told", "described"), find the
source noun phrase and classify it. No parser is needed for news prose; a few positional rules
cover the common shapes:

``source-before``   "Privileged sources within the Russian military, speaking on condition of
                    anonymity, described ..." — the noun phrase left of the cue, skipping adverbs,
                    auxiliaries and a comma-delimited clause ("who requested anonymity").
``source-after``    "according to unconfirmed reports", "attributed to Kim", and inverted quotes
                    ("'...,' said the source").
``anonymity-marker`` a marker ("speaking on condition of anonymity") with no cue in its sentence
                    still cites an anonymous source: the noun phrase before it.

The source's kind, in order of precedence:

1. ``state_media`` — it contains a state-media outlet (KCNA, TASS, Xinhua ...), or an acronym the
   text defined for one ("Central News Agency of Korea (CNA)" makes later "CNA" count);
2. ``anonymous`` — it contains an anonymous-source phrase ("a source", "insiders", "one diplomat")
   or an anonymity marker stands beside it;
3. ``named`` — it contains a proper name (capitalised words that are not sentence-initial,
   demonyms or places after "in"/"at"), or an institution ("the ministry");
4. ``vague`` — "analysts", "experts", "unconfirmed reports";
5. anaphora — "he", "she", "they" take the nearest preceding personal name; "the statement",
   "the report", "it" take the nearest state-media outlet or the previous attribution's kind;
6. otherwise ``vague``: a source the reader cannot identify.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field

from rhetoric.lexicon.matcher import Match
from rhetoric.sourcing.summary import sourcing_summary  # re-exported: it lived here before
from rhetoric.text.segment import Segmentation

__all__ = ["sourcing_summary"]  # the driver over these rules is rhetoric.sourcing.rules.find_attributions

_QUOTES = frozenset({"'", '"'})
_CLAUSE_STOP = frozenset(
    "and but or nor that which who whom whose while as because when though although if so then since "
    "unless whereas after before until where whether than yet".split()
)
_SKIP_LEFT = frozenset(
    "also has had have was were is are been be being would will could did does do had also later "
    "earlier previously recently once then still further repeatedly publicly privately reportedly "
    "allegedly initially first last finally even just already again too".split()
)
_VERBS = frozenset(
    "is was were are be been being has had have do does did will would shall should can could may might "
    "must sent made make makes took take takes gave give gives went go goes came come comes got get gets "
    "saw see sees put puts showed show shows found find finds held hold holds left leave leaves kept keep "
    "called call calls asked ask asks used use uses tried try tries seemed seem seems met meet meets read reads".split()
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you"})
_PERSONAL = frozenset({"he", "she", "they", "we", "i", "him", "her", "them", "us", "me"})
_DOCUMENT_NOUNS = frozenset(
    "statement report document transcript letter communique communiqué article editorial commentary "
    "dispatch text release announcement broadcast bulletin memo note".split()
)
_INSTITUTIONS = frozenset(
    "ministry government kremlin pentagon police army military embassy department court parliament "
    "congress senate committee council commission agency office spokesman spokeswoman spokesperson "
    "prosecutors prosecutor navy presidency cabinet administration".split()
)
_CAP_STOP = frozenset(
    "the a an one two three some several many most this that these those his her its their our my "
    "western eastern northern southern north south east west western-backed mr mrs ms dr it he she they "
    "we i in on at for and but if as according while yet however".split()
)
_LOCATIVE = frozenset({"in", "at", "across", "inside", "throughout", "near", "around", "outside", "within"})
_DEMONYM = re.compile(r"(?:an|ese|ish|ian|ean|ic|i)(?:'s)?$")
_DETERMINERS = frozenset(
    "the a an this that these those its his her their our my your any no such every each another".split())
_PREPOSITIONS = frozenset("in on at by for with under over into from of to about against".split())
_AFTER_CUE_END = re.compile(r"(?:to|by|of)$")
_ACRONYM_DEF = re.compile(r"\s*\(\s*([A-Z][A-Za-z]{1,9})\s*\)")


@dataclass
class _Context:
    text: str
    seg: Segmentation
    lexical: list[Match]        # attribution lexicon matches (all labels), sorted by start here
    in_order: list[Match] = field(init=False, repr=False)     # the same, in the order given
    _starts: list[int] = field(init=False, repr=False)
    _longest: int = field(init=False, repr=False)
    _sentence_names: dict[int, list[int]] = field(init=False, repr=False, default_factory=dict)
    _phrase_names: dict[tuple[int, int, int], list[int]] = field(init=False, repr=False, default_factory=dict)
    _acronyms: dict[str, Match] | None = field(init=False, repr=False, default=None)
    _names_before: dict[tuple[int, int], tuple[int, int] | None] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        # sorted by start, so the lookups below read only the matches near an offset (a long text
        # has thousands of matches; scanning all of them per cue made scoring quadratic)
        self.in_order = self.lexical
        self.lexical = sorted(self.lexical, key=lambda m: m.start)
        self._starts = [m.start for m in self.lexical]
        self._longest = max((m.end - m.start for m in self.lexical), default=0)

    def overlapping(self, start: int, end: int) -> list[Match]:
        """The lexical matches that share a character with ``[start, end)``, in text order."""
        lo = bisect_left(self._starts, start - self._longest)
        hi = bisect_left(self._starts, end)
        return [m for m in self.lexical[lo:hi] if m.end > start]

    def starting_in(self, start: int, end: int) -> list[Match]:
        """The lexical matches that start in ``[start, end)``, in text order."""
        return self.lexical[bisect_left(self._starts, start):bisect_left(self._starts, end)]

    def before_reversed(self, offset: int) -> Iterator[Match]:
        """The lexical matches that end at or before ``offset``, nearest first."""
        for k in range(bisect_left(self._starts, offset) - 1, -1, -1):
            if self.lexical[k].end <= offset:
                yield self.lexical[k]

    def sentence_names(self, sent: int) -> list[int]:
        """:func:`_name_tokens` of a whole sentence, computed once per sentence (pronouns look back
        over the same sentences again and again)."""
        names = self._sentence_names.get(sent)
        if names is None:
            lo, hi = self.seg.sentence_tokens[sent]
            names = self._sentence_names[sent] = _name_tokens(self, (lo, hi), lo)
        return names

    def name_tokens(self, rng: tuple[int, int], sent_lo: int) -> list[int]:
        """:func:`_name_tokens` of a source phrase, computed once (the typer asks twice); not to be modified."""
        key = (rng[0], rng[1], sent_lo)
        names = self._phrase_names.get(key)
        if names is None:
            names = self._phrase_names[key] = _name_tokens(self, rng, sent_lo)
        return names

    def acronyms(self) -> dict[str, Match]:
        """:func:`_find_acronyms`, found once (the rules and the tagger's typer both ask); not to be modified."""
        if self._acronyms is None:
            self._acronyms = _find_acronyms(self)
        return self._acronyms

    def is_cap(self, i: int) -> bool:
        return self.text[self.seg.starts[i]].isupper()

    def tok(self, i: int) -> str:
        return self.text[self.seg.starts[i]:self.seg.ends[i]]


def _sentence_range(ctx: _Context, sent: int) -> tuple[int, int]:
    return ctx.seg.sentence_tokens[sent]


def _left_np(ctx: _Context, cue_tok: int, lo: int) -> tuple[tuple[int, int] | None, bool]:
    """Token range of the noun phrase left of a cue, and whether a skipped clause was anonymous."""
    words = ctx.seg.words
    i = cue_tok - 1
    while i >= lo and (words[i] in _SKIP_LEFT or (words[i].endswith("ly") and len(words[i]) > 4)):
        i -= 1
    marker = False
    if i >= lo and words[i] in ("who", "which", "that"):
        i -= 1
        if i >= lo and words[i] == ",":
            i -= 1
    elif i >= lo and words[i] == ",":
        k = i - 1
        while k >= lo and words[k] not in (",", ";", ":") and words[k] not in _QUOTES:
            k -= 1
        if k < lo or words[k] != ",":
            return None, False
        clause = (ctx.seg.starts[k + 1], ctx.seg.ends[i - 1]) if i - 1 > k else None
        marker = clause is not None and any(
            m.entry.label == "anonymity_marker" for m in ctx.starting_in(clause[0], clause[1]))
        i = k - 1
    end = i + 1
    n = 0
    while i >= lo and n < 12:
        w = words[i]
        if not ctx.seg.is_word[i] and w not in ("-", "&", "."):
            break
        if w in _CLAUSE_STOP or w in _VERBS:
            break
        i -= 1
        n += 1
    start = i + 1
    if start >= end:
        return None, marker
    return (start, end), marker


def _right_np(ctx: _Context, after_tok: int, hi: int) -> tuple[int, int] | None:
    words = ctx.seg.words
    i = after_tok
    n = 0
    while i < hi and n < 12:
        w = words[i]
        if not ctx.seg.is_word[i] and w not in ("-", "&"):
            break
        if w in _VERBS or (w in _CLAUSE_STOP and not (w == "and" and i + 1 < hi and ctx.is_cap(i + 1))):
            break
        if n >= 2 and w.endswith("ed"):
            break
        i += 1
        n += 1
    return (after_tok, i) if i > after_tok else None


def _name_tokens(ctx: _Context, rng: tuple[int, int], sent_lo: int) -> list[int]:
    """Tokens of ``rng`` that look like parts of proper names."""
    words, is_word, starts, text = ctx.seg.words, ctx.seg.is_word, ctx.seg.starts, ctx.text
    lo, hi = rng
    out = []
    # ``before`` is the nearest token left of ``i`` (down to ``lo - 1``) that is not a capitalised
    # word: the word before the run of capitalised words that ``i`` ends
    before = lo - 1
    for i in range(lo, hi):
        cap_word = is_word[i] and text[starts[i]].isupper()
        j, before = before, (before if cap_word else i)
        if not cap_word or words[i] in _CAP_STOP or _DEMONYM.search(words[i]):
            continue
        if j >= sent_lo and words[j] in _LOCATIVE:
            continue
        if i == sent_lo and not (i + 1 < hi and is_word[i + 1] and text[starts[i + 1]].isupper()):
            continue
        out.append(i)
    return out


def _first_labelled(matches: list[Match], label: str) -> Match | None:
    for m in matches:
        if m.entry.label == label:
            return m
    return None


def _personal_name_before(ctx: _Context, offset: int, sent: int) -> tuple[int, int] | None:
    """The nearest run of two or more name tokens before ``offset`` in this or the two previous sentences
    (found once per offset and sentence: the typer asks for a pronoun's name twice, and the rules
    and the tagger's relations ask for the same pronouns)."""
    key = (offset, sent)
    if key not in ctx._names_before:
        ctx._names_before[key] = _find_name_before(ctx, offset, sent)
    return ctx._names_before[key]


def _find_name_before(ctx: _Context, offset: int, sent: int) -> tuple[int, int] | None:
    for s in range(sent, max(sent - 3, -1), -1):
        names = [i for i in ctx.sentence_names(s) if ctx.seg.ends[i] <= offset]
        runs: list[list[int]] = []
        for i in names:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [r for r in runs if len(r) >= 2]
        if runs:
            return ctx.seg.starts[runs[-1][0]], ctx.seg.ends[runs[-1][-1]]
    return None


class _Classifier:
    """Decides the kind of each source, remembering earlier ones for anaphora."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.acronyms = ctx.acronyms()
        self.history: list[tuple[int, str]] = []   # (sentence, kind)

    def classify(self, rng: tuple[int, int], sent: int, marker: bool) -> tuple[str, str]:
        ctx = self.ctx
        start, end = ctx.seg.starts[rng[0]], ctx.seg.ends[rng[1] - 1]
        words = ctx.seg.words[rng[0]:rng[1]]
        near = ctx.overlapping(start, end)   # the lexical matches of the phrase, read per label below
        m = _first_labelled(near, "state_media")
        if m:
            return "state_media", m.entry.rule
        if self.acronyms:
            for i in range(*rng):
                if ctx.tok(i) in self.acronyms:
                    return "state_media", f"acronym:{self.acronyms[ctx.tok(i)].entry.rule}"
        m = _first_labelled(near, "anonymous")
        if m:
            return "anonymous", m.entry.rule
        if marker:
            return "anonymous", "anonymity-marker"
        lo = _sentence_range(ctx, sent)[0]
        if ctx.name_tokens(rng, lo):
            return "named", "proper-name"
        m = _first_labelled(near, "vague")
        if m:
            return "vague", m.entry.rule
        if rng[0] == lo and ctx.is_cap(lo) and ctx.seg.is_word[lo] and ctx.seg.words[lo] not in _CAP_STOP \
                and ctx.seg.words[lo] not in _PRONOUNS and ctx.seg.words[lo] not in _INSTITUTIONS \
                and ctx.seg.words[lo] not in _DOCUMENT_NOUNS and not _DEMONYM.search(ctx.seg.words[lo]):
            return "named", "proper-name"   # "Figueroa said": a capitalised subject opening the sentence
        if any(w in _INSTITUTIONS for w in words):
            return "named", "institution"
        head = words[-1] if words else ""
        if head in _PERSONAL:
            if _personal_name_before(ctx, start, sent):
                return "named", "pronoun->name"
            return self._inherit("pronoun")
        if (head in _DOCUMENT_NOUNS and words[0] in ("the", "this", "that")) or head == "it":
            outlet = None
            for m in ctx.before_reversed(start):
                if ctx.seg.sentence_of(m.start) < sent - 8:
                    break
                if m.entry.label == "state_media":
                    outlet = m
                    break
            if outlet:
                return "state_media", f"document->{outlet.entry.rule}"
            return self._inherit("document")
        return "vague", "unidentified"

    def _inherit(self, what: str) -> tuple[str, str]:
        if self.history:
            return self.history[-1][1], f"{what}->previous"
        return "vague", f"{what}-unresolved"


def _not_a_cue(ctx: _Context, first: int, last: int, lo: int, hi: int) -> str | None:
    """Why a cue-word match is not a report verb here (a noun, an adjective, an infinitive), or None."""
    words = ctx.seg.words
    prev = words[first - 1] if first - 1 >= lo else ""
    nxt = words[last + 1] if last + 1 < hi else ""
    if words[first] in ("according", "attributed", "quoted", "cited", "in"):
        return None
    if prev in _DETERMINERS:
        return "noun-or-adjective"          # "the reported liberation", "a claim"
    if prev == "to":
        return "infinitive"                 # "declined to confirm"
    if words[last].endswith("ing") and (not nxt or not ctx.seg.is_word[last + 1]):
        return "adjective"                  # "the omission was telling."
    return None


def _find_acronyms(ctx: _Context) -> dict[str, Match]:
    """Acronyms the text defines for state-media outlets: "Central News Agency of Korea (CNA)"."""
    found: dict[str, Match] = {}
    for m in ctx.lexical:
        if m.entry.label == "state_media":
            d = _ACRONYM_DEF.match(ctx.text, m.end)
            if d:
                found[d.group(1)] = m
    return found
