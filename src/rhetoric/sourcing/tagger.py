"""The trained attribution tagger: every token is tagged cue / source / content (BIO).

A linear-chain CRF over hashed token features. The features are fixed columns, each a hash of one
fact about a token or its neighbours (word, crude stem, suffix, shape, word bigrams, the
attribution lexicon's label, the role the attribution *rules* gave the token, whether it is inside
a quotation, its place in the sentence), so the lexicons and the rules are features of the model
rather than its only detector, and stems and shapes carry what was learnt to inflections and
cue phrases never seen in training.

The CRF is trained with python-crfsuite (L-BFGS with L1+L2 penalties) and then exported: the
non-zero state weights as a sorted ``keys`` array with a ``float16`` weight row per key, plus the
7x7 transition matrix. Scoring needs numpy only: emission scores are a gather-and-sum over the
feature columns and the best path is a Viterbi pass batched over all sentences of a document,
which is the exact argmax crfsuite would return.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.learn.hashing import TokenHashes, pair64, text_hash, token_hashes
from rhetoric.report.types import Attribution
from rhetoric.sourcing.decode import LABELS, ROLES, document_runs, spans_from_tags, tag_runs, viterbi

__all__ = ["BITS", "LABELS", "ROLES", "AttributionTagger", "document_runs", "spans_from_tags", "tag_runs",
           "token_features", "viterbi"]

BITS = 20
_MASK = np.uint64((1 << BITS) - 1)
_N_COLUMNS = 28
_STEM_ENDINGS = ("ings", "ing", "ied", "ies", "ed", "es", "s", "d")
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


def _stem(w: str) -> str:
    """A crude stem ("questioned", "questions" -> "question"): inflections share a feature."""
    for end in _STEM_ENDINGS:
        if len(w) > len(end) + 2 and w.endswith(end):
            return w[: -len(end)]
    return w


_SPEECH_STEMS = frozenset(_stem(w) for w in _SPEECH_WORDS) | frozenset(_SPEECH_WORDS) | frozenset(
    w[:-1] for w in _SPEECH_WORDS if w.endswith("e"))


@lru_cache(maxsize=1 << 18)
def _is_speech(w: str) -> bool:
    """A form of a verb of saying, thinking or showing ("praised", "dubbed", "agrees")."""
    st = _stem(w)
    return w in _SPEECH_STEMS or st in _SPEECH_STEMS or (len(st) > 3 and st[-1] == st[-2] and st[:-1] in _SPEECH_STEMS)


@lru_cache(maxsize=1 << 18)
def _stem_hash(w: str) -> int:
    return text_hash("ST:" + _stem(w))


def _per_word(f: Any, th: TokenHashes) -> np.ndarray:
    """``f(word)`` of every token as uint64, called once per distinct word (``f`` keeps a bounded,
    thread-safe cache besides: the same words recur in every document)."""
    return np.fromiter(map(f, th.vocab), dtype=np.uint64, count=len(th.vocab))[th.ids]


class _Shifts:
    """``a[i + k]`` within the token's sentence, else a pad, for k in -2..2 (index sets once per document)."""

    def __init__(self, lo: np.ndarray, hi: np.ndarray) -> None:
        n = len(lo)
        self.n = n
        self.at: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        for k in (-2, -1, 1, 2):
            idx = np.arange(n) + k
            ok = np.flatnonzero((idx >= lo) & (idx < hi))
            self.at[k] = (ok, ok + k)

    def __call__(self, a: np.ndarray, k: int, pad: int) -> np.ndarray:
        out = np.full(self.n, np.uint64(pad), dtype=np.uint64)
        dst, src = self.at[k]
        out[dst] = a[src]
        return out


