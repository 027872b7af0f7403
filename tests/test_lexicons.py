"""Lexicon files: the shipped set is valid, bad entries are reported with file:line, patterns expand
as documented in lexicons/README.md, and the report's lexicon hash follows the files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT

import rhetoric
from rhetoric.lexicon.inflect import inflect
from rhetoric.lexicon.lexicons import (
    MAX_EXPANSIONS,
    LexiconError,
    check_lexicons,
    default_lexicon_dir,
    expand_pattern,
    load_lexicons,
)

CLI = [sys.executable, "-m", "rhetoric.cli.main"]


def run_cli(*args, **kwargs):
    return subprocess.run([*CLI, *args], check=False, capture_output=True, text=True, timeout=120, **kwargs)


def write_lexicon(directory: Path, body: str, slots: str = "NUM\ta|one|two\tquantifiers\n") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "slots.tsv").write_text(slots, encoding="utf-8")
    (directory / "test.tsv").write_text(body, encoding="utf-8")
    return directory


# ------------------------------------------------------------------------------------------------
# the shipped set
# ------------------------------------------------------------------------------------------------


def test_shipped_lexicons_check_clean():
    result = run_cli("lexicons", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problems" in result.stdout.splitlines()[-1]


def test_shipped_lexicons_load_strictly_and_have_every_category():
    lex = load_lexicons()
    assert check_lexicons() == []
    assert {e.category for e in lex.entries} == {"state_media", "technique", "attribution", "hedge", "booster",
                                                "ignore"}
    assert len(lex.sha256) == 64


def test_default_lexicon_dir_is_the_shipped_folder():
    directory = default_lexicon_dir()
    assert directory.is_dir()
    assert (directory / "state_media.tsv").is_file() and (directory / "slots.tsv").is_file()
    assert load_lexicons(directory).sha256 == load_lexicons().sha256
    assert rhetoric.Scorer(model=None).score("x").lexicon_sha256 == load_lexicons(directory).sha256


# ------------------------------------------------------------------------------------------------
# bad entries: every problem with file:line, exit code 1
# ------------------------------------------------------------------------------------------------

BAD = [
    ("sacred mission\tstate_media\tglorification\t1.0\tfine", None),
    ("only two\tcolumns", "expected 5 tab-separated columns"),
    ("foo\tnonsense\tx\t1.0\tn", "unknown category 'nonsense'"),
    ("bar\thedge\tnot_a_label\t1.0\tn", "unknown label 'not_a_label'"),
    ("baz\thedge\tepistemic\t9\tn", "outside (0, 5]"),
    ("qux\thedge\tepistemic\t0\tn", "outside (0, 5]"),
    ("quux\thedge\tepistemic\tnan\tn", "outside (0, 5]"),
    ("corge\thedge\tepistemic\theavy\tn", "is not a number"),
    ("{NOPE} thing\thedge\tepistemic\t1.0\tn", "unknown slot {NOPE}"),
    ("[a|b thing\thedge\tepistemic\t1.0\tn", "unbalanced"),
    ("x] y\thedge\tepistemic\t1.0\tn", "unbalanced"),
    ("[a|[b|c]]\thedge\tepistemic\t1.0\tn", "unbalanced or nested"),
    (" ".join(["[a|b|c|d|e|f|g|h|i|j]"] * 4) + "\thedge\tepistemic\t1.0\tn", f"more than {MAX_EXPANSIONS}"),
    ("=\thedge\tepistemic\t1.0\tn", "empty pattern"),
]


@pytest.fixture()
def bad_dir(tmp_path):
    lines = ["# a comment line", ""] + [line for line, _ in BAD]
    return write_lexicon(tmp_path / "bad", "\n".join(lines) + "\n")


def test_check_reports_every_bad_line_with_file_and_line(bad_dir):
    result = run_cli("lexicons", "check", str(bad_dir))
    assert result.returncode == 1
    out = result.stdout
    for offset, (_, message) in enumerate(BAD):
        line = offset + 3  # after the comment and the blank line
        location = f"{bad_dir / 'test.tsv'}:{line}: "
        if message is None:
            assert location not in out
        else:
            matching = [row for row in out.splitlines() if row.startswith(location)]
            assert matching and message in matching[0], (line, message, out)
    assert f"{sum(m is not None for _, m in BAD)} problems" in out.splitlines()[-1]


def test_check_api_lists_the_same_problems(bad_dir):
    problems = check_lexicons(bad_dir)
    assert sorted(p.line for p in problems) == [i + 3 for i, (_, m) in enumerate(BAD) if m is not None]
    assert all(p.path == "test.tsv" and str(p).startswith(f"test.tsv:{p.line}: ") for p in problems)


def test_strict_load_raises_listing_the_problems_and_scorer_refuses(bad_dir):
    with pytest.raises(LexiconError) as error:
        load_lexicons(bad_dir)
    assert "test.tsv:4:" in str(error.value)
    with pytest.raises(LexiconError):
        rhetoric.Scorer(lexicons=bad_dir, model=None)
    lenient = load_lexicons(bad_dir, strict=False)
    assert [e.pattern for e in lenient.entries] == ["sacred mission"]


def test_bad_slot_lines_are_reported(tmp_path):
    directory = write_lexicon(tmp_path / "slots", "{NUM} source\tattribution\tanonymous\t1.0\tn\n",
                              slots="NUM\ta|one\tok\nlower\tx|y\tbad name\nNESTED\t[a|b]\tno groups\nNUM\tb\ttwice\n")
    lines = sorted(p.line for p in check_lexicons(directory) if p.path == "slots.tsv")
    assert lines == [2, 3, 4]


def test_duplicates_are_reported_but_not_fatal(tmp_path):
    directory = write_lexicon(tmp_path / "dup", "sacred mission\tstate_media\tglorification\t1.0\tn\n"
                                                "[sacred|holy] mission\tstate_media\tglorification\t1.0\tn\n")
    problems = check_lexicons(directory)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(2, "duplicate")]
    assert run_cli("lexicons", "check", str(directory)).returncode == 1
    report = rhetoric.Scorer(lexicons=directory, model=None).score("a holy mission and a sacred mission")
    assert [s.text for s in report.spans] == ["holy mission", "sacred mission"]


def test_missing_directory_is_a_one_line_error(tmp_path):
    result = run_cli("lexicons", "check", str(tmp_path / "nope"))
    assert result.returncode == 1
    assert result.stderr.startswith("rhetoric: ") and len(result.stderr.strip().splitlines()) == 1


# ------------------------------------------------------------------------------------------------
# pattern syntax
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern, slots, expected", [
    ("sacred mission", None, ["sacred mission"]),
    ("sacred   mission ", None, ["sacred mission"]),
    ("[fighting|combat] brotherhood", None, ["combat brotherhood", "fighting brotherhood"]),
    ("[unbeatable|] fighting brotherhood", None, ["fighting brotherhood", "unbeatable fighting brotherhood"]),
    ("[one|two words] x", None, ["one x", "two words x"]),
    ("{NUM} source", {"NUM": "a|one"}, ["a source", "one source"]),
    ("{RANK} officials", {"RANK": "senior|"}, ["officials", "senior officials"]),
])
def test_expand_pattern_examples(pattern, slots, expected):
    assert expand_pattern(pattern, slots) == expected


@pytest.mark.parametrize("pattern, forms", [
    ("liberate~", {"liberate", "liberated", "liberates", "liberating"}),
    ("deny~", {"deny", "denies", "denied", "denying"}),
    ("watch~", {"watch", "watches", "watched", "watching"}),
    ("say~ that", {"say that", "says that", "said that", "saying that"}),
    ("[warn~|caution] that", {"warn that", "warned that", "warns that", "caution that"}),
])
def test_tilde_adds_inflections(pattern, forms):
    expanded = set(expand_pattern(pattern))
    assert forms <= expanded


@pytest.mark.parametrize("word, forms, not_forms", [
    ("quip", {"quips", "quipped", "quipping"}, {"quiped", "quiping"}),
    ("admit", {"admits", "admitted", "admitting"}, {"admited", "admiting"}),
    ("deny", {"denies", "denied", "denying"}, {"denyed", "denys"}),
    ("declare", {"declares", "declared", "declaring"}, {"declareed", "declareing"}),
    ("stop", {"stops", "stopped", "stopping"}, {"stoped", "stoping"}),
    ("strike", {"strikes", "struck", "striking"}, {"striked", "strikeing"}),
    ("say", {"says", "said", "saying"}, {"sayed"}),
    ("spokesman", {"spokesmen"}, {"spokesmans", "spokesmaned"}),   # a noun: its plural, no verb forms
    ("traitor", {"traitors"}, {"traitored", "traitoring"}),
    ("libtard", {"libtards"}, set()),                               # not in the dictionary: guessed forms
    ("fear-monger", {"fear-mongers", "fear-mongering"}, set()),
])
def test_tilde_makes_english_forms(word, forms, not_forms):
    expanded = set(expand_pattern(word + "~"))
    assert {word} | forms <= expanded
    assert not expanded & not_forms


def test_inflection_keeps_the_case_of_the_word():
    assert {"Tyrant", "Tyrants"} <= set(inflect("Tyrant"))
    assert inflect("") == ("",)


def test_shipped_lexicons_have_no_misspelt_inflections():
    words = {w for phrase, _ in load_lexicons().phrases for w in phrase.split()}
    old_rule_forms = {"stoped", "admited", "denyed", "declareed", "quiped", "accuseed", "taked", "striked", "lieing",
                      "crushs", "weeped", "ploted", "guted"}
    assert not words & old_rule_forms
    assert {"quipped", "struck", "taken", "plotted"} <= words


def test_shipped_tilde_words_are_whole_words_not_truncated_stems():
    """``circulat~`` expands to circulated/circulating but never matches "circulate(s)"; ``laborator~``
    never matches "laboratory". A ``word~`` whose word lemminflect does not know, while it knows the
    word with a final "e" or "y", is such a stem."""
    from lemminflect import getAllInflections

    def known(word: str) -> bool:
        return any(getAllInflections(word, upos=pos) for pos in ("VERB", "NOUN"))

    stems = []
    for path in sorted(default_lexicon_dir().glob("*.tsv")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("#") or not line.strip():
                continue
            for word in re.findall(r"([\w'-]+)~", line.split("\t")[0]):
                w = word.lower()
                if not known(w) and (known(w + "e") or known(w + "y")):
                    stems.append(f"{path.name}:{number}: {word}~")
    assert not stems


@pytest.mark.parametrize("text, found", [
    ("Rumours circulate that the plan failed.", ["Rumours circulate"]),
    ("He toured US-funded laboratories in Ukraine.", ["US-funded laboratories"]),
    ("The Pentagon-run biological laboratory was closed.", ["Pentagon-run biological laboratory"]),
    ("The report is the lie of the century.", ["lie of the century"]),
    ("It was the lay of the century.", []),
])
def test_shipped_entries_match_their_documented_forms(text, found):
    report = rhetoric.Scorer(model=None).score(text)
    assert [s.text for s in report.spans if s.category in ("attribution", "state_media")] == found


@pytest.mark.parametrize("word, text, found", [
    ("quip", "He quipped that it was over.", "quipped"),
    ("admit", "The minister admitted the error.", "admitted"),
    ("deny", "Officials denied the report.", "denied"),
    ("declare", "The statement declared victory.", "declared"),
    ("stop", "They stopped the convoy.", "stopped"),
])
def test_tilde_entries_match_the_inflected_words(tmp_path, word, text, found):
    directory = write_lexicon(tmp_path / word, f"{word}~\ttechnique\tLoaded_Language\t1.0\tn\n")
    report = rhetoric.Scorer(lexicons=directory, model=None).score(text)
    assert [s.text for s in report.spans] == [found]


@pytest.mark.parametrize("pattern, message", [
    ("{X} y", "unknown slot"), ("[a|b", "unbalanced"), ("a]", "unbalanced"), ("[|]", "expands to nothing"),
])
def test_expand_pattern_errors(pattern, message):
    with pytest.raises(ValueError, match=message):
        expand_pattern(pattern, {})


def test_case_sensitive_entry_matches_only_its_case(tmp_path):
    directory = write_lexicon(tmp_path / "case", "=TASS\tattribution\tstate_media\t3.0\tcase-sensitive\n"
                                                 "kcna\tattribution\tstate_media\t3.0\tcase-insensitive\n")
    scorer = rhetoric.Scorer(lexicons=directory, model=None)

    def found(text):
        return [s.text for s in scorer.score(text).spans]

    assert found("TASS reported it.") == ["TASS"]
    assert found("tass reported it. Tass too.") == []
    assert found("KCNA, kcna and Kcna") == ["KCNA", "kcna", "Kcna"]


def test_matches_respect_word_boundaries(tmp_path):
    directory = write_lexicon(tmp_path / "wb", "war\ttechnique\tLoaded_Language\t1.0\tn\n"
                                               "u.s.\tattribution\tvague\t1.0\tn\n")
    scorer = rhetoric.Scorer(lexicons=directory, model=None)
    assert [s.text for s in scorer.score("warfare, war, postwar, war-torn, wars, war.").spans] == \
        ["war", "war", "war"]  # "war-torn": the hyphen is a boundary
    assert [s.text for s in scorer.score("the U.S. said").spans] == ["U.S."]


# ------------------------------------------------------------------------------------------------
# the hash follows the files
# ------------------------------------------------------------------------------------------------


def test_lexicon_sha256_changes_when_a_file_changes(tmp_path):
    directory = tmp_path / "copy"
    shutil.copytree(default_lexicon_dir(), directory)
    before = rhetoric.Scorer(lexicons=directory, model=None).score("sacred mission").lexicon_sha256
    assert before == load_lexicons().sha256  # a byte-identical copy hashes the same
    path = directory / "state_media.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "glorious feat\tstate_media\tglorification\t1.0\tn\n",
                    encoding="utf-8")
    report = rhetoric.Scorer(lexicons=directory, model=None).score("a glorious feat")
    assert report.lexicon_sha256 != before
    assert "glorious feat" in [s.text for s in report.spans]


def test_lexicon_sha256_ignores_line_ending_style(tmp_path):
    directory = tmp_path / "crlf"
    shutil.copytree(default_lexicon_dir(), directory)
    for path in directory.glob("*.tsv"):
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert load_lexicons(directory).sha256 == load_lexicons().sha256


def test_repo_lexicons_are_the_default():
    source = REPO_ROOT / "lexicons"
    if source.is_dir():
        assert load_lexicons(source).sha256 == load_lexicons().sha256
