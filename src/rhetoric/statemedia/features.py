"""Register features of a sentence for the state-media head, with names and places masked.

The development corpora separate state media from other outlets by topic (RT was collected by
keyword search: Soros, Einstein; the Chinese outlets write about China; PolNeAR is the 2016 US
election), so words that name things would let a model memorise who wrote about what. The head
reads instead how a sentence is put: function words and their bigrams, formulas, epithets,
sourcing. Every capitalised token is replaced by ``<cap>`` (a name, a place, an organisation,
title case) unless it is a sentence-initial function word; countries, capitals and demonyms (also in lower case or
sentence-initial) get the same ``<cap>`` -- a separate "place" mask became a topic signal of its own
(state media name Russia and China more often than US election coverage) -- and numbers ``<num>``. Lexicon evidence enters as
``lex:<label>`` (the state-media labels of the match), sourcing as ``attr:<kind>`` per attribution
of the sentence and ``attr:none`` for a sentence that cites nobody.

Features are ``(name, count)`` pairs, hashed into ``2**bits`` columns with the documented
:func:`rhetoric.learn.hashing.text_hash` + :func:`rhetoric.learn.hashing.mix64` so that a saved head
can be re-implemented. Names are kept so that a document's score can be explained by them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import getitem
from typing import Any

import numpy as np

from rhetoric.learn.features import document_hashes, laid_out_tokens
from rhetoric.learn.hashing import crc32_concat, mix64, text_hash, text_hashes, utf8_lengths
from rhetoric.learn.linear import unique_counts

__all__ = ["FUNCTION_WORDS", "PLACES", "SALT", "Encoded", "Names", "columns", "document_entries",
           "document_sentence_features", "encode", "entry_values", "feature_index", "hash_rows", "sentence_features",
           "sentence_names"]

SALT = 0x57A7E
FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "it", "its", "it's", "he", "she", "they", "we", "i", "you", "his", "her", "their", "our", "my", "your", "them", "us", "him", "in", "on", "at", "of", "for", "to", "from", "by", "with", "without", "about", "against", "between", "into", "through", "during", "before", "after", "above", "below", "over", "under", "again", "further", "then", "once", "here", "there", "when", "where", "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor", "not", "only", "own", "same", "so", "than", "too", "very", "can", "will", "just", "should", "now", "and", "but", "or", "as", "if", "while", "because", "until", "also", "however", "meanwhile", "moreover", "furthermore", "yet", "still", "even", "though", "although", "despite", "according", "since", "earlier", "later", "last", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "do", "does", "did", "what", "which", "who", "whom", "whose", "many", "several", "one", "two", "three", "another"])
PLACES = frozenset(
    ["china", "chinese", "russia", "russian", "russians", "ukraine", "ukrainian", "ukrainians", "america", "american", "americans", "us", "u.s.", "usa", "britain", "british", "uk", "u.k.", "england", "english", "france", "french", "germany", "german", "germans", "japan", "japanese", "korea", "korean", "koreans", "dprk", "pyongyang", "beijing", "moscow", "kremlin", "kiev", "kyiv", "washington", "london", "paris", "berlin", "tokyo", "seoul", "taiwan", "taiwanese", "hong", "kong", "xinjiang", "tibet", "iran", "iranian", "iraq", "iraqi", "syria", "syrian", "israel", "israeli", "palestine", "palestinian", "india", "indian", "pakistan", "pakistani", "afghanistan", "afghan", "turkey", "turkish", "europe", "european", "eu", "nato", "un", "africa", "african", "asia", "asian", "hungary", "hungarian", "poland", "polish", "italy", "italian", "spain", "spanish", "canada", "canadian", "mexico", "mexican", "belarus", "belarusian", "venezuela", "venezuelan", "cuba", "cuban", "brazil", "brazilian", "australia", "australian", "serbia", "serbian", "georgia", "georgian", "armenia", "armenian", "soviet", "ussr", "western", "west", "eastern", "east", "arab", "arabs", "saudi", "yemen", "egypt", "vietnam", "vietnamese", "philippines", "indonesia", "thailand", "cambodia", "laos", "myanmar", "nepal", "mongolia", "kazakhstan", "uzbekistan", "crimea", "donbass", "donbas", "donetsk", "luhansk", "lugansk", "shanghai", "guangzhou", "shenzhen", "sri", "lanka"])


def _key(word: str, surface: str, first: bool, mask: bool) -> str:
    if not mask:
        return word
    if word[:1].isdigit():
        return "<num>"
    if word in PLACES:  # the same mask as any name: "a place is named" must not become a topic signal
        return "<cap>"
    if surface[:1].isupper() and not (first and word in FUNCTION_WORDS):
        return "<cap>"
    return word


def sentence_names(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                   i: int, j: int, *, extra: Iterable[str] = (), mask_names: bool = True,
                   skip: Any = None) -> list[str]:
    """The feature names of tokens ``i..j``, one per occurrence: unigrams, bigrams (with ``<s>`` and
    ``</s>`` at the edges) and the ``extra`` names; ``skip(start, end)`` drops tokens."""
    keys = []
    for k in range(i, j):
        s, e = starts[k], ends[k]
        if skip is not None and skip(s, e):
            continue
        keys.append(_key(words[k], text[s:e], not keys, mask_names))
    padded = ["<s>", *keys, "</s>"]
    return [*keys, *map("{} {}".format, padded, padded[1:]), *extra]


def sentence_features(text: str, words: Sequence[str], starts: Sequence[int], ends: Sequence[int],
                      i: int, j: int, *, extra: Iterable[str] = (), mask_names: bool = True,
                      skip: Any = None) -> Counter[str]:
    """Unigram and bigram feature counts of tokens ``i..j`` (plus ``extra`` names)."""
    return Counter(sentence_names(text, words, starts, ends, i, j, extra=extra, mask_names=mask_names, skip=skip))


def document_sentence_features(analysis: Any, sourcing: Any = None, *, mask_names: bool = True,
                               skip_sentences: set[int] | frozenset[int] = frozenset(),
                               quoted: Sequence[Any] = (), only: set[int] | None = None,
                               features: Any = None) -> list[Counter[str]]:
    """One feature counter per sentence of ``analysis`` (empty for the sentences in ``skip_sentences``).

    ``sourcing`` is the sourcing :class:`~rhetoric.evidence.Evidence` (its attributions), or ``None``.
    Tokens and lexicon matches inside boilerplate, and inside the ``quoted`` ranges (objects with
    ``start``/``end``: the author-voice variant), are left out; ``only`` limits the work to those sentences.
    """
    out: list[Counter[str]] = [Counter() for _ in range(len(analysis.seg.sentences))]
    sentences, row, names = document_entries(analysis, sourcing, mask_names=mask_names, quoted=quoted, only=only,
                                             skip_sentences=skip_sentences, features=features)
    bounds = np.searchsorted(row, np.arange(len(sentences) + 1)).tolist()
    for r, k in enumerate(sentences):
        out[k] = Counter(names[bounds[r]:bounds[r + 1]])
    return out


class Names(Sequence[str]):
    """The feature name of every occurrence, spelt only when read (an explanation reads a few).

    Occurrence ``k`` is ``keys[left[k]]`` or, for a bigram, ``keys[left[k]] + " " + keys[right[k]]``;
    ``hashes[k]`` is ``text_hash`` of that name, computed without building it (:func:`crc32_concat`).
    """

    __slots__ = ("_keys", "_left", "_right", "hashes")

    def __init__(self, keys: list[str], left: np.ndarray, right: np.ndarray, hashes: np.ndarray) -> None:
        self._keys, self._left, self._right, self.hashes = keys, left, right, hashes

    def __len__(self) -> int:
        return len(self._left)

    def __getitem__(self, k: Any) -> Any:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        a, b = self._keys[self._left[k]], int(self._right[k])
        return a if b < 0 else a + " " + self._keys[b]


def _flags(test: Any, strings: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(test, strings), dtype=bool, count=len(strings))


def _token_keys(analysis: Any, hashes: Any, mask_names: bool) -> np.ndarray:
    """The masked key of every token (see :func:`_key`), as an index into ``vocab + _MARKS``: a
    distinct word's tests run once per distinct word, the choice per token is a numpy select."""
    w = hashes.ids
    if not mask_names:
        return w
    vocab = hashes.vocab
    V = len(vocab)
    digit = _flags(str.isdigit, list(map(getitem, vocab, repeat(0))))
    place = _flags(PLACES.__contains__, vocab)
    function = _flags(FUNCTION_WORDS.__contains__, vocab)
    first = np.zeros(len(w), dtype=bool)   # a capitalised function word opening a sentence is just the word
    opening = [i for i, j in analysis.seg.sentence_tokens if i < j]
    first[opening] = True
    cap = place[w] | (hashes.cap & ~(first & function[w]))
    return np.where(digit[w], V + _NUM, np.where(cap, V + _CAP, w))