def _sentence_bounds(analysis: Analysis) -> tuple[np.ndarray, np.ndarray]:
    """For every token, the token range [lo, hi) of its sentence (tokens between sentences: themselves)."""
    n = len(analysis.seg.words)
    lo = np.arange(n)
    hi = lo + 1
    tr = np.asarray(analysis.seg.sentence_tokens, dtype=np.int64).reshape(-1, 2)
    lens = tr[:, 1] - tr[:, 0]
    tok = np.arange(int(lens.sum())) + np.repeat(tr[:, 0] - (np.cumsum(lens) - lens), lens)
    lo[tok] = np.repeat(tr[:, 0], lens)
    hi[tok] = np.repeat(tr[:, 1], lens)
    return lo, hi


def _role_codes(analysis: Analysis, attributions: Sequence[Attribution]) -> np.ndarray:
    """What the attribution rules said about each token: 0 none, 1 cue, 2+k source of kind k."""
    seg = analysis.seg
    codes = np.zeros(len(seg.words), dtype=np.uint64)
    kinds = {"named": 2, "anonymous": 3, "vague": 4, "state_media": 5}
    for a in attributions:
        parts = [(a.cue, 1)]
        if a.source is not None:
            parts.append((a.source, kinds.get(a.kind, 2)))
        for span, code in parts:
            i, j = seg.token_at(span.start), seg.token_at(span.end - 1) + 1
            codes[i:j] = code
    return codes


_LEX_CUE_B = np.uint64(text_hash("LB:cue"))


def _lexicon_codes(analysis: Analysis) -> np.ndarray:
    """The attribution lexicon's label on each token (B/I), as a small hash."""
    seg = analysis.seg
    codes = np.zeros(len(seg.words), dtype=np.uint64)
    for m in analysis.matches:
        if m.entry.category != "attribution":
            continue
        i, j = seg.token_at(m.start), seg.token_at(m.end - 1) + 1
        codes[i] = np.uint64(text_hash("LB:" + m.entry.label))
        if j > i + 1:
            codes[i + 1:j] = np.uint64(text_hash("LI:" + m.entry.label))
    return codes


def _quote_state(analysis: Analysis, hashes: TokenHashes | None = None) -> np.ndarray:
    """0 outside a quotation, 1 inside, 2 the quote mark itself.

    Quotes pair within a line of ``analysis.normalized``; normalisation maps line breaks to spaces,
    so that text is one line and quotes pair over the whole text (the trained head learnt so).
    """
    seg = analysis.seg
    n = len(seg.words)
    is_q = hashes.is_word('"') if hashes is not None and hashes.ids is not None else \
        np.fromiter(map('"'.__eq__, seg.words), dtype=bool, count=n)
    count = np.cumsum(is_q)
    before = count - is_q                               # quotes seen before this token on its line
    if "\n" in analysis.normalized:
        starts = np.frombuffer(seg.starts, dtype=np.int32 if seg.starts.typecode == "i" else np.int64)
        codes = np.frombuffer(analysis.normalized.encode("utf-32-le"), dtype=np.uint32)
        line = np.searchsorted(np.flatnonzero(codes == 10), starts)
        first = np.searchsorted(line, line, side="left")
        before = before - np.where(first > 0, count[first - 1], 0)
    state = (before % 2).astype(np.uint64)
    state[is_q] = 2
    return state


