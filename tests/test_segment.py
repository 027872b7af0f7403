"""Sentence splitting: the shipped Punkt port decides exactly as NLTK's Punkt does.

rhetoric does not import NLTK at run time (importing it costs about a second and pulls in pandas,
scikit-learn and scipy); ``segment._Punkt`` applies Punkt's rules directly. These tests hold the
port to NLTK's own decisions, line by line, on the seeds and on news-like edge cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rhetoric.lexicon.lexicons import load_lexicons
from rhetoric.text.segment import Segmenter

punkt = pytest.importorskip("nltk.tokenize.punkt", reason="NLTK (a test extra) is needed to compare with Punkt")

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
EDGE_CASES = [
    "The U.S. Secretary of State met Mr. Smith. Gen. Gerasimov said so.",
    "Dr. Howell agreed! Then it ended... And then? Nothing.",
    "He said: “It is over.” She left. J. R. R. Tolkien wrote it.",
    "Prices rose 3.5 percent in Jan. and fell in Feb. Analysts were surprised.",
    "‘Our countries… successfully completed a joint operation,’ the statement declared. It was read aloud.",
    "No. 10 Downing St. is in London. The P.M. lives there.",
    "Ends with an abbreviation, e.g. this one. Next sentence.",
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(load_lexicons().abbreviations)


@pytest.fixture(scope="module")
def nltk_punkt(segmenter: Segmenter) -> object:
    params = punkt.PunktParameters()
    params.abbrev_types = set(segmenter.abbreviations)
    return punkt.PunktSentenceTokenizer(params)


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("text", EDGE_CASES + [p.read_text(encoding="utf-8") for p in SEEDS])
def test_same_sentences_as_nltk_punkt(segmenter, nltk_punkt, text):
    for line in _lines(text):
        ours = [line[s:e] for s, e in segmenter.split_sentences(line)]
        theirs = [line[s:e].strip() for s, e in nltk_punkt.span_tokenize(line) if line[s:e].strip()]
        assert ours == theirs


def test_abbreviations_do_not_end_sentences(segmenter):
    text = "The U.S. Secretary met Mr. Smith. Gen. Gerasimov said so."
    assert [text[s:e] for s, e in segmenter.split_sentences(text)] == [
        "The U.S. Secretary met Mr. Smith.", "Gen. Gerasimov said so."]


def test_every_line_is_a_block(segmenter):
    text = "Headline without a period\nFirst sentence. Second one.\r\n\r\n  Indented last line"
    got = [text[s:e] for s, e in segmenter.split_sentences(text)]
    assert got == ["Headline without a period", "First sentence.", "Second one.", "Indented last line"]


@pytest.mark.shared_data
def test_same_sentences_as_nltk_punkt_on_ptc_articles(segmenter, nltk_punkt, shared_data):
    from rhetoric.data.datasets import load_ptc
    corpus = load_ptc("dev", data_home=shared_data)
    n_lines = 0
    for article in corpus.articles:
        for line in _lines(article.text):
            ours = [line[s:e] for s, e in segmenter.split_sentences(line)]
            theirs = [line[s:e].strip() for s, e in nltk_punkt.span_tokenize(line) if line[s:e].strip()]
            assert ours == theirs, (article.id, line)
            n_lines += 1
    assert n_lines > 2000
