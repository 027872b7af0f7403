"""Propaganda spans: edges on words and whole quotations, length cap, confident labels, Repetition, boilerplate."""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest

import rhetoric
from rhetoric.analysis import Analyzer
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.modelfile import load_bundle
from rhetoric.propaganda.dimension import PropagandaDimension
from rhetoric.propaganda.repetition import REPETITION_RULE, _shared_lead_starts, repetition_spans
from rhetoric.propaganda.spans import _word_edges, fit_edges, quote_pairs, split_long


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="module")
def head():
    return load_bundle()["propaganda"]


def _tokens(seg, start: int, end: int) -> np.ndarray:
    return np.array([t for t in range(len(seg.starts)) if seg.starts[t] >= start and seg.ends[t] <= end])


def _edges(analyzer, text: str, piece: str, **kw) -> str | None:
    a = analyzer.analyze(text)
    s = text.index(piece)
    got = fit_edges(a.seg, text, quote_pairs(text), _tokens(a.seg, s, s + len(piece)), **kw)
    return None if got is None else text[got[0]:got[1]]


@pytest.mark.parametrize("quote", ['"{}"', "\u201c{}\u201d"])
def test_half_quotation_is_extended_to_the_whole_quotation(analyzer, quote):
    text = f"He said the deal is {quote.format('permanent and unconditional')} for everyone."
    got = _edges(analyzer, text, "is " + quote[0] + "permanent and unconditional")
    assert got == "is " + quote.format("permanent and unconditional")
    got = _edges(analyzer, text, "unconditional" + quote[-1] + " for everyone")
    assert got == quote.format("permanent and unconditional") + " for everyone"


def test_half_quotation_too_far_is_cut_back_to_the_words_outside(analyzer):
    text = 'The minister is "a liar and a cheat who has never once told the public the truth about it" today.'
    assert _edges(analyzer, text, 'minister is "a liar', max_extend=10) == "minister is"
    assert _edges(analyzer, text, 'it" today', max_extend=10) == "today"


def test_edges_are_words_and_punctuation_only_runs_vanish(analyzer):
    text = "Well, -- this is a disgrace! -- he said."
    assert _edges(analyzer, text, ", -- this is a disgrace! --") == "this is a disgrace"
    assert _edges(analyzer, text, "! --") is None


def test_quote_pairs_pair_within_a_line_and_leave_odd_marks_alone():
    text = 'a "b" c "d\ne" f \u201cg\u201d'
    assert quote_pairs(text) == [(2, 4), (text.index("\u201c"), text.index("\u201d"))]


def test_split_long_cuts_at_the_least_probable_token():
    p = np.array([0.9, 0.8, 0.3, 0.9, 0.9, 0.1, 0.9, 0.8])
    assert split_long(p, 0, 7, 0) == [(0, 7)]
    pieces = split_long(p, 0, 7, 3)
    assert pieces == [(0, 1), (3, 4), (6, 7)]
    assert all(b - a + 1 <= 3 for a, b in pieces)


def _split_by_recursion(p, a, b, m):
    """The plain statement of the rule: cut at the first least probable inner token, recursively."""
    if m <= 0 or b - a + 1 <= m:
        return [(a, b)]
    cut = a + 1 + int(np.argmin(p[a + 1:b]))
    return _split_by_recursion(p, a, cut - 1, m) + _split_by_recursion(p, cut + 1, b, m)


def test_split_long_matches_the_recursive_rule_on_long_runs_and_ties():
    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(3, 700))  # runs above 256 tokens take the range-minimum table
        p = rng.random(n + 4)
        if trial % 3 == 0:
            p = np.round(p, 1)  # many ties: the first minimum must win, as np.argmin's
        a, m = int(rng.integers(0, 4)), int(rng.integers(2, 30))
        assert split_long(p, a, a + n - 1, m) == _split_by_recursion(p, a, a + n - 1, m)


def test_a_block_of_one_character_tokens_scores_without_overflowing_the_stack():
    # a run of 5,000 equally probable tokens: the recursive cut went 2,500 calls deep
    p = np.full(5_000, 0.5)
    pieces = split_long(p, 0, 4_999, 15)
    assert pieces[0] == (0, 0) and pieces[-1][1] == 4_999 and all(b - a < 15 for a, b in pieces)
    for text in ("(" * 5_000, '"' * 5_000):
        report = rhetoric.score(text)
        assert all(text[s.start:s.end] == s.text for s in report.spans)


