"""Tokenisation and sentence splitting with exact character offsets, offline.

The text is tokenised once; every later stage (matching, attribution, hedging context, the model's
n-grams, word counts) reads these tokens, so offsets agree everywhere.

Sentences: every line is a block of its own (news text puts headlines, bylines and list items on
lines of their own), and Punkt (Kiss & Strunk 2006, as implemented by NLTK's
``PunktSentenceTokenizer``) splits each line, with the shipped abbreviation list
(``lexicons/abbreviations.txt``) so "U.S.", "Mr." and "Gen." do not end a sentence. With no trained
parameters besides the abbreviations, Punkt's decision needs only its regular expressions and its
first- and second-pass token rules, which :class:`_Punkt` applies directly: the same decisions as
NLTK's tokenizer (same expressions, same ``regex`` engine), without importing NLTK (about a second
of start-up) or building a token object per candidate.

Tokens are stored column-wise and compactly (offsets in ``array.array``, words interned per text)
because a long text has millions of them.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import regex

__all__ = ["Segmenter", "Segmentation", "WORD_RE"]

# Acronyms with periods ("u.s.") first, then words with inner hyphens/apostrophes, then any other
# single non-space character as a punctuation token.
WORD_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\-]\w+)*")
_TOKEN_RE = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\-]\w+)*|\S")
# The same expression as one capturing group: ``split`` then returns gap, token, gap, token, ...,
# gap, and the offsets are the running sum of their lengths (no Python code per token).
_TOKEN_SPLIT_RE = re.compile("(" + _TOKEN_RE.pattern + ")")
_CHUNK = 1 << 16   # tokenise in chunks of about this many characters, cut at a space
_LINE_RE = re.compile(r"[^\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


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

    def __post_init__(self) -> None:
        object.__setattr__(self, "_sentence_starts", [s for s, _ in self.sentences])

    @property
    def n_words(self) -> int:
        return sum(self.is_word)

    def token_at(self, offset: int) -> int:
        """Index of the first token that ends after ``offset``."""
        return bisect_left(self.ends, offset + 1)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence containing ``offset`` (or the nearest one before it)."""
        return max(bisect_right(self._sentence_starts, offset) - 1, 0)


def tokenize(normalized: str) -> tuple[array, array, list[str], list[bool]]:
    """Token offsets, texts and word flags of a normalised text (see :data:`_TOKEN_RE`).

    Works through the text in chunks cut at spaces (no token contains one), so the temporary
    lists stay small however long the text is.
    """
    typecode, dtype = ("i", np.int32) if len(normalized) < 2 ** 31 else ("q", np.int64)
    starts, ends = array(typecode), array(typecode)
    words: list[str] = []
    vocabulary: dict[str, str] = {}
    n = len(normalized)
    pos = 0
    while pos < n:
        cut = normalized.find(" ", pos + _CHUNK)
        cut = n if cut < 0 else cut + 1
        parts = _TOKEN_SPLIT_RE.split(normalized if (pos == 0 and cut == n) else normalized[pos:cut])
        # offsets[k] is where part k ends; token j is part 2j + 1
        offsets = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
        offsets += pos
        starts.frombytes(offsets[0:-1:2].astype(dtype).tobytes())
        ends.frombytes(offsets[1::2].astype(dtype).tobytes())
        tokens = parts[1::2]
        words.extend(map(vocabulary.setdefault, tokens, tokens))
        pos = cut
    word_flag = {w: (w[0].isalnum() or w[0] == "_") for w in vocabulary}
    is_word = list(map(word_flag.__getitem__, words))
    return starts, ends, words, is_word