_MARKS = ("<num>", "<cap>", "<s>", "</s>")
_NUM, _CAP, _BOS, _EOS = range(4)
_MARK_H = np.array([text_hash(m) for m in _MARKS], dtype=np.uint64)
_MARK_LEN = np.array([len(m) for m in _MARKS], dtype=np.int64)
_H_SPACE = np.uint64(text_hash(" "))
_FEW_BIGRAMS = 64     # up to this many bigrams, their names are hashed as strings (no vectorised pass)


def _extras(analysis: Any, sourcing: Any, quoted: Sequence[Any]) -> list[list[str]]:
    """Per sentence: ``lex:<label>`` of its state-media matches, then ``attr:<kind>`` of its attributions,
    then ``attr:none`` if it cites nobody."""
    from rhetoric.text.boilerplate import in_boilerplate
    seg = analysis.seg
    n = len(seg.sentences)
    quoted_t = tuple(sorted((q.start, q.end, "") for q in quoted))
    extra: list[list[str]] = [[] for _ in range(n)]
    for m in analysis.matches:
        if m.entry.category == "state_media" and not (quoted_t and in_boilerplate(quoted_t, m.start, m.end)):
            k = seg.sentence_of(m.start)
            if 0 <= k < n:
                extra[k].append(f"lex:{m.entry.label}")
    cited = [False] * n
    for a in getattr(sourcing, "attributions", ()) or ():
        if 0 <= a.sentence < n:
            extra[a.sentence].append(f"attr:{a.kind}")
            cited[a.sentence] = True
    for k in range(n):
        if not cited[k]:
            extra[k].append("attr:none")
    return extra