def token_features(analysis: Analysis, rule_attributions: Sequence[Attribution] = (),
                   hashes: Any = None) -> np.ndarray:
    """``(n_tokens, _N_COLUMNS)`` feature indices in ``[0, 2**BITS)``, one hashed fact per column.

    ``hashes`` are the shared feature pass's token hashes (``DocumentFeatures.hashes``), when there is one.
    """
    seg = analysis.seg
    n = len(seg.words)
    if n == 0:
        return np.zeros((0, _N_COLUMNS), dtype=np.int64)
    th = hashes if hashes is not None and hashes.cap is not None else \
        token_hashes(analysis.text, seg.words, seg.starts, seg.ends, normalized=analysis.normalized)
    lo, hi = _sentence_bounds(analysis)
    shift = _Shifts(lo, hi)
    pad = 0x5A5A5A5A
    h, suf, shp = th.h, th.suf, th.shp
    st = _per_word(_stem_hash, th)
    lex = _lexicon_codes(analysis)
    role = _role_codes(analysis, rule_attributions)
    quote = _quote_state(analysis, th)
    pos = np.arange(n)
    place = np.where(pos == lo, 1, np.where(pos == hi - 1, 2, 0)).astype(np.uint64)
    cap = th.cap.astype(np.uint64)
    hm1, hp1 = shift(h, -1, pad), shift(h, 1, pad)
    st_m1 = shift(st, -1, pad)
    spk = _per_word(_is_speech, th)
    # does the token's sentence hold a quote mark / a lexicon cue?
    cum_q = np.concatenate([[0], np.cumsum(quote == 2)])
    cum_c = np.concatenate([[0], np.cumsum(lex == _LEX_CUE_B)])
    sent_quote = ((cum_q[hi] - cum_q[lo]) > 0).astype(np.uint64)
    sent_cue = ((cum_c[hi] - cum_c[lo]) > 0).astype(np.uint64)
    cols = [
        np.zeros(n, dtype=np.uint64),               # bias
        h, hm1, hp1, shift(h, -2, pad), shift(h, 2, pad),
        suf, shp, shift(shp, -1, pad), shift(shp, 1, pad),
        pair64(hm1, h, 1), pair64(h, hp1, 2),
        st, st_m1, shift(st, 1, pad),
        lex, shift(lex, -1, pad), shift(lex, 1, pad),
        role, shift(role, -1, pad + 1), shift(role, 1, pad + 1),
        quote * np.uint64(4) + place, pair64(quote, st, 3), cap * np.uint64(16) + quote * np.uint64(3) + place,
        shift(spk, -1, 0) * np.uint64(4) + spk * np.uint64(2) + shift(spk, 1, 0),
        pair64(st_m1, st, 4),
        quote * np.uint64(16) + shift(quote, -1, 3) * np.uint64(4) + shift(quote, 1, 3),
        sent_quote * np.uint64(4) + sent_cue * np.uint64(2) + spk,
    ]
    stacked = np.stack(cols, axis=1)
    # mix64(column k, salt 0x1000 + k) for all columns at once
    return _mix_columns(stacked).astype(np.int64)


_SALTS = np.arange(0x1000, 0x1000 + _N_COLUMNS, dtype=np.uint64)
# the splitmix64 constants of rhetoric.learn.hashing.mix64 (a test checks both agree)
_P1, _M1, _M2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def _mix_columns(a: np.ndarray) -> np.ndarray:
    """``mix64(a[:, k], 0x1000 + k) & mask`` for every column ``k`` in one pass (the splitmix64 finaliser)."""
    with np.errstate(over="ignore"):
        z = a * _P1 + _SALTS[None, :]
        z ^= z >> np.uint64(30)
        z *= _M1
        z ^= z >> np.uint64(27)
        z *= _M2
        z ^= z >> np.uint64(31)
    return z & _MASK


