"""The ``rhetoric`` command: formats, standard input, errors and exit codes.

Most tests call ``rhetoric.cli.main`` in-process (the interpreter start-up costs ~2 s per call);
a few run the real command in a subprocess to check the entry points and the process exit codes.
All use ``--model none`` so they do not depend on the trained model.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SEED_000, SEED_004

import rhetoric
from rhetoric.cli.main import main

LEXICON_ONLY = ["--model", "none"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rhetoric", *args], input=stdin, capture_output=True, check=False,
                          timeout=120, cwd=REPO_ROOT)


def test_table_output(capsys):
    code, out, err = run(capsys, "score", *LEXICON_ONLY, str(SEED_000))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith(f"== {SEED_000}: ") and "words" in lines[0]
    for dim in ("state_media", "propaganda_techniques", "anonymous_sourcing", "vague_sourcing", "hedging"):
        assert any(line.startswith(dim) for line in lines), dim
    assert "'unbeatable fighting brotherhood'" in out
    assert "anonymous    'Privileged sources within the Russian military'" in out
    assert "lexicons sha256" in out


def test_table_scores_match_the_api(capsys):
    report = rhetoric.Scorer(model=None).score(SEED_004.read_text(encoding="utf-8"))
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, str(SEED_004))
    row = next(line for line in out.splitlines() if line.startswith("state_media"))
    assert row.split()[1] == f"{report.scores['state_media']:.2f}"


def test_json_output_is_the_report(capsys):
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "json", str(SEED_000))
    assert code == 0
    data = json.loads(out)
    assert data["schema_version"] == rhetoric.SCHEMA_VERSION
    expected = rhetoric.Scorer(model=None).score(SEED_000.read_text(encoding="utf-8")).to_dict()
    assert data == json.loads(json.dumps(expected))
    for s in data["spans"]:
        assert data["text"][s["start"]:s["end"]] == s["text"]


def test_jsonl_has_one_report_per_file(capsys, tmp_path):
    weird = tmp_path / 'we"ird\\name.txt'
    weird.write_text("One source said it was a sacred mission.", encoding="utf-8")
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "jsonl", str(SEED_000), str(SEED_004), str(weird))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["file"] for r in rows] == [str(SEED_000), str(SEED_004), str(weird)]
    assert all(r["schema_version"] == rhetoric.SCHEMA_VERSION for r in rows)
    assert rows[2]["sourcing"]["n_anonymous"] == 1


def test_html_output_is_a_page(capsys):
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "html", str(SEED_000))
    assert code == 0
    assert out.startswith("<!DOCTYPE html>") and out.rstrip().endswith("</html>")
    assert f"<title>{SEED_000.name}</title>" in out
    assert '<mark class="rh-state_media"' in out


def test_ptc_output(capsys, tmp_path):
    article = tmp_path / "article111111111.txt"
    article.write_text("They are traitors and neo-Nazi thugs, a disgrace.\n", encoding="utf-8")
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "ptc", str(article))
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows and all(len(r) == 4 and r[0] == "111111111" for r in rows)
    text = article.read_text(encoding="utf-8")
    assert "neo-Nazi" in [text[int(r[2]):int(r[3])] for r in rows]
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "ptc", "--id", "abc", str(article))
    assert all(line.startswith("abc\t") for line in out.splitlines())


def test_dash_reads_standard_input(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("İ the sacred mission\n".encode())))
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "json", "-")
    assert code == 0
    data = json.loads(out)
    assert data["text"] == "İ the sacred mission\n"
    assert [s["text"] for s in data["spans"]] == ["sacred mission"]


def test_encoding_option(capsys, tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Café: the sacred mission.".encode("latin-1"))
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "json", "--encoding", "latin-1", str(path))
    assert code == 0 and json.loads(out)["text"] == "Café: the sacred mission."
    code, _, err = run(capsys, "score", *LEXICON_ONLY, str(path))  # not UTF-8
    assert code == 1 and err.startswith(f"rhetoric: cannot read {path}") and len(err.splitlines()) == 1


def test_missing_file_is_a_one_line_error_and_exit_1(capsys, tmp_path):
    missing = tmp_path / "nope.txt"
    code, out, err = run(capsys, "score", *LEXICON_ONLY, str(missing))
    assert code == 1 and out == ""
    assert err.startswith("rhetoric: ") and str(missing) in err and len(err.splitlines()) == 1


def test_missing_file_among_good_ones_still_scores_the_rest(capsys, tmp_path):
    code, out, err = run(capsys, "score", *LEXICON_ONLY, "--format", "jsonl", str(tmp_path / "nope.txt"), str(SEED_004))
    assert code == 1
    assert len(out.splitlines()) == 1 and json.loads(out)["file"] == str(SEED_004)
    assert len(err.splitlines()) == 1


def test_directory_as_file_is_a_one_line_error(capsys, tmp_path):
    code, _, err = run(capsys, "score", *LEXICON_ONLY, str(tmp_path))
    assert code == 1 and err.startswith("rhetoric: ") and len(err.splitlines()) == 1


def test_bad_lexicon_dir_is_a_one_line_error(capsys, tmp_path):
    code, _, err = run(capsys, "score", *LEXICON_ONLY, "--lexicons", str(tmp_path / "none"), str(SEED_000))
    assert code == 1 and err.startswith("rhetoric: ") and len(err.splitlines()) == 1


def test_custom_lexicons(capsys, tmp_path):
    (tmp_path / "x.tsv").write_text("glorious feat\tstate_media\tglorification\t2.0\tn\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("A glorious feat, a sacred mission.", encoding="utf-8")
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, "--lexicons", str(tmp_path), "--format", "json", str(doc))
    assert [s["text"] for s in json.loads(out)["spans"]] == ["glorious feat"]


@pytest.mark.parametrize("argv", [["score", "--bogus", "x"], ["score"], ["score", "--format", "xml", "f"],
                                  ["frobnicate"], []])
def test_usage_errors_exit_2(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    if argv:
        assert err.splitlines()[-1].startswith("rhetoric: ")


def test_help_works(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "score" in out and "lexicons" in out and "examples:" in out
    with pytest.raises(SystemExit) as exc:
        main(["score", "--help"])
    assert exc.value.code == 0
    assert "--format" in capsys.readouterr().out


# ------------------------------------------------------------------------------------------------
# the real command
# ------------------------------------------------------------------------------------------------


def test_python_dash_m_rhetoric_reads_stdin():
    result = run_process("score", *LEXICON_ONLY, "--format", "json", "-",
                         stdin=b"One source said it was a sacred mission.")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema_version"] == rhetoric.SCHEMA_VERSION
    assert data["sourcing"]["n_anonymous"] == 1


def test_process_exit_codes_and_messages(tmp_path):
    missing = run_process("score", *LEXICON_ONLY, str(tmp_path / "nope.txt"))
    assert missing.returncode == 1
    assert missing.stderr.decode().startswith("rhetoric: ") and len(missing.stderr.decode().splitlines()) == 1
    bad = run_process("score", "--bogus")
    assert bad.returncode == 2
    assert bad.stderr.decode().splitlines()[-1].startswith("rhetoric: error:")


def test_console_script_is_installed():
    exe = shutil.which("rhetoric", path=str(Path(sys.executable).parent)) or shutil.which("rhetoric")
    if exe is None:
        pytest.skip("the rhetoric console script is not on PATH (package not installed)")
    result = subprocess.run([exe, "--version"], check=False, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("rhetoric ")


# -- several files, HTML input, PTC ids, the grouped table (issue 15) -------------------------------
PAGE = ("<!DOCTYPE html><html><head><title>Ministry hails mission</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/w'>World news menu</a></nav><article><h1>Ministry hails mission</h1>"
        "<p>The minister said the operation was a sacred mission. One official, who spoke on condition of "
        "anonymity, said the plan may be delayed.</p></article><footer>Copyright footer text.</footer></body></html>")


def test_json_with_several_files_is_one_array(capsys):
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "json", str(SEED_000), str(SEED_004))
    assert code == 0
    data = json.loads(out)
    assert isinstance(data, list) and [d["file"] for d in data] == [str(SEED_000), str(SEED_004)]
    assert data[1]["text"] == SEED_004.read_text(encoding="utf-8")


def test_json_array_stays_valid_when_a_file_is_missing(capsys, tmp_path):
    code, out, err = run(capsys, "score", *LEXICON_ONLY, "--format", "json", str(tmp_path / "nope.txt"), str(SEED_004))
    assert code == 1 and "nope.txt" in err
    assert [d["file"] for d in json.loads(out)] == [str(SEED_004)]


def test_html_with_several_files_is_one_page(capsys):
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "html", str(SEED_000), str(SEED_004))
    assert code == 0
    assert out.count("<!DOCTYPE html>") == 1 and out.count("</html>") == 1
    assert out.count('class="rhetoric-report"') == 2
    assert f"<h2>{SEED_000.name}</h2>" in out and f"<h2>{SEED_004.name}</h2>" in out


def test_ptc_id_is_the_file_stem_as_given(capsys, tmp_path):
    article = tmp_path / "000_812b28cb18a5bb42.txt"
    article.write_text("They are neo-Nazi thugs.\n", encoding="utf-8")
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "ptc", str(article))
    assert out and all(line.split("\t")[0] == "000_812b28cb18a5bb42" for line in out.splitlines())
    code, _, err = run(capsys, "score", *LEXICON_ONLY, "--format", "ptc", "--id", "x", str(article), str(article))
    assert code == 2 and "--id" in err


def test_table_groups_evidence_by_sentence_and_explains_rule_codes(capsys):
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, str(SEED_000))
    lines = out.splitlines()
    start = lines.index("evidence by sentence:")
    assert lines[start + 1].startswith("  S") and "'" in lines[start + 1]
    footer = lines[lines.index("rule codes:"):]
    assert any(line.strip().startswith("state_media.tsv:N") and "lexicons/state_media.tsv" in line for line in footer)
    codes = {c for line in lines[start:] for c in re.findall(r"['\"]  \[([^\]]+)\]", line)}
    explained = {line.split()[0] for line in footer[1:-2] if line.startswith("  ")}
    for c in codes:
        assert c in explained or f"{c.split(':')[0]}:N" in explained, c


def test_html_page_is_reduced_to_its_article(capsys, tmp_path):
    pytest.importorskip("trafilatura", reason="needs the html extra")
    page = tmp_path / "story.html"
    page.write_text(PAGE, encoding="utf-8")
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--format", "json", str(page))
    assert code == 0
    data = json.loads(out)
    assert "sacred mission" in data["text"] and "World news menu" not in data["text"] and "Copyright" not in data["text"]
    assert data["meta"]["input"]["format"] == "html" and data["meta"]["input"]["extractor"].startswith("trafilatura")
    assert data["sourcing"]["n_anonymous"] >= 1
    _, out, _ = run(capsys, "score", *LEXICON_ONLY, str(page))
    assert "input: HTML page 'Ministry hails mission'; article text extracted by trafilatura" in out


def test_html_flag_reads_standard_input_as_a_page(capsys, monkeypatch):
    pytest.importorskip("trafilatura", reason="needs the html extra")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PAGE.encode())))
    code, out, _ = run(capsys, "score", *LEXICON_ONLY, "--html", "--format", "html", "-")
    assert code == 0 and "Article text extracted from the HTML page" in out and "World news menu" not in out


def test_unreadable_html_is_one_line_error(capsys, tmp_path):
    pytest.importorskip("trafilatura", reason="needs the html extra")
    page = tmp_path / "empty.html"
    page.write_text("<html><body><script>var x = 1;</script></body></html>", encoding="utf-8")
    code, _, err = run(capsys, "score", *LEXICON_ONLY, str(page))
    assert code == 1 and err.startswith(f"rhetoric: cannot read {page}: no article text") and err.count("\n") == 1
