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
from dataclasses import dataclass

from rhetoric.lexicon import Lexicons, load_lexicons
from rhetoric.lexicon.matcher import Match, PhraseMatcher
from rhetoric.lexicon.senses import filter_hedges
from rhetoric.text.normalize import normalize
from rhetoric.text.segment import Segmentation, Segmenter

__all__ = ["Analysis", "Analyzer"]


@dataclass(frozen=True, eq=False)
class Analysis:
    """One analysed text. All offsets index ``text``; ``normalized`` has the same length."""

    text: str
    normalized: str
    seg: Segmentation
    matches: list[Match]
    lexicon_sha256: str = ""

    @property
    def sentences(self) -> list[tuple[int, int]]:
        return self.seg.sentences

    @property
    def n_words(self) -> int:
        return self.seg.n_words


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
        return Analysis(text, normalized, seg, matches, self.lexicons.sha256)

    def __reduce__(self) -> tuple[object, ...]:  # workers rebuild the automaton instead of unpickling it
        return (Analyzer, (self.lexicons,))
