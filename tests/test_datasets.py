"""Tests of rhetoric.data.datasets: synthetic files for every format and error, then the real corpora.

The real-data tests read the development copy of the corpora from ``RHETORIC_DATA`` or, failing
that, ``../shared/data`` beside the repository, and skip when neither exists.
"""

from __future__ import annotations

import json
import pickle
from collections import Counter
from pathlib import Path

import pytest
from conftest import _data_home  # the development corpora, found as every test finds them

from rhetoric.data.datasets import (
    Article,
    Corpus,
    DatasetFormatError,
    DatasetNotFoundError,
    LabelledSpan,
    get_data_home,
    load_conll2010,
    load_csv,
    load_jsonl,
    load_nlp4if,
    load_polnear,
    load_ptc,
    load_rt_sample,
    load_state_media_headlines,
    load_szeged,
    parse_label,
)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def assert_file_line(error: pytest.ExceptionInfo[DatasetFormatError], path: Path, line: int) -> None:
    assert str(error.value).startswith(f"{path}:{line}: "), str(error.value)
    assert error.value.line == line


# --------------------------------------------------------------------------------------------------
# data home and errors
# --------------------------------------------------------------------------------------------------


def test_get_data_home_prefers_argument_then_env_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("RHETORIC_DATA", str(tmp_path / "env"))
    assert get_data_home(tmp_path / "arg") == tmp_path / "arg"
    assert get_data_home(str(tmp_path / "arg")) == tmp_path / "arg"
    assert get_data_home() == tmp_path / "env"
    monkeypatch.delenv("RHETORIC_DATA")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert get_data_home() == tmp_path / "home" / "rhetoric_data"
    assert not (tmp_path / "home").exists()  # never created


def test_missing_corpus_folder_names_path_and_remedy(tmp_path):
    with pytest.raises(DatasetNotFoundError) as error:
        load_ptc(data_home=tmp_path)
    message = str(error.value)
    assert str(tmp_path / "ptc-semeval2020") in message
    assert "data_home=" in message and "RHETORIC_DATA" in message
    assert isinstance(error.value, FileNotFoundError)
    assert error.value.path == tmp_path / "ptc-semeval2020"


@pytest.mark.parametrize(
    "loader",
    [load_nlp4if, load_polnear, load_szeged, load_conll2010, load_rt_sample, load_state_media_headlines],
)
def test_every_loader_reports_a_missing_folder(tmp_path, loader):
    with pytest.raises(DatasetNotFoundError, match="RHETORIC_DATA"):
        loader(data_home=tmp_path)


def test_loader_reads_RHETORIC_DATA(tmp_path, monkeypatch):
    make_ptc(tmp_path)
    monkeypatch.setenv("RHETORIC_DATA", str(tmp_path))
    assert len(load_ptc()) == 2


def test_errors_pickle():
    error = pickle.loads(pickle.dumps(DatasetFormatError("a/b.csv", 3, "bad")))
    assert str(error) == "a/b.csv:3: bad" and error.line == 3
    missing = pickle.loads(pickle.dumps(DatasetNotFoundError("x/y", "corpus")))
    assert str(missing) == str(DatasetNotFoundError("x/y", "corpus"))


def test_invalid_subset(tmp_path):
    with pytest.raises(ValueError, match="subset"):
        load_ptc("test", data_home=tmp_path)


# --------------------------------------------------------------------------------------------------
# Corpus / Article model
# --------------------------------------------------------------------------------------------------


def test_sentences_skip_empty_lines_keep_numbering_and_project_spans():
    text = "Title\n\nThey are traitors.\nNeutral line.\n"
    spans = (LabelledSpan(16, 24, "Name_Calling,Labeling"),)
    corpus = Corpus([Article("a1", text, spans)], "toy")
    records = corpus.sentences()
    assert [(r.index, r.text, r.label) for r in records] == [
        (1, "Title", 0),
        (3, "They are traitors.", 1),
        (4, "Neutral line.", 0),
    ]
    third = records[1]
    assert text[third.start : third.end] == third.text
    assert [third.text[s.start : s.end] for s in third.spans] == ["traitors"]
    assert corpus.texts == ["Title", "They are traitors.", "Neutral line."]
    assert corpus.labels == [0, 1, 0]
    assert corpus.groups() == ["a1"] * 3
    assert corpus["a1"] is corpus[0] and len(corpus) == 1
    with pytest.raises(KeyError):
        corpus["missing"]


