"""Long documents scored in blocks (rhetoric.blocks): where blocks end, and how block reports merge."""

from __future__ import annotations

import math

import pytest

import rhetoric
from rhetoric import pipeline
from rhetoric.blocks import BLOCK_CHARS, BlockMerger, block_bounds, score_in_blocks
from rhetoric.report.scores import N0, TAU, bounded

from conftest import SEEDS

SIZE = 3_000  # small blocks, so a few seed articles make a many-block document


@pytest.fixture(scope="module")
def full() -> rhetoric.Scorer:
    return rhetoric.Scorer()


@pytest.fixture(scope="module")
def long_text() -> str:
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return "\n\n".join(seeds * 2)


def _split(scorer: rhetoric.Scorer):
    return scorer.analyzer_.segmenter.split_sentences


def _merged(scorer: rhetoric.Scorer, text: str) -> tuple[rhetoric.Report, list[tuple[int, rhetoric.Report]]]:
    bounds = list(block_bounds(text, _split(scorer), SIZE))
    blocks = [(a, scorer.score(text[a:b])) for a, b in bounds]
    return score_in_blocks(text, scorer.score, _split(scorer), SIZE), blocks


# -- where blocks end ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "short", "((((" * 2_000, '"' * 7_001, "a " * 5_000, "Officials said. " * 900,
                                  "line one\nline two\n" * 400, "para.\n\n" * 1_000])
def test_blocks_cover_the_text_in_order_and_are_bounded(scorer: rhetoric.Scorer, text: str) -> None:
    bounds = list(block_bounds(text, _split(scorer), SIZE))
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(b == c for (_, b), (c, _) in zip(bounds, bounds[1:]))
    assert all(0 < b - a <= SIZE for a, b in bounds) or text == ""  # (no word here is longer than a block)


def test_blocks_end_after_a_blank_line_then_a_line_then_a_sentence_then_whitespace(scorer: rhetoric.Scorer) -> None:
    split = _split(scorer)
    para = ("A sentence here. " * 60 + "\n\n") * 10
    assert all(para[b - 2:b] == "\n\n" for _, b in list(block_bounds(para, split, SIZE))[:-1])
    lines = ("A sentence here. " * 20 + "\n") * 30
    assert all(lines[b - 1] == "\n" for _, b in list(block_bounds(lines, split, SIZE))[:-1])
    one_line = "The minister said so. " * 500
    ends = [b for _, b in list(block_bounds(one_line, split, SIZE))[:-1]]
    assert all(one_line[b:b + 4] == "The " and one_line[b - 2:b] == ". " for b in ends)
    words = "word " * 2_000
    assert all(words[b - 1] == " " for _, b in list(block_bounds(words, split, SIZE))[:-1])
    assert [b for _, b in block_bounds("(" * 7_000, split, SIZE)] == [3_000, 6_000, 7_000]
    # no whitespace: between tokens, never inside a word; one word longer than a block stays whole
    assert [b for _, b in block_bounds("ab(cd" * 1_500, split, SIZE)] == [2_998, 5_998, 7_500]
    assert [b for _, b in block_bounds("x" * 7_000 + "(y", split, SIZE)] == [7_000, 7_002]