class AttributionTagger:
    """Cue / source / content BIO tagger (the ``"attribution"`` head of the model file).

    Samples are documents: feature matrices from :func:`token_features`, BIO label arrays and
    sentence lengths. Not a scikit-learn subclass on purpose: scoring with the default model must
    not import scikit-learn (``get_params`` gives the hyper-parameters).

    ``fit(analyses, tags)`` trains with python-crfsuite (needed only for training); ``tag`` needs
    numpy only. Hyper-parameters: ``c1`` (L1), ``c2`` (L2), ``max_iterations``, ``prune`` (weight rows
    whose largest absolute weight is below it are dropped at export).
    """

    kind = "attribution-crf"

    def __init__(self, c1: float = 0.05, c2: float = 0.01, max_iterations: int = 100, prune: float = 0.01) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.prune = prune

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations, "prune": self.prune}

    # -- training ---------------------------------------------------------------------------
    def fit(self, features: Sequence[np.ndarray], tags: Sequence[np.ndarray],
            lengths: Sequence[Sequence[int]]) -> AttributionTagger:
        """Train on documents given as feature matrices, tag arrays and sentence lengths."""
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("training the attribution tagger needs python-crfsuite: "
                              "pip install python-crfsuite") from exc
        trainer = pycrfsuite.Trainer(verbose=False)
        for X, y, lens in zip(features, tags, lengths):
            start = 0
            for n in lens:
                if n:
                    items = [[str(v) for v in row] for row in X[start:start + n]]
                    trainer.append(items, [LABELS[t] for t in y[start:start + n]])
                start += n
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        import os
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "crf.model")
            trainer.train(path)
            tagger = pycrfsuite.Tagger()
            tagger.open(path)
            info = tagger.info()
            tagger.close()
        index = {label: k for k, label in enumerate(LABELS)}
        weights: dict[int, np.ndarray] = {}
        for (attr, label), w in info.state_features.items():
            row = weights.setdefault(int(attr), np.zeros(len(LABELS), dtype=np.float32))
            row[index[label]] = w
        # rows whose largest weight is below ``prune`` change no decision worth their bytes
        keys = np.array(sorted(k for k, w in weights.items() if np.abs(w).max() >= self.prune), dtype=np.int64)
        self.keys_ = keys.astype(np.uint32)
        self.weights_ = np.stack([weights[k] for k in keys]).astype(np.float16) if len(keys) else \
            np.zeros((0, len(LABELS)), dtype=np.float16)
        trans = np.zeros((len(LABELS), len(LABELS)), dtype=np.float32)
        for (a, b), w in info.transitions.items():
            trans[index[a], index[b]] = w
        self.transitions_ = trans
        return self

    # -- scoring ----------------------------------------------------------------------------
    def _lookup(self) -> tuple[np.ndarray, np.ndarray]:
        """A dense feature -> weight-row table (row 0: all zeros), built once per loaded head."""
        cached = self.__dict__.get("_dense")
        if cached is None:
            table = np.zeros(1 << BITS, dtype=np.int32)
            table[self.keys_.astype(np.int64)] = np.arange(1, len(self.keys_) + 1, dtype=np.int32)
            rows = np.vstack([np.zeros((1, len(LABELS)), dtype=np.float32), self.weights_.astype(np.float32)])
            cached = self.__dict__["_dense"] = (table, rows)
        return cached

    def emissions(self, X: np.ndarray) -> np.ndarray:
        table, rows = self._lookup()
        idx = np.take(table, X)
        # a column at a time (no (tokens, columns, labels) temporary), summed in column order;
        # ``take`` gathers rows faster than fancy indexing
        em = np.take(rows, idx[:, 0], axis=0)
        for k in range(1, idx.shape[1]):
            em += np.take(rows, idx[:, k], axis=0)
        return em

    def tag(self, X: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """The best BIO label index per token (tokens grouped by ``lengths``, in order)."""
        if len(X) == 0 or len(self.keys_) == 0:
            return np.zeros(len(X), dtype=np.int64)
        return viterbi(self.emissions(X), self.transitions_.astype(np.float64), lengths)

    # -- model file ---------------------------------------------------------------------------
    def to_parts(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        meta = {"kind": self.kind, "labels": list(LABELS), "bits": BITS, "columns": _N_COLUMNS,
                "c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations, "prune": self.prune}
        return meta, {"keys": self.keys_, "weights": self.weights_, "transitions": self.transitions_}

    @classmethod
    def from_parts(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> AttributionTagger:
        if list(meta.get("labels", [])) != list(LABELS) or meta.get("bits") != BITS \
                or meta.get("columns") != _N_COLUMNS:
            raise ValueError("attribution head was saved with other labels or features; retrain it")
        self = cls(meta.get("c1", 0.05), meta.get("c2", 0.01), meta.get("max_iterations", 100),
                   meta.get("prune", 0.01))
        self.keys_ = np.asarray(arrays["keys"], dtype=np.uint32)
        self.weights_ = np.asarray(arrays["weights"], dtype=np.float16)
        self.transitions_ = np.asarray(arrays["transitions"], dtype=np.float32)
        return self