def test_span_crossing_a_line_break_labels_both_lines_and_is_clipped():
    text = "one two\nthree four\n"
    corpus = Corpus([Article("a", text, (LabelledSpan(4, 13, "Loaded_Language"),))], "toy")
    first, second = corpus.sentences()
    assert first.label == second.label == 1
    assert first.text[first.spans[0].start : first.spans[0].end] == "two"
    assert second.text[second.spans[0].start : second.spans[0].end] == "three"


def test_gold_sentence_labels_override_projection_and_unlabelled_corpus():
    article = Article("a", "x\n\ny\n", (LabelledSpan(0, 1, "T"),), sentence_labels=(0, 0, 1))
    assert [r.label for r in Corpus([article], "toy").sentences()] == [0, 1]
    unlabelled = Corpus([article], "toy", labelled=False)
    assert [r.label for r in unlabelled.sentences()] == [None, None]
    with pytest.raises(ValueError, match="no labels"):
        _ = unlabelled.labels


def test_article_lines_without_trailing_newline():
    assert Article("a", "a\n\nbc").lines() == [(1, 0, 1), (2, 2, 2), (3, 3, 5)]
    assert Article("a", "a\n").lines() == [(1, 0, 1)]


def test_labelled_span_rejects_negative_or_reversed():
    with pytest.raises(ValueError):
        LabelledSpan(5, 4, "x")
    with pytest.raises(ValueError):
        LabelledSpan(-1, 4, "x")


# --------------------------------------------------------------------------------------------------
# PTC
# --------------------------------------------------------------------------------------------------

PTC_TEXT = "Stop the invasion!\n\nThe corrupt elite lies.\nIt rained.\n"  # "corrupt" is [24, 31)


def make_ptc(home: Path) -> Path:
    root = home / "ptc-semeval2020"
    write(root / "train-articles" / "article111.txt", PTC_TEXT)
    write(root / "train-articles" / "article112.txt", "\ufeffBOM title\n\nPlain.\n")
    write(root / "train-articles" / "notes.txt", "ignored: not article{ID}.txt")
    tc = root / "train-labels-task2-technique-classification"
    write(tc / "article111.task2-TC.labels", "111\tLoaded_Language\t24\t31\n111\tSlogans\t0\t18\n")
    write(tc / "article112.task2-TC.labels", "112\tDoubt\t1\t4\n")
    write(root / "dev-articles" / "article200.txt", "Dev title\n\nNothing here.\n")
    write(root / "dev-labels-task2-technique-classification" / "article200.task-flc-tc.labels", "")
    return root


def test_load_ptc_train_dev_all(tmp_path):
    make_ptc(tmp_path)
    train = load_ptc("train", data_home=tmp_path)
    assert [a.id for a in train] == ["111", "112"]
    first = train["111"]
    assert [(s.start, s.technique) for s in first.spans] == [(0, "Slogans"), (24, "Loaded_Language")]
    assert [first.span_text(s) for s in first.spans] == ["Stop the invasion!", "corrupt"]
    assert [(r.index, r.label) for r in train.sentences() if r.article_id == "111"] == [
        (1, 1),
        (3, 1),
        (4, 0),
    ]
    # A leading byte-order mark is kept: PTC offsets count it.
    bom = train["112"]
    assert bom.text.startswith("\ufeff") and bom.span_text(bom.spans[0]) == "BOM"
    dev = load_ptc("dev", data_home=tmp_path)
    assert [a.id for a in dev] == ["200"] and dev["200"].spans == () and dev.labels == [0, 0]
    everything = load_ptc("all", data_home=tmp_path)
    assert [a.id for a in everything] == ["111", "112", "200"] and everything.subset == "all"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("111\tSlogans\t0\t99\n", "runs past the article end"),
        ("111\tSlogans\tzero\t5\n", "integers"),
        ("111\tSlogans\t5\t5\n", "empty"),
        ("999\tSlogans\t0\t4\n", "does not match"),
        ("111 Slogans 0 4\n", "expected"),
    ],
)
def test_ptc_label_errors_name_file_and_line(tmp_path, content, expected):
    root = make_ptc(tmp_path)
    path = write(root / "train-labels-task2-technique-classification" / "article111.task2-TC.labels",
                 "111\tDoubt\t0\t4\n\n" + content)  # fmt: skip
    with pytest.raises(DatasetFormatError, match=expected) as error:
        load_ptc(data_home=tmp_path)
    assert_file_line(error, path, 3)


