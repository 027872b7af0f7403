"""A report keeps spans, sentences and attributions in columns; the views read back exactly what went in."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

import numpy as np
import pytest

import rhetoric
from rhetoric.blocks import BlockMerger
from rhetoric.report import Attribution, Report, Sentence, Span
from rhetoric.report.attribution_columns import AttributionView
from rhetoric.report.columns import SentenceView, SpanView
from rhetoric.report.encoding import Column, encode
from rhetoric.report.types import compact_state, from_compact_state


@pytest.fixture(scope="module")
def full() -> rhetoric.Scorer:
    return rhetoric.Scorer()


@pytest.fixture(scope="module")
def report(full: rhetoric.Scorer, seed_000: str) -> Report:
    return full.score(seed_000)


def _storage(view: object) -> list[object]:
    """Everything a view stores per row (the arrays and tuples of its columns)."""
    out: list[object] = []
    for col in view._cols.values():  # type: ignore[attr-defined]
        out.extend(_storage(col) if isinstance(col, SpanView) else col.rows)
    return out


def test_views_equal_the_objects_they_were_built_from(report: Report) -> None:
    spans, sentences, attributions = tuple(report.spans), tuple(report.sentences), tuple(report.attributions)
    assert spans and sentences and attributions
    assert report.spans == spans and spans == report.spans and report.spans == list(spans)
    assert SpanView.from_objects(report.text, spans) == report.spans
    assert SentenceView.from_objects(report.text, sentences) == report.sentences
    assert AttributionView.from_objects(report.text, attributions) == report.attributions
    assert report.spans != spans[1:] and report.spans != report.sentences
    assert all(type(s) is Span for s in spans) and all(type(s) is Sentence for s in sentences)
    assert all(type(a) is Attribution for a in attributions)
    assert list(reversed(report.spans)) == list(reversed(spans))
    assert report.spans.index(spans[3]) == spans.index(spans[3]) and spans[3] in report.spans


def test_a_scored_report_stores_numbers_and_codes_not_objects(report: Report) -> None:
    """Memory per row is bounded by construction: typed arrays, no Span, Sentence or str per row.

    A short text's report keeps its objects until the columns are needed (encoding costs more than
    it saves on a few sentences); the columns it then encodes read back the same objects."""
    for view in (report.spans, report.sentences, report.attributions):
        objects = tuple(view)
        assert view._objs is not None  # type: ignore[attr-defined]
        encoded = pickle.loads(pickle.dumps(view))  # a view pickles as its columns
        assert encoded._objs is None and tuple(encoded) == objects and encoded == view
        sent = type(view).from_state(report.text, view.state())  # as score_many sends it: field rows
        assert sent._o is None and tuple(sent) == objects  # type: ignore[attr-defined]  # made when read
        stored = _storage(view)
        assert stored and all(isinstance(a, np.ndarray) and a.dtype != object for a in stored)
        assert view._texts is None  # type: ignore[attr-defined]  # every text is sliced from the report's


def test_int_and_slice_indexing(report: Report) -> None:
    spans = tuple(report.spans)
    n = len(spans)
    for i in (0, 1, n - 1, -1, -n):
        assert report.spans[i] == spans[i]
    for bad in (n, -n - 1):
        with pytest.raises(IndexError):
            report.spans[bad]
    for sl in (slice(None), slice(2, 9), slice(None, None, 3), slice(-5, None), slice(9, 2, -2), slice(5, 5)):
        assert report.spans[sl] == spans[sl]
        assert isinstance(report.spans[sl], SpanView)
    sentences = tuple(report.sentences)
    assert report.sentences[1::2] == sentences[1::2]
    assert [s.explanation for s in report.sentences[::-3]] == [s.explanation for s in sentences[::-3]]
    attributions = tuple(report.attributions)
    assert report.attributions[2:7] == attributions[2:7] and report.attributions[::-1] == attributions[::-1]
    assert report.spans[3:][0] == spans[3]


def test_offsets_are_exact_and_texts_are_slices(report: Report) -> None:
    text = report.text
    assert all(text[s.start:s.end] == s.text for s in report.spans)
    assert all(text[s.start:s.end] == s.text for s in report.sentences)
    assert [s.index for s in report.sentences] == list(range(len(report.sentences)))
    for a in report.attributions:
        assert all(x is None or text[x.start:x.end] == x.text for x in (a.cue, a.source, a.content))


def test_pickling_round_trips(report: Report) -> None:
    back = pickle.loads(pickle.dumps(report))
    assert back == report and back.to_json() == report.to_json()
    for view in (report.spans, report.sentences, report.attributions):
        assert pickle.loads(pickle.dumps(view)) == view
    state = compact_state(report)
    assert report.text[200:300] not in repr(state)  # the text is not in the state: sliced again on loading
    assert from_compact_state(pickle.loads(pickle.dumps(state)), report.text) == report
    other = replace(report, text="x" * len(report.text))  # views of another text keep their texts
    assert pickle.loads(pickle.dumps(other)) == other and other.spans[0].text == report.spans[0].text


def test_a_hand_built_report_reads_back_what_it_was_given(seed_000: str) -> None:
    """Odd values (an int weight, a text that is not the slice, NaN, -0.0) are kept exactly, in object columns."""
    text = seed_000
    spans = (Span(0, 5, "other", "hedge", "hedge", 1, "r", scope=(0, 9)),
             Span(2, 4, text[2:4], "technique", "Doubt", -0.0, "model", voice="quoted", attribution=0),
             Span(3, 6, text[3:6], "booster", "booster", float("nan"), "b", scope=[1, 2]))  # type: ignore[arg-type]
    sentences = (Sentence(0, 0, 10, text[:10], 2, {"hedge": 1}, propaganda=float("nan"),
                          explanation=(("a", -0.0), ("a", 0.0)), is_propaganda=True),
                 Sentence(1, 11, 20, text[11:20], 3, {"hedge": -0.0}, explanation=(("a", 0.0),), boilerplate=True))
    attributions = (Attribution(spans[1], None, "vague", "x", 0),
                    Attribution(spans[1], spans[0], "named", "y", 1, content=spans[2], source_id=4))
    r = Report(text=text, n_words=5, scores={}, densities={}, sourcing={}, spans=spans, sentences=sentences,
               attributions=attributions, lexicon_sha256="0")
    assert isinstance(r.spans, SpanView) and isinstance(r.sentences, SentenceView)
    got = list(r.spans)
    assert got[0].text == "other" and type(got[0].weight) is int and got[0].scope == (0, 9)
    assert str(got[1].weight) == "-0.0" and got[2].weight != got[2].weight and got[2].scope == [1, 2]
    s0, s1 = list(r.sentences)
    assert type(s0.counts["hedge"]) is int and s0.propaganda != s0.propaganda
    assert [str(c) for _, c in s0.explanation] == ["-0.0", "0.0"] and str(s1.counts["hedge"]) == "-0.0"
    assert s1.boilerplate and s0.is_propaganda is True and s1.is_propaganda is None
    a0, a1 = list(r.attributions)
    assert a0.source is None and a0.content is None and a1.source.text == "other" and a1.source_id == 4
    assert a1.content.scope == [1, 2]
    assert r.attributions[0] == attributions[0]
    assert json.dumps(r.attributions[1].to_dict()) == json.dumps(attributions[1].to_dict())  # (NaN != a fresh NaN)
    assert pickle.loads(pickle.dumps(r)).to_json() == r.to_json()
    assert replace(r, model="m").spans is r.spans  # replace keeps the views


def test_replace_with_tuples_and_concatenation(report: Report) -> None:
    odd = Span(0, 1, report.text[0], "hedge", "hedge", 1.0, "x")
    edited = replace(report, spans=(odd, *report.spans))
    assert isinstance(edited.spans, SpanView) and edited.spans[0] == odd and edited.spans[1:] == report.spans
    assert (odd,) + report.spans == (odd, *report.spans) and report.spans + (odd,) == (*report.spans, odd)
    assert edited != report and replace(report, spans=tuple(report.spans)) == report
    empty = replace(report, spans=(), sentences=[], attributions=())
    assert empty.spans == () and empty.sentences == [] and len(empty.attributions) == 0
    assert list(empty.spans) == [] and empty.spans[:] == ()


def test_merger_shifts_columns_without_objects(full: rhetoric.Scorer, seed_000: str) -> None:
    text = seed_000 + "\n\n" + seed_000
    k = len(seed_000) + 2
    a, b = full.score(seed_000), full.score(seed_000)
    merger = BlockMerger(text)
    merger.add(0, a)
    merger.add(k, b)
    merged = merger.report()
    assert len(merged.spans) == 2 * len(a.spans) and len(merged.sentences) == 2 * len(a.sentences)
    second = merged.spans[len(a.spans):]
    assert [(s.start - k, s.end - k, s.text, s.sentence - len(a.sentences)) for s in second] == \
        [(s.start, s.end, s.text, s.sentence) for s in b.spans]
    shifted = merged.attributions[len(a.attributions):]
    assert [(x.cue.start - k, x.sentence - len(a.sentences), x.source is None) for x in shifted] == \
        [(x.cue.start, x.sentence, x.source is None) for x in b.attributions]
    for view in (merged.spans, merged.sentences, merged.attributions):
        assert view._objs is None  # type: ignore[attr-defined]  # a merged (long) report holds columns only
        assert all(isinstance(x, np.ndarray) and x.dtype != object for x in _storage(view))


def test_column_encoding_keeps_types() -> None:
    for kind, values in (("int", [1, -1, 2 ** 40]), ("float", [0.5, -0.0]), ("optfloat", [None, 0.25]),
                         ("optbool", [None, True, False]), ("str", ["a", "b", "a"]), ("bool", [True, False])):
        col = encode(kind, values)
        assert col.kind == kind and col.decode(0, len(values)) == values
        assert [type(v) for v in col.decode(0, len(values))] == [type(v) for v in values]
    assert encode("int", [1, 2.0]).kind == "obj"
    assert encode("optfloat", [float("nan")]).kind == "obj"
    assert isinstance(encode("float", []), Column)


def test_dicts_are_the_parts_to_dict(report: Report, seed_000: str) -> None:
    for view in (report.spans, report.sentences, report.attributions, report.spans[::-2]):
        assert list(view.dicts()) == [x.to_dict() for x in view]
    hand = Report(text=seed_000, n_words=1, scores={}, densities={}, sourcing={},
                  spans=(Span(0, 5, "other", "hedge", "hedge", 1, "r", scope=(0, 9)),), sentences=(),
                  attributions=(Attribution(report.spans[0], None, "vague", "x", 0),), lexicon_sha256="0")
    assert [list(v.dicts()) for v in (hand.spans, hand.attributions)] == \
        [[x.to_dict() for x in v] for v in (hand.spans, hand.attributions)]
    assert json.dumps(report.to_dict()) == json.dumps({**report.to_dict(), "spans": [s.to_dict() for s in report.spans],
                                                       "sentences": [s.to_dict() for s in report.sentences],
                                                       "attributions": [a.to_dict() for a in report.attributions]})
