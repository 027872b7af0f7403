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


# ------------------------------------------------------------------------------------------------
# hostile lexicon files: every problem is file:line, nothing raises from the parser or the matcher
# ------------------------------------------------------------------------------------------------

def _lexicon(tmp_path, body: bytes, name: str = "test.tsv"):
    d = tmp_path / "lex"
    d.mkdir(exist_ok=True)
    (d / name).write_bytes(body)
    return d


GOOD_LINE = b"sacred mission\tstate_media\tglorification\t1\tnote\n"


def _problems(directory):
    from rhetoric.lexicon import check_lexicons
    return [str(p) for p in check_lexicons(directory)]


def test_lexicon_non_utf8_byte_is_file_and_line(tmp_path):
    d = _lexicon(tmp_path, GOOD_LINE + b"caf\xe9 mission\tstate_media\tglorification\t1\tnote\n")
    assert _problems(d) == ["test.tsv:2: not UTF-8: byte 0xe9 at column 4"]
    from rhetoric.lexicon import LexiconError, load_lexicons
    with pytest.raises(LexiconError, match="test.tsv:2: not UTF-8"):
        load_lexicons(d)


def test_lexicon_directory_named_like_a_file_is_file_and_line(tmp_path):
    d = _lexicon(tmp_path, GOOD_LINE)
    (d / "x.tsv").mkdir()
    (d / "slots.tsv").mkdir()
    assert sorted(_problems(d)) == ["slots.tsv:1: cannot read the file: a directory, not a file",
                                    "x.tsv:1: cannot read the file: a directory, not a file"]


def test_lexicon_bom_before_the_first_row_is_dropped(tmp_path):
    d = _lexicon(tmp_path, b"\xef\xbb\xbf" + GOOD_LINE)
    assert _problems(d) == []
    report = rhetoric.Scorer(lexicons=d, model=None).score("The sacred mission.")
    assert [s.text for s in report.spans] == ["sacred mission"]


def test_lexicon_stray_bom_inside_the_file_is_reported(tmp_path):
    d = _lexicon(tmp_path, GOOD_LINE + "\ufeffholy war\tstate_media\tglorification\t1\tn\n".encode())
    assert _problems(d) == ["test.tsv:2: stray byte-order mark (U+FEFF) in the line"]


@pytest.mark.parametrize("pattern", ["~", "a ~", "~ b", "word~~"])
def test_lexicon_lone_tilde_is_a_problem_not_a_matcher_crash(tmp_path, pattern):
    d = _lexicon(tmp_path, GOOD_LINE + f"{pattern}\tstate_media\tglorification\t1\tn\n".encode())
    assert _problems(d) == ["test.tsv:2: '~' must end a word ('word~'), once"]


def test_lexicon_many_inflections_are_refused_before_they_are_built(tmp_path):
    words = " ".join(f"w{w}ord~" for w in "abcdefghijklmnop")   # 16 words, 2..4 forms each: millions
    d = _lexicon(tmp_path, GOOD_LINE + f"{words}\tstate_media\tglorification\t1\tn\n".encode())
    t = time.perf_counter()
    assert _problems(d) == ["test.tsv:2: pattern expands to more than 5000 phrases"]
    assert time.perf_counter() - t < 5


def test_matcher_ignores_empty_phrases_of_a_hand_built_lexicon_set():
    from dataclasses import replace

    from rhetoric.lexicon import load_lexicons
    from rhetoric.lexicon.matcher import PhraseMatcher
    lex = load_lexicons()
    broken = replace(lex, phrases=lex.phrases + (("", 0),))
    assert PhraseMatcher(broken).find("The sacred mission.", "the sacred mission.")


def test_deleted_lexicon_file_is_not_served_from_the_cache(tmp_path):
    from rhetoric.lexicon import load_lexicons
    d = _lexicon(tmp_path, GOOD_LINE)
    (d / "more.tsv").write_bytes(b"holy war\tstate_media\tglorification\t1\tn\n")
    assert len(load_lexicons(d)) == 2
    (d / "more.tsv").unlink()
    assert len(load_lexicons(d)) == 1