def test_every_model_span_fits_words_and_quotations(head, seed_000):
    r = rhetoric.score(seed_000)
    pairs = quote_pairs(r.text)
    model_spans = [s for s in r.spans if s.rule == "model:span-tagger"]
    assert model_spans
    for s in model_spans:
        assert r.text[s.start:s.end] == s.text
        assert s.text[0].isalnum() or s.text[0] in "\"\u201c"
        assert s.text[-1].isalnum() or s.text[-1] in "\"\u201d"
        for qa, qb in pairs:
            assert (s.start <= qa < s.end) == (s.start <= qb < s.end), (s.text, qa, qb)


def test_technique_label_only_where_the_technique_head_is_confident(analyzer, head, seed_000):
    a = analyzer.analyze(seed_000)
    unsure = copy.copy(head)
    unsure.threshold_ = np.r_[head.threshold_[:1], np.full(len(head.threshold_) - 1, 2.0)]
    spans = unsure.score_document(a, DocumentFeatures(a), explain=False).spans
    assert spans and {s.label for s in spans} == {"propaganda"}
    sure = copy.copy(head)
    sure.threshold_ = np.r_[head.threshold_[:1], np.zeros(len(head.threshold_) - 1)]
    labels = {s.label for s in sure.score_document(a, DocumentFeatures(a), explain=False).spans}
    assert labels and labels <= set(head.heads_[1:])


def test_repetition_marks_later_occurrences_of_content_phrases(analyzer):
    text = ("The plan is a shameful betrayal of working families. Nobody voted for it.\n"
            "Again: a shameful betrayal of working families! President Donald Trump spoke. President Donald Trump left.")
    spans = repetition_spans(analyzer.analyze(text))
    assert [s.text for s in spans] == ["shameful betrayal of working families"]
    s = spans[0]
    assert s.start > text.index("Again") and s.label == "Repetition" and s.rule == REPETITION_RULE
    assert text[s.start:s.end] == s.text
    assert repetition_spans(analyzer.analyze("one two three. four five six.")) == []


def _repetition_by_every_ngram(analysis, skip=(), min_content=4, max_tokens=12):
    """The rule read literally: every n-gram of every sentence, no prefilter (what the module did first)."""
    from rhetoric.propaganda.repetition import FUNCTION_WORDS, _merge
    seg, text = analysis.seg, analysis.text
    sent_words = [[] if k in skip else [t for t in range(i, j) if seg.is_word[t]]
                  for k, (i, j) in enumerate(seg.sentence_tokens)]
    first_seen, marked = {}, []
    for k, ws in enumerate(sent_words):
        lw = [seg.words[t] for t in ws]
        content = [w not in FUNCTION_WORDS and w.isalpha() and not text[seg.starts[t]].isupper()
                   for w, t in zip(lw, ws)]
        for a in range(len(ws)):
            if not content[a]:
                continue
            n_content = 0
            for b in range(a, min(len(ws), a + max_tokens)):
                n_content += content[b]
                if n_content < min_content or not content[b]:
                    continue
                seen = first_seen.setdefault(tuple(lw[a:b + 1]), (k, a))
                if seen[0] != k:
                    marked.append((k, a, b))
    return [(int(seg.starts[sent_words[k][a]]), int(seg.ends[sent_words[k][b]]), k) for k, a, b in _merge(marked)]


def test_repetition_prefilter_finds_what_every_ngram_finds(analyzer):
    """The shared-lead prefilter (hashes of the first words) changes nothing: phrases whose words are
    capitalised in one place and not in another, repeats inside one sentence, skipped sentences,
    punctuation between words and other ``min_content`` values included."""
    import random
    rng = random.Random(7)
    vocab = ("the shameful betrayal of working families Shameful Betrayal nobody voted for it again "
             "vile lies destroy nation , ; - Trump said").split()
    texts = [" ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40))).replace(" ; ", ".\n")
             for _ in range(300)]
    texts += ["a shameful betrayal of working families. " * 6, "x", ""]
    for text in texts:
        a = analyzer.analyze(text)
        skip = {1, 3} if len(a.seg.sentences) > 3 else set()
        for min_content in (4, 3, 1, 0):
            got = [(s.start, s.end, s.sentence) for s in repetition_spans(a, skip, min_content)]
            assert got == _repetition_by_every_ngram(a, skip, min_content), (text, min_content)