class _Punkt:
    """Punkt sentence boundaries for one line, given only a set of abbreviations.

    A port of ``nltk.tokenize.punkt.PunktSentenceTokenizer.span_tokenize`` (NLTK 3.10, Apache 2.0)
    for parameters that hold abbreviations only: no collocations, sentence starters or
    orthographic statistics, which makes most of the second pass inert. The regular expressions
    are NLTK's, compiled with the same ``regex`` engine.
    """

    _NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb\?!])"
    _MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
    _WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"
    _WORD_TOKENIZER = regex.compile(r"""(
        %(MultiChar)s
        |
        (?=%(WordStart)s)\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            %(NonWord)s|%(MultiChar)s|          # Punctuation
            ,(?=$|\s|%(NonWord)s|%(MultiChar)s) # Comma if at end of word
        )
        |
        \S
    )""" % {"NonWord": _NON_WORD, "MultiChar": _MULTI_CHAR, "WordStart": _WORD_START}, re.UNICODE | re.VERBOSE)
    _PERIOD_CONTEXT = regex.compile(r"""
        %(SentEndChars)s             # a potential sentence ending
        (?=(?P<after_tok>
            %(NonWord)s              # either other punctuation
            |
            \s+(?P<next_tok>\S+)     # or whitespace and some other token
        ))""" % {"NonWord": _NON_WORD, "SentEndChars": r"[\.\?!]"}, re.UNICODE | re.VERBOSE)
    _REALIGN = regex.compile(r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', re.MULTILINE)
    _ELLIPSIS = regex.compile(r"\.\.+$")
    _NUMERIC = regex.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
    _INITIAL = regex.compile(r"[^\W\d]\.$", re.UNICODE)
    _SENT_END = frozenset((".", "?", "!"))
    _PUNCTUATION = frozenset(";:,.!?")

    def __init__(self, abbreviations: frozenset[str]) -> None:
        self.abbreviations = abbreviations

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``span_tokenize(text)`` with boundary realignment."""
        slices: list[tuple[int, int]] = []
        last_break = 0
        for match, context in self._end_contexts(text):
            if self._contains_sentbreak(context):
                slices.append((last_break, match.end()))
                last_break = match.start("next_tok") if match.group("next_tok") else match.end()
        slices.append((last_break, len(text.rstrip())))
        if len(slices) == 1:
            s, e = slices[0]
            return [(s, e)] if s < e else []
        out: list[tuple[int, int]] = []
        realign = 0
        last = len(slices) - 1
        for k, (s1, e1) in enumerate(slices):
            s1 += realign
            if k == last:
                if s1 < e1:
                    out.append((s1, e1))
                continue
            s2, e2 = slices[k + 1]
            m = self._REALIGN.match(text[s2:e2])
            if m:
                out.append((s1, s2 + len(m.group(0).rstrip())))
                realign = m.end()
            else:
                realign = 0
                if s1 < e1:
                    out.append((s1, e1))
        return out

    def _end_contexts(self, text: str) -> list[tuple[regex.Match, str]]:
        """``_match_potential_end_contexts``: each candidate end and the text around it."""
        out = []
        prev_start = prev_stop = 0
        previous = None
        for match in self._PERIOD_CONTEXT.finditer(text):
            start = match.start()
            before = text[prev_stop:start]
            # the last character of string.whitespace in ``before`` (NLTK's _get_last_whitespace_index)
            index = max(before.rfind(" "), before.rfind("\t"), before.rfind("\n"), before.rfind("\r"),
                        before.rfind("\x0b"), before.rfind("\x0c"))
            if index > 0:   # NLTK treats "no whitespace" and "whitespace at index 0" alike
                index += prev_stop + 1
            else:
                index = prev_start
            if previous is not None and prev_stop <= index:
                out.append((previous, text[prev_start:prev_stop] + previous.group() + previous.group("after_tok")))
            previous = match
            prev_start, prev_stop = index, start
        if previous is not None:
            out.append((previous, text[prev_start:prev_stop] + previous.group() + previous.group("after_tok")))
        return out

    def _contains_sentbreak(self, context: str) -> bool:
        """``text_contains_sentbreak``: does a token other than the last one end a sentence?"""
        tokens = [t for line in context.split("\n") if line.strip() for t in self._WORD_TOKENIZER.findall(line)]
        for i in range(len(tokens) - 1):
            if self._sentbreak(tokens[i], tokens[i + 1]):
                return True
        return False

    def _sentbreak(self, tok: str, nxt: str) -> bool:
        # first pass: type-based
        if tok in self._SENT_END:
            breaks = True
        elif self._ELLIPSIS.match(tok):
            return False
        elif tok.endswith(".") and not tok.endswith(".."):
            stem = tok[:-1].lower()
            if stem in self.abbreviations or stem.split("-")[-1] in self.abbreviations:
                return False
            breaks = True
        else:
            return False
        # second pass, with no collocations, sentence starters or orthographic statistics: an
        # initial or a number ending in a period is not a break before punctuation or a lower-case
        # word, and an initial is not one before an upper-case word either
        if not tok.endswith("."):
            return breaks
        initial = self._INITIAL.match(tok) is not None
        if initial or self._NUMERIC.match(tok.lower()):
            if nxt in self._PUNCTUATION or nxt[0].islower():
                return False
            if initial and nxt[0].isupper():
                return False
        return breaks


class Segmenter:
    """Splits normalised text into tokens and sentences.

    Parameters
    ----------
    abbreviations:
        Lower-case abbreviations without their final period; a sentence never ends after one.
    """

    def __init__(self, abbreviations: Iterable[str] = ()) -> None:
        self.abbreviations = frozenset(a.strip().lower().rstrip(".") for a in abbreviations if a.strip())
        self._punkt = _Punkt(self.abbreviations)

    def split_sentences(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text``, stripped of surrounding whitespace, never empty."""
        spans: list[tuple[int, int]] = []
        punkt = self._punkt.spans
        for line in _LINE_RE.finditer(text):
            line_text = line.group()
            if line_text.isspace():
                continue
            base = line.start()
            for s, e in punkt(line_text):
                seg = line_text[s:e]
                stripped = seg.strip()
                if not stripped:
                    continue
                lead = len(seg) - len(seg.lstrip())
                spans.append((base + s + lead, base + s + lead + len(stripped)))
        return spans

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
