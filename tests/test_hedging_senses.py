"""Senses of modals, negation and "May", weasels, approximations and scope, in news sentences (rules only)."""

from __future__ import annotations

import pytest
from conftest import assert_offsets_exact


def hedge_spans(scorer, text):
    report = scorer.score(text)
    assert_offsets_exact(report)
    return [s for s in report.spans if s.category == "hedge"]


def hedges(scorer, text):
    return [s.text for s in hedge_spans(scorer, text)]


@pytest.mark.parametrize("text, cue", [
    ("The virus may spread further, health officials warned on Monday.", "may"),
    ("The strike might delay the vote until next week.", "might"),
    ("The sanctions could hurt European exporters more than Russia.", "could"),
    ("May they have crossed the border overnight? Nobody knows.", "May"),
])
def test_epistemic_modals_are_hedges(scorer, text, cue):
    assert hedges(scorer, text) == [cue]


@pytest.mark.parametrize("text", [
    "He took a second job so that his father could work less.",                 # ability in a purpose clause
    "The council built ramps so that wheelchair users can enter the station.",
    "You may apply online until Friday, the ministry said.",                    # permission
    "May I ask a question, the reporter said.",
    "Prices may vary from one region to the next.",                             # generic variation
    "These techniques may be employed in emergency surgery.",                   # generic use
    "Tickets can be purchased at the stadium.",
])
def test_ability_permission_and_generic_modals_are_not_hedges(scorer, text):
    assert hedges(scorer, text) == []


@pytest.mark.parametrize("text", [
    "Officials could not agree on a date.",
    "It could n't be confirmed by the ministry .",     # Penn Treebank tokenisation
    "He couldn't attend the summit.",
])
def test_negated_could_is_not_a_hedge(scorer, text):
    assert hedges(scorer, text) == []


@pytest.mark.parametrize("text, cue", [
    ("A second attack cannot be ruled out, the army said.", "cannot be ruled out"),
    ("Police could not rule out foul play.", "could not rule out"),
])
def test_negated_impossibility_is_a_hedge(scorer, text, cue):
    assert cue in hedges(scorer, text)


@pytest.mark.parametrize("text", ["Elections are due in May 2025.", "Theresa May met the envoy on Tuesday."])
def test_may_the_month_and_the_name_are_not_hedges(scorer, text):
    assert hedges(scorer, text) == []


def test_reportedly_is_a_reporting_hedge(scorer):
    spans = hedge_spans(scorer, "The commander reportedly fled to the border.")
    assert [(s.text, s.label) for s in spans] == [("reportedly", "reporting")]


@pytest.mark.parametrize("text, weasel", [
    ("Some critics argue the reform came too late.", "Some critics argue"),
    ("It is believed that the ship sank in 1850.", "It is believed"),
    ("Several scholars have suggested the letter is a forgery.", "Several scholars have suggested"),
    ("The album is widely regarded as their best.", "widely regarded"),
])
def test_unsourced_vague_attributions_are_weasel_hedges(scorer, text, weasel):
    spans = hedge_spans(scorer, text)
    assert (weasel, "weasel") in [(s.text, s.label) for s in spans]
    assert scorer.score(text).scores["hedging"] > 0.0


def test_vague_sources_are_weasels_only_when_asked_for():
    from rhetoric.analysis import Analyzer
    from rhetoric.hedging.dimension import HedgingDimension
    from rhetoric.sourcing.dimension import SourcingDimension
    a = Analyzer().analyze("Critics argue the reform came too late.")
    sourcing = SourcingDimension().apply(a)

    def weasels(mode):
        return [s.text for s in HedgingDimension(None, weasels=mode).apply(a, None, sourcing).spans
                if s.label == "weasel"]

    assert weasels("all") == ["Critics argue"]
    assert weasels("patterns") == [] and weasels("none") == []
    with pytest.raises(ValueError):
        HedgingDimension(None, weasels="some")


def test_a_named_source_is_not_a_weasel(scorer):
    assert not [s for s in hedge_spans(scorer, "Defence minister Boris Pistorius said the plan failed.")
                if s.label == "weasel"]


def test_approximations_are_their_own_dimension(scorer):
    report = scorer.score("About 30 people were hurt and roughly half of them were children.")
    assert [s.text for s in report.spans if s.category == "approximation"] == ["About 30", "roughly half"]
    assert report.scores["approximation"] > 0.0
    assert report.scores["hedging"] == 0.0


def test_scope_is_the_clause_the_hedge_governs(scorer):
    text = "The ceasefire may collapse, but talks will continue."
    (span,) = hedge_spans(scorer, text)
    assert span.scope is not None and text[span.scope[0]:span.scope[1]] == "The ceasefire may collapse"


def test_scope_of_a_conditional_is_its_antecedent(scorer):
    text = "If confirmed, the deal would end the war."
    spans = [s for s in hedge_spans(scorer, text) if s.label == "conditional"]
    assert spans and text[spans[0].scope[0]:spans[0].scope[1]] == "If confirmed"


def test_every_hedge_has_a_scope_inside_its_sentence(scorer, seed_000):
    report = scorer.score(seed_000)
    for s in report.spans_of("hedge"):
        sentence = report.sentences[s.sentence]
        assert s.scope is not None and sentence.start <= s.scope[0] <= s.start < s.end <= s.scope[1] <= sentence.end


def test_booster_inside_a_hedge_scope_is_not_counted(scorer):
    report = scorer.score("The claim may never be fully verified.")
    assert [s.text for s in report.spans if s.category == "booster"] == []
