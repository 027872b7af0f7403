"""One Aho–Corasick pass over the normalised text finds every lexicon phrase.

The automaton (Rust, via ``ahocorasick-rs``) is built once per :class:`PhraseMatcher` and runs in
time linear in the text. Python then keeps only matches on word boundaries (and, for ``=`` entries,
with the exact case), and resolves overlaps deterministically:

1. an ``ignore`` match removes the matches of its category that lie inside it ("could not" hides
   the hedge "could", but not the longer hedge "could not be independently verified");
2. within a group (one category; for ``technique`` and ``attribution`` one category *and* label),
   longer matches win, then earlier ones, then higher weight, then the earlier lexicon entry.
   Matches of different groups may overlap: a phrase can be both state-media rhetoric and
   loaded language.

Runs of whitespace in the text match the single spaces of a phrase: when the text has any, the
matcher scans a collapsed copy and maps offsets back through the positions of the collapsed runs
(memory proportional to the number of runs, not to the length of the text).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick_rs

from rhetoric.lexicon.lexicons import Entry, Lexicons
from rhetoric.text.normalize import is_word_char

__all__ = ["Match", "PhraseMatcher"]


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


_SPACE_RUN = re.compile("  +")


_SCAN_CHUNK = 1 << 20   # characters per automaton call; bounds the scanner's temporary buffers


class _OffsetMap:
    """Maps offsets of the space-collapsed copy back to the original text.

    A run of ``L`` spaces keeps its first space and drops ``L - 1``; a collapsed offset ``c`` lies
    after every run whose kept space is before it, and shifts by the spaces those runs dropped.
    """

    __slots__ = ("dropped", "kept")

    def __init__(self, normalized: str) -> None:
        runs = [m.span() for m in _SPACE_RUN.finditer(normalized)]
        self.dropped = list(accumulate(e - s - 1 for s, e in runs))          # dropped up to run k
        self.kept = [s - d + (e - s - 1) for (s, e), d in zip(runs, self.dropped)]  # kept space of run k

    def __call__(self, c: int) -> int:
        k = bisect_left(self.kept, c)
        return c + self.dropped[k - 1] if k else c


def _collapse_spaces(normalized: str) -> tuple[str, _OffsetMap | None]:
    """Collapse runs of spaces; return the copy and, if it differs, the map back to ``normalized``."""
    if "  " not in normalized:
        return normalized, None
    return _SPACE_RUN.sub(" ", normalized), _OffsetMap(normalized)


class PhraseMatcher:
    """Finds the phrases of a :class:`~rhetoric.lexicon.lexicons.Lexicons` set in text."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons
        self._entries = lexicons.entries
        # Case-sensitive entries are matched case-insensitively, then checked against the original.
        # An empty phrase (only possible in a hand-built Lexicons; loading refuses it) matches nothing.
        phrases = [(phrase, index) for phrase, index in lexicons.phrases if phrase]
        patterns = [phrase.lower() for phrase, _ in phrases]
        self._phrase = [phrase for phrase, _ in phrases]
        self._entry_of = [index for _, index in phrases]
        self._starts_word = [is_word_char(p[0]) for p in patterns]
        self._ends_word = [is_word_char(p[-1]) for p in patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard) \
            if patterns else None
        self._longest = max(map(len, patterns), default=0)

    def _scan(self, haystack: str) -> list[tuple[int, int, int]]:
        """``(pattern, start, end)`` of every occurrence, in the automaton's order (by end).

        A long text is scanned in pieces of ``_SCAN_CHUNK`` characters, each extended by the longest
        phrase so every occurrence that starts in it is found whole, and the pieces' occurrences
        are merged back into one order; the scanner's temporary buffers grow with the piece, not
        with the text.
        """
        n = len(haystack)
        find = self._automaton.find_matches_as_indexes
        if n <= _SCAN_CHUNK + self._longest:
            return find(haystack, overlapping=True)
        hits: list[tuple[int, int, int]] = []
        for a in range(0, n, _SCAN_CHUNK):
            piece = haystack[a:a + _SCAN_CHUNK + self._longest]
            hits.extend((pid, a + s, a + e) for pid, s, e in find(piece, overlapping=True) if s < _SCAN_CHUNK)
        hits.sort(key=lambda h: h[2])   # stable: pieces overlap only in occurrences ending past a cut
        return hits

    def raw_matches(self, text: str, normalized: str) -> list[Match]:
        """Every boundary-respecting occurrence of every phrase, overlaps included."""
        if self._automaton is None or not normalized:
            return []
        haystack, original = _collapse_spaces(normalized)
        n = len(haystack)
        out: list[Match] = []
        entries, entry_of = self._entries, self._entry_of
        starts_word, ends_word, word_char = self._starts_word, self._ends_word, is_word_char
        for pid, s, e in self._scan(haystack):
            if starts_word[pid] and s > 0 and word_char(haystack[s - 1]):
                continue
            if ends_word[pid] and e < n and word_char(haystack[e]):
                continue
            if original is not None:
                s, e = original(s), original(e - 1) + 1
            entry = entries[entry_of[pid]]
            if entry.case_sensitive and " ".join(text[s:e].split()) != self._phrase[pid]:
                continue
            out.append(Match(s, e, entry))
        return out

    def find(self, text: str, normalized: str) -> list[Match]:
        """Matches after ``ignore`` suppression and overlap resolution, sorted by position."""
        return resolve_overlaps(self.raw_matches(text, normalized))