# ------------------------------------------------------------------------------------------------
# the command line: output errors and the model file it writes
# ------------------------------------------------------------------------------------------------

def _cli(*args, **kwargs):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "rhetoric.cli.main", *args], capture_output=True, text=True,
                          timeout=300, check=False, **kwargs)


def test_output_to_a_full_disk_is_one_line_and_exit_1(tmp_path):
    import os
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    text = tmp_path / "a.txt"
    text.write_text("The sacred mission, one source said.\n", encoding="utf-8")
    import subprocess
    import sys
    with open("/dev/full", "w") as full:
        r = subprocess.run([sys.executable, "-m", "rhetoric.cli.main", "score", "--model", "none", str(text)],
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=120, check=False)
    assert r.returncode == 1
    assert r.stderr == "rhetoric: cannot write output: No space left on device\n"


def test_closed_standard_output_is_one_line_and_exit_1(tmp_path):
    import subprocess
    import sys
    text = tmp_path / "a.txt"
    text.write_text("The sacred mission.\n", encoding="utf-8")
    code = "import os, sys; os.close(1); sys.stdout = None; from rhetoric.cli.main import main; " \
           f"sys.exit(main(['score', '--model', 'none', {str(text)!r}]))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert r.returncode == 1
    assert r.stderr == "rhetoric: cannot write output: standard output is closed\n"


def test_reader_leaving_early_is_not_an_error(tmp_path):
    import subprocess
    import sys
    text = tmp_path / "a.txt"
    text.write_text("The sacred mission.\n" * 2000, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "rhetoric.cli.main", "score", "--model", "none", "--format", "json",
                          str(text)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    assert p.wait(timeout=120) == 0
    assert p.stderr.read() == b""


def _tiny_csv(tmp_path):
    rows = ["text,label"] + [f"vile traitors betray us number {i}!,1" for i in range(12)] + \
           [f"the library opened on day {i}.,0" for i in range(12)]
    path = tmp_path / "tiny.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_train_refuses_to_overwrite_without_force_before_training(tmp_path):
    existing = tmp_path / "precious.bin"
    existing.write_bytes(b"do not lose me")
    r = _cli("train", str(tmp_path / "missing.csv"), "--format", "csv", "-o", str(existing))
    assert r.returncode == 2 and "exists; pass --force" in r.stderr and len(r.stderr.splitlines()) == 1
    assert existing.read_bytes() == b"do not lose me"
    # --force never replaces a file that is not a model file either
    r = _cli("train", str(tmp_path / "missing.csv"), "--format", "csv", "-o", str(existing), "--force")
    assert r.returncode == 2 and "not a readable rhetoric model file" in r.stderr
    assert existing.read_bytes() == b"do not lose me"


@pytest.mark.parametrize("where", ["directory", "no-folder"])
def test_train_checks_the_output_path_before_training(tmp_path, where):
    out = tmp_path if where == "directory" else tmp_path / "nowhere" / "m.rhetoric-model"
    r = _cli("train", str(tmp_path / "missing.csv"), "--format", "csv", "-o", str(out))
    assert r.returncode == 2 and r.stderr.startswith("rhetoric: error: -o ") and len(r.stderr.splitlines()) == 1
    assert not list(tmp_path.glob("**/*.tmp"))


def test_train_force_writes_into_an_existing_model_keeping_its_other_heads(tmp_path):
    from rhetoric.learn.modelfile import load_bundle, save_bundle
    shipped = load_bundle()
    target = save_bundle(tmp_path / "m.rhetoric-model", dict(shipped.items()))
    others = sorted(set(shipped) - {"propaganda"})
    r = _cli("train", str(_tiny_csv(tmp_path)), "--format", "csv", "--no-spans", "-o", str(target))
    assert r.returncode == 2
    r = _cli("train", str(_tiny_csv(tmp_path)), "--format", "csv", "--no-spans", "-o", str(target), "--force")
    assert r.returncode == 0, r.stderr
    after = load_bundle(target)
    assert "propaganda" in after and set(others) <= set(after)