def test_a_word_longer_than_a_block_is_one_word(scorer: rhetoric.Scorer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BLOCK_CHARS", SIZE)
    text = "x" * (3 * SIZE) + " sacred mission"
    assert scorer.score(text).n_words == 3


# -- merged reports --------------------------------------------------------------------------------

def test_merged_report_keeps_exact_offsets_and_every_sentence_in_order(full: rhetoric.Scorer, long_text: str) -> None:
    merged, blocks = _merged(full, long_text)
    assert len(blocks) > 3
    for s in merged.spans:
        assert long_text[s.start:s.end] == s.text
    for a in merged.attributions:
        for s in (a.cue, a.source, a.content):
            assert s is None or long_text[s.start:s.end] == s.text
    assert [s.index for s in merged.sentences] == list(range(len(merged.sentences)))
    assert all(long_text[s.start:s.end] == s.text for s in merged.sentences)
    assert all(x.end <= y.start for x, y in zip(merged.sentences, merged.sentences[1:]))
    # the sentences cover the whole text: only whitespace lies between them
    gaps = [long_text[x.end:y.start] for x, y in zip(merged.sentences, merged.sentences[1:])]
    assert all(not g.strip() for g in gaps)
    assert not long_text[:merged.sentences[0].start].strip() and not long_text[merged.sentences[-1].end:].strip()
    assert rhetoric.Report.from_json(merged.to_json()) == merged


def test_merged_report_is_the_block_reports_shifted(full: rhetoric.Scorer, long_text: str) -> None:
    merged, blocks = _merged(full, long_text)
    n_sent = n_attr = 0
    spans = iter(merged.spans)
    for offset, r in blocks:
        for s in r.sentences:
            m = merged.sentences[n_sent + s.index]
            assert (m.start, m.end, m.text) == (s.start + offset, s.end + offset, s.text)
            assert (m.propaganda, m.explanation, m.is_propaganda, m.is_hedged, m.state_media, m.counts) == \
                (s.propaganda, s.explanation, s.is_propaganda, s.is_hedged, s.state_media, s.counts)
        for s in r.spans:
            m = next(spans)
            assert (m.start, m.end, m.text, m.category, m.label, m.rule) == \
                (s.start + offset, s.end + offset, s.text, s.category, s.label, s.rule)
            assert m.sentence == s.sentence + n_sent
            assert m.attribution == (s.attribution + n_attr if s.attribution >= 0 else -1)
        for a, m in zip(r.attributions, merged.attributions[n_attr:]):
            assert (m.cue.start, m.kind, m.sentence) == (a.cue.start + offset, a.kind, a.sentence + n_sent)
        n_sent += len(r.sentences)
        n_attr += len(r.attributions)
    assert n_sent == len(merged.sentences) and n_attr == len(merged.attributions)
    assert next(spans, None) is None


def test_merged_numbers_follow_the_documented_rules(full: rhetoric.Scorer, long_text: str) -> None:
    merged, blocks = _merged(full, long_text)
    reports = [r for _, r in blocks]
    assert merged.n_words == sum(r.n_words for r in reports)
    for key in ("hedging", "anonymous_sourcing", "state_media", "propaganda_techniques_author"):
        base = key.removesuffix("_author")
        weight = sum(r.densities[key] * (r.n_words + N0) / 1000 for r in reports)   # counts add
        assert merged.densities[key] == pytest.approx(1000 * weight / (merged.n_words + N0), rel=1e-12)
        if key not in ("state_media",):
            assert merged.scores[key] == pytest.approx(bounded(merged.densities[key], TAU[base]), rel=1e-12)
    # the state-media head's document probability: the word-weighted mean of the blocks'
    w = [max(1, r.n_words) for r in reports]
    assert merged.scores["state_media"] == pytest.approx(
        sum(x * r.scores["state_media"] for x, r in zip(w, reports)) / sum(w), rel=1e-12)
    assert merged.meta["state_media"]["probability"] == round(merged.scores["state_media"], 4)
    # the propaganda score is the one the propaganda dimension gives for these sentences
    kept = [(s.propaganda, max(1, s.n_words)) for s in merged.sentences if s.propaganda is not None]
    assert merged.scores["propaganda"] == sum(p * n for p, n in kept) / sum(n for _, n in kept)
    # sourcing counts add; distinct sources are counted over the whole document
    assert merged.sourcing["n_attributions"] == sum(r.sourcing["n_attributions"] for r in reports)
    assert merged.sourcing["n_named"] == sum(r.sourcing["n_named"] for r in reports)
    assert merged.sourcing["n_distinct_sources"] == len({a.source_id for a in merged.attributions})
    # the same named sources recur in each copy of the seeds: they are one source each
    assert merged.sourcing["n_distinct_named"] < sum(r.sourcing["n_distinct_named"] for r in reports)
    assert merged.meta["thresholds"] == reports[0].meta["thresholds"]
    assert all(math.isfinite(v) for v in merged.scores.values())


def test_one_block_merges_to_its_own_numbers(full: rhetoric.Scorer, seed_000: str) -> None:
    direct = full.score(seed_000)
    merger = BlockMerger(seed_000)
    merger.add(0, direct)
    merged = merger.report()
    assert (merged.spans, merged.sentences, merged.attributions, merged.sourcing) == \
        (direct.spans, direct.sentences, direct.attributions, direct.sourcing)
    assert merged.scores == pytest.approx(direct.scores, rel=1e-12)
    assert merged.densities == pytest.approx(direct.densities, rel=1e-12)


def test_scorer_scores_long_texts_in_blocks_and_short_ones_in_one_pass(scorer: rhetoric.Scorer, long_text: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(long_text) < BLOCK_CHARS
    direct = scorer.score(long_text)
    assert direct.to_json() == scorer._score_one(long_text).to_json()
    monkeypatch.setattr(pipeline, "BLOCK_CHARS", SIZE)
    blocked = scorer.score(long_text)
    assert blocked.to_json() == score_in_blocks(long_text, scorer._score_one, _split(scorer), SIZE).to_json()
    assert blocked.n_words == direct.n_words
    assert [(s.start, s.end) for s in blocked.sentences] == [(s.start, s.end) for s in direct.sentences]


@pytest.mark.parametrize("text", ["((((" * 2_000, '"' * 9_000, "'" * 6_500 + " said the minister."])
def test_degenerate_texts_in_blocks(scorer: rhetoric.Scorer, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "BLOCK_CHARS", SIZE)
    r = scorer.score(text)
    assert r.text is text
    assert all(text[s.start:s.end] == s.text for s in r.spans)
    assert all(text[s.start:s.end] == s.text for s in r.sentences)
    assert "".join(text[s.start:s.end] for s in r.sentences).replace(" ", "") == text.replace(" ", "")