def _group(entry: Entry) -> tuple[str, str]:
    if entry.category in ("technique", "attribution"):
        return entry.category, entry.label
    return entry.category, ""


def resolve_overlaps(matches: list[Match]) -> list[Match]:
    ignores: dict[str, list[Match]] = {}
    kept = []
    for m in matches:
        if m.entry.category == "ignore":
            ignores.setdefault(m.entry.label, []).append(m)
        else:
            kept.append(m)
    if ignores:
        index = {label: _IgnoreIndex(gs) for label, gs in ignores.items()}
        kept = [m for m in kept if m.entry.category not in index or not index[m.entry.category].covers(m)]
    # Groups are resolved independently; a group none of whose matches overlap keeps them all.
    groups: dict[tuple[str, str], list[Match]] = {}
    for m in kept:
        groups.setdefault(_group(m.entry), []).append(m)
    result: list[Match] = []
    for members in groups.values():
        result.extend(_resolve_group(members) if _any_overlap(members) else members)
    result.sort(key=lambda m: (m.start, m.end, m.entry.category, m.entry.label))
    return result


def _any_overlap(matches: list[Match]) -> bool:
    reach = -1
    for start, end in sorted([(m.start, m.end) for m in matches]):
        if start < reach:
            return True
        reach = max(reach, end)
    return False


def _resolve_group(kept: list[Match]) -> list[Match]:
    """The matches of one group that win: longer first, then earlier, heavier, earlier entry."""
    kept = sorted(kept, key=lambda m: (m.start - m.end, m.start, -m.entry.weight, m.entry.rule))
    # An accepted span that overlaps [start, end) is at most ``longest`` long, so it starts in
    # (start - longest, end). Accepted spans are kept in buckets of ``longest`` positions, and a
    # match looks in the (at most three) buckets that interval touches: constant work per match
    # however many spans the text has (a sorted list with inserts made long texts quadratic).
    longest = max((m.end - m.start for m in kept), default=1) or 1
    buckets: dict[int, list[tuple[int, int]]] = {}
    result: list[Match] = []
    for m in kept:
        start, end = m.start, m.end
        if _overlaps_bucketed(buckets, start, end, longest):
            continue
        buckets.setdefault(start // longest, []).append((start, end))
        result.append(m)
    return result


def _overlaps_bucketed(buckets: dict[int, list[tuple[int, int]]], start: int, end: int, longest: int) -> bool:
    for b in range((start - longest) // longest, (end - 1) // longest + 1):
        for s, e in buckets.get(b, ()):
            if s < end and start < e:
                return True
    return False


class _IgnoreIndex:
    """The ``ignore`` matches of one category, sorted, so a containment query looks only nearby."""

    def __init__(self, ignores: list[Match]) -> None:
        self.ordered = sorted(ignores, key=lambda g: g.start)
        self.starts = [g.start for g in self.ordered]
        self.longest = max(g.end - g.start for g in self.ordered)

    def covers(self, m: Match) -> bool:
        lo = bisect_left(self.starts, m.start - self.longest)
        hi = bisect_right(self.starts, m.start)
        return any(m.end <= self.ordered[k].end for k in range(lo, hi))
