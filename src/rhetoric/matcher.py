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
matcher scans a collapsed copy and maps offsets back through an index array.
"""

from __future__ import annotations

from dataclasses import dataclass

import ahocorasick_rs
import numpy as np

from .lexicon import Entry, Lexicons
from .normalize import is_word_char

__all__ = ["Match", "PhraseMatcher"]


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    entry: Entry


def _collapse_spaces(normalized: str) -> tuple[str, np.ndarray | None]:
    """Collapse runs of spaces; return the copy and, if it differs, the index of each kept char."""
    if "  " not in normalized:
        return normalized, None
    codes = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32)
    space = codes == 32
    drop = np.zeros(len(codes), dtype=bool)
    drop[1:] = space[1:] & space[:-1]
    keep = np.flatnonzero(~drop)
    return codes[keep].tobytes().decode("utf-32-le"), keep


class PhraseMatcher:
    """Finds the phrases of a :class:`~rhetoric.lexicon.Lexicons` set in text."""

    def __init__(self, lexicons: Lexicons) -> None:
        self.lexicons = lexicons
        self._entries = lexicons.entries
        # Case-sensitive entries are matched case-insensitively, then checked against the original.
        patterns = [phrase.lower() for phrase, _ in lexicons.phrases]
        self._phrase = [phrase for phrase, _ in lexicons.phrases]
        self._entry_of = [index for _, index in lexicons.phrases]
        self._starts_word = [is_word_char(p[0]) for p in patterns]
        self._ends_word = [is_word_char(p[-1]) for p in patterns]
        self._automaton = ahocorasick_rs.AhoCorasick(patterns, matchkind=ahocorasick_rs.MatchKind.Standard) \
            if patterns else None

    def raw_matches(self, text: str, normalized: str) -> list[Match]:
        """Every boundary-respecting occurrence of every phrase, overlaps included."""
        if self._automaton is None or not normalized:
            return []
        haystack, index = _collapse_spaces(normalized)
        n = len(haystack)
        out: list[Match] = []
        entries, entry_of = self._entries, self._entry_of
        for pid, s, e in self._automaton.find_matches_as_indexes(haystack, overlapping=True):
            if self._starts_word[pid] and s > 0 and is_word_char(haystack[s - 1]):
                continue
            if self._ends_word[pid] and e < n and is_word_char(haystack[e]):
                continue
            if index is not None:
                s, e = int(index[s]), int(index[e - 1]) + 1
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
    ignores = [m for m in matches if m.entry.category == "ignore"]
    kept = [m for m in matches if m.entry.category != "ignore"]
    if ignores:
        kept = [m for m in kept if not any(
            g.entry.label == m.entry.category and g.start <= m.start and m.end <= g.end for g in ignores)]
    kept.sort(key=lambda m: (m.start - m.end, m.start, -m.entry.weight, m.entry.rule))
    taken: dict[tuple[str, str], list[tuple[int, int]]] = {}
    result: list[Match] = []
    for m in kept:
        spans = taken.setdefault(_group(m.entry), [])
        if any(s < m.end and m.start < e for s, e in spans):
            continue
        spans.append((m.start, m.end))
        result.append(m)
    result.sort(key=lambda m: (m.start, m.end, m.entry.category, m.entry.label))
    return result
