"""The shared document object: one text, analysed once, read by every dimension and every head.

An :class:`Analysis` holds what the text stage and the lexicon stage found: the original text, its
normalised twin (same length, same offsets), tokens and sentences, and the lexicon matches after
the word-sense filters. Dimensions (``rhetoric.sourcing``, ``rhetoric.hedging``,
``rhetoric.statemedia``, ``rhetoric.propaganda``) and the trained heads read it; none of them builds
a :class:`~rhetoric.pipeline.Scorer` or reaches back up to the pipeline. Training code builds
analyses with an :class:`Analyzer`, exactly as scoring does, so features at training and at
scoring time are the same.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rhetoric.lexicon import Lexicons, load_lexicons
from rhetoric.lexicon.matcher import Match, PhraseMatcher
from rhetoric.lexicon.senses import filter_hedges
from rhetoric.text.boilerplate import find_boilerplate, in_boilerplate
from rhetoric.text.normalize import normalize
from rhetoric.text.segment import Segmentation, Segmenter

__all__ = ["Analysis", "Analyzer"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """One analysed text. All offsets index ``text``; ``normalized`` has the same length.

    ``boilerplate`` holds the site-furniture ranges ``(start, end, reason)``
    (:func:`rhetoric.text.boilerplate.find_boilerplate`); ``matches`` has none inside them, and
    dimensions skip the sentences in :func:`rhetoric.text.boilerplate.boilerplate_sentences`.
    """

    text: str
    normalized: str
    seg: Segmentation
    matches: list[Match]
    lexicon_sha256: str = ""
    boilerplate: tuple[tuple[int, int, str], ...] = ()
    # derived views of this one document that several stages read (computed on first use); an
    # Analysis belongs to one call, so this is never shared between threads or texts
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        # the memo holds builtin hash() values, which differ between processes: not pickled
        return {**self.__dict__, "memo": {}}

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self.seg.sentences

    @property
    def n_words(self) -> int:
        return self.seg.n_words

    def word_hashes(self) -> np.ndarray:
        """``hash()`` of every token's word (as ``uint64``), computed once: a vectorised prefilter for
        word look-ups (equal words hash alike; a collision only lets another word through)."""
        hashes = self.memo.get("word_hashes")
        if hashes is None:
            words = self.seg.words
            hashes = np.fromiter(map(hash, words), np.int64, len(words)).view(np.uint64)
            self.memo["word_hashes"] = hashes
        return hashes

    def word_positions(self, vocabulary: frozenset[str]) -> list[int]:
        """Indices of the tokens whose word is in ``vocabulary``, ascending."""
        if not vocabulary or not self.seg.words:
            return []
        wanted = np.sort(np.fromiter(map(hash, vocabulary), np.int64, len(vocabulary)).view(np.uint64))
        hashes = self.word_hashes()
        found = wanted[np.minimum(np.searchsorted(wanted, hashes), len(wanted) - 1)] == hashes
        words = self.seg.words
        return [k for k in np.flatnonzero(found).tolist() if words[k] in vocabulary]


class Analyzer:
    """Text → :class:`Analysis`: normalise, tokenise, split sentences, match the lexicons, filter senses.

    Holds only read-only state built in ``__init__`` (lexicons, automaton, sentence splitter), so
    one Analyzer can be shared by threads.
    """

    def __init__(self, lexicons: str | os.PathLike[str] | Lexicons | None = None) -> None:
        self.lexicons = lexicons if isinstance(lexicons, Lexicons) else load_lexicons(lexicons)
        self.matcher = PhraseMatcher(self.lexicons)
        self.segmenter = Segmenter(self.lexicons.abbreviations)

    def analyze(self, text: str) -> Analysis:
        normalized = normalize(text)
        seg = self.segmenter.segment(text, normalized)
        matches = filter_hedges(self.matcher.find(text, normalized), text, seg)
        boilerplate = tuple(find_boilerplate(text, seg))
        if boilerplate:  # site furniture is left out of every score
            matches = [m for m in matches if not in_boilerplate(boilerplate, m.start, m.end)]
        return Analysis(text, normalized, seg, matches, self.lexicons.sha256, boilerplate)

    def __reduce__(self) -> tuple[object, ...]:  # workers rebuild the automaton instead of unpickling it
        return (Analyzer, (self.lexicons,))
