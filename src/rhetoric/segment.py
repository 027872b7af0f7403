"""Tokenisation and sentence splitting with exact character offsets, offline.

The text is tokenised once; every later stage (matching, attribution, hedging context, the model's
n-grams, word counts) reads these tokens, so offsets agree everywhere.

Sentences: every line is a block of its own (news text puts headlines, bylines and list items on
lines of their own), and NLTK's Punkt splits each line, with the shipped abbreviation list
(``lexicons/abbreviations.txt``) so "U.S.", "Mr." and "Gen." do not end a sentence. Punkt needs no
downloaded model when given its parameters directly.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

__all__ = ["Segmenter", "Segmentation", "WORD_RE"]

# Acronyms with periods ("u.s.") first, then words with inner hyphens/apostrophes, then any other
# single non-space character as a punctuation token.
WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\-]\w+)*")
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\-]\w+)*|\S")
_LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


@dataclass(frozen=True, slots=True)
class Segmentation:
    """Tokens and sentences of one text; all offsets index the original string.

    Tokens are stored column-wise (parallel lists) because a long article has tens of thousands.
    """

    starts: list[int]
    ends: list[int]
    words: list[str]            # normalised token text (lower case, straight quotes)
    is_word: list[bool]         # False for punctuation tokens
    sentences: list[tuple[int, int]]
    sentence_tokens: list[tuple[int, int]]  # token index range [i, j) of each sentence

    @property
    def n_words(self) -> int:
        return sum(self.is_word)

    def token_at(self, offset: int) -> int:
        """Index of the first token that ends after ``offset``."""
        return bisect_left(self.ends, offset + 1)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the nearest one before it)."""
        lo, hi = 0, len(self.sentences)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.sentences[mid][0] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return max(lo - 1, 0)


class Segmenter:
    """Splits normalised text into tokens and sentences.

    Parameters
    ----------
    abbreviations:
        Lower-case abbreviations without their final period; a sentence never ends after one.
    """

    def __init__(self, abbreviations: Iterable[str] = ()) -> None:
        self.abbreviations = frozenset(a.strip().lower().rstrip(".") for a in abbreviations if a.strip())
        params = PunktParameters()
        params.abbrev_types = set(self.abbreviations)
        self._punkt = PunktSentenceTokenizer(params)

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text``, stripped of surrounding whitespace, never empty."""
        spans: list[tuple[int, int]] = []
        for line in _LINE_RE.finditer(text):
            line_text = line.group()
            if line_text.isspace():
                continue
            base = line.start()
            for s, e in self._punkt.span_tokenize(line_text):
                seg = line_text[s:e]
                stripped = seg.strip()
                if not stripped:
                    continue
                lead = len(seg) - len(seg.lstrip())
                spans.append((base + s + lead, base + s + lead + len(stripped)))
        return spans

    def segment(self, text: str, normalized: str) -> Segmentation:
        """Tokenise ``normalized`` (see :func:`rhetoric.normalize.normalize`) and split ``text``."""
        starts: list[int] = []
        ends: list[int] = []
        words: list[str] = []
        for m in _TOKEN_RE.finditer(normalized):
            starts.append(m.start())
            ends.append(m.end())
            words.append(m.group())
        is_word = [w[0].isalnum() or w[0] == "_" for w in words]
        sentences = self.split_sentences(text)
        sentence_tokens = []
        for s, e in sentences:
            i = bisect_left(starts, s)
            j = bisect_left(starts, e)
            sentence_tokens.append((i, j))
        return Segmentation(starts, ends, words, is_word, sentences, sentence_tokens)