def test_ptc_missing_label_file(tmp_path):
    root = make_ptc(tmp_path)
    (root / "train-labels-task2-technique-classification" / "article112.task2-TC.labels").unlink()
    with pytest.raises(DatasetNotFoundError, match="article112.task2-TC.labels"):
        load_ptc(data_home=tmp_path)


# --------------------------------------------------------------------------------------------------
# NLP4IF
# --------------------------------------------------------------------------------------------------

NLP4IF_TEXT = "Headline\n\nFirst claim.\n\nSecond claim!\n"


def make_nlp4if(home: Path, slc: str | None = None) -> Path:
    root = home / "nlp4if2019"
    for article_id in ("123456789", "1234567899"):
        write(root / "train-articles" / f"article{article_id}.txt", NLP4IF_TEXT)
        labels = ["non-propaganda", "non-propaganda", "propaganda", "non-propaganda", "propaganda"]
        write(
            root / "train-labels-SLC" / f"article{article_id}.task-SLC.labels",
            "".join(f"{article_id}\t{n}\t{label}\n" for n, label in enumerate(labels, start=1)),
        )
        write(
            root / "train-labels-FLC" / f"article{article_id}.task-FLC.labels",
            f"{article_id}\tLoaded_Language\t10\t15\n{article_id}\tSlogans\t24\t40\n{article_id}\tDoubt\t50\t60\n",
        )
    if slc is not None:
        write(root / "train-labels-SLC" / "article123456789.task-SLC.labels", slc)
    write(root / "dev-articles" / "article555.txt", "Dev\n\nUnlabelled.\n")
    return root


def test_load_nlp4if_aligns_slc_numbers_with_lines_including_empty_ones(tmp_path):
    make_nlp4if(tmp_path)
    corpus = load_nlp4if(data_home=tmp_path)
    article = corpus["123456789"]
    assert article.sentence_labels == (0, 0, 1, 0, 1)
    records = [r for r in corpus.sentences() if r.article_id == "123456789"]
    assert [(r.index, r.text, r.label) for r in records] == [
        (1, "Headline", 0),
        (3, "First claim.", 1),
        (5, "Second claim!", 1),
    ]
    # The span running past the end is clipped, the one starting beyond it dropped.
    assert [(s.start, s.end) for s in article.spans] == [(10, 15), (24, 38)]
    # The 10-digit copy of the same text shares its group with the 9-digit article.
    assert set(corpus.groups()) == {"123456789"}
    dev = load_nlp4if("dev", data_home=tmp_path)
    assert not dev.labelled and [r.label for r in dev.sentences()] == [None, None]


@pytest.mark.parametrize(
    ("slc", "line", "expected"),
    [
        ("123456789\t1\tnon-propaganda\n123456789\t2\tmaybe\n", 2, "propaganda/non-propaganda"),
        ("123456789\t1\tnon-propaganda\n123456789\t3\tpropaganda\n", 2, "sentence_no"),
        ("123456789\t1\tnon-propaganda\n", 1, "1 sentence labels for an article of 5 lines"),
        ("987654321\t1\tpropaganda\n", 1, "article id"),
    ],
)
def test_nlp4if_slc_errors(tmp_path, slc, line, expected):
    root = make_nlp4if(tmp_path, slc)
    with pytest.raises(DatasetFormatError, match=expected) as error:
        load_nlp4if(data_home=tmp_path)
    assert_file_line(error, root / "train-labels-SLC" / "article123456789.task-SLC.labels", line)


# --------------------------------------------------------------------------------------------------
# PolNeAR
# --------------------------------------------------------------------------------------------------

POLNEAR_TEXT = "Officials said the plan failed.\nCritics, who asked not to be named, argued otherwise.\n"
POLNEAR_ANN_A = (
    "T1\tSource 0 9\tOfficials\n"
    "T2\tCue 10 14\tsaid\n"
    "T3\tContent 15 31\tthe plan failed.\n"
    "T4\tAttribution 10 14\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tSource 32 39;41 44\tCritics who\n"
    "T6\tCue 68 74\targued\n"
    "T7\tContent 75 80;80 84\tother wise\n"
    "T8\tAttribution 68 74\targued\n"
    "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7\n"
    "T9\tCue 10 14\tsaid\n"
    "T10\tContent 15 23;24 31\tthe plan\n"
    "failed.\n"  # brat writes a span's line break verbatim: a continuation line
    "T11\tAttribution-no-source 10 14\tsaid\n"
    "E3\tAttribution-no-source:T11 Cue:T9 Content:T10\n"
    "#1\tAnnotatorNotes T1\ta note\n"
)
POLNEAR_ANN_B = "T1\tCue 10 14\tsaid\nT2\tAttribution 10 14\tsaid\nE1\tAttribution:T2 Cue:T1\n"
POLNEAR_METADATA = (
    'compartment\tfilename\tpublisher\ttitle\ntrain\tnyt_2016-01-01_plan\tnyt\tA "quoted" title\n'
)


