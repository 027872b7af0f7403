"""Sentence splitting: every line is a block, NLTK's Punkt with the shipped news parameters splits it.

The golden splits below are what a news reader expects; several of them changed when the hand port
of Punkt (abbreviations only) gave way to NLTK's tokenizer with trained parameters ("U.S. The",
"“Mr. Smith", "The P.M. lives", "D. Van Zandt", "a.m. Sunday").
"""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest
from nltk.tokenize.punkt import PunktSentenceTokenizer

from rhetoric.lexicon.lexicons import load_lexicons
from rhetoric.text.segment import Segmenter
from rhetoric.text.sentences import (
    FORMAT,
    PunktData,
    SentenceSplitter,
    punkt_parameters,
    read_parameters,
    shipped_parameters,
    write_parameters,
)

SEEDS = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
PARAMETERS = Path(__file__).resolve().parents[1] / "src" / "rhetoric" / "text" / "punkt_news.json"

GOLDEN = [
    ("The U.S. Secretary of State met Mr. Smith. Gen. Gerasimov said so.",
     ["The U.S. Secretary of State met Mr. Smith.", "Gen. Gerasimov said so."]),
    ("Dr. Howell agreed! Then it ended. Nothing.", ["Dr. Howell agreed!", "Then it ended.", "Nothing."]),
    ("He said: “It is over.” She left. J. R. R. Tolkien wrote it.",
     ["He said: “It is over.”", "She left.", "J. R. R. Tolkien wrote it."]),
    ("‘Our countries… successfully completed a joint operation,’ the statement declared. It was read aloud.",
     ["‘Our countries… successfully completed a joint operation,’ the statement declared.", "It was read aloud."]),
    ("No. 10 Downing St. is in London. The P.M. lives there.",
     ["No. 10 Downing St. is in London.", "The P.M. lives there."]),
    ("Ends with an abbreviation, e.g. this one. Next sentence.",
     ["Ends with an abbreviation, e.g. this one.", "Next sentence."]),
    ("He lives in the U.S. The country is big.", ["He lives in the U.S.", "The country is big."]),
    ("“Mr. Smith is here,” she said. Then he left.", ["“Mr. Smith is here,” she said.", "Then he left."]),
    ("Mr. Trump said it. Sen. Sanders agreed. Gov. Kasich did not.",
     ["Mr. Trump said it.", "Sen. Sanders agreed.", "Gov. Kasich did not."]),
    ("Updated by D. Van Zandt on Friday.", ["Updated by D. Van Zandt on Friday."]),
    ("The polls close at 9 p.m. on Tuesday. By 9 a.m. Sunday, it was over.",
     ["The polls close at 9 p.m. on Tuesday.", "By 9 a.m. Sunday, it was over."]),
    ("It cost $5 million, etc. However, nobody paid.", ["It cost $5 million, etc.", "However, nobody paid."]),
    ("The march in Selma, Ala. But on Saturday, his tone changed.",
     ["The march in Selma, Ala.", "But on Saturday, his tone changed."]),
    ("Rep. Paul Ryan, R-Wis., said no. He left.", ["Rep. Paul Ryan, R-Wis., said no.", "He left."]),
]


@pytest.fixture(scope="module")
def segmenter() -> Segmenter:
    return Segmenter(load_lexicons().abbreviations)


def _split(segmenter: Segmenter, text: str) -> list[str]:
    return [text[s:e] for s, e in segmenter.split_sentences(text)]


@pytest.mark.parametrize("text, expected", GOLDEN)
def test_news_sentences(segmenter, text, expected):
    assert _split(segmenter, text) == expected


def test_every_line_is_a_block(segmenter):
    text = "Headline without a period\nFirst sentence. Second one.\r\n\r\n  Indented last line"
    assert _split(segmenter, text) == ["Headline without a period", "First sentence.", "Second one.",
                                       "Indented last line"]
    assert _split(segmenter, "Mr.\nSmith") == ["Mr.", "Smith"]   # a sentence never crosses a line


def test_offsets_index_the_text_and_are_stripped(segmenter):
    text = "  \u201cOne.\u201d  Two!\tThree?\u2028Four \u2026 five.   \n\n"
    spans = segmenter.split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["\u201cOne.\u201d", "Two!", "Three?", "Four \u2026 five."]
    assert all(text[s:e] == text[s:e].strip() and e > s for s, e in spans)
    assert segmenter.split_sentences("") == [] and segmenter.split_sentences(" \n\t ") == []


@pytest.fixture(scope="module")
def nltk_punkt() -> PunktSentenceTokenizer:
    """NLTK's own tokenizer, unchanged, with the parameters the segmenter uses."""
    return PunktSentenceTokenizer(punkt_parameters(shipped_parameters(), load_lexicons().abbreviations))


