"""Whose voice a span is in: the author's, or a quoted source's.

A span is ``quoted`` when it lies inside a quotation (straight or curly double quotes, paired
within one paragraph) or inside the content span of an attribution; otherwise it is the
``author``'s. A quoted span names the attribution it belongs to when one is known: the
attribution whose content covers it, else the attribution whose cue is nearest to the quotation
in the same sentence or the one before. This is what lets a reader tell an article that quotes
KCNA from one that writes like it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rhetoric.report.types import Attribution, Span

__all__ = ["QuotedRange", "quoted_ranges", "with_voice"]

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
        pos = [i for i, c in enumerate(para) if c == '"']
        for a, b in zip(pos[0::2], pos[1::2]):
            out.append((para_start + a, para_start + b + 1))
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
    for s, e in _quotations(normalized):
        owner = -1
        for i, a in enumerate(attributions):
            if a.content is not None and a.content.start <= s and e <= a.content.end:
                owner = i
                break
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


def with_voice(spans: Sequence[Span], ranges: Sequence[QuotedRange]) -> list[Span]:
    """The spans with ``voice`` and ``attribution`` set: ``quoted`` when a span lies inside a range."""
    if not ranges:
        return list(spans)
    starts = [r.start for r in ranges]
    out = []
    for sp in spans:
        k = bisect_right(starts, sp.start)
        owner = None
        for r in ranges[max(0, k - 8):k]:  # ranges rarely nest deeper than a few levels
            if r.start <= sp.start and sp.end <= r.end and (owner is None or r.attribution >= 0):
                owner = r
        if owner is None or sp.category == "attribution":
            out.append(sp)
        else:
            out.append(replace(sp, voice="quoted", attribution=owner.attribution))
    return out