def make_polnear(home: Path) -> Path:
    root = home / "polnear"
    write(root / "metadata.tsv", POLNEAR_METADATA)
    write(root / "train" / "text" / "nyt_2016-01-01_plan.txt", POLNEAR_TEXT)
    write(root / "train" / "attributions" / "nyt_2016-01-01_plan_d473.ann", POLNEAR_ANN_B)
    write(root / "train" / "attributions" / "nyt_2016-01-01_plan_4b22.ann", POLNEAR_ANN_A)
    return root


def test_load_polnear_relations_discontinuous_spans_and_annotators(tmp_path):
    make_polnear(tmp_path)
    corpus = load_polnear(data_home=tmp_path)
    (article,) = corpus.articles
    assert article.outlet == "New York Times" and article.metadata["title"] == 'A "quoted" title'
    assert article.annotators == ("4b22", "d473") and article.annotator == "4b22"
    first, second, third = article.attributions
    assert (first.source, first.cue, first.content) == ((0, 9), (10, 14), (15, 31))
    assert (first.source_text, first.cue_text, first.content_text) == (
        "Officials",
        "said",
        "the plan failed.",
    )
    assert second.source == (32, 44) and second.source_text == "Critics who"  # brat joins with a space
    assert second.content == (75, 84) and second.content_text == "other wise"
    assert [f for f in second.fragments if f[0] == "Source"] == [("Source", 32, 39), ("Source", 41, 44)]
    assert third.kind == "Attribution-no-source" and third.source is None and third.source_text is None
    assert third.content == (15, 31) and third.content_text == "the plan failed."
    other = article.with_annotator("d473")
    assert [r.cue_text for r in other.attributions] == ["said"] and other.attributions[0].content is None
    with pytest.raises(KeyError):
        article.with_annotator("zzzz")
    assert corpus.texts == [POLNEAR_TEXT] and corpus.outlets == ["New York Times"]


def test_polnear_offset_outside_text_and_unknown_reference(tmp_path):
    root = make_polnear(tmp_path)
    path = write(root / "train" / "attributions" / "nyt_2016-01-01_plan_4b22.ann", "T1\tCue 10 999\tsaid\n")
    with pytest.raises(DatasetFormatError, match="outside the article") as error:
        load_polnear(data_home=tmp_path)
    assert_file_line(error, path, 1)
    write(path, "T1\tCue 10 14\tsaid\nE1\tAttribution:T1 Source:T7\n")
    with pytest.raises(DatasetFormatError, match="unknown annotation T7") as error:
        load_polnear(data_home=tmp_path)
    assert_file_line(error, path, 2)


def test_polnear_article_without_annotation_file(tmp_path):
    root = make_polnear(tmp_path)
    write(root / "train" / "text" / "politico_2016-02-02_x.txt", "text")
    with pytest.raises(DatasetNotFoundError, match="politico_2016-02-02_x"):
        load_polnear(data_home=tmp_path)


# --------------------------------------------------------------------------------------------------
# Szeged and CoNLL-2010
# --------------------------------------------------------------------------------------------------

SZEGED_XML = """<?xml version="1.0" encoding="UTF-8" standalone="no"?><!DOCTYPE Annotation PUBLIC "x" "Uncertainty.dtd">
<Annotation><DocumentSet> <Document type="Wikipedia_text_weasel"><DocID type="WIKIPEDIA_ARTICLE_ID">Doc A_1</DocID>\
<DocumentPart type="Title"><Sentence id="S1.1">Doc A</Sentence></DocumentPart><DocumentPart type="Text">\
<Sentence id="S1.2"><ccue type="speculation_hypo_doxastic _">Some claim</ccue> it <ccue type="speculation_modal_probable_">may</ccue> rain.</Sentence>\
<Sentence id="S1.3">It rained.</Sentence></DocumentPart></Document>
<Document type="Wikipedia_text_weasel"><DocID type="WIKIPEDIA_ARTICLE_ID">Doc B_2</DocID><DocumentPart type="Title"><Sentence id="S1.1">B</Sentence></DocumentPart>\
<DocumentPart type="Text"><Sentence id="S1.2">We test <ccue type="speculation_hypo_investigation _">whether</ccue> <ccue type="speculation_hypo_condition _">if</ccue> so.</Sentence></DocumentPart></Document>
</DocumentSet></Annotation>
"""


