"""Whose voice a span is in: the author's, or a quoted source's.

A span is ``quoted`` when it lies inside a quotation (straight or curly double quotes, paired
within one paragraph, or single quotes that open at the start of a word and close at its end) or inside the content span of an attribution; otherwise it is the
``author``'s. A quoted span names the attribution it belongs to when one is known: the
attribution whose content covers it, else the attribution whose cue is nearest to the quotation
in the same sentence or the one before. This is what lets a reader tell an article that quotes
KCNA from one that writes like it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rhetoric.report.scores import density_and_score, span_weight
from rhetoric.report.types import Attribution, Span

__all__ = ["QuotedRange", "quoted_ranges", "with_voice", "author_only", "author_score"]

_QUOTE_RE = re.compile('"')
_OPEN = frozenset('"“„«')
_CLOSE = frozenset('"”»')


@dataclass(frozen=True, slots=True)
class QuotedRange:
    """A stretch of quoted text; ``attribution`` indexes the attributions (-1: unknown speaker)."""

    start: int
    end: int
    attribution: int = -1


def _quotations(normalized: str) -> list[tuple[int, int]]:
    """Pairs of double quotes within a paragraph (the normalised text has straight quotes only)."""
    out = []
    for para_start, para in _paragraphs(normalized):
        pos = [m.start() for m in _QUOTE_RE.finditer(para)]
        for a, b in zip(pos[0::2], pos[1::2]):
            out.append((para_start + a, para_start + b + 1))
        if "'" in para:
            out.extend((para_start + a, para_start + b) for a, b in _single_quotations(para))
    return sorted(out)


# A single quote opens a quotation at the start of a word (after a space, a dash or a bracket) and
# closes one at the end of a word before a space or punctuation; an apostrophe inside a word
# ("DPRK's", "don't") does neither. Seed 000 quotes all its sources this way (‘...’).
# Both expressions begin with the quote itself and look back past it, so the engine jumps from quote
# to quote instead of trying a lookbehind at every character ("not preceded by a character outside
# the class" also holds at the start of the paragraph).
_SINGLE_OPEN = re.compile(r"'(?<![^\s(\[\u2014\u2013-]')(?=\w)")
_SINGLE_CLOSE = re.compile(r"'(?<=[\w.,!?\u2026]')(?=[\s.,;:!?)\]\u2014\u2013-]|$)")


def _single_quotations(para: str) -> list[tuple[int, int]]:
    """Pairs of single quotes: each opening quote with the first closing quote after it."""
    opens = [m.start() for m in _SINGLE_OPEN.finditer(para)]
    if not opens:
        return []
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(para)]
    out, k, last = [], 0, -1
    for o in opens:
        if o < last:
            continue                      # inside the previous quotation
        while k < len(closes) and closes[k] <= o:
            k += 1
        if k == len(closes):
            break
        out.append((o, closes[k] + 1))
        last = closes[k] + 1
    return out


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, line))
        start += len(line) + 1
    return out


def quoted_ranges(normalized: str, attributions: Sequence[Attribution]) -> list[QuotedRange]:
    """Quotations and attributed content spans, sorted by start, each tied to an attribution where possible."""
    ranges: list[QuotedRange] = []
    cues = sorted((a.cue.start, i) for i, a in enumerate(attributions))
    cue_starts = [c for c, _ in cues]
    contents = sorted((a.content.start, a.content.end, i) for i, a in enumerate(attributions) if a.content is not None)
    content_starts = [c[0] for c in contents]
    for s, e in _quotations(normalized):
        owner = _covering(contents, content_starts, s, e)
        if owner < 0 and cues:
            # nearest cue after the quote ("... ," he said) or before it (he said: "...")
            k = bisect_right(cue_starts, e)
            near = []
            if k < len(cues):
                near.append((cues[k][0] - e, cues[k][1]))
            if k > 0:
                near.append((s - cues[k - 1][0], cues[k - 1][1]))
            dist, idx = min(near)
            owner = idx if dist <= 200 else -1
        ranges.append(QuotedRange(s, e, owner))
    for i, a in enumerate(attributions):
        if a.content is not None:
            ranges.append(QuotedRange(a.content.start, a.content.end, i))
    ranges.sort(key=lambda r: (r.start, -r.end))
    return ranges


def _covering(ranges: Sequence[tuple[int, int, int]], starts: Sequence[int], s: int, e: int) -> int:
    """The id of the latest-starting range (start, end, id) that covers [s, e), or -1 (ranges sorted by start)."""
    k = bisect_right(starts, s)
    for j in range(k - 1, max(-1, k - 65), -1):  # attributed contents do not nest deeply
        if ranges[j][1] >= e:
            return ranges[j][2]
    return -1


def with_voice(spans: Sequence[Span], ranges: Sequence[QuotedRange]) -> list[Span]:
    """The spans with ``voice`` and ``attribution`` set: ``quoted`` when a span lies inside a range."""
    if not ranges:
        return list(spans)
    starts = [r.start for r in ranges]
    out = []
    for sp in spans:
        if sp.category == "attribution":      # attribution spans are left as they are
            out.append(sp)
            continue
        s, e = sp.start, sp.end
        k = bisect_right(starts, s)
        owner = None
        for r in ranges[max(0, k - 8):k]:  # ranges rarely nest deeper than a few levels
            if r.start <= s and e <= r.end and (owner is None or r.attribution >= 0):
                owner = r
        if owner is None:
            out.append(sp)
        else:
            out.append(Span(start=sp.start, end=sp.end, text=sp.text, category=sp.category, label=sp.label,
                            weight=sp.weight, rule=sp.rule, pattern=sp.pattern, sentence=sp.sentence,
                            voice="quoted", attribution=owner.attribution, scope=sp.scope))
    return out


def author_only(spans: Sequence[Span], ranges: Sequence[QuotedRange] = ()) -> list[Span]:
    """The spans in the author's own voice: not inside a quotation or an attributed content span.

    ``ranges`` are the sourcing evidence's ``quoted`` ranges; dimensions run before the pipeline
    marks voices, so the voice is worked out here from them (spans already marked keep theirs).
    """
    marked = with_voice(spans, ranges) if ranges else spans
    return [s for s in marked if s.voice == "author"]


def author_score(spans: Sequence[Span], ranges: Sequence[QuotedRange], category: str, dimension: str,
                 n_words: int) -> tuple[float, float]:
    """Density and score of ``dimension`` from its ``category`` spans in the author's voice only.

    Gives the ``<dimension>_author`` keys (``state_media_author``, ``propaganda_techniques_author``):
    an article that quotes KCNA scores high on ``state_media`` but not on ``state_media_author``.
    """
    return density_and_score(dimension, span_weight(author_only(spans, ranges), category), n_words)