def document_entries(analysis: Any, sourcing: Any = None, *, mask_names: bool = True,
                     skip_sentences: set[int] | frozenset[int] = frozenset(), quoted: Sequence[Any] = (),
                     only: set[int] | None = None, features: Any = None
                     ) -> tuple[list[int], np.ndarray, Names]:
    """The same features flat, for scoring: ``(sentences, row, names)`` -- the indices of the sentences
    with features, and per feature occurrence its row (index into ``sentences``) and name (a
    :class:`Names`, whose ``hashes`` the head reads instead of the strings).

    Per sentence, in this order: the masked key of every token kept, the bigrams of ``<s>``, the
    keys, ``</s>``, and the extra names (:func:`_extras`). ``features``: the shared pass
    (:class:`~rhetoric.learn.features.DocumentFeatures`), whose token hashes are reused.
    """
    seg = analysis.seg
    n = len(seg.sentences)
    th = document_hashes(analysis, getattr(features, "hashes", None))
    sentences = [k for k in range(n) if k not in skip_sentences and (only is None or k in only)]
    if not sentences:
        return [], np.zeros(0, dtype=np.int64), Names([], np.zeros(0, np.int64), np.zeros(0, np.int64),
                                                       np.zeros(0, np.uint64))
    S = len(sentences)
    tr = np.asarray(seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)[sentences]
    lens = tr[:, 1] - tr[:, 0]
    row = np.arange(S).repeat(lens)
    if S == 1:                      # one sentence (a headline): its tokens in order
        i, j = seg.sentence_tokens[sentences[0]]
        tok = np.arange(i, max(i, j), dtype=np.int64)
    else:
        tok = laid_out_tokens(tr)
    ranges = [(b[0], b[1]) for b in getattr(analysis, "boilerplate", ())] + [(q.start, q.end) for q in quoted]
    if ranges and len(tok):
        keep = _outside(analysis, ranges)[tok]
        row, tok = row[keep], tok[keep]
    V = len(th.vocab)
    key = _token_keys(analysis, th, mask_names)[tok]
    count = np.bincount(row, minlength=S)
    # the padded key sequence <s> k1 .. kc </s> of every sentence, and its bigrams
    width = count + 2
    off = np.cumsum(width) - width
    padded = np.empty(int(width.sum()), dtype=np.int64)
    padded[off] = V + _BOS
    padded[off + width - 1] = V + _EOS
    padded[off[row] + 1 + np.arange(len(row)) - (np.cumsum(count) - count)[row]] = key
    pair = np.ones(len(padded) - 1, dtype=bool)
    pair[(off + width - 1)[:-1]] = False          # no bigram from one sentence's </s> to the next <s>
    at = np.flatnonzero(pair)
    # extra names, appended to the key table
    extras = _extras(analysis, sourcing, quoted)
    flat = [(r, name) for r, k in enumerate(sentences) for name in extras[k]]
    e_rows = [r for r, _ in flat]
    extra_names = dict.fromkeys(name for _, name in flat)      # ids in order of first appearance
    index = dict(zip(extra_names, range(V + len(_MARKS), V + len(_MARKS) + len(extra_names))))
    e_ids = [index[name] for _, name in flat]
    keys = [*th.vocab, *_MARKS, *extra_names]
    key_h = np.concatenate([th.vocab_h, _MARK_H, text_hashes(list(extra_names))])
    # unigrams, bigrams, extras; one stable sort puts them in sentence order, each block in turn
    n_key, n_bi = len(key), len(at)
    left = np.concatenate([key, padded[at], np.asarray(e_ids, dtype=np.int64)])
    right = np.full(len(left), -1, dtype=np.int64)
    right[n_key:n_key + n_bi] = padded[at + 1]
    rows = np.concatenate([row, np.arange(S).repeat(count + 1), np.asarray(e_rows, dtype=np.int64)])
    if S > 1:             # one sentence: its blocks are in order already
        order = rows.argsort(kind="stable")
        left, right, rows = left[order], right[order], rows[order]
        bi = (right >= 0).nonzero()[0]
    else:
        bi = np.arange(n_key, n_key + n_bi)
    hashes = key_h[left]
    if n_bi <= _FEW_BIGRAMS:   # a short text: hash its few bigram names as strings
        hashes[bi] = text_hashes([keys[a] + " " + keys[b] for a, b in zip(left[bi].tolist(), right[bi].tolist())])
    else:   # text_hash(a + " " + b) from text_hash(a + " ") and text_hash(b), per occurrence
        words = V + len(_MARKS)                   # bigrams are made of words and marks only
        lengths = np.concatenate([utf8_lengths(th.vocab), _MARK_LEN])
        with_space = crc32_concat(key_h[:words], np.full(words, _H_SPACE), np.ones(words, np.int64))
        b = right[bi]
        hashes[bi] = crc32_concat(with_space[left[bi]], key_h[b], lengths[b])
    return sentences, rows, Names(keys, left, right, hashes)