def test_load_szeged_cue_offsets_within_sentences(tmp_path):
    write(tmp_path / "szeged-uncertainty-wiki" / "wiki.part.xml", SZEGED_XML)
    corpus = load_szeged(data_home=tmp_path)
    assert [a.id for a in corpus] == ["Doc A_1", "Doc B_2"]
    records = corpus.sentences()
    assert [(r.article_id, r.index, r.text, r.label) for r in records] == [
        ("Doc A_1", 1, "Doc A", 0),
        ("Doc A_1", 2, "Some claim it may rain.", 1),
        ("Doc A_1", 3, "It rained.", 0),
        ("Doc B_2", 1, "B", 0),
        ("Doc B_2", 2, "We test whether if so.", 1),
    ]
    cues = [(r.text[s.start : s.end], s.technique) for r in records for s in r.spans]
    assert cues == [
        ("Some claim", "doxastic"),
        ("may", "probable"),
        ("whether", "investigation"),
        ("if", "condition"),
    ]
    assert corpus.groups() == ["Doc A_1"] * 3 + ["Doc B_2"] * 2


def test_szeged_invalid_xml(tmp_path):
    path = write(tmp_path / "szeged-uncertainty-wiki" / "wiki.xml", "<Annotation>\n<Document>\n</Annotation>")
    with pytest.raises(DatasetFormatError, match="invalid XML") as error:
        load_szeged(data_home=tmp_path)
    assert str(error.value).startswith(f"{path}:3:")


def test_load_conll2010_strips_newlines_and_skips_empty_rows(tmp_path):
    write(
        tmp_path / "conll2010-wikipedia-derived" / "train.csv",
        'text,label\n"It is said to be old.\n",1\n"\n",0\n"Paris is in France.\n",0\n',
    )
    corpus = load_conll2010(data_home=tmp_path)
    assert corpus.texts == ["It is said to be old.", "Paris is in France."]
    assert corpus.labels == [1, 0]
    assert len(set(corpus.groups())) == 2


# --------------------------------------------------------------------------------------------------
# RT and headlines
# --------------------------------------------------------------------------------------------------


def test_load_rt_sample_deduplicates_by_url(tmp_path):
    root = tmp_path / "rt-english-sample"
    header = "date,title,content,URL\n"
    write(root / "RT_eng.csv", header + '"1 Jan, 2020 10:00",T1,"Body one.\nMore.",https://rt.com/1\n')
    write(root / "einstein.csv", header + '"1 Jan, 2020 10:00",T1,"Body one.\nMore.",https://rt.com/1\n'
          '"2 Jan, 2020 11:00",T2,Body two.,https://rt.com/2\n')  # fmt: skip
    corpus = load_rt_sample(data_home=tmp_path)
    assert [a.id for a in corpus] == ["https://rt.com/1", "https://rt.com/2"]
    assert corpus[0].text == "Body one.\nMore." and corpus[0].metadata["title"] == "T1"
    assert corpus[1].metadata["date"] == "2 Jan, 2020 11:00" and corpus[1].outlet == "RT"
    assert not corpus.labelled and len(corpus.sentences()) == 3


def test_load_state_media_headlines(tmp_path):
    root = tmp_path / "state-media-headlines-cn-vs-bbc"
    bom = b"\xef\xbb\xbf"
    write(root / "bbc" / "BBC-Fri-Aug--5-2022-UK.csv",
          bom + b'2022-08-05T00:27:34Z,"Hotels, hope"\n2022-08-05T00:28:00Z,\n')  # fmt: skip
    write(root / "bbc" / "BBC-Sat-Aug--6-2022-WORLD.csv", bom + b'2022-08-05T00:27:34Z,"Hotels, hope"\n')
    write(root / "cgtn" / "CGTN-Fri-Apr--1-2022-CHINA.csv",
          bom + b'"15:45, 23-Mar-2022",China  livestreams class \n"\r\n02:53", 21-Apr-2022",Broken\n')  # fmt: skip
    write(root / "chinadaily" / "Chinadaily-x-WORLD.csv", bom + b"Updated: 2022-03-07 17:49,Hotels, hope\n")
    write(
        root / "globaltimes" / "GlobalTimes-x-CHINA.csv", bom + b'"Published: Mar 24","Xi calls for \nFTP"\n'
    )
    write(
        root / "xinhuanet" / "Xinhuanet-x-WORLD.csv",
        bom + b'2022-03-03 11:46:32,"A\n2022-03-03 14:26:30,B\r\n"\n',
    )
    corpus = load_state_media_headlines(data_home=tmp_path)
    assert [(a.outlet, a.text) for a in corpus] == [
        ("BBC", "Hotels, hope"),
        ("CGTN", "China livestreams class"),
        ("Global Times", "Xi calls for FTP"),
    ]
    assert corpus[0].metadata == {
        "timestamp": "2022-08-05T00:27:34Z",
        "section": "UK",
        "file": "BBC-Fri-Aug--5-2022-UK.csv",
    }
    assert corpus.outlets == ["BBC", "CGTN", "Global Times"]