def _same_as_nltk(segmenter: Segmenter, punkt: PunktSentenceTokenizer, text: str) -> None:
    for line in (line for line in text.splitlines() if line.strip()):
        theirs = [line[s:e].strip() for s, e in punkt.span_tokenize(line) if line[s:e].strip()]
        assert _split(segmenter, line) == theirs, line


@pytest.mark.parametrize("text", [t for t, _ in GOLDEN] + [p.read_text(encoding="utf-8") for p in SEEDS])
def test_lines_are_split_as_nltk_punkt_splits_them(segmenter, nltk_punkt, text):
    """The wrapper (line blocks, the no-candidate shortcut, stripping, the expressions compiled
    without NLTK's timeout wrapper) adds nothing to Punkt's decisions."""
    _same_as_nltk(segmenter, nltk_punkt, text)


def test_punkt_space_is_the_regex_engines(segmenter):
    """``line_contexts`` spells out the ``regex`` engine's ``\\s`` (which Punkt's expressions use)."""
    import regex

    from rhetoric.text.punkt import REGEX_SPACE
    space = regex.compile(r"\s")
    ours = re.compile(f"[{REGEX_SPACE}]")
    assert all(bool(space.match(c)) == bool(ours.match(c)) for c in map(chr, range(sys.maxunicode + 1)))


def test_multi_line_texts_are_split_as_nltk_punkt_splits_each_line(segmenter, nltk_punkt):
    """The candidate contexts are found over the whole text, but never across a line break: random
    texts of sentence ends, quotes, brackets and every kind of space and line break split exactly as
    NLTK's Punkt splits each of their lines."""
    import random
    rng = random.Random(11)
    pieces = (list("ab A.?!\"')]}*:@({[\u2018\u2019\u201c\u201d\xab\xbb,;-")
              + list("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u3000 ")
              + ["Mr.", "U.S.", "Dr. ", "e.g.", "No. 5", "  ", "...", "He said.", "\r\n"])
    breaks = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        expected, pos = [], 0
        for line in re.split(f"([{breaks}])", text):
            if line and line not in breaks:
                expected += [(pos + s + len(line[s:e]) - len(line[s:e].lstrip()),
                              pos + s + len(line[s:e]) - len(line[s:e].lstrip()) + len(line[s:e].strip()))
                             for s, e in nltk_punkt.span_tokenize(line) if line[s:e].strip()]
            pos += len(line)
        assert segmenter.split_sentences(text) == expected, repr(text)


def test_an_opening_quote_does_not_hide_an_abbreviation(segmenter):
    for quote in ("\u201c", "\u2018", "'", "\u2014"):
        text = f"{quote}Sen. Cruz spoke. He left."
        assert _split(segmenter, text) == [f"{quote}Sen. Cruz spoke.", "He left."]


def test_extra_abbreviations_are_honoured():
    text = "See Xyzzq. Bar for details."
    assert len(Segmenter().split_sentences(text)) == 2
    assert Segmenter(["Xyzzq."]).split_sentences(text) == [(0, len(text))]


def test_segmenter_pickles_and_splits_the_same(segmenter):
    text = SEEDS[0].read_text(encoding="utf-8")
    segmenter.split_sentences(text)   # builds the NLTK tokenizer, which is not pickled
    copy = pickle.loads(pickle.dumps(segmenter))
    assert copy.split_sentences(text) == segmenter.split_sentences(text)
    assert len(pickle.dumps(segmenter)) < 2000   # the shipped parameters are reloaded, not copied


# ------------------------------------------------------------------------------------------------
# the shipped parameters file
# ------------------------------------------------------------------------------------------------


def test_shipped_parameters_hold_the_shipped_abbreviations_and_only_punkt_parameters():
    document = json.loads(PARAMETERS.read_text(encoding="utf-8"))
    assert document["format"] == FORMAT
    assert set(document) == {"format", "about", "abbrev_types", "collocations", "sent_starters", "ortho_context"}
    data = shipped_parameters()
    assert load_lexicons().abbreviations <= data.abbrev_types
    assert {"mr", "u.s", "gen", "a.m", "p.m"} <= data.abbrev_types
    assert {"however", "the", "but"} <= data.sent_starters and not {"trump", "sanders"} & data.sent_starters
    assert len(data.ortho_context) > 10000 and data.collocations
    # word types and pairs of them, never text: no string holds white space or runs long
    strings = [*data.abbrev_types, *data.sent_starters, *data.ortho_context, *(w for c in data.collocations for w in c)]
    assert all(s and not any(ch.isspace() for ch in s) and len(s) <= 60 for s in strings)


