"""Offsets: ``text[s.start:s.end] == s.text`` for every span, cue, source and sentence, whatever the text.

Matching runs on a normalised copy (lower case, straight quotes, one space per whitespace run), so
these tests put the characters that could shift offsets in front of, inside and after phrases.
"""

from __future__ import annotations

import pytest
from conftest import SEED_000, assert_offsets_exact
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rhetoric

ATTRIBUTION = "Privileged sources within the Russian military, speaking on condition of anonymity, said it was over."


def spans(report, category=None, label=None):
    return [s for s in report.spans if (category is None or s.category == category)
            and (label is None or s.label == label)]


def state_media_texts(report):
    return [s.text for s in spans(report, "state_media")]


@pytest.mark.parametrize("prefix", [
    "İ", "İİİ İstanbul ", "Straße ß ", "Cafe\u0301 ", "😀👍🏽🇰🇵 ", "\r\n", "\u00a0", "\t\t", "“‘", "a\ud800 ", "\udfff",
    "ﬁ ", "ΣΑΣ ", "\u200d", "\ufeff",
], ids=["dotted-I", "dotted-I-word", "sharp-s", "nfd", "emoji", "crlf", "nbsp", "tabs", "curly", "surrogate",
        "lone-low-surrogate", "ligature", "final-sigma", "zwj", "bom"])
def test_prefix_does_not_shift_offsets(scorer, prefix):
    text = prefix + " The sacred mission of our troops. " + ATTRIBUTION
    report = scorer.score(text)
    assert_offsets_exact(report)
    assert "sacred mission" in " ".join(state_media_texts(report)).lower()
    kinds = [(a.source.text, a.kind) for a in report.attributions if a.source is not None]
    assert ("Privileged sources within the Russian military", "anonymous") in kinds


def test_dotted_capital_i_before_phrase_keeps_case_insensitive_match_exact(scorer):
    # "İ".lower() is two characters; a naive lower() would shift every later offset by one
    text = "İİ İİ SACRED MISSION and Neo-Nazi forces"
    report = scorer.score(text)
    assert_offsets_exact(report)
    found = state_media_texts(report)
    assert "SACRED MISSION" in found
    assert any("Neo-Nazi" in t for t in found)


@pytest.mark.parametrize("inner", ["   ", "\t", "\r\n", "\n", "\u00a0", " \u00a0 \t", "\u2003", "\u3000"])
def test_any_whitespace_run_inside_a_phrase_matches(scorer, inner):
    text = f"It was a sacred{inner}mission, they said."
    report = scorer.score(text)
    assert_offsets_exact(report)
    assert f"sacred{inner}mission" in state_media_texts(report)


def test_curly_quotes_and_apostrophes_match_straight_patterns(scorer):
    text = "It will hurt the feelings of the Chinese people, a ‘sacred mission’ — “Kiev regime”."
    report = scorer.score(text)
    assert_offsets_exact(report)
    found = state_media_texts(report)
    assert "sacred mission" in found
    assert any("hurt the feelings of the Chinese people" in t for t in found)


def test_nfd_combining_mark_is_part_of_the_word(scorer):
    # "liberate\u0301d" is not the word "liberated"; "cafe\u0301 liberated" still has it
    decomposed = "The liberated\u0301 town."
    assert not [s for s in spans(scorer.score(decomposed), "state_media") if s.text.startswith("liberated")]
    report = scorer.score("Cafe\u0301 owners in liberated cities cheered.")
    assert_offsets_exact(report)
    assert "liberated cities" in state_media_texts(report)


def test_emoji_and_astral_characters_count_as_one_index_each(scorer):
    text = "🇷🇺🇰🇵 unbeatable fighting brotherhood 🎖️ and neo-Nazi 🤡"
    report = scorer.score(text)
    assert_offsets_exact(report)
    s = next(s for s in spans(report, "state_media") if "brotherhood" in s.text)
    assert s.start == text.index("unbeatable")


def test_lone_surrogates_do_not_crash_and_offsets_hold(scorer):
    text = "\ud83d sacred mission \udc00 reportedly, one source said.\ud800"
    report = scorer.score(text)
    assert_offsets_exact(report)
    assert "sacred mission" in state_media_texts(report)
    assert [s.text for s in spans(report, "hedge")] == ["reportedly"]


