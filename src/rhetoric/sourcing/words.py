"""Per-word facts of the attribution tagger: a crude stem's hash and "is a verb of saying".

Both depend on the word alone, and the same few thousand words recur in every document, so a
:class:`WordFacts` remembers them (bounded: a full memo starts again): a
:class:`~rhetoric.sourcing.dimension.SourcingDimension` keeps one per thread (never one per module,
never one shared by threads) and reads a document's distinct words with one C-level dict look-up
each. Finding the facts afresh for every document would cost about 0.4 ms per document.
"""

from __future__ import annotations

from itertools import filterfalse

import numpy as np

from rhetoric.learn.hashing import TokenHashes, text_hash

__all__ = ["WordFacts", "is_speech", "stem"]

_STEM_ENDINGS = ("ings", "ing", "ied", "ies", "ed", "es", "s", "d")
_LAST_LETTERS = tuple({e[-1] for e in _STEM_ENDINGS})     # a word ending otherwise is its own stem
# Verbs of saying, thinking and showing beyond the cue lexicon, matched by stem so every
# inflection counts: a feature, so cue phrases never seen in training still look like cues.
_SPEECH_WORDS = (
    "say said tell told claim argue insist warn note add explain question call dub condemn praise express "
    "describe believe think fear hope agree show suggest indicate report announce declare state acknowledge "
    "admit deny confirm predict estimate ask urge accuse blame criticize criticise defend promise vow pledge "
    "threaten complain recall tweet post write wrote mention respond reply comment contend maintain assert "
    "allege concede stress emphasize emphasise point observe remark testify reveal disclose signal hint "
    "worry doubt expect caution reckon recommend propose demand challenge dispute reject dismiss attack "
    "slam blast mock lament decry hail celebrate welcome applaud thank tout boast brag joke quip shout "
    "scream cry whisper chant pray read cite quote attribute characterize label brand deem consider view "
    "see know feel wonder want wish prefer like dislike hate love support oppose endorse favor favour "
    "conclude find determine discover learn understand assume speculate guess imply mean"
).split()


def stem(w: str) -> str:
    """A crude stem ("questioned", "questions" -> "question"): inflections share a feature."""
    if not w.endswith(_LAST_LETTERS):
        return w
    for end in _STEM_ENDINGS:
        if len(w) > len(end) + 2 and w.endswith(end):
            return w[: -len(end)]
    return w


_SPEECH_STEMS = frozenset(stem(w) for w in _SPEECH_WORDS) | frozenset(_SPEECH_WORDS) | frozenset(
    w[:-1] for w in _SPEECH_WORDS if w.endswith("e"))


def is_speech(w: str, st: str | None = None) -> bool:
    """A form of a verb of saying, thinking or showing ("praised", "dubbed", "agrees"); ``st``: its stem."""
    if st is None:
        st = stem(w)
    return w in _SPEECH_STEMS or st in _SPEECH_STEMS or (len(st) > 3 and st[-1] == st[-2] and st[:-1] in _SPEECH_STEMS)


_SPEECH_BIT = 32
_LOW32 = np.uint64(0xFFFFFFFF)


def _packed(w: str) -> int:
    """``text_hash("ST:" + stem(w))`` (32 bits) with ``is_speech(w)`` as bit 32."""
    st = stem(w)
    return text_hash("ST:" + st) | (is_speech(w, st) << _SPEECH_BIT)


class WordFacts:
    """The stem hash and speech flag of every token (see the module docstring for why a memo)."""

    def __init__(self, limit: int = 1 << 18) -> None:
        self.limit = limit
        self._known: dict[str, int] = {}

    def of(self, th: TokenHashes, out: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """``(stem_hash, speech)`` of every token of ``th`` (uint64 arrays, speech 0 or 1), written
        into the two arrays of ``out`` when given (rows of the caller's feature table)."""
        vocab = th.vocab
        known = self._known
        try:
            packed = np.fromiter(map(known.__getitem__, vocab), dtype=np.uint64, count=len(vocab))
        except KeyError:
            if len(known) + len(vocab) > self.limit:
                known = self._known = {}
            new = list(filterfalse(known.__contains__, vocab))
            known.update(zip(new, map(_packed, new)))
            packed = np.fromiter(map(known.__getitem__, vocab), dtype=np.uint64, count=len(vocab))
        per_token = packed.take(th.ids)
        if out is None:
            return per_token & _LOW32, per_token >> np.uint64(_SPEECH_BIT)
        return (np.bitwise_and(per_token, _LOW32, out=out[0]),
                np.right_shift(per_token, np.uint64(_SPEECH_BIT), out=out[1]))
