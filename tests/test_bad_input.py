"""Bad, empty, odd and very large inputs: clear errors for wrong types, valid reports for the rest."""

from __future__ import annotations

import random
import time

import pytest
from conftest import assert_offsets_exact

import rhetoric


@pytest.mark.parametrize("value, type_name", [(None, "None"), (42, "int"), (["text"], "list"), (3.5, "float"),
                                              ({"text": "x"}, "dict")])
def test_non_text_raises_type_error_naming_the_type(scorer, value, type_name):
    with pytest.raises(TypeError, match=rf"scores str; got {type_name}"):
        scorer.score(value)


def test_bytes_without_encoding_is_a_type_error_that_says_what_to_do(scorer):
    with pytest.raises(TypeError, match="encoding='utf-8'"):
        scorer.score(b"sacred mission")


@pytest.mark.parametrize("kind", [bytes, bytearray])
def test_bytes_with_encoding_score_like_the_decoded_text(scorer, kind):
    text = "Café owners hailed the sacred mission, one source said."
    from_bytes = scorer.score(kind(text.encode("utf-8")), encoding="utf-8")
    from_str = scorer.score(text)
    assert from_bytes.text == text
    assert from_bytes.to_dict() == from_str.to_dict()
    assert_offsets_exact(from_bytes)


def test_undecodable_bytes_raise_unicode_error(scorer):
    with pytest.raises(UnicodeDecodeError):
        scorer.score(b"\xff\xfe\xfa", encoding="utf-8")


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", " \t\r\n\u00a0\u3000 "])
def test_empty_and_whitespace_give_an_empty_report(scorer, text):
    report = scorer.score(text)
    assert report.text == text
    assert report.n_words == 0
    assert report.spans == () and report.sentences == () and report.attributions == ()
    assert report.scores and all(v == 0.0 for v in report.scores.values())
    assert all(v == 0.0 for v in report.densities.values())
    assert all(v == 0.0 for v in report.sourcing.values())
    assert report.to_dict()["schema_version"] == rhetoric.SCHEMA_VERSION


def test_punctuation_only_text_has_no_words_and_zero_scores(scorer):
    report = scorer.score("... !!! ??? --- ***")
    assert report.n_words == 0
    assert all(v == 0.0 for v in report.scores.values())


def test_binary_junk_decoded_as_latin1_does_not_crash(scorer):
    rng = random.Random(1234)
    for size in (1, 17, 1000, 50_000):
        junk = bytes(rng.randrange(256) for _ in range(size)).decode("latin-1")
        report = scorer.score(junk)
        assert_offsets_exact(report)
        assert all(0.0 <= v < 1.0 for v in report.scores.values())


def test_control_characters_do_not_crash(scorer):
    text = "".join(chr(c) for c in range(32)) + "sacred mission" + "\x7f\x85\u2028\u2029\ufeff\ufffe"
    report = scorer.score(text)
    assert_offsets_exact(report)
    assert [s.text for s in report.spans if s.category == "state_media"] == ["sacred mission"]


def test_html_markup_is_scored_as_text(scorer):
    html = ("<html><head><script>var x = '<b>';</script><style>p{color:red}</style></head><body>"
            "<p>The <b>sacred mission</b> continues, <i>one source said</i>.</p><!-- comment --></body></html>")
    report = scorer.score(html)
    assert_offsets_exact(report)
    assert "sacred mission" in [s.text for s in report.spans if s.category == "state_media"]


def test_one_huge_line_without_spaces(scorer):
    report = scorer.score("x" * 200_000 + " sacred mission")
    assert_offsets_exact(report)
    assert report.n_words == 3


def test_large_text_keeps_the_densities_of_one_copy(scorer, seed_000):
    """Length-robustness: a 5 MB text made of one article repeated scores like the article."""
    unit = seed_000.rstrip("\n") + "\n"  # each copy starts on a line of its own
    one = scorer.score(unit)
    copies = 5_000_000 // len(unit) + 1
    big = scorer.score(unit * copies)
    assert len(big.text) >= 5_000_000
    assert big.n_words == copies * one.n_words
    for dim, density in one.densities.items():
        assert big.densities[dim] == pytest.approx(density, rel=0.10, abs=0.05), dim
        assert big.scores[dim] == pytest.approx(one.scores[dim], abs=0.05), dim
    assert len(big.sentences) == copies * len(one.sentences)


def test_time_grows_roughly_linearly_with_length(scorer, seed_000):
    """Not a performance target: quadruple the text must not take an order of magnitude longer."""
    small, large = seed_000 * 64, seed_000 * 256

    def best_of(text, repeats=2):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            scorer.score(text)
            times.append(time.perf_counter() - t)
        return min(times)

    best_of(small, 1)  # warm up
    assert best_of(large) < 12 * best_of(small)
