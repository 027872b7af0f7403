"""The author's voice: author-only score variants, and broken corpus offsets."""

from __future__ import annotations

import pytest

from rhetoric.data.datasets import DatasetFormatError
from rhetoric.report.types import Span
from rhetoric.sourcing.voice import QuotedRange, author_only

QUOTING = 'KCNA said: "The heroic people will crush the puppet forces of the US imperialists."'
WRITING = "The heroic people will crush the puppet forces of the US imperialists."


def test_an_article_that_quotes_state_media_is_told_apart_from_one_that_writes_like_it(scorer):
    quoting, writing = scorer.score(QUOTING), scorer.score(WRITING)
    assert quoting.scores["state_media"] > 0.5 and writing.scores["state_media"] > 0.5
    assert quoting.scores["state_media_author"] == 0.0
    assert writing.scores["state_media_author"] == pytest.approx(writing.scores["state_media"])
    assert quoting.scores["propaganda_techniques_author"] < quoting.scores["propaganda_techniques"]
    spans = [s for s in quoting.spans if s.category == "state_media"]
    assert spans and {(s.voice, s.attribution) for s in spans} == {("quoted", 0)}


def test_author_only_keeps_the_spans_outside_quoted_ranges():
    a = Span(0, 4, "abcd", "state_media", "x", 1.0, "r")
    b = Span(10, 12, "ef", "state_media", "x", 1.0, "r")
    assert author_only([a, b], [QuotedRange(8, 20, 0)]) == [a]
    assert author_only([a, b]) == [a, b]


def _polnear(tmp_path, ann: str):
    for sub in ("train",):
        (tmp_path / "polnear" / sub / "text").mkdir(parents=True)
        (tmp_path / "polnear" / sub / "attributions").mkdir(parents=True)
    (tmp_path / "polnear" / "train" / "text" / "nyt_x.txt").write_text("Smith said no.", encoding="utf-8")
    path = tmp_path / "polnear" / "train" / "attributions" / "nyt_x_ann1.ann"
    path.write_text(ann, encoding="utf-8")
    return path


@pytest.mark.parametrize("line, why", [
    ("T2\tCue 6 10\tsaid\nT3\tSource 0 99\tSmith\n", "outside"),        # past the end of the article
    ("T2\tCue 6 10\tsaid\nT3\tSource 1 6\tSmith\n", "point at"),        # shifted: text does not match
    ("T2\tCue 6 10\tsaid\nT3\tSource zero 5\tSmith\n", "malformed"),   # not numbers
])
def test_a_corpus_file_with_broken_offsets_names_file_and_line(tmp_path, line, why):
    from rhetoric.data.datasets import load_polnear
    path = _polnear(tmp_path, line + "E1\tAttribution:T2 Cue:T2 Source:T3\n")
    with pytest.raises(DatasetFormatError) as err:
        load_polnear("train", tmp_path)
    assert err.value.path == path and err.value.line == 2 and why in str(err.value)
    assert str(err.value).startswith(f"{path}:2:")
