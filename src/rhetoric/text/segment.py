"""Tokens and sentences of one text, with exact character offsets, as one :class:`Segmentation`.

Tokens come from :mod:`rhetoric.text.tokens` (on the normalised text), sentences from
:mod:`rhetoric.text.sentences` (on the original text: every line is a block, NLTK's Punkt with
news-trained parameters splits each line); :class:`Segmenter` combines them and maps each
sentence to its token range.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from rhetoric.text.sentences import PunktData, SentenceSplitter
from rhetoric.text.tokens import WORD_RE, tokenize

__all__ = ["Segmenter", "Segmentation", "WORD_RE", "tokenize"]


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Tokens and sentences of one text; all offsets index the original string.

    Tokens are stored column-wise: ``starts`` and ``ends`` are ``array.array`` of ints (indexing,
    slicing, ``len`` and :mod:`bisect` work as on lists), ``words`` a list of strings shared
    between equal tokens, ``is_word`` a list of bools.
    """

    starts: array
    ends: array
    words: list[str]            # normalised token text (lower case, straight quotes)
    is_word: list[bool]         # False for punctuation tokens
    sentences: list[tuple[int, int]]
    sentence_tokens: list[tuple[int, int]]  # token index range [i, j) of each sentence
    _sentence_starts: list[int] = field(init=False, repr=False, compare=False)
    _n_words: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sentence_starts", [s for s, _ in self.sentences])
        object.__setattr__(self, "_n_words", sum(self.is_word))   # read by every score

    @property
    def n_words(self) -> int:
        return self._n_words

    def sentence_word_counts(self) -> list[int]:
        """Words per sentence (``sum(is_word[i:j])`` over ``sentence_tokens``), from one running count
        over the tokens, not a sum per sentence."""
        if not self.sentence_tokens:
            return []
        running = np.zeros(len(self.is_word) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(self.is_word, dtype=bool, count=len(self.is_word)), out=running[1:])
        tr = np.asarray(self.sentence_tokens, dtype=np.int64).reshape(-1, 2)
        return (running[tr[:, 1]] - running[tr[:, 0]]).tolist()  # type: ignore[no-any-return]

    def token_at(self, offset: int) -> int:
        """Index of the first token that ends after ``offset``."""
        return bisect_left(self.ends, offset + 1)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the nearest one before it)."""
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)


class Segmenter:
    """Splits normalised text into tokens and sentences.

    Parameters
    ----------
    abbreviations:
        Lower-case abbreviations without their final period, added to the trained Punkt ones
        (which already hold the shipped ``lexicons/abbreviations.txt``).
    punkt:
        Punkt parameters; default: the shipped news-trained ones (``text/punkt_news.json``).
    """

    def __init__(self, abbreviations: Iterable[str] = (), punkt: PunktData | None = None) -> None:
        self._sentences = SentenceSplitter(abbreviations, punkt)

    @property
    def abbreviations(self) -> frozenset[str]:
        """Every abbreviation type Punkt knows here: the trained ones and those given."""
        return self._sentences.abbreviations

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text``, stripped of surrounding whitespace, never empty."""
        return self._sentences.split(text)

    def segment(self, text: str, normalized: str) -> Segmentation:
        """Tokenise ``normalized`` (see :func:`rhetoric.text.normalize`) and split ``text``."""
        starts, ends, words, is_word = tokenize(normalized)
        sentences = self.split_sentences(text)
        sentence_tokens: list[tuple[int, int]] = []
        if sentences:
            bounds = np.array(sentences, dtype=np.int64)
            token_starts = np.frombuffer(starts, dtype=np.int32 if starts.typecode == "i" else np.int64)
            i = np.searchsorted(token_starts, bounds[:, 0], side="left").tolist()
            j = np.searchsorted(token_starts, bounds[:, 1], side="left").tolist()
            sentence_tokens = list(zip(i, j))
        return Segmentation(starts, ends, words, is_word, sentences, sentence_tokens)