def test_headlines_bom_is_not_part_of_the_timestamp(tmp_path):
    root = tmp_path / "state-media-headlines-cn-vs-bbc"
    for folder in ("bbc", "cgtn", "chinadaily", "globaltimes", "xinhuanet"):
        write(root / folder / "a-WORLD.csv", b"\xef\xbb\xbf2022-01-01,Headline " + folder.encode() + b"\n")
    corpus = load_state_media_headlines(data_home=tmp_path)
    assert {a.metadata["timestamp"] for a in corpus} == {"2022-01-01"}
    assert [a.outlet for a in corpus] == ["BBC", "CGTN", "China Daily", "Global Times", "Xinhua"]


# --------------------------------------------------------------------------------------------------
# users' CSV / JSONL
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("0", 0), ("TRUE", 1), ("false", 0), (" Yes ", 1), ("no", 0), ("propaganda", 1),
     ("Non-Propaganda", 0), (True, 1), (False, 0), (1, 1), (0, 0)],
)  # fmt: skip
def test_parse_label_accepts(value, expected):
    assert parse_label(value) == expected


@pytest.mark.parametrize("value", ["2", "", "maybe", 2, -1, None, 1.0, "non propaganda"])
def test_parse_label_rejects(value):
    with pytest.raises(ValueError):
        parse_label(value)


def test_load_csv_rows_are_articles(tmp_path):
    path = write(
        tmp_path / "mine.csv",
        '\ufefftext,label,extra\nThey lie.,yes,x\n\n"Two\nlines",propaganda,y\nCalm.,0,z\n',
    )
    with pytest.warns(UserWarning, match=r"no group_column given, so each row is its own article \(3 articles"):
        corpus = load_csv(path)
    assert corpus.texts == ["They lie.", "Two lines", "Calm."]
    assert corpus.labels == [1, 1, 0]
    assert corpus.groups() == ["2", "4", "6"]  # line where each record starts
    assert corpus.name == "mine"


def test_load_csv_group_column_joins_rows(tmp_path):
    path = write(tmp_path / "g.tsv", "doc\tsentence\ty\nA\tOne.\t1\nB\tTwo.\t0\nA\tThree.\tfalse\n")
    corpus = load_csv(path, text_column="sentence", label_column="y", group_column="doc", delimiter="\t")
    assert [a.id for a in corpus] == ["A", "B"]
    assert corpus["A"].text == "One.\nThree." and corpus["A"].sentence_labels == (1, 0)
    assert corpus.texts == ["One.", "Three.", "Two."]
    assert corpus.labels == [1, 0, 0] and corpus.groups() == ["A", "A", "B"]


def test_ungrouped_warning_says_how_groups_were_formed(tmp_path):
    import warnings

    path = write(tmp_path / "rows.csv", "text,label,doc\nOne.,1,a\nTwo.,0,a\n")
    with pytest.warns(UserWarning) as record:
        load_csv(path)
    message = str(record[0].message)
    assert record[0].filename == __file__  # points at the caller's line, not into rhetoric
    assert "'rows.csv'" in message and "each row is its own article (2 articles, id = line number)" in message
    assert "pass group_column='<column with the article id>'" in message
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a group column (or a failed load) warns nothing
        assert load_csv(path, group_column="doc").groups() == ["a", "a"]
        with pytest.raises(DatasetFormatError):
            load_csv(write(tmp_path / "empty.csv", "text,label\n"))
    jsonl = write(tmp_path / "rows.jsonl", '{"text": "One.", "label": 1}\n')
    with pytest.warns(UserWarning, match=r"load_jsonl\('rows.jsonl'\): no group_field given.*group_field="):
        load_jsonl(jsonl)