def _outside(analysis: Any, ranges: Sequence[tuple[int, int]]) -> np.ndarray:
    """Per token: True if it overlaps none of the ranges."""
    seg = analysis.seg
    starts = np.frombuffer(seg.starts, dtype=seg.starts.typecode) if hasattr(seg.starts, "typecode") \
        else np.asarray(seg.starts)
    ends = np.frombuffer(seg.ends, dtype=seg.ends.typecode) if hasattr(seg.ends, "typecode") else np.asarray(seg.ends)
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if not merged:
        return np.ones(len(starts), dtype=bool)
    r = np.asarray(merged, dtype=np.int64)
    k = np.searchsorted(r[:, 1], starts, side="right")  # first range ending after the token starts
    hit = k < len(r)
    hit[hit] = r[k[hit], 0] < ends[hit]
    return ~hit


def feature_index(name: str, bits: int) -> int:
    """The hashed column of one feature name: ``mix64(text_hash(name), SALT) & (2**bits - 1)``."""
    return int(columns([name], bits)[0])


def columns(names: Sequence[str], bits: int) -> np.ndarray:
    """Hashed columns of many names at once: each distinct name hashed once per call, one vectorised ``mix64``.

    No cache outlives the call: a Scorer is shared by threads, and a process-wide dict of names
    raced when one thread cleared it while another read it.
    """
    if not len(names):
        return np.zeros(0, dtype=np.int64)
    hashes = getattr(names, "hashes", None)
    if hashes is not None:          # :class:`Names`: the text hashes are known without the strings
        return (mix64(hashes, SALT) & np.uint64((1 << bits) - 1)).astype(np.int64)
    index: dict[str, int] = {}
    inverse = np.fromiter((index.setdefault(n, len(index)) for n in names), dtype=np.int64, count=len(names))
    hashed = mix64(np.fromiter((text_hash(n) for n in index), dtype=np.uint64, count=len(index)), SALT)
    return (hashed & np.uint64((1 << bits) - 1)).astype(np.int64)[inverse]




