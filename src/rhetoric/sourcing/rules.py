"""The attribution rules run over a text: cues, their source phrases and the kinds of those sources.

:mod:`rhetoric.sourcing.attribution` holds the positional phrase rules (the shapes are listed
there) and :mod:`rhetoric.sourcing.kinds` the source typer that builds on them; this module applies
both to one text. It is what the sourcing dimension runs without a model, and what the trained
tagger falls back on where it finds no cue.
"""

from __future__ import annotations

import re

from rhetoric.lexicon.matcher import Match
from rhetoric.report.types import Attribution, Span
from rhetoric.sourcing.attribution import (
    _AFTER_CUE_END,
    _PREPOSITIONS,
    _Context,
    _left_np,
    _not_a_cue,
    _right_np,
    _sentence_range,
)
from rhetoric.sourcing.kinds import SourceTyper
from rhetoric.text.segment import Segmentation

__all__ = ["attribution_context", "find_attributions"]


def attribution_context(text: str, seg: Segmentation, matches: list[Match]) -> _Context:
    """The text's attribution matches, indexed for the rules' look-ups. The rules and the tagger's
    relations read one context, so the proper-name tokens it finds per phrase and sentence are
    found once for both (they depend on the text alone)."""
    return _Context(text, seg, [m for m in matches if m.entry.category == "attribution"])


def find_attributions(text: str, seg: Segmentation, matches: list[Match],
                      ctx: _Context | None = None) -> tuple[list[Attribution], list[Span]]:
    """Attributions in the text and the extra spans they add (the acronym outlets); ``ctx``: the
    :func:`attribution_context` of the same text and matches, when the caller has it."""
    if ctx is None:
        ctx = attribution_context(text, seg, matches)
    lexical = ctx.in_order
    acronyms = ctx.acronyms()
    extra: list[Span] = []
    if acronyms:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, acronyms)) + r")\b")
        for a in pattern.finditer(text):
            src = acronyms[a.group(1)]
            extra.append(Span(a.start(), a.end(), a.group(), "attribution", "state_media", src.entry.weight,
                              f"acronym:{src.entry.rule}", f"({a.group()}) defined for {src.entry.pattern}",
                              seg.sentence_of(a.start())))
    classifier = SourceTyper(ctx)
    out: list[Attribution] = []
    seen_sources: set[tuple[int, int]] = set()

    def new_source(rng: tuple[int, int] | None) -> tuple[int, int] | None:
        """Character edges of a source phrase not cited yet (each phrase is one act of citing), else None."""
        if rng is None:
            return None
        edges = (seg.starts[rng[0]], seg.ends[rng[1] - 1])
        if edges in seen_sources:
            return None
        seen_sources.add(edges)
        return edges
    cues = [m for m in lexical if m.entry.label == "cue"]
    cue_sentences = set()
    for cue in cues:
        sent = seg.sentence_of(cue.start)
        if not seg.sentences:
            break
        lo, hi = _sentence_range(ctx, sent)
        first, last = seg.token_at(cue.start), seg.token_at(cue.end - 1)
        cue_text = text[cue.start:cue.end]
        if _not_a_cue(ctx, first, last, lo, hi):
            continue
        marker = False
        cue_span = Span(cue.start, cue.end, cue_text, "attribution", "cue", cue.entry.weight, cue.entry.rule,
                        cue.entry.pattern, sent)
        if first == last and seg.words[first].endswith("ly"):
            # "reportedly", "allegedly": the text cites someone it does not identify
            out.append(Attribution(cue_span, None, "vague", "implicit-source", sent))
            cue_sentences.add(sent)
            continue
        if _AFTER_CUE_END.search(seg.words[last]):
            rng, rule = _right_np(ctx, last + 1, hi), "source-after"
        else:
            if seg.words[first].endswith("ing") and first - 1 >= lo and seg.words[first - 1] == "," and \
                    out and out[-1].sentence == sent:
                continue  # "the source said, adding that": same source, same act of citing
            rng, marker = _left_np(ctx, first, lo)
            rule = "source-before"
            if rng is None:
                rng, rule = _right_np(ctx, last + 1, hi), "source-after"
                if rng is not None and seg.words[rng[0]] in _PREPOSITIONS:
                    rng = None                  # "a tale, told in the shadow of ...": no source
        edges = new_source(rng)
        if edges is None:
            continue
        s, e = edges
        cue_sentences.add(sent)
        kind, reason = classifier.classify(rng, sent, marker)
        classifier.history.append((sent, kind))
        source = Span(s, e, text[s:e], "attribution", kind, 1.0, f"attribution:{rule}", reason, sent)
        out.append(Attribution(cue_span, source, kind, reason, sent))
    for m in lexical:
        if m.entry.label != "anonymity_marker":
            continue
        sent = seg.sentence_of(m.start)
        if sent in cue_sentences or not seg.sentences:
            continue
        lo, _ = _sentence_range(ctx, sent)
        first = seg.token_at(m.start)
        j = first - 1
        if j >= lo and seg.words[j] == ",":
            j -= 1
        rng, _ = _left_np(ctx, j + 1, lo) if j >= lo else (None, False)
        edges = new_source(rng)
        if edges is None:
            continue
        s, e = edges
        marker_span = Span(m.start, m.end, text[m.start:m.end], "attribution", "cue", m.entry.weight,
                           m.entry.rule, m.entry.pattern, sent)
        source = Span(s, e, text[s:e], "attribution", "anonymous", 1.0, "attribution:anonymity-marker",
                      m.entry.rule, sent)
        out.append(Attribution(marker_span, source, "anonymous", "anonymity-marker", sent))
    out.sort(key=lambda a: (a.cue.start, a.cue.end))
    return out, extra
