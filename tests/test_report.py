"""Report.from_dict / from_json read back what to_dict / to_json wrote, exactly; to_ptc; no pandas in results."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

import pytest
from conftest import SEED_000, SEED_004
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rhetoric
from rhetoric.report import Attribution, Report, Sentence, Span
from rhetoric.report.attribution_columns import AttributionView
from rhetoric.report.columns import SpanView
from rhetoric.report.ptc import ptc_lines


@pytest.fixture(scope="module")
def default_scorer() -> rhetoric.Scorer:
    return rhetoric.Scorer()  # the shipped model: sentence probabilities and explanations are filled in


@pytest.mark.parametrize("seed", [SEED_000, SEED_004], ids=lambda p: p.stem)
def test_seed_reports_round_trip(default_scorer, seed):
    report = default_scorer.score(seed.read_text(encoding="utf-8"))
    assert report.spans and report.sentences and report.attributions
    assert any(s.explanation for s in report.sentences)
    back = Report.from_json(report.to_json())
    assert back == report
    assert Report.from_dict(report.to_dict()) == report
    assert Report.from_json(report.to_json(indent=2)) == report
    # the containers come back as the types the dataclasses declare, not as JSON lists
    assert all(isinstance(s.explanation, tuple) and all(isinstance(x, tuple) for x in s.explanation)
               for s in back.sentences)
    assert isinstance(back.spans, SpanView) and isinstance(back.attributions, AttributionView)  # columns
    assert back.to_json() == report.to_json()


def _with_optional_fields(report: Report) -> Report:
    """The report with every optional field set: a hedge scope, attribution content, meta, explanation."""
    text = report.text
    span = report.spans[0]
    spans = (replace(span, scope=(span.start, len(text)), voice="quoted", attribution=0), *report.spans[1:])
    a = report.attributions[0]
    content = Span(a.cue.end, len(text), text[a.cue.end:], "attribution", "content", 1.0, "attribution:content")
    attributions = (replace(a, content=content, source_id=3), *report.attributions[1:])
    sentence = replace(report.sentences[0], propaganda=0.25, explanation=(("word=glorious", 1.5), ("bias", -0.5)),
                       is_propaganda=False, is_hedged=True, state_media=0.75, boilerplate=True)
    return replace(report, spans=spans, attributions=attributions, sentences=(sentence, *report.sentences[1:]),
                   meta={"thresholds": {"propaganda": 0.4}, "note": "ß “quoted”"}, model="a model")


def test_optional_fields_round_trip(scorer, seed_000):
    report = _with_optional_fields(scorer.score(seed_000))
    back = Report.from_json(report.to_json())
    assert back == report
    assert back.spans[0].scope == (report.spans[0].start, len(report.text))
    assert isinstance(back.spans[0].scope, tuple)
    assert isinstance(back.attributions[0].content, Span) and back.attributions[0].content == report.attributions[0].content
    assert back.sentences[0].explanation == (("word=glorious", 1.5), ("bias", -0.5))
    assert back.meta == {"thresholds": {"propaganda": 0.4}, "note": "ß “quoted”"}
    assert pickle.loads(pickle.dumps(back)) == report  # pickling is unaffected


def test_part_types_round_trip(scorer, seed_000):
    report = _with_optional_fields(scorer.score(seed_000))
    assert Span.from_dict(report.spans[0].to_dict()) == report.spans[0]
    assert Sentence.from_dict(report.sentences[0].to_dict()) == report.sentences[0]
    assert Attribution.from_dict(report.attributions[0].to_dict()) == report.attributions[0]
    no_source = replace(report.attributions[0], source=None, content=None)
    assert Attribution.from_dict(json.loads(json.dumps(no_source.to_dict()))) == no_source


def test_from_dict_without_text_says_why(scorer):
    report = scorer.score("A senior official said the glorious leader won.")
    with pytest.raises(ValueError, match=r"no 'text' \(it was exported with include_text=False\)"):
        Report.from_dict(report.to_dict(include_text=False))
    with pytest.raises(ValueError, match="include_text=True"):
        Report.from_json(report.to_json(include_text=False))


def test_from_dict_rejects_what_it_cannot_trust(scorer):
    report = scorer.score("A senior official said the glorious leader won.")
    d = report.to_dict()
    with pytest.raises(ValueError, match="does not belong to this text"):
        Report.from_dict({**d, "text": "x" + d["text"]})  # every offset now points one character off
    with pytest.raises(ValueError, match="schema version '1.0'"):
        Report.from_dict({**d, "schema_version": "1.0"})
    with pytest.raises(ValueError, match="no field 'scores'"):
        Report.from_dict({k: v for k, v in d.items() if k != "scores"})
    broken = json.loads(json.dumps(d))
    del broken["spans"][0]["start"]
    with pytest.raises(ValueError, match="malformed report dict"):
        Report.from_dict(broken)
    with pytest.raises(ValueError, match="JSON object"):
        Report.from_json("[1, 2]")
    # a later minor version may add keys; they are ignored
    extra = json.loads(json.dumps(d))
    extra["schema_version"] = rhetoric.SCHEMA_VERSION.split(".")[0] + ".99"
    extra["spans"][0]["new_field"] = 1
    assert Report.from_dict(extra).spans == report.spans


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_WORDS = st.sampled_from(["A senior official said", "“the deal is off,”", "reportedly", "KCNA", "may", "glorious",
                          "according to sources", "he said", "about 20", "\n", " ", "İ", "😀", "e\u0301", "."])


@_SETTINGS
@given(st.one_of(st.text(), st.lists(_WORDS, max_size=30).map(" ".join)))
def test_any_report_round_trips(scorer, text):
    report = scorer.score(text)
    assert Report.from_json(report.to_json()) == report


def test_to_ptc_is_the_ptc_module(scorer, seed_000):
    spans = (Span(10, 20, seed_000[10:20], "technique", "Loaded_Language", 1.0, "model:span-tagger"),
             Span(0, 5, seed_000[0:5], "technique", "Doubt", 1.0, "model:span-tagger"),
             Span(0, 5, seed_000[0:5], "technique", "Doubt", 0.5, "model:span-tagger"),  # same row once
             Span(0, 5, seed_000[0:5], "hedge", "hedge", 1.0, "hedges.tsv:1"))  # not a technique
    report = replace(scorer.score(seed_000), spans=spans)
    assert report.to_ptc("123") == ptc_lines(report.spans, "123") == "123\tDoubt\t0\t5\n123\tLoaded_Language\t10\t20\n"
    assert not hasattr(report, "spans_frame")  # rhetoric.spans_frame(report) is the pandas view
