"""Property tests of the default scorer (model on, whatever heads the shipped model holds when the test
runs) over the text a hostile user would send: lone surrogates, combining marks, right-to-left and
zero-width characters, CR and CRLF, NUL, letters whose case mapping changes length (İ, ß, ﬁ), HTML
and very long tokens. Every report must quote its text exactly, have finite numbers, and be the
same on a second call."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rhetoric

# Pieces that exercise the normaliser, the tokeniser, the sentence splitter, the lexicon matcher and
# the trained heads (phrases the lexicons and the attribution/hedging heads react to).
ODD = [
    "\ud800", "\udfff", "\udbff\udc00", "\ud83d", "\U0001f600",              # lone and paired surrogates, emoji
    "\u0301", "e\u0301", "\u0308\u0308\u0308", "\u20dd",                       # combining marks
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2067", "\u2069",                # bidi controls
    "مهمة مقدسة", "שלום", "\u0627\u0644\u0633\u0644\u0627\u0645",              # right-to-left words
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad",                # zero-width and soft hyphen
    "\r", "\r\n", "\n\r", "\n\n", "\x00", "\x00\x00", "\x0b", "\x0c", "\x85", "\u2028", "\u2029",
    "İ", "İstanbul", "ß", "STRASSE", "ﬁ", "ﬃ", "ŉ", "ǰ", "ΐ", "\u1e9e", "ﬀ",   # case mapping changes length
    "<b>", "</b>", "<p>", "<script>alert(1)</script>", "&amp;", "&#x2019;", "<!--", "-->", "<br/>",
    "x" * 3000, "ab" * 700 + "\u0301", "-" * 500, "9" * 400, "http://example.com/" + "a" * 300,
    "“", "”", "‘", "’", '"', "'", "«", "»", "—", "…", "!", "?", ".", ",", ";", ":", "(", ")",
]
PHRASES = [
    "sacred mission", "one source said", "officials said", "according to sources", "it is believed that",
    "could possibly", "Western puppets", "heroic people", "undoubtedly", "approximately 300", "said",
    "a senior official, who spoke on condition of anonymity,", "Mr. Smith said.", "The minister said:",
    "The", "President", "hailed", "the", "glorious", "motherland", "traitors", "may", "suggest",
]
WORDS = st.sampled_from(PHRASES)
PIECES = st.one_of(st.sampled_from(ODD), WORDS, st.text(max_size=12), st.sampled_from([" ", "  ", "\t", ". "]))
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@pytest.fixture(scope="module")
def default_scorer() -> rhetoric.Scorer:
    """The default scorer as it is now: the shipped lexicons and model file, read at test time."""
    scorer = rhetoric.Scorer()
    assert scorer.model_ is not None and len(scorer.model_) >= 1
    return scorer


def _finite(x: object) -> bool:
    return x is None or (isinstance(x, (int, float)) and math.isfinite(x))


def assert_report_sound(report: rhetoric.Report, text: str) -> None:
    assert report.text == text
    n = len(text)
    for span in report.spans:
        assert 0 <= span.start < span.end <= n and text[span.start:span.end] == span.text, span
        assert _finite(span.weight)
        assert -1 <= span.attribution < len(report.attributions), span
        assert -1 <= span.sentence < max(len(report.sentences), 1), span
        if span.scope is not None:
            assert 0 <= span.scope[0] <= span.scope[1] <= n, span
    for a in report.attributions:
        for span in (a.cue, a.source, a.content):
            if span is not None:
                assert 0 <= span.start < span.end <= n and text[span.start:span.end] == span.text, (a, span)
        assert 0 <= a.sentence < len(report.sentences), a
    previous_end = 0
    for k, s in enumerate(report.sentences):
        assert s.index == k and previous_end <= s.start < s.end <= n and text[s.start:s.end] == s.text, s
        previous_end = s.end
        assert all(_finite(v) for v in s.counts.values()), s
        assert _finite(s.propaganda) and _finite(s.state_media), s
        assert all(_finite(w) for _, w in s.explanation), s
    for table in (report.scores, report.densities, report.sourcing):
        assert table and all(_finite(v) for v in table.values()), table
    assert all(0.0 <= v <= 1.0 for v in report.scores.values()), report.scores


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_default_scorer_survives_hostile_text(default_scorer, text):
    first = default_scorer.score(text)
    assert_report_sound(first, text)
    second = default_scorer.score(text)
    assert second.to_dict() == first.to_dict()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.one_of(st.characters(), st.integers(0xD800, 0xDFFF).map(chr)), max_size=300).map("".join))
def test_default_scorer_survives_any_code_points(default_scorer, text):
    """Any code points; lone surrogates are drawn on purpose (``st.characters`` almost never gives them)."""
    report = default_scorer.score(text)
    assert_report_sound(report, text)
    assert default_scorer.score(text).to_dict() == report.to_dict()


@pytest.mark.parametrize("text", [
    "\ud800", "\ud800 officials said", "Officials said \udfff the sacred mission\ud800.",
    "İİİ said " * 50, "ﬁnal ß " * 100, "\x00" * 10 + "sacred mission", "a\r\nb\rc\n" * 30,
    "<p>" + "x" * 100_000 + "</p> one source said.",
])
def test_examples_from_the_issue(default_scorer, text):
    assert_report_sound(default_scorer.score(text), text)


def test_module_level_score_takes_lone_surrogates():
    report = rhetoric.score("\ud800")
    assert report.text == "\ud800" and all(math.isfinite(v) for v in report.scores.values())
