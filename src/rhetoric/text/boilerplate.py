"""Site furniture: lines and phrases a scraper copied from the page around the article.

Share and subscribe prompts, "READ MORE:" links, comment forms, theme blurbs, copyright and cookie
notices, navigation, shortcodes and a headline printed twice are not the author's text, yet they
carry words every score reads ("Share this story!", "RT News", "All rights reserved"). They are
recognised here, in the text stage, so that the lexicon stage drops matches inside them
(:class:`~rhetoric.analysis.Analyzer`), every dimension skips them (:func:`boilerplate_sentences`,
:func:`in_boilerplate`) and the report still shows them, with exact offsets, as spans of
category ``boilerplate``.

Two kinds of evidence are used: whole units (a line, or a sentence of the segmentation) that match a
furniture pattern, and inline phrases that scrapers glue onto the last paragraph of one-line texts
(RT's footer). Short title-like lines inside a trailing furniture block are "related" links. A range
is ``(start, end, reason)``; reasons: ``share``, ``subscribe``, ``related``, ``comment-form``,
``theme-blurb``, ``copyright``, ``cookies``, ``disclaimer``, ``navigation``, ``shortcode``,
``duplicate-headline``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

import ahocorasick_rs

__all__ = ["REASONS", "boilerplate_sentences", "covered_fraction", "find_boilerplate", "in_boilerplate"]

REASONS = ("share", "subscribe", "related", "comment-form", "theme-blurb", "copyright", "cookies",
           "disclaimer", "navigation", "shortcode", "duplicate-headline")

_I = re.IGNORECASE
# A whole unit (line or sentence, stripped) that is furniture. Anchored: prose that merely mentions
# "subscribers" or "cookies" is never matched.
_UNIT_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("share", re.compile(r"^(?:share(?: (?:this|the) (?:story|article|post))?[!.]?|"
                         r"(?:like this story\?|think your friends would be interested\?|"
                         r"if you (?:like|liked|enjoyed) this (?:story|article)[,.]?)\s*share .{0,40}|"
                         r"share (?:on|via) (?:facebook|twitter|x|whatsapp|email|linkedin|telegram).{0,40}|"
                         r"(?:click to )?share on \w+.{0,30})$", _I)),
    ("comment-form", re.compile(r"^(?:your email address will not be published\.?.*|required fields are marked.*|"
                                r"leave a (?:reply|comment).{0,40}|post comment|cancel reply|"
                                r"save my name, email, and website in this browser.*|comments? \(\d+\)|"
                                r"\d+ comments?|you must be logged in to post a comment.*)$", _I)),
    ("theme-blurb", re.compile(r"^.{0,80}\b(?:wordpress theme|powered by wordpress|"
                               r"subscription slide-in box|theme by \w+).*$", _I)),
    ("subscribe", re.compile(r"^(?:(?:\w+ ){0,3}subscribe(?: now| today)?[!.]?|"
                             r"(?:subscribe|sign up)\s*(?:to|for) (?:our|the|\w+) (?:\w+ )?(?:newsletter|"
                             r"updates|mailing list|channel).{0,80}|get (?:our|the) newsletter.{0,60}|"
                             r"follow us on .{0,60})$", _I)),
    ("copyright", re.compile(r"^(?:©|\(c\) ?\d{4}|copyright\b|all rights reserved).{0,200}$", _I)),
    ("cookies", re.compile(r"^(?:this (?:web)?site uses cookies.{0,160}|we use cookies.{0,160})$", _I)),
    ("navigation", re.compile(r"^(?:home|menu|search|skip to (?:main )?content|previous (?:article|post)|"
                              r"next (?:article|post)|related (?:articles|posts|stories|news)|"
                              r"(?:you may|you might) also like|advertisement|tags?:.{0,200}|"
                              r"(?:\w+ ){0,2}\w+(?: \| (?:\w+ ){0,2}\w+){2,})[:.]?$", _I)),
    ("shortcode", re.compile(r"^\[/?[a-z][\w-]*(?:\s[^\]]*)?\]$", _I)),
    ("disclaimer", re.compile(r"^the (?:statements, )?views and opinions expressed in this .{0,160}$", _I)),
)

# Phrases glued inline onto the text (one-line scrapes), each with a literal that must occur first
# (a cheap test that spares the regex on most texts). Each match is a range of its own.
_INLINE_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("share", "hare", re.compile(r"(?:Like this story\?|Think your friends would be interested\?|"
                                 r"If you (?:like|liked) this story,)\s*[Ss]hare (?:it with a friend|this story)!")),
    ("subscribe", "ubscribe", re.compile(r"[Ss]ubscribe\s*to (?:RT|our) newsletter[^.!?\n]{0,80}[.!?]")),
    ("disclaimer", "opinions expressed", re.compile(
        r"The (?:statements, )?views and opinions expressed in this (?:column|article|op-ed|piece) are solely "
        r"those of the author[^.\n]{0,120}\.")),
    ("copyright", "©", re.compile(r"©[^\n]{0,160}?All rights reserved\.")),
    ("cookies", "cookies", re.compile(r"This (?:web)?site uses cookies\.(?:\s*Read [^.\n]{0,60}?to find out more\.?)?")),
    ("comment-form", "will not be published", re.compile(
        r"Your email address will not be published\.(?:\s*Required fields are marked \*)?")),
    ("shortcode", "[", re.compile(r"\[(?:mc4wp_form|contact-form-7|caption|gallery|embed)[^\]\n]{0,80}\]")),
)
_SITE_NAME = re.compile(r"RT News App\s*$")  # "RT News App ©..." belongs to the copyright line
# A unit is tested against _UNIT_PATTERNS only if it holds one of these (lower case; found with
# str.find, which is far faster than one case-insensitive alternation).
_TRIGGERS = ("share", "subscri", "comment", "email", "reply", "wordpress", "theme", "slide-in", "©", "(c)",
             "copyright", "rights reserved", "cookies", "views and opinions", "home", "menu", "search", "skip to",
             "previous", "next", "related", "also like", "advertisement", "tag", "|", "[", "sign up", "newsletter",
             "follow us", "logged in")


# one automaton pass finds every trigger occurrence (overlapping ones too, as repeated ``str.find`` would)
_TRIGGER_SCAN = ahocorasick_rs.AhoCorasick(list(_TRIGGERS), matchkind=ahocorasick_rs.MatchKind.Standard)


def _trigger_positions(text: str) -> list[int] | None:
    """Sorted offsets of the trigger literals, or ``None`` (test every unit) if lower-casing moves offsets."""
    lowered = text.lower()
    if len(lowered) != len(text):
        return None
    try:
        return sorted(s for _, s, _ in _TRIGGER_SCAN.find_matches_as_indexes(lowered, overlapping=True))
    except UnicodeEncodeError:  # lone surrogates: the automaton takes only encodable text
        out = []
        for t in _TRIGGERS:
            i = lowered.find(t)
            while i >= 0:
                out.append(i)
                i = lowered.find(t, i + 1)
        return sorted(out)


def _holding(units: list[tuple[int, int]], triggers: list[int] | None) -> list[tuple[int, int]]:
    """The units that hold a trigger offset (all of them when ``triggers`` is ``None``), in order.

    ``units`` are sorted and disjoint (lines; a segmentation's sentences), so each offset lies in at
    most one of them, found by bisection: work per trigger, not per unit.
    """
    if triggers is None:
        return units
    starts = [a for a, _ in units]
    hit: set[int] = set()
    for p in triggers:
        k = bisect.bisect_right(starts, p) - 1
        if k >= 0 and p < units[k][1]:
            hit.add(k)
    return [units[k] for k in sorted(hit)]


_SENTENCE_REASONS = frozenset({"share", "comment-form", "theme-blurb", "cookies", "disclaimer", "copyright"})
_READ_MORE = re.compile(r"\b(?:READ MORE|Read more|RELATED|ALSO READ)\s*:[\s\u00a0]*")
_READ_MORE_WORDS = ("READ MORE", "Read more", "RELATED", "ALSO READ")
# Words that open a new sentence after a glued-on "READ MORE:" headline.
_STARTERS = frozenset(
    ["The", "A", "An", "In", "On", "At", "As", "After", "Before", "But", "However", "Meanwhile", "Also", "It", "Its", "This", "That", "These", "Those", "He", "She", "They", "We", "I", "According", "While", "When", "Since", "Although", "Though", "Yet", "And", "Some", "Many", "Most", "No", "For", "If", "Earlier", "Later", "Last", "Now", "Still", "There", "Such", "Instead", "Despite", "Even", "Other", "Another", "One", "Two", "Several", "Only", "His", "Her", "Their", "Our", "Under", "With", "Without", "Following", "Asked", "Speaking", "Critics", "Officials", "Experts", "Previously", "Back", "Then", "Recently", "Additionally", "Moreover", "Furthermore", "Indeed", "Similarly", "Nevertheless", "Nonetheless"])
_WORD = re.compile(r"\S+")
_SENT_END = re.compile(r"[.!?][\"'”’)]*$")
_MAX_TITLE_WORDS = 16


# a non-blank line with surrounding whitespace trimmed (``\S`` is ``not str.isspace()``)
_LINE = re.compile(r"\S(?:[^\n]*\S)?")


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines (split at ``\\n``) as (start, end) with surrounding whitespace trimmed."""
    return [m.span() for m in _LINE.finditer(text)]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _units(text: str, seg_or_lines: Any) -> tuple[list[tuple[int, int]], list[tuple[int, int]], bool]:
    """Lines, the other units trimmed, and whether those are sorted and disjoint (a segmentation's
    sentences are, already trimmed)."""
    lines = _lines(text)
    if seg_or_lines is None:
        return lines, [], True
    sentences = getattr(seg_or_lines, "sentences", seg_or_lines)
    trimmed = [u for u in ((a, b) if a < b and not text[a].isspace() and not text[b - 1].isspace()
                           else _trim(text, a, b) for a, b in sentences) if u[0] < u[1]]
    ordered = all(p[1] <= q[0] for p, q in zip(trimmed, trimmed[1:]))
    return lines, trimmed, ordered


def _unit_reason(s: str) -> str | None:
    for reason, pattern in _UNIT_PATTERNS:
        if pattern.match(s):
            return reason
    return None


def _read_more(text: str, other: list[int]) -> list[tuple[int, int, str]]:
    """``READ MORE: <headline>``: the headline runs to the line end, a sentence end, the next sentence
    opener or the next furniture range (starts in ``other``, sorted)."""
    out: list[tuple[int, int, str]] = []
    if not any(w in text for w in _READ_MORE_WORDS):
        return out
    for m in _READ_MORE.finditer(text):
        line_end = text.find("\n\n", m.end())
        line_end = len(text) if line_end < 0 else line_end
        k = bisect.bisect_left(other, m.end())
        if k < len(other):
            line_end = min(line_end, other[k])
        end = m.end()
        n = 0
        for w in _WORD.finditer(text, m.end(), line_end):
            token = w.group().strip("‘’'\"“”")
            if n >= 3 and token in _STARTERS and text[w.start()] not in "‘'\"“":
                break
            end = w.end()
            n += 1
            if _SENT_END.search(w.group()) or w.group().endswith(")") and n >= 3 or n >= _MAX_TITLE_WORDS:
                break
        if n:
            out.append((m.start(), end, "related"))
    return out


def _duplicate_headline(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """A line among the first five that repeats an earlier one (three words or more) counts once."""
    out = []
    seen: set[str] = set()
    for a, b in lines[:5]:
        if b - a > 300:
            continue
        key = " ".join(text[a:b].split()).casefold()
        if key in seen and len(key.split()) >= 3:
            out.append((a, b, "duplicate-headline"))
        seen.add(key)
    return out


def _is_title_like(s: str) -> bool:
    words = s.split()
    return 0 < len(words) <= _MAX_TITLE_WORDS and not (_SENT_END.search(s) and s[-1] == ".")


def _trailing_related(text: str, lines: list[tuple[int, int]], marked: dict[tuple[int, int], str]
                      ) -> list[tuple[int, int, str]]:
    """Short title-like lines after the first furniture line of the trailing furniture block."""
    block = []
    for a, b in reversed(lines):
        if (a, b) in marked or _is_title_like(text[a:b]):
            block.append((a, b))
        else:
            break
    block.reverse()
    first = next((i for i, u in enumerate(block) if u in marked), None)
    if first is None:
        return []
    return [(a, b, "related") for a, b in block[first + 1:] if (a, b) not in marked]


def find_boilerplate(text: str, seg_or_lines: Any = None) -> list[tuple[int, int, str]]:
    """Furniture ranges ``(start, end, reason)`` in ``text``, sorted, not overlapping.

    ``seg_or_lines`` is a :class:`~rhetoric.text.segment.Segmentation` (its sentences are tested as
    units besides the lines) or a sequence of ``(start, end)`` units; ``None`` tests lines only.
    """
    if not text:
        return []
    lines, sentences, ordered = _units(text, seg_or_lines)
    triggers = _trigger_positions(text)

    def tested(a: int, b: int) -> bool:
        if triggers is None:
            return True
        k = bisect.bisect_left(triggers, a)
        return k < len(triggers) and triggers[k] < b

    marked: dict[tuple[int, int], str] = {}
    for unit in _holding(lines, triggers):  # only a unit holding a trigger can match a pattern
        reason = _unit_reason(text[unit[0]:unit[1]]) if unit[1] - unit[0] <= 400 else None
        if reason:
            marked[unit] = reason
    found = [(a, b, r) for (a, b), r in marked.items()]
    found += _trailing_related(text, lines, marked)
    found += _duplicate_headline(text, lines)
    tested_sentences = _holding(sentences, triggers) if ordered else [u for u in sentences if tested(*u)]
    for a, b in tested_sentences:  # furniture inside a longer line; short reasons ("Home.") only as lines
        if b - a <= 300:
            reason = _unit_reason(text[a:b])
            if reason in _SENTENCE_REASONS:
                found.append((a, b, reason))
    for reason, literal, pattern in _INLINE_PATTERNS:
        if literal in text:
            for m in pattern.finditer(text):
                site = _SITE_NAME.search(text, max(0, m.start() - 20), m.start())
                found.append((site.start() if site else m.start(), m.end(), reason))
    found += _read_more(text, sorted(a for a, _, _ in found))
    return _merge(found)


def _merge(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sort and drop ranges inside an earlier, longer one; overlapping ranges are joined under the first reason."""
    out: list[tuple[int, int, str]] = []
    for a, b, r in sorted(found, key=lambda x: (x[0], -x[1])):
        if out and a < out[-1][1]:
            pa, pb, pr = out[-1]
            out[-1] = (pa, max(pb, b), pr)
        else:
            out.append((a, b, r))
    return out


def _ranges(analysis_or_ranges: Any) -> Sequence[tuple[int, int, str]]:
    return getattr(analysis_or_ranges, "boilerplate", analysis_or_ranges)


def in_boilerplate(analysis: Any, start: int, end: int) -> bool:
    """Does ``[start, end)`` overlap a boilerplate range of ``analysis`` (or of a range list)?"""
    ranges = _ranges(analysis)
    if not ranges:
        return False
    i = bisect.bisect_right(ranges, (start, float("inf"))) - 1
    if i >= 0 and ranges[i][1] > start:
        return True
    return i + 1 < len(ranges) and ranges[i + 1][0] < end


def _visible(s: str) -> int:
    return len("".join(s.split()))


def covered_fraction(text: str, ranges: Sequence[tuple[int, int, str]], start: int, end: int) -> float:
    """Share of the non-space characters of ``text[start:end]`` inside the ranges."""
    if not ranges or ranges[0][0] >= end:   # most texts have none
        return 0.0
    i = max(0, bisect.bisect_right(ranges, (start, float("inf"))) - 1)
    inside = 0
    while i < len(ranges) and ranges[i][0] < end:
        a, b = max(start, ranges[i][0]), min(end, ranges[i][1])
        if a < b:
            inside += _visible(text[a:b])
        i += 1
    if not inside:
        return 0.0
    return inside / max(1, _visible(text[start:end]))


def boilerplate_sentences(analysis: Any) -> set[int]:
    """Indices of the sentences of ``analysis`` at least half of whose characters are boilerplate.

    Every dimension skips these for its model outputs (probabilities, decisions, spans).
    """
    ranges = analysis.boilerplate
    if not ranges:
        return set()
    text, seg = analysis.text, analysis.seg
    candidates = {k for a, b, _ in ranges for k in range(seg.sentence_of(a), seg.sentence_of(max(a, b - 1)) + 1)}
    sentences = seg.sentences
    return {k for k in candidates if 0 <= k < len(sentences)
            and covered_fraction(text, ranges, sentences[k][0], sentences[k][1]) >= 0.5}
