"""Property tests of hostile lexicon files: whatever the bytes of a line, checking reports problems as
``file:line`` and never raises, and a set that loads gives a matcher that never raises either."""

from __future__ import annotations

import re
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhetoric.lexicon import check_lexicons, load_lexicons
from rhetoric.lexicon.lexicons import expand_pattern
from rhetoric.lexicon.matcher import PhraseMatcher
from rhetoric.text.normalize import normalize

PATTERN_BITS = st.sampled_from(["word", "w~", "~", "[a|b]", "[", "]", "|", "{NUM}", "{NOPE}", "=", " ", "said~",
                                "\ufeff", "\u0130", "ß", "\x00", "\r", "#", "[x|~]", "é", "\u0301", "-", "'"])
PATTERNS = st.lists(st.one_of(PATTERN_BITS, st.text(max_size=4)), min_size=0, max_size=8).map("".join)
COLUMNS = st.tuples(PATTERNS, st.sampled_from(["state_media", "hedge", "ignore", "bogus", ""]),
                    st.sampled_from(["glorification", "epistemic", "hedge", "x"]),
                    st.sampled_from(["1", "0", "6", "nan", "inf", "-1", "2.5", "x"]), st.text(max_size=5))
LINE = st.one_of(COLUMNS.map(lambda c: "\t".join(c).encode("utf-8", "surrogatepass")),
                 st.binary(max_size=30))
FILE = st.lists(LINE, max_size=8).map(lambda lines: b"\n".join(lines))
PROBLEM = re.compile(r"^(test|slots)\.tsv:[1-9][0-9]*: .+", re.DOTALL)

SETTINGS = settings(max_examples=120, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@SETTINGS
@given(body=FILE, slots=st.one_of(st.just(b"NUM\ta|one|two\tn\n"), st.binary(max_size=20)))
def test_any_lexicon_file_gives_file_line_problems_or_a_working_matcher(tmp_path_factory, body, slots):
    d = tmp_path_factory.mktemp("lex")
    (d / "slots.tsv").write_bytes(slots)
    (d / "test.tsv").write_bytes(body)
    t = time.perf_counter()
    problems = check_lexicons(d)
    assert time.perf_counter() - t < 10
    for p in problems:
        assert PROBLEM.match(str(p)), str(p)
    lex = load_lexicons(d, strict=False)
    assert all(phrase for phrase, _ in lex.phrases)
    matcher = PhraseMatcher(lex)
    for text in ("word said w ws a b x", "\u0130 ß é \x00", ""):
        for m in matcher.find(text, normalize(text)):
            assert 0 <= m.start < m.end <= len(text)


@settings(max_examples=150, deadline=None)
@given(pattern=PATTERNS)
def test_expand_pattern_returns_phrases_or_raises_value_error(pattern):
    try:
        phrases = expand_pattern(pattern, {"NUM": "a|one"})
    except ValueError:
        return
    assert phrases and all(p and p == " ".join(p.split()) for p in phrases)