def test_load_csv_without_labels(tmp_path):
    path = write(tmp_path / "u.csv", "text,id\nHello.,1\n")
    corpus = load_csv(path, label_column=None, group_column="id")
    assert not corpus.labelled and corpus.texts == ["Hello."]


@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        ('text,label\nfine,1\n"multi\nline",2\n', 3, "label '2' is not one of"),
        ("text,label\nfine,1\n,0\n", 3, "empty text"),
        ("text,label\nfine,1\nextra,1,field\n", 3, "3 fields"),
        ("text,lable\nfine,1\n", 1, "missing column(s) 'label'"),
        ("", 1, "file is empty"),
        ("text,label\n", 1, "no data rows"),
    ],
)
def test_load_csv_errors(tmp_path, content, line, expected):
    path = write(tmp_path / "bad.csv", content)
    with pytest.raises(DatasetFormatError) as error:
        load_csv(path)
    assert expected in str(error.value)
    assert_file_line(error, path, line)


def test_load_csv_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError, match="nope.jsonl"):
        load_jsonl(tmp_path / "nope.jsonl")


def test_load_jsonl(tmp_path):
    records = [{"text": "They lie.", "label": True, "doc": 7}, {"text": "Calm.", "label": "no", "doc": 7},
               {"text": "Other.", "label": 1, "doc": 8}]  # fmt: skip
    path = write(tmp_path / "d.jsonl", "\n".join(json.dumps(r) for r in records) + "\n\n")
    with pytest.warns(UserWarning, match="no group_field given"):
        flat = load_jsonl(path)
    assert flat.texts == ["They lie.", "Calm.", "Other."] and flat.labels == [1, 0, 1]
    grouped = load_jsonl(path, group_field="doc")
    assert grouped.groups() == ["7", "7", "8"] and grouped.labels == [1, 0, 1]


@pytest.mark.parametrize(
    ("content", "line", "expected"),
    [
        ('{"text": "a", "label": 1}\n{"text": "b", "label": 2}\n', 2, "label 2 is not one of"),
        ('{"text": "a", "label": 1}\n{"text": "b", "label": 1\n', 2, "invalid JSON"),
        ('{"text": "a", "label": 1}\n\n["b", 1]\n', 3, "expected a JSON object"),
        ('{"text": "a"}\n', 1, "missing field 'label'"),
        ('{"text": 5, "label": 1}\n', 1, "text must be a string"),
        ("\n\n", 1, "no data rows"),
    ],
)
def test_load_jsonl_errors(tmp_path, content, line, expected):
    path = write(tmp_path / "bad.jsonl", content)
    with pytest.raises(DatasetFormatError) as error:
        load_jsonl(path)
    assert expected in str(error.value)
    assert_file_line(error, path, line)


# --------------------------------------------------------------------------------------------------
# the real corpora (development copy)
# --------------------------------------------------------------------------------------------------

DATA_HOME = _data_home("ptc-semeval2020")
real_data = pytest.mark.skipif(
    DATA_HOME is None,
    reason="development corpora not found: set RHETORIC_DATA or place them at ../shared/data",
)


@pytest.fixture(scope="module")
def ptc_train():
    return load_ptc("train", data_home=DATA_HOME)


@pytest.fixture(scope="module")
def nlp4if():
    return load_nlp4if("train", data_home=DATA_HOME)


@pytest.mark.shared_data
@real_data
def test_real_ptc_counts_and_offsets(ptc_train):
    dev = load_ptc("dev", data_home=DATA_HOME)
    for corpus, n_articles, n_spans, n_body_lines in ((ptc_train, 306, 4963, 13613), (dev, 63, 879, 2620)):
        assert len(corpus) == n_articles
        assert sum(len(a.spans) for a in corpus) == n_spans
        # The README counts the non-empty lines after the title block.
        assert sum(1 for r in corpus.sentences() if r.index > 2) == n_body_lines
        for article in corpus:
            for span in article.spans:
                piece = article.span_text(span)
                # Offsets land exactly on the annotated words: inside the text, no stray whitespace.
                assert 0 <= span.start < span.end <= len(article.text)
                assert piece and piece == piece.strip(), (article.id, span)
    assert sum(len(r.spans) > 0 for r in ptc_train.sentences()) == sum(ptc_train.labels) == 3882
    assert len(load_ptc("all", data_home=DATA_HOME)) == 369