def test_boilerplate_sentences_get_no_call_no_probability_and_no_model_span(analyzer, head):
    text = ("Traitors and thugs are destroying our great nation with their vile lies!\n"
            "Share this story!\nShare this story!")
    a = analyzer.analyze(text)
    ev = PropagandaDimension(head).apply(a, DocumentFeatures(a))
    assert ev.sentence_fields["propaganda"][1:] == [None, None]
    assert ev.sentence_fields["is_propaganda"][1:] == [None, None]
    first = a.seg.sentences[0][1]
    assert all(s.end <= first for s in ev.spans)
    assert ev.meta["thresholds"] == {"propaganda": round(head.threshold, 4)}


def _quote_pairs_by_character(text):
    """quote_pairs as a walk over every character of every line (the definition)."""
    out, pos = [], 0
    for line in text.split("\n"):
        straight = curly = None
        for i, ch in enumerate(line):
            if ch == '"':
                if straight is None:
                    straight = pos + i
                else:
                    out.append((straight, pos + i))
                    straight = None
            elif ch == "\u201c":
                curly = pos + i
            elif ch == "\u201d" and curly is not None:
                out.append((curly, pos + i))
                curly = None
        pos += len(line) + 1
    return sorted(out)


def test_quote_pairs_equal_a_walk_over_every_character():
    rng = random.Random(7)
    marks = ['"', "\u201c", "\u201d", "\n", "a", " ", "\r", "'"]
    for _ in range(3000):
        text = "".join(rng.choice(marks) for _ in range(rng.randint(0, 30)))
        assert quote_pairs(text) == _quote_pairs_by_character(text), repr(text)


def test_word_edges_of_runs_equal_a_loop():
    rng = random.Random(3)
    for _ in range(300):
        word = np.array([rng.random() < 0.6 for _ in range(rng.randint(1, 40))])
        runs = sorted({tuple(sorted((rng.randrange(len(word)), rng.randrange(len(word))))) for _ in range(5)})
        first, last = _word_edges(word, np.array(runs, dtype=np.int64).reshape(-1, 2))
        for (a, b), f, l in zip(runs, first.tolist(), last.tolist()):
            inside = [k for k in range(a, b + 1) if word[k]]
            assert (f, l) == ((inside[0], inside[-1]) if inside else (-1, -1))


def test_model_spans_are_fit_edges_of_their_tokens(analyzer, head):
    """Each model span is what fit_edges gives for the word tokens it covers (the vectorised edges
    and the per-run quotation fix agree with the one-run function)."""
    text = ('The minister said the "treacherous enemies of the people" must be crushed. '
            "\u201cThey are vile traitors,\u201d he added, \u201cand cowards who hate our great nation.\u201d "
            "Our glorious homeland will never surrender to these evil, corrupt, lying thugs!")
    a = analyzer.analyze(text)
    spans = [s for s in head.score_document(a).spans]
    assert spans
    pairs = quote_pairs(text)
    for s in spans:
        toks = _tokens(a.seg, s.start, s.end)
        assert text[s.start:s.end] == s.text
        assert fit_edges(a.seg, text, pairs, toks) == (s.start, s.end)


def test_shared_lead_starts_equal_a_count_of_sentences_per_lead():
    rng = random.Random(11)
    for _ in range(300):
        lengths = [rng.randint(0, 7) for _ in range(rng.randint(1, 6))]
        bounds = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        n = int(bounds[-1])
        hashes = np.array([rng.randint(0, 2) for _ in range(n)], dtype=np.uint64)
        pos = np.arange(n, dtype=np.int64)
        for lead in (1, 2, 3):
            leads = {}
            for k in range(len(lengths)):
                for i in range(int(bounds[k]), int(bounds[k + 1]) - lead + 1):
                    leads.setdefault(tuple(hashes[i:i + lead].tolist()), []).append((k, i))
            want = sorted(i for occ in leads.values() if len({k for k, _ in occ}) > 1 for _, i in occ)
            assert _shared_lead_starts(hashes, pos, bounds, lead) == want


def test_repetition_without_any_long_enough_sentence(analyzer):
    assert repetition_spans(analyzer.analyze("Go now. We ran. It is. Stop it, then.")) == []