def test_parameters_round_trip_and_bad_files_are_refused(tmp_path):
    data = PunktData(frozenset({"abc", "x.y"}), frozenset({("j", "bach")}), frozenset({"however"}),
                     {"however": 38, "bach": 2}, {"what": "test"})
    path = tmp_path / "p.json"
    write_parameters(data, path)
    assert read_parameters(path) == data
    splitter = SentenceSplitter(parameters=read_parameters(path))
    assert splitter.split("See abc. Now. J. Bach") == [(0, 13), (14, 21)]
    path.write_text(json.dumps({"format": "other"}), encoding="utf-8")
    with pytest.raises(ValueError, match="not a"):
        read_parameters(path)
    path.write_text(json.dumps({"format": FORMAT, "abbrev_types": []}), encoding="utf-8")
    with pytest.raises(ValueError, match="malformed"):
        read_parameters(path)


def test_punkt_is_imported_late_and_without_the_rest_of_nltk():
    """No NLTK for a text without a sentence end; Punkt alone (no scikit-learn, scipy or pandas) for
    one with; and the caller's own ``import nltk`` afterwards still gets the whole package."""
    code = ("import sys, rhetoric\n"
            "rhetoric.score('x')\n"
            "assert 'nltk' not in sys.modules and 'regex' not in sys.modules, 'Punkt imported for no sentence end'\n"
            "report = rhetoric.score('Mr. Smith left. Then it rained.')\n"
            "assert [s.text for s in report.sentences] == ['Mr. Smith left.', 'Then it rained.']\n"
            "heavy = sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules)\n"
            "assert not heavy, heavy\n"
            "assert not [m for m in sys.modules if m.startswith('nltk')], 'stand-in nltk modules left behind'\n"
            "import nltk, nltk.tokenize.punkt\n"
            "assert callable(nltk.word_tokenize) and nltk.tokenize.punkt.PunktSentenceTokenizer\n")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def test_punkt_is_the_ordinary_module_when_nltk_is_already_imported():
    code = ("import sys, nltk.tokenize.punkt\n"
            "from rhetoric.text.punkt import punkt_module\n"
            "assert punkt_module() is sys.modules['nltk.tokenize.punkt']\n")
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


# ------------------------------------------------------------------------------------------------
# held-out news text: PTC dev has one sentence a line
# ------------------------------------------------------------------------------------------------


@pytest.mark.shared_data
def test_boundaries_on_ptc_dev_articles(segmenter, shared_data):
    """Each article's sentence lines joined by spaces: how many line ends does Punkt find again?

    (Punkt was trained on PTC train and PolNeAR train; a title line without a final period cannot
    be found, which bounds recall.)
    """
    from rhetoric.data.datasets import load_ptc
    tp = n_pred = n_gold = 0
    for article in load_ptc("dev", data_home=shared_data).articles:
        lines = [line.strip() for line in article.text.splitlines() if line.strip()]
        ends = set()
        pos = 0
        for line in lines:
            pos += len(line)
            ends.add(pos)
            pos += 1
        predicted = {e for _, e in segmenter.split_sentences(" ".join(lines))}
        tp += len(predicted & ends)
        n_pred += len(predicted)
        n_gold += len(ends)
    assert n_gold > 2000
    assert tp / n_pred >= 0.97 and tp / n_gold >= 0.875, (tp / n_pred, tp / n_gold)


@pytest.mark.shared_data
def test_lines_of_ptc_dev_are_split_as_nltk_punkt_splits_them(segmenter, nltk_punkt, shared_data):
    from rhetoric.data.datasets import load_ptc
    for article in load_ptc("dev", data_home=shared_data).articles:
        _same_as_nltk(segmenter, nltk_punkt, article.text)


# the documented token grammar, written plainly: acronyms of two or more letter-period pairs,
# words with inner hyphens/apostrophes, any other non-space character
_SPEC_TOKENS = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['\-]\w+)*|\S")


def test_tokens_follow_the_documented_grammar():
    import random

    from rhetoric.text.tokens import tokenize

    rng = random.Random(7)
    alphabet = "ab.U1_'- \u00e9\u0416.\n("
    cases = ["U.S. u.s.a. a.b i.e. e.g.x x.1. it's well-known (a.", "A.B.C.D.", "a..b.", "é.ж.1"]
    cases += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(3000)]
    for text in cases:
        starts, ends, words, _ = tokenize(text)
        expected = [(m.start(), m.end()) for m in _SPEC_TOKENS.finditer(text)]
        assert list(zip(starts, ends)) == expected, text
        assert words == [text[a:b] for a, b in expected]


def test_a_pickled_analysis_leaves_its_process_specific_memo_behind(scorer):
    """``Analysis.word_hashes`` memoises builtin ``hash()``, which another process computes otherwise."""
    a = scorer.analyze("Officials said the minister resigned. Officials said so.")
    a.word_hashes()
    back = pickle.loads(pickle.dumps(a))
    assert a.memo and back.memo == {}
    assert back.text == a.text and back.seg == a.seg and back.matches == a.matches
    assert back.word_positions(frozenset({"officials"})) == a.word_positions(frozenset({"officials"}))