def entry_values(row: np.ndarray, col: np.ndarray, bits: int, inverse: bool = True
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """Occurrences -> one entry per (row, column): ``(row, col, value = 1 + log(count), inverse)``,
    ``inverse`` mapping each occurrence to its entry (``None`` when not asked for: the keys are then
    sorted in place, without the argsort an inverse needs)."""
    key = row << bits | col
    if inverse:
        uniq, inv, counts = np.unique(key, return_inverse=True, return_counts=True)
    else:
        (uniq, counts), inv = unique_counts(key), None
    return uniq >> bits, uniq & ((1 << bits) - 1), 1.0 + np.log(counts), inv


@dataclass(frozen=True)
class Encoded:
    """Sentence features as entries: ``row`` (sentence), ``col`` (hashed column), ``value``
    ``1 + log(count)`` (counts of names sharing a column in a row are added first), and, per entry,
    ``name`` (index into ``names``) for explanations."""

    n_rows: int
    row: np.ndarray
    col: np.ndarray
    value: np.ndarray
    name: np.ndarray
    names: list[str]


def encode(rows: Sequence[Counter[str]], bits: int) -> Encoded:
    index: dict[str, int] = {}
    r: list[int] = []
    nm: list[int] = []
    cnt: list[int] = []
    for i, row in enumerate(rows):
        for name, c in row.items():
            j = index.get(name)
            if j is None:
                j = index[name] = len(index)
            r.append(i); nm.append(j); cnt.append(c)
    names = list(index)
    name = np.asarray(nm, dtype=np.int64)
    row_a = np.asarray(r, dtype=np.int64)
    col = columns(names, bits)[name] if names else np.zeros(0, dtype=np.int64)
    counts = np.asarray(cnt, dtype=np.float64)
    # names that share a column within a row: sum their counts before the log (as one column would)
    key = row_a << bits | col
    uniq, inverse = np.unique(key, return_inverse=True)
    if len(uniq) != len(key):
        counts = np.bincount(inverse, weights=counts)[inverse]
    return Encoded(len(rows), row_a, col, 1.0 + np.log(np.maximum(counts, 1.0)), name, names)


def hash_rows(rows: Sequence[Counter[str]], bits: int) -> Any:
    """A CSR matrix (rows x 2**bits) of log-scaled counts ``1 + log(count)``."""
    from scipy.sparse import coo_matrix
    e = encode(rows, bits)
    key = e.row << bits | e.col
    _, first = np.unique(key, return_index=True)  # one entry per (row, column)
    return coo_matrix((e.value[first], (e.row[first], e.col[first])), shape=(len(rows), 1 << bits)).tocsr()