def test_crlf_article_offsets_index_the_original(scorer):
    text = SEED_000.read_text(encoding="utf-8").replace("\n", "\r\n")
    report = scorer.score(text)
    assert_offsets_exact(report)
    lf = scorer.score(text.replace("\r\n", "\n"))
    # the same evidence is found; only the offsets move with the extra characters
    assert sorted((s.category, s.label, " ".join(s.text.split())) for s in report.spans) == \
        sorted((s.category, s.label, " ".join(s.text.split())) for s in lf.spans)


def test_every_attribution_cue_and_source_is_exact_on_seed(scorer, seed_000):
    report = scorer.score(seed_000)
    assert report.attributions, "seed 000 cites sources"
    assert_offsets_exact(report)
    for a in report.attributions:
        assert a.cue.category == "attribution" and a.cue.label == "cue"
        if a.source is not None:
            assert a.source.label == a.kind


def test_offsets_survive_json_round_trip(scorer, seed_000):
    import json
    report = scorer.score("İ " + seed_000)
    d = json.loads(report.to_json())
    for s in d["spans"]:
        assert d["text"][s["start"]:s["end"]] == s["text"]


# ------------------------------------------------------------------------------------------------
# property-based
# ------------------------------------------------------------------------------------------------

_PHRASES = [
    "sacred mission", "unbeatable fighting brotherhood", "neo-Nazi", "liberated", "Kiev regime",
    "one source said", "according to unconfirmed reports", "speaking on condition of anonymity",
    "reportedly", "if true", "may", "May 2025", "Theresa May said", "could not", "no doubt", "about 20",
    "military might", "KCNA", "Central News Agency of Korea (CNA)", "the CNA", "TASS", "tass",
    "could not be independently verified", "U.S. officials said", "he said", "Dr. Smith noted",
]
_NOISE = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=8)
_GLUE = st.sampled_from([" ", "  ", "\t", "\r\n", "\n\n", "\u00a0", "İ", "ß", "e\u0301", "😀", "“", "’", ", ",
                         ". ", "\ud800", "-", "(", ")", ""])


@st.composite
def interleaved(draw):
    parts = []
    for _ in range(draw(st.integers(0, 12))):
        parts.append(draw(st.one_of(st.sampled_from(_PHRASES), _NOISE, _GLUE)))
        parts.append(draw(_GLUE))
    return "".join(parts)


def _check_report(report: rhetoric.Report) -> None:
    assert_offsets_exact(report)
    text = report.text
    previous_end = 0
    for i, s in enumerate(report.sentences):
        assert s.index == i
        assert previous_end <= s.start < s.end <= len(text)
        assert s.text.strip() == s.text and s.text
        previous_end = s.end
    for span in report.spans:
        assert 0 <= span.sentence < len(report.sentences)
    for value in report.scores.values():
        assert 0.0 <= value < 1.0


_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.text())
def test_any_text_scores_with_exact_offsets(scorer, text):
    _check_report(scorer.score(text))


@_SETTINGS
@given(interleaved())
def test_lexicon_phrases_in_random_unicode_score_with_exact_offsets(scorer, text):
    _check_report(scorer.score(text))


@_SETTINGS
@given(st.lists(st.sampled_from(_PHRASES), min_size=1, max_size=6), st.sampled_from([" ", "   ", "\t", "\r\n"]),
       st.sampled_from(["", "İ", "😀 ", "e\u0301 ", "\u00a0"]))
def test_prefix_does_not_change_what_is_found(scorer, phrases, sep, prefix):
    """Putting characters in front of a text moves every span by exactly their length."""
    text = ". ".join(phrases) + "."
    text = text.replace(" ", sep)
    base = scorer.score(text)
    shifted = scorer.score(prefix + "\n" + text)
    k = len(prefix) + 1
    assert [(s.start + k, s.end + k, s.category, s.label) for s in base.spans] == \
        [(s.start, s.end, s.category, s.label) for s in shifted.spans]
