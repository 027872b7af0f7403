"""From the tagger's cue / source / content spans to :class:`~rhetoric.report.types.Attribution` relations.

Within a sentence every cue span is one attribution. Its source is the nearest source span (by
tokens between them; the one before the cue wins a tie), its content the nearest content span;
one source may serve several cues ("said ... and added"). A cue with no source span in its
sentence takes the source the rules found for an overlapping cue, else has none (kind ``vague``,
reason ``no-source``). A cue inside a quotation is nested speech ("'I told him no,' she said"):
it belongs to the quoted voice, not to the article, and is not a new attribution. Source kinds
come from :class:`~rhetoric.sourcing.kinds.SourceTyper`, in text order.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from typing import Any

import numpy as np

from rhetoric.analysis import Analysis
from rhetoric.report.types import Attribution, Span
from rhetoric.sourcing.attribution import _CAP_STOP, _CLAUSE_STOP, _VERBS, _Context
from rhetoric.sourcing.decode import tag_runs
from rhetoric.sourcing.features import quote_state, token_features
from rhetoric.sourcing.kinds import SourceTyper
from rhetoric.sourcing.rules import attribution_context
from rhetoric.sourcing.words import WordFacts

__all__ = ["tag_document", "tagged_attributions"]

RULE = "attribution:tagger"
# kinds of the rules' attributions kept where the tagger found no overlapping cue (the rules know
# "attributed to", anonymity formulas and state-media outlets the tagger may miss)
RULE_FALLBACK: frozenset[str] = frozenset({"anonymous", "state_media", "named"})
_FEW_RUNS = 16                # tagged runs: up to this many, their sentences are bisected in Python


def tag_document(analysis: Analysis, head: Any, rules: Sequence[Attribution], features: Any = None,
                 words: WordFacts | None = None, lexical: Sequence[Any] | None = None,
                 quote: np.ndarray | None = None) -> list[tuple[str, int, int]]:
    """``(role, first_token, end_token)`` of every tagged span (global token indices); ``words``: the
    scorer's per-word memo (:class:`~rhetoric.sourcing.words.WordFacts`), ``lexical`` and ``quote``
    the attribution matches and quote states when the caller has them (see :func:`token_features`)."""
    ranges = analysis.seg.sentence_tokens
    if not ranges:
        return []
    X = token_features(analysis, rules, getattr(features, "hashes", None), words, lexical, quote)
    return tag_runs(head, X, ranges)


_RELATIVE = frozenset({"who", "which", "that", "whom"})
_NP_STOP = frozenset({"to", "by", "according", "from", "with", "for"})


def _complete_source(ctx: _Context, src: tuple[int, int], sentence: tuple[int, int]) -> tuple[int, int]:
    """Mend a source phrase the tagger cut short: a relative pronoun ("One diplomat, who ...") takes
    the noun phrase before it, and a name runs on over the capitalised words after it
    ("General" -> "General Valery Gerasimov", "Mr." -> "Mr. Kelly")."""
    words, is_word = ctx.seg.words, ctx.seg.is_word
    lo, hi = sentence
    i, j = src
    if j - i == 1 and words[i] in _RELATIVE:
        k = i - 1
        if k >= lo and words[k] == ",":
            k -= 1
        end = k + 1
        while k >= lo and is_word[k] and words[k] not in _CLAUSE_STOP and words[k] not in _VERBS \
                and words[k] not in _NP_STOP and end - k <= 12:
            k -= 1
        if k + 1 < end:
            return k + 1, end
        return src
    while j < hi and j - i < 8 and is_word[j] and ctx.is_cap(j) and words[j] not in _CAP_STOP \
            and (ctx.is_cap(j - 1) or words[j - 1] in ("of", "-")):
        j += 1
    return i, j


def _gap(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """Tokens between two runs, and 0 when ``a`` is before ``b`` (the preferred side for sources)."""
    if a[1] <= b[0]:
        return b[0] - a[1], 0
    return max(a[0] - b[1], 0), 1


def tagged_attributions(analysis: Analysis, head: Any, rules: Sequence[Attribution],
                        features: Any = None, words: WordFacts | None = None,
                        ctx: _Context | None = None) -> list[Attribution]:
    """The attributions read off the tagger's spans, sorted by cue; ``ctx``: the rules'
    :func:`~rhetoric.sourcing.rules.attribution_context` of the same analysis, when the caller has it."""
    text, seg = analysis.text, analysis.seg
    if ctx is None:
        ctx = attribution_context(text, seg, analysis.matches)
    quote = quote_state(analysis, getattr(features, "hashes", None))
    runs = tag_document(analysis, head, rules, features, words, ctx.in_order, quote)
    typer = SourceTyper(ctx)
    by_sentence: dict[int, dict[str, list[tuple[int, int]]]] = {}
    # a run lies in one sentence: the first whose token range ends after its first token
    # (seg.sentence_of of that token's offset, for all runs at once; bisected in Python for a few)
    if len(runs) <= _FEW_RUNS:
        sentence_ends = [j for _, j in seg.sentence_tokens]
        run_sentences = [bisect_right(sentence_ends, i) for _, i, _ in runs]
    else:
        sentence_ends = np.fromiter((j for _, j in seg.sentence_tokens), dtype=np.int64,
                                    count=len(seg.sentence_tokens))
        run_sentences = np.searchsorted(sentence_ends, [i for _, i, _ in runs], side="right").tolist()
    for (role, i, j), sent in zip(runs, run_sentences):
        by_sentence.setdefault(sent, {"cue": [], "source": [], "content": []})[role].append((i, j))
    rule_by_cue = _Overlaps([(a.cue.start, a.cue.end, a) for a in rules if a.source is not None])
    out: list[Attribution] = []
    for sent in sorted(by_sentence):
        roles = by_sentence[sent]
        for cue in roles["cue"]:
            if quote[cue[0]] == 1:
                continue            # nested speech inside a quotation
            if any(m.entry.label == "anonymity_marker" for m in ctx.overlapping(seg.starts[cue[0]], seg.ends[cue[1] - 1])):
                continue            # "who requested anonymity" says how a source is cited, it cites nobody
            cs, ce = seg.starts[cue[0]], seg.ends[cue[1] - 1]
            cue_span = Span(cs, ce, text[cs:ce], "attribution", "cue", 1.0, RULE, "tagged cue", sent)
            src = min(roles["source"], key=lambda s: _gap(s, cue), default=None)
            con = min(roles["content"], key=lambda c: _gap(cue, c), default=None)
            content = None
            if con is not None:
                s, e = seg.starts[con[0]], seg.ends[con[1] - 1]
                content = Span(s, e, text[s:e], "attribution", "content", 1.0, RULE, "tagged content", sent)
            if src is not None:
                src = _complete_source(ctx, src, seg.sentence_tokens[sent])
                kind, reason = typer.classify(src, sent, False)
                typer.history.append((sent, kind))
                s, e = seg.starts[src[0]], seg.ends[src[1] - 1]
                source = Span(s, e, text[s:e], "attribution", kind, 1.0, RULE, reason, sent)
                out.append(Attribution(cue_span, source, kind, reason, sent, content))
                continue
            rule = rule_by_cue.first(cs, ce)
            if rule is not None:
                out.append(Attribution(cue_span, rule.source, rule.kind, rule.reason, sent, content))
            else:
                out.append(Attribution(cue_span, None, "vague", "no-source", sent, content))
    if RULE_FALLBACK:
        # the rules' attributions of kinds the tagger found no cue for (anonymous, state media)
        cues = _Overlaps([(a.cue.start, a.cue.end, a) for a in out])
        for a in rules:
            if a.kind in RULE_FALLBACK and cues.first(a.cue.start, a.cue.end) is None \
                    and quote[seg.token_at(a.cue.start)] != 1:      # not nested speech either
                out.append(a)
    out.sort(key=lambda a: (a.cue.start, a.cue.end))
    return out


class _Overlaps:
    """``(start, end, item)`` triples and the first of them (in the given order) overlapping
    ``[a, b)``, found by bisecting the sorted starts: a long document has thousands of cues, and
    scanning all of them for each one was quadratic."""

    def __init__(self, items: Sequence[tuple[int, int, Any]]) -> None:
        self._items = sorted((s, i, e, x) for i, (s, e, x) in enumerate(items))
        self._starts = [t[0] for t in self._items]
        self._longest = max((e - s for s, e, _ in items), default=0)

    def first(self, a: int, b: int) -> Any:
        lo = bisect_left(self._starts, a - self._longest)
        hi = bisect_left(self._starts, b)
        hits = [(i, x) for s, i, e, x in self._items[lo:hi] if s < b and a < e]
        return min(hits, key=lambda h: h[0])[1] if hits else None