@pytest.mark.shared_data
@real_data
def test_real_ptc_byte_order_mark_counts_in_offsets(ptc_train):
    article = ptc_train["712382330"]
    assert article.text.startswith("\ufeff")
    assert (
        article.span_text(article.spans[1])
        == "the most tyrannical and unprincipled papacy of recent history—"
    )


@pytest.mark.shared_data
@real_data
def test_real_nlp4if_counts_and_sentence_alignment(nlp4if):
    assert len(nlp4if) == 288
    assert sum(len(a.sentence_labels) for a in nlp4if) == 14129  # one SLC label per line
    assert sum(sum(a.sentence_labels) for a in nlp4if) == 3844
    for article in nlp4if:  # the loader checks this too; alignment is exact for every article
        assert len(article.sentence_labels) == len(article.lines())
        for number, start, end in article.lines():
            if not article.text[start:end].strip():
                assert article.sentence_labels[number - 1] == 0  # empty lines are non-propaganda
    records = nlp4if.sentences()
    assert len(records) == 13561 and sum(r.label for r in records) == 3844
    assert sum(len(a.spans) for a in nlp4if) == 4874  # 4,875 FLC lines, one lies beyond its article
    ten_digit = [a.id for a in nlp4if if len(a.id) == 10]
    assert ten_digit and all(i.endswith("9") for i in ten_digit)
    assert len(set(nlp4if.groups())) == 288 - sum(i[:9] in {a.id for a in nlp4if} for i in ten_digit)
    dev = load_nlp4if("dev", data_home=DATA_HOME)
    assert len(dev) == 49 and not dev.labelled


@pytest.mark.shared_data
@real_data
def test_real_nlp4if_shares_texts_with_ptc(nlp4if, ptc_train):
    ptc = {a.id: a.text for a in ptc_train} | {a.id: a.text for a in load_ptc("dev", data_home=DATA_HOME)}
    shared = [a for a in nlp4if if a.id[:9] in ptc]
    assert len(shared) == len(nlp4if)
    assert all(ptc[a.id[:9]] == a.text for a in shared)


@pytest.mark.shared_data
@real_data
def test_real_polnear_counts():
    for subset, n_articles, n_files, n_relations in (("train", 840, 919, 22501), ("dev", 84, 94, 2320)):
        corpus = load_polnear(subset, data_home=DATA_HOME)
        assert len(corpus) == n_articles
        assert sum(len(a.annotators) for a in corpus) == n_files
        assert sum(len(r) for a in corpus for r in a.annotations.values()) == n_relations
        assert set(corpus.outlets) == {
            "Breitbart", "Huffington Post", "New York Times", "Politico",
            "USA Today", "Washington Post", "Western Journalism",
        }  # fmt: skip
        for article in corpus:
            assert article.annotator == min(article.annotators)
            for relation in article.attributions:
                for role, start, end in relation.fragments:
                    assert 0 <= start <= end <= len(article.text)
                if relation.source and len([f for f in relation.fragments if f[0] == "Source"]) == 1:
                    assert relation.source_text == article.text[slice(*relation.source)]


@pytest.mark.shared_data
@real_data
def test_real_szeged_counts():
    corpus = load_szeged(data_home=DATA_HOME)
    records = corpus.sentences()
    assert len(corpus) == 2184 and len(records) == 11111
    assert sum(r.label for r in records) == 1800
    cues = Counter(s.technique for r in records for s in r.spans)
    assert cues == {"probable": 1300, "doxastic": 564, "condition": 360, "investigation": 66}
    assert all(r.text[s.start : s.end].strip() for r in records for s in r.spans)


@pytest.mark.shared_data
@real_data
def test_real_conll2010_rt_and_headlines():
    conll = load_conll2010(data_home=DATA_HOME)
    assert len(conll) == 7363 - 20 and sum(conll.labels) == 2131  # 20 rows have an empty text
    rt = load_rt_sample(data_home=DATA_HOME)
    assert len(rt) == 336 - 1 and len({a.id for a in rt}) == len(rt)
    headlines = load_state_media_headlines(data_home=DATA_HOME)
    # README counts distinct raw strings (including "" and whitespace variants); these are cleaned.
    assert Counter(a.outlet for a in headlines) == {
        "BBC": 2706, "CGTN": 11011, "China Daily": 3647, "Global Times": 4641, "Xinhua": 8222,
    }  # fmt: skip
    assert all("\ufeff" not in a.metadata["timestamp"] for a in headlines)
