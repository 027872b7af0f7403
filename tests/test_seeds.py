"""Golden tests on the two seed articles: what a careful human reader would expect the report to say.

Seed 000 relays a North Korean state-media narrative through anonymous "privileged sources";
seed 004 is an explainer that cites named people. Assertions name phrases, not offsets or counts,
so that lexicon curation can go on without rewriting them.
"""

from __future__ import annotations

import pytest
from conftest import assert_offsets_exact


@pytest.fixture(scope="module")
def r000(scorer, seed_000):
    return scorer.score(seed_000)


@pytest.fixture(scope="module")
def r004(scorer, seed_004):
    return scorer.score(seed_004)


def sources(report):
    """``{source text: kind}`` for attributions with an explicit source."""
    return {a.source.text: a.kind for a in report.attributions if a.source is not None}


def kind_of(report, needle):
    """Kinds of the attributions whose source contains ``needle``."""
    return [a.kind for a in report.attributions if a.source is not None and needle in a.source.text]


def covered(report, category, phrase, *, label=None):
    """Whether every occurrence of ``phrase`` lies inside a span of ``category``."""
    text = report.text
    starts = [i for i in range(len(text)) if text.startswith(phrase, i)]
    assert starts, f"{phrase!r} is not in the text"
    spans = [s for s in report.spans if s.category == category and (label is None or s.label == label)]
    return all(any(s.start <= i and i + len(phrase) <= s.end for s in spans) for i in starts)


def test_seed_reports_have_exact_offsets(r000, r004):
    assert_offsets_exact(r000)
    assert_offsets_exact(r004)


@pytest.mark.parametrize("dimension", ["state_media", "anonymous_sourcing"])
def test_state_media_relay_scores_clearly_higher_than_the_explainer(r000, r004, dimension):
    assert r000.densities[dimension] >= 2 * r004.densities[dimension] + 1.0
    assert r000.scores[dimension] >= r004.scores[dimension] + 0.2
    assert r000.scores[dimension] > 0.5


def test_explainer_has_no_anonymous_sources(r004):
    assert r004.sourcing["n_anonymous"] == 0
    assert r004.scores["anonymous_sourcing"] == 0.0


def test_relay_is_mostly_unnamed_sourcing(r000, r004):
    assert r000.sourcing["anonymous_share"] >= 0.4
    assert r000.sourcing["unnamed_share"] > r004.sourcing["unnamed_share"]
    assert r004.sourcing["n_named"] >= 3


@pytest.mark.parametrize("phrase", ["unbeatable fighting brotherhood", "sacred mission", "neo-Nazi", "liberated"])
def test_state_media_phrases_in_seed_000(r000, phrase):
    assert covered(r000, "state_media", phrase)


@pytest.mark.parametrize("source, kind", [
    ("Privileged sources within the Russian military", "anonymous"),
    ("Privileged insiders within the Russian defense ministry", "anonymous"),
    ("One diplomat", "anonymous"),
    ("One source", "anonymous"),
    ("unconfirmed reports", "vague"),
    ("the CNA", "state_media"),
])
def test_seed_000_sources(r000, source, kind):
    assert sources(r000).get(source) == kind, sources(r000)


def test_seed_000_the_source_said_stays_anonymous(r000):
    # "'...,' the source said": a second mention of the anonymous source is still anonymous
    assert set(kind_of(r000, "source")) == {"anonymous"}


def test_seed_000_central_news_agency_and_its_acronym_are_state_media(r000):
    outlets = [s.text for s in r000.spans if s.category == "attribution" and s.label == "state_media"]
    assert "Central News Agency of Korea" in outlets
    assert outlets.count("CNA") == r000.text.count("CNA")  # the definition "(CNA)" and every later "CNA"


def test_seed_000_statement_relays_state_media(r000):
    # "..., the statement declared": the statement is the CNA's
    assert kind_of(r000, "the statement") == ["state_media"]


def test_seed_000_ambassador_quote_is_named(r000):
    # "'...,' he said": "he" is Russian Ambassador Alexander Matsyoha, named in the sentence before
    said = [a for a in r000.attributions if a.cue.text == "said" and a.source is not None and a.source.text == "he"]
    assert [a.kind for a in said] == ["named"]


@pytest.mark.parametrize("hedge", ["reportedly", "if true"])
def test_seed_000_hedges(r000, hedge):
    assert hedge in [s.text for s in r000.spans if s.category == "hedge"]


def test_seed_000_declined_to_confirm_is_not_an_attribution(r000):
    # "they declined to confirm whether ...": refusing to confirm cites nobody
    assert not [a for a in r000.attributions if a.cue.text == "confirm"]


def test_seed_000_a_tale_told_is_not_an_attribution(r000):
    # "a carefully curated tale, told in the shadow of ...": "told" has no source here
    assert not [a for a in r000.attributions if a.cue.text == "told"]


@pytest.mark.parametrize("name", ["General Valery Gerasimov", "Antony Blinken"])
def test_seed_004_named_sources(r004, name):
    assert kind_of(r004, name) == ["named"], sources(r004)


def test_seed_004_edward_howell_is_a_named_source(r004):
    assert "named" in kind_of(r004, "Edward Howell"), sources(r004)


def test_seed_004_hedges_and_approximation(r004):
    hedges = [s.text for s in r004.spans if s.category == "hedge"]
    assert "probably" in hedges and "likely" in hedges
    approximations = [s.text for s in r004.spans if s.category == "approximation"]
    assert any(a.startswith("roughly") for a in approximations), approximations
