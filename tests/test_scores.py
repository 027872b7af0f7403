"""Numbers: the documented formulas reproduced from the evidence, bounds, and length robustness.

    density = 1000 * W / (n_words + 50)        W = summed span weights (one per attribution for sourcing)
    score   = 1 - exp(-density / tau)
"""

from __future__ import annotations

import math

import pytest
from conftest import SEED_000, SEED_004
from hypothesis import given, settings
from hypothesis import strategies as st

import rhetoric
from rhetoric.report.scores import DIMENSIONS, N0, TAU

SPAN_DIMENSION = {"state_media": "state_media", "technique": "propaganda_techniques", "hedge": "hedging",
                  "approximation": "approximation", "booster": "boosting"}
SOURCE_DIMENSION = {"anonymous": "anonymous_sourcing", "vague": "vague_sourcing"}

TEXTS = [
    SEED_000.read_text(encoding="utf-8"),
    SEED_004.read_text(encoding="utf-8"),
    "The sacred mission, one source said, was reportedly a success.",
    "Nothing to see here.",
]


def weights_from_evidence(report):
    w = dict.fromkeys(DIMENSIONS, 0.0)
    for s in report.spans:
        if s.category in SPAN_DIMENSION:
            w[SPAN_DIMENSION[s.category]] += s.weight
    for a in report.attributions:
        if a.kind in SOURCE_DIMENSION:
            w[SOURCE_DIMENSION[a.kind]] += 1.0
    return w


def test_documented_constants():
    assert N0 == 50
    assert set(TAU) == set(DIMENSIONS) == {"state_media", "propaganda_techniques", "anonymous_sourcing",
                                           "vague_sourcing", "hedging", "approximation", "boosting"}
    assert all(t > 0 for t in TAU.values())


@pytest.mark.parametrize("text", TEXTS, ids=["seed000", "seed004", "short", "neutral"])
def test_densities_and_scores_follow_the_documented_formula(scorer, text):
    report = scorer.score(text)
    w = weights_from_evidence(report)
    # plus the author-voice variants (state_media_author, ...), computed from author-voice spans only
    assert {k for k in report.densities if not k.endswith("_author")} == set(DIMENSIONS)
    for dim in DIMENSIONS:
        density = 1000.0 * w[dim] / (report.n_words + 50)
        assert report.densities[dim] == pytest.approx(density, rel=1e-9, abs=1e-12), dim
        assert report.scores[dim] == pytest.approx(1 - math.exp(-density / TAU[dim]), rel=1e-9, abs=1e-12), dim


def test_n_words_counts_word_tokens(scorer):
    # the, U.S., army’s, 3rd, well-armed, brigade, left: punctuation and dashes are not words
    assert scorer.score("The U.S. army’s 3rd well-armed brigade — left!").n_words == 7
    assert scorer.score("one two, three!").n_words == 3


def test_sourcing_dimensions_count_attributions_not_weights(scorer):
    report = scorer.score("A senior official said so. Analysts say so. One source said so.")
    assert report.densities["anonymous_sourcing"] == pytest.approx(1000 * 2 / (report.n_words + 50))
    assert report.densities["vague_sourcing"] == pytest.approx(1000 * 1 / (report.n_words + 50))


def test_no_evidence_scores_zero(scorer):
    report = scorer.score("The committee met on Tuesday and approved the budget for next year.")
    assert all(v == 0.0 for v in report.scores.values())


def test_scores_are_bounded_below_one_even_for_saturated_text(scorer):
    report = scorer.score("sacred mission " * 400)
    assert 0.0 < report.scores["state_media"] < 1.0
    assert all(0.0 <= v < 1.0 for v in report.scores.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "sacred mission", "neo-Nazi", "one source said", "reportedly", "undoubtedly", "analysts said", "the",
    "war", "may", "\n", ". ", "KCNA", "traitors", "glorious", "if true",
]), max_size=60))
def test_scores_bounded_and_a_function_of_density(scorer, words):
    report = scorer.score(" ".join(words))
    for dim in DIMENSIONS:
        assert 0.0 <= report.scores[dim] < 1.0
        assert report.densities[dim] >= 0.0
    # each score is the documented increasing function of its density, whatever the text
    for dim in DIMENSIONS:
        assert report.scores[dim] == pytest.approx(rhetoric.report.scores.bounded(report.densities[dim], TAU[dim]))


@pytest.mark.parametrize("path", [SEED_000, SEED_004], ids=["seed000", "seed004"])
def test_repeating_a_text_ten_times_keeps_densities(scorer, path):
    # without the page's headline lines: a repeated headline is boilerplate ("counts once") by design
    unit = "\n".join(path.read_text(encoding="utf-8").splitlines()[2:]).rstrip("\n") + "\n"
    one, ten = scorer.score(unit), scorer.score(unit * 10)
    for dim in DIMENSIONS:
        if one.densities[dim] == 0:
            assert ten.densities[dim] == 0, dim
        else:
            assert abs(ten.densities[dim] - one.densities[dim]) / one.densities[dim] < 0.10, dim


def test_short_text_is_shrunk_towards_zero(scorer):
    """N0 pseudo-words: one loaded phrase in a headline is not a flood of evidence."""
    headline = scorer.score("Sacred mission")
    article = scorer.score("Sacred mission. " + "The committee met on Tuesday. " * 3)
    assert headline.densities["state_media"] < 1000 * 2.5 / headline.n_words
    assert headline.scores["state_media"] < 1.0
    assert article.n_words > headline.n_words


@pytest.mark.parametrize("text", TEXTS, ids=["seed000", "seed004", "short", "neutral"])
def test_sentence_counts_sum_to_document_weights(scorer, text):
    report = scorer.score(text)
    w = weights_from_evidence(report)
    totals: dict[str, float] = {}
    for s in report.sentences:
        for key, value in s.counts.items():
            totals[key] = totals.get(key, 0.0) + value
    for category, dim in SPAN_DIMENSION.items():
        assert totals.get(category, 0.0) == pytest.approx(w[dim]), category
    for kind, dim in SOURCE_DIMENSION.items():
        assert totals.get(f"{kind}_source", 0.0) == pytest.approx(w[dim]), kind
    n_attr = sum(v for k, v in totals.items() if k.endswith("_source"))
    assert n_attr == report.sourcing["n_attributions"] == len(report.attributions)


def test_sentence_word_counts_sum_to_document(scorer, seed_000):
    report = scorer.score(seed_000)
    assert sum(s.n_words for s in report.sentences) == report.n_words


def test_model_free_report_has_no_propaganda_score(scorer, seed_000):
    report = scorer.score(seed_000)
    assert "propaganda" not in report.scores
    assert report.model is None
    assert all(s.propaganda is None for s in report.sentences)


def test_default_model_scores_propaganda_when_available(seed_000, seed_004):
    r000, r004 = rhetoric.score(seed_000), rhetoric.score(seed_004)
    for report in (r000, r004):
        assert 0.0 <= report.scores["propaganda"] <= 1.0
        assert report.model
        scored = [s for s in report.sentences if not s.boilerplate]  # boilerplate gets no model output
        assert scored and all(s.propaganda is not None and 0.0 <= s.propaganda <= 1.0 for s in scored)
        assert all(s.propaganda is None for s in report.sentences if s.boilerplate)
    assert r000.scores["propaganda"] > r004.scores["propaganda"]
