"""PTC (SemEval-2020 Task 11) and its NLP4IF-2019 release: articles with technique spans and sentence labels."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rhetoric.data.base import (
    Article, Corpus, DatasetFormatError, LabelledSpan, PathLike, _check_subset, _require_dir, _require_file,
    get_data_home,
)
from rhetoric.data.readers import _article_files, _parse_span_lines, _read_article_text, _tab_rows

__all__ = ["load_nlp4if", "load_ptc"]


_SLC_LABELS = {"propaganda": 1, "non-propaganda": 0}


def _read_slc_labels(path: Path, article: Article) -> tuple[int, ...]:
    """Read NLP4IF sentence labels and check they number the article's lines exactly, 1..n."""
    labels: list[int] = []
    for number, line, fields in _tab_rows(path):
        if len(fields) != 3:
            raise DatasetFormatError(
                path, number, f"expected 'id<TAB>sentence_no<TAB>label', got {line!r}"
            )
        article_id, sentence_no, label = fields
        if article_id != article.id:
            raise DatasetFormatError(path, number, f"article id {article_id!r} != {article.id!r}")
        if sentence_no != str(len(labels) + 1):
            raise DatasetFormatError(
                path,
                number,
                f"sentence_no {sentence_no!r}, expected {len(labels) + 1} (numbering must be 1..n)",
            )
        if label not in _SLC_LABELS:
            raise DatasetFormatError(path, number, f"label {label!r} is not propaganda/non-propaganda")
        labels.append(_SLC_LABELS[label])
    n_lines = len(article.lines())
    if len(labels) != n_lines:
        raise DatasetFormatError(
            path, len(labels), f"{len(labels)} sentence labels for an article of {n_lines} lines"
        )
    return tuple(labels)



_PTC_SUBSETS = {
    # subset: (articles folder, technique-label folder, label-file suffix)
    "train": ("train-articles", "train-labels-task2-technique-classification", ".task2-TC.labels"),
    "dev": ("dev-articles", "dev-labels-task2-technique-classification", ".task-flc-tc.labels"),
}


def load_ptc(subset: str = "train", data_home: PathLike | None = None) -> Corpus:
    """Load the Propaganda Techniques Corpus as released for SemEval-2020 Task 11.

    ``subset`` is ``"train"``, ``"dev"`` or ``"all"`` (train then dev).  Spans come from the
    technique-classification files (14 techniques; they may overlap); the span-identification files
    are their merged union and are not needed.  Sentence labels are projected: a line is positive if
    it overlaps a span.  Every span is checked to lie inside its article.
    """
    _check_subset(subset, ("train", "dev", "all"))
    root = _require_dir(get_data_home(data_home) / "ptc-semeval2020", "PTC (SemEval-2020) corpus")
    articles: list[Article] = []
    for part in ("train", "dev") if subset == "all" else (subset,):
        text_dir, label_dir, suffix = _PTC_SUBSETS[part]
        text_folder = _require_dir(root / text_dir, f"PTC {part} articles")
        label_folder = _require_dir(root / label_dir, f"PTC {part} labels")
        for article_id, path in _article_files(text_folder).items():
            text = _read_article_text(path)
            label_path = _require_file(label_folder / f"article{article_id}{suffix}", "PTC label file")
            parsed = _parse_span_lines(label_path, expected_id=article_id, text_length=len(text))
            spans = tuple(sorted((span for _, span in parsed), key=_span_order))
            articles.append(Article(article_id, text, spans, None, None, {"subset": part}))
    return Corpus(articles, "ptc-semeval2020", subset)


def _span_order(span: LabelledSpan) -> tuple[int, int, str]:
    return (span.start, span.end, span.technique or "")


def load_nlp4if(subset: str = "train", data_home: PathLike | None = None) -> Corpus:
    """Load the NLP4IF-2019 release of PTC: gold sentence labels (SLC) and spans (FLC, 18 techniques).

    SLC numbers *every* line of the article, empty lines included (they are all labelled
    non-propaganda), so ``sentence_labels[i]`` is the label of line ``i + 1``; :meth:`Corpus.sentences`
    skips the empty lines but keeps their numbers.

    Some training ids have 10 digits: the PTC id with a ``9`` appended (same text).  For nine of
    them the 9-digit article is in the training set too, annotated differently, so the 10-digit copy
    gets ``metadata["group"]`` = the 9-digit id and :meth:`Corpus.groups` keeps both in one fold.
    Two FLC spans end one character past the end of their article and are clipped; one (article
    776368676) starts beyond it and is dropped, so 4,874 of the 4,875 FLC lines are loaded.
    ``subset="dev"`` returns the unlabelled dev articles.
    """
    _check_subset(subset, ("train", "dev"))
    root = _require_dir(get_data_home(data_home) / "nlp4if2019", "NLP4IF-2019 corpus")
    text_folder = _require_dir(root / f"{subset}-articles", f"NLP4IF {subset} articles")
    if subset == "dev":
        articles = [
            Article(article_id, _read_article_text(path))
            for article_id, path in _article_files(text_folder).items()
        ]
        return Corpus(articles, "nlp4if2019", subset, labelled=False)
    slc_folder = _require_dir(root / "train-labels-SLC", "NLP4IF SLC labels")
    flc_folder = _require_dir(root / "train-labels-FLC", "NLP4IF FLC labels")
    articles = []
    for article_id, path in _article_files(text_folder).items():
        text = _read_article_text(path)
        flc_path = _require_file(flc_folder / f"article{article_id}.task-FLC.labels", "NLP4IF FLC file")
        parsed = _parse_span_lines(flc_path, expected_id=article_id, text_length=len(text), clip=True)
        spans = tuple(sorted((span for _, span in parsed), key=_span_order))
        metadata = {"group": article_id[:9]} if len(article_id) == 10 and article_id.endswith("9") else {}
        article = Article(article_id, text, spans, metadata=metadata)
        slc_path = _require_file(slc_folder / f"article{article_id}.task-SLC.labels", "NLP4IF SLC file")
        articles.append(replace(article, sentence_labels=_read_slc_labels(slc_path, article)))
    return Corpus(articles, "nlp4if2019", subset)
