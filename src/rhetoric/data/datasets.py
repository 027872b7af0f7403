"""Loaders for the corpora that rhetoric is developed and evaluated on.

The corpora are research data under unclear licences, so they are never shipped with the package:
every ``load_*`` function reads a local copy under :func:`get_data_home` (``data_home=``, else the
``RHETORIC_DATA`` environment variable, else ``~/rhetoric_data``), in the folder layout the corpora
are distributed in (``ptc-semeval2020/``, ``nlp4if2019/``, ``polnear/``, ...).  Nothing is downloaded.

Everything is read with the standard library (``csv``, ``json``, ``xml``) so that loading data never
pulls in pandas.  Loaders validate as they read: a malformed line raises :class:`DatasetFormatError`
with ``path:line:`` in front of the message, and annotation offsets are checked against the text
they point into, because silently shifted offsets would corrupt every span-level score.

Most loaders return a :class:`Corpus`: a list of :class:`Article` objects whose text is split into
sentences at line breaks (the PTC/NLP4IF articles are one sentence per line).  The sentence view is
what a scikit-learn classifier trains on::

    corpus = load_nlp4if()
    X, y, groups = corpus.texts, corpus.labels, corpus.groups()   # one entry per sentence
"""

from __future__ import annotations

import csv
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_HOME_ENV",
    "HEADLINE_OUTLETS",
    "POLNEAR_OUTLETS",
    "STATE_MEDIA_OUTLETS",
    "Article",
    "AttributedArticle",
    "AttributionCorpus",
    "AttributionRelation",
    "Corpus",
    "DatasetFormatError",
    "DatasetNotFoundError",
    "LabelledSpan",
    "SentenceRecord",
    "get_data_home",
    "load_conll2010",
    "load_csv",
    "load_jsonl",
    "load_nlp4if",
    "load_polnear",
    "load_ptc",
    "load_rt_sample",
    "load_state_media_headlines",
    "load_szeged",
    "parse_label",
]

DATA_HOME_ENV = "RHETORIC_DATA"

PathLike = str | os.PathLike[str]


# --------------------------------------------------------------------------------------------------
# Locating data and reporting problems
# --------------------------------------------------------------------------------------------------


def get_data_home(data_home: PathLike | None = None) -> Path:
    """Return the folder that holds the corpora.

    ``data_home`` if given, else the ``RHETORIC_DATA`` environment variable, else ``~/rhetoric_data``.
    The folder is not created: the corpora cannot be downloaded, so an empty folder would only turn a
    clear "not found" error into a confusing one later.
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    env = os.environ.get(DATA_HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path.home() / "rhetoric_data"


class DatasetNotFoundError(FileNotFoundError):
    """A corpus folder or file is missing.

    The message names the missing path and how to point rhetoric at a local copy.
    """

    def __init__(self, path: PathLike, what: str = "dataset") -> None:
        self.path = Path(path)
        message = (
            f"{what} not found: {self.path}. The corpora are not shipped with rhetoric; point it at a "
            f"local copy with data_home=... or the {DATA_HOME_ENV} environment variable "
            f"(the folder that contains {self.path.parent.name or self.path.name}/...)."
        )
        super().__init__(message)

    def __reduce__(self) -> tuple[Any, ...]:  # keep the exception picklable (e.g. across joblib workers)
        return (_rebuild_not_found, (str(self.path), self.args[0]))


def _rebuild_not_found(path: str, message: str) -> DatasetNotFoundError:
    error = DatasetNotFoundError.__new__(DatasetNotFoundError)
    FileNotFoundError.__init__(error, message)
    error.path = Path(path)
    return error


class DatasetFormatError(ValueError):
    """A data file does not have the expected format; the message starts with ``path:line:``."""

    def __init__(self, path: PathLike, line: int, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.detail = message
        super().__init__(f"{self.path}:{line}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self.path), self.line, self.detail))


def _require_dir(path: Path, what: str) -> Path:
    if not path.is_dir():
        raise DatasetNotFoundError(path, what)
    return path


def _require_file(path: Path, what: str) -> Path:
    if not path.is_file():
        raise DatasetNotFoundError(path, what)
    return path


def _check_subset(subset: str, allowed: Sequence[str]) -> None:
    if subset not in allowed:
        raise ValueError(f"subset must be one of {', '.join(map(repr, allowed))}, got {subset!r}")


# --------------------------------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelledSpan:
    """A character span ``[start, end)`` of an article with its label.

    ``technique`` is the propaganda technique for PTC/NLP4IF, the cue type for the Szeged corpus, and
    ``None`` where a file only marks spans (the 3-column span-identification format).
    """

    start: int
    end: int
    technique: str | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, start: int, end: int) -> bool:
        """True if the span shares at least one character with ``[start, end)``."""
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Article:
    """One document: its full text and its annotations, with offsets into ``text``.

    ``sentence_labels`` holds one 0/1 label per *line* of ``text`` (empty lines included) when the
    corpus has sentence-level gold labels (NLP4IF SLC, Szeged, user CSV/JSONL); otherwise ``None``
    and sentence labels are projected from ``spans``.  ``metadata`` keeps per-corpus extras such as
    title, date, url or timestamp as strings.
    """

    id: str
    text: str
    spans: tuple[LabelledSpan, ...] = ()
    sentence_labels: tuple[int, ...] | None = None
    outlet: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def lines(self) -> list[tuple[int, int, int]]:
        """``(line_number, start, end)`` for every line, 1-based, empty lines included.

        Lines are split at ``"\\n"`` only; ``end`` excludes the newline.  A trailing newline does not
        open a further line (so the count equals the number of NLP4IF SLC labels).
        """
        result = []
        start = 0
        pieces = self.text.split("\n")
        if self.text.endswith("\n"):
            pieces.pop()
        for number, piece in enumerate(pieces, start=1):
            result.append((number, start, start + len(piece)))
            start += len(piece) + 1
        return result

    def span_text(self, span: LabelledSpan) -> str:
        return self.text[span.start : span.end]


@dataclass(frozen=True)
class SentenceRecord:
    """One sentence (non-empty line) of an article.

    ``index`` is the 1-based line number in the article, counting empty lines, which is exactly the
    NLP4IF SLC ``sentence_no``.  ``start``/``end`` are offsets into the article text.  ``label`` is
    the gold sentence label if the corpus has one, else 1 when the line overlaps a gold span, and
    ``None`` for unlabelled corpora.  ``spans`` are the gold spans overlapping the line, clipped to
    it and re-based to offsets within ``text`` (so ``text[s.start:s.end]`` is the annotated part).
    """

    article_id: str
    index: int
    start: int
    end: int
    text: str
    label: int | None
    spans: tuple[LabelledSpan, ...] = ()


@dataclass
class Corpus:
    """A list of articles plus the sentence-level view that classifiers are trained on.

    ``texts``, ``labels``, ``groups()`` and ``outlets`` are aligned with ``sentences()``: one entry
    per non-empty line of every article, in article order.  Use ``groups()`` with a grouped
    cross-validation so that sentences of one article never sit in both train and test.
    """

    articles: list[Article]
    name: str
    subset: str | None = None
    labelled: bool = True

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __getitem__(self, key: int | str) -> Article:
        """``corpus[i]`` is the i-th article, ``corpus["id"]`` the article with that id."""
        if isinstance(key, int):
            return self.articles[key]
        for article in self.articles:
            if article.id == key:
                return article
        raise KeyError(key)

    def sentences(self) -> list[SentenceRecord]:
        """Every non-empty line of every article as a :class:`SentenceRecord`.

        Lines holding only whitespace are skipped but still counted, so ``index`` keeps matching the
        line numbering of the source (NLP4IF labels empty lines too).
        """
        records = []
        for article in self.articles:
            for number, start, end in article.lines():
                line = article.text[start:end]
                if not line.strip():
                    continue
                spans = tuple(
                    LabelledSpan(max(s.start, start) - start, min(s.end, end) - start, s.technique)
                    for s in article.spans
                    if s.overlaps(start, end)
                )
                if not self.labelled:
                    label = None
                elif article.sentence_labels is not None:
                    label = article.sentence_labels[number - 1]
                else:
                    label = int(bool(spans))
                records.append(SentenceRecord(article.id, number, start, end, line, label, spans))
        return records

    @property
    def texts(self) -> list[str]:
        """Sentence texts, aligned with :meth:`sentences`."""
        return [record.text for record in self.sentences()]

    @property
    def labels(self) -> list[int]:
        """Sentence labels (0/1), aligned with :meth:`sentences`."""
        if not self.labelled:
            raise ValueError(f"corpus {self.name!r} has no labels")
        return [int(record.label) for record in self.sentences()]  # type: ignore[arg-type]

    def groups(self) -> list[str]:
        """Group of every sentence, for ``GroupKFold`` / :func:`rhetoric.data.metrics.grouped_splits`.

        The group is the article id, except where a loader marked articles that share a text with
        ``metadata["group"]`` (NLP4IF holds some texts twice), so that copies stay in one fold.
        """
        group = {article.id: article.metadata.get("group", article.id) for article in self.articles}
        return [group[record.article_id] for record in self.sentences()]

    @property
    def outlets(self) -> list[str | None]:
        """Outlet of every sentence's article, aligned with :meth:`sentences`."""
        outlet = {article.id: article.outlet for article in self.articles}
        return [outlet[record.article_id] for record in self.sentences()]

    @property
    def article_texts(self) -> list[str]:
        return [article.text for article in self.articles]

    def spans_by_article(self) -> dict[str, list[LabelledSpan]]:
        """Gold spans keyed by article id (articles without spans map to ``[]``), for ``si_scores``."""
        return {article.id: list(article.spans) for article in self.articles}


# --------------------------------------------------------------------------------------------------
# Shared readers
# --------------------------------------------------------------------------------------------------


def _read_article_text(path: Path) -> str:
    """Read an article exactly as the annotation offsets count it.

    ``newline=""`` keeps any ``\\r`` and a leading byte-order mark is *kept* as the character U+FEFF:
    two PTC training articles start with one and their gold offsets count it (verified on the data).
    """
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


_ARTICLE_FILE = re.compile(r"^article(\d+)\.txt$")


def _article_files(folder: Path) -> dict[str, Path]:
    """``{article_id: path}`` for the ``article{ID}.txt`` files of a PTC-style folder, sorted by id."""
    found = {}
    for path in folder.iterdir():
        match = _ARTICLE_FILE.match(path.name)
        if match:
            found[match.group(1)] = path
    return dict(sorted(found.items()))


def _parse_span_lines(
    path: Path, *, expected_id: str | None = None, text_length: int | None = None, clip: bool = False
) -> list[tuple[str, LabelledSpan]]:
    """Parse a PTC span file: ``id<TAB>technique<TAB>start<TAB>end`` or ``id<TAB>start<TAB>end``.

    With ``text_length`` the offsets must fall inside the article; ``clip=True`` instead cuts spans
    that run past its end and drops spans that start beyond it (NLP4IF has three spans past the end
    of their article: two end 1 character too late, one lies wholly beyond it).
    """
    result = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) == 4:
                article_id, technique, start_text, end_text = fields
            elif len(fields) == 3:
                article_id, start_text, end_text = fields
                technique = None
            else:
                raise DatasetFormatError(
                    path, number, f"expected 'id<TAB>technique<TAB>start<TAB>end', got {line!r}"
                )
            try:
                start, end = int(start_text), int(end_text)
            except ValueError:
                raise DatasetFormatError(path, number, f"offsets must be integers, got {line!r}") from None
            if expected_id is not None and article_id != expected_id:
                raise DatasetFormatError(
                    path, number, f"article id {article_id!r} does not match the file's {expected_id!r}"
                )
            if start < 0 or end <= start:
                raise DatasetFormatError(path, number, f"empty or negative span [{start}, {end})")
            if text_length is not None and end > text_length:
                if not clip:
                    raise DatasetFormatError(
                        path, number, f"span [{start}, {end}) runs past the article end ({text_length})"
                    )
                if start >= text_length:
                    continue  # nothing of the span is left in the article
                end = text_length
            result.append((article_id, LabelledSpan(start, end, technique)))
    return result


_SLC_LABELS = {"propaganda": 1, "non-propaganda": 0}


def _read_slc_labels(path: Path, article: Article) -> tuple[int, ...]:
    """Read NLP4IF sentence labels and check they number the article's lines exactly, 1..n."""
    labels: list[int] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip():
                continue
            fields = line.split("\t")
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


# --------------------------------------------------------------------------------------------------
# PTC (SemEval-2020 Task 11) and NLP4IF-2019
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# PolNeAR (attribution relations, brat standoff)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributionRelation:
    """One attribution (brat ``E`` line): who (source) says (cue) what (content).

    ``source``/``cue``/``content`` are ``(start, end)`` extents in the article; brat spans can be
    discontinuous (``Source 10 20;25 30``) and a relation can have a second content (``Content2``),
    so the extent runs from the first fragment's start to the last fragment's end, and the exact
    pieces are in ``fragments`` as ``(role, start, end)``.  Texts join the fragments with a space,
    as brat does.  ``kind`` is ``"Attribution"`` or ``"Attribution-no-source"``.
    """

    source: tuple[int, int] | None
    cue: tuple[int, int] | None
    content: tuple[int, int] | None
    source_text: str | None
    cue_text: str | None
    content_text: str | None = None
    id: str = ""
    kind: str = "Attribution"
    fragments: tuple[tuple[str, int, int], ...] = ()


@dataclass(frozen=True)
class AttributedArticle:
    """A PolNeAR article with the attributions of one annotator.

    ``annotations`` holds every annotator's relations (a few articles were annotated several
    times); ``attributions`` are those of ``annotator``, by default the first in sorted order so
    that results are deterministic.  Use :meth:`with_annotator` to switch.
    """

    id: str
    text: str
    outlet: str | None
    annotator: str
    attributions: tuple[AttributionRelation, ...]
    annotations: Mapping[str, tuple[AttributionRelation, ...]] = field(compare=False, hash=False, repr=False)
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def annotators(self) -> tuple[str, ...]:
        return tuple(self.annotations)

    def with_annotator(self, annotator: str) -> AttributedArticle:
        if annotator not in self.annotations:
            raise KeyError(f"article {self.id!r} has no annotations by {annotator!r}; has {self.annotators}")
        return replace(self, annotator=annotator, attributions=self.annotations[annotator])


@dataclass
class AttributionCorpus:
    """The articles of a PolNeAR subset."""

    articles: list[AttributedArticle]
    name: str
    subset: str | None = None

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[AttributedArticle]:
        return iter(self.articles)

    @property
    def texts(self) -> list[str]:
        return [article.text for article in self.articles]

    @property
    def outlets(self) -> list[str | None]:
        return [article.outlet for article in self.articles]


POLNEAR_OUTLETS = {
    "breitbart": "Breitbart",
    "huff-post": "Huffington Post",
    "nyt": "New York Times",
    "politico": "Politico",
    "usa-today": "USA Today",
    "wash-post": "Washington Post",
    "west-journal": "Western Journalism",
}

_BRAT_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t.*)?$")
_BRAT_EVENT = re.compile(r"^(E\d+)\t(\S+?):(T\d+)((?: \S+:[TE]\d+)*)\s*$")


def _read_brat(path: Path, text: str) -> tuple[AttributionRelation, ...]:
    """Parse the ``T`` and ``E`` lines of a brat ``.ann`` file into attribution relations.

    Other lines are skipped: notes (``#``) and -- a PolNeAR quirk -- continuation lines that appear
    when an annotated span contains a line break, because brat writes the span text verbatim.  Span
    texts are therefore taken from the article, not from the ``.ann`` file.
    """
    fragments_of: dict[str, tuple[tuple[int, int], ...]] = {}
    events = []
    with open(path, encoding="utf-8", newline="") as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\r\n")
            match = _BRAT_TEXT_BOUND.match(line)
            if match:
                pieces = []
                for pair in match.group(3).split(";"):
                    start, end = (int(value) for value in pair.split())
                    if not 0 <= start <= end <= len(text):
                        raise DatasetFormatError(
                            path, number, f"span [{start}, {end}) is outside the article ({len(text)} chars)"
                        )
                    pieces.append((start, end))
                fragments_of[match.group(1)] = tuple(pieces)
                continue
            match = _BRAT_EVENT.match(line)
            if match:
                arguments = [argument.split(":") for argument in match.group(4).split()]
                events.append((number, match.group(1), match.group(2), arguments))
    relations = []
    for number, event_id, kind, arguments in events:
        roles: dict[str, list[tuple[int, int]]] = {}
        for role, ref in arguments:
            if ref not in fragments_of:
                raise DatasetFormatError(path, number, f"{event_id} refers to unknown annotation {ref}")
            roles.setdefault(role.rstrip("0123456789"), []).extend(fragments_of[ref])
        fragments = tuple(
            (role, start, end) for role, _ in sorted(roles.items()) for start, end in roles[role]
        )

        relations.append(
            AttributionRelation(
                source=_extent(roles.get("Source")),
                cue=_extent(roles.get("Cue")),
                content=_extent(roles.get("Content")),
                source_text=_joined(roles.get("Source"), text),
                cue_text=_joined(roles.get("Cue"), text),
                content_text=_joined(roles.get("Content"), text),
                id=event_id,
                kind=kind,
                fragments=fragments,
            )
        )
    return tuple(relations)


def _extent(pieces: list[tuple[int, int]] | None) -> tuple[int, int] | None:
    return (min(s for s, _ in pieces), max(e for _, e in pieces)) if pieces else None


def _joined(pieces: list[tuple[int, int]] | None, text: str) -> str | None:
    return " ".join(text[s:e] for s, e in pieces) if pieces else None


def _read_polnear_metadata(path: Path) -> dict[str, dict[str, str]]:
    """``metadata.tsv`` rows keyed by file name.  Titles contain quotes, so no CSV quoting is applied."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["filename"]: row for row in reader}


def load_polnear(subset: str = "train", data_home: PathLike | None = None) -> AttributionCorpus:
    """Load PolNeAR articles with their attribution relations (source, cue, content spans).

    The outlet comes from ``metadata.tsv`` (publisher code mapped to its name, e.g. ``nyt`` ->
    ``New York Times``).  Articles annotated by several annotators expose all annotations; the
    default is the alphabetically first annotator id.
    """
    _check_subset(subset, ("train", "dev"))
    root = _require_dir(get_data_home(data_home) / "polnear", "PolNeAR corpus")
    text_folder = _require_dir(root / subset / "text", f"PolNeAR {subset} texts")
    ann_folder = _require_dir(root / subset / "attributions", f"PolNeAR {subset} attributions")
    metadata_path = root / "metadata.tsv"
    metadata = _read_polnear_metadata(metadata_path) if metadata_path.is_file() else {}

    ann_files: dict[str, dict[str, Path]] = {}
    for path in sorted(ann_folder.glob("*.ann")):
        stem, _, annotator = path.stem.rpartition("_")
        ann_files.setdefault(stem, {})[annotator] = path

    articles = []
    for text_path in sorted(text_folder.glob("*.txt")):
        article_id = text_path.stem
        text = _read_article_text(text_path)
        files = ann_files.get(article_id)
        if not files:
            raise DatasetNotFoundError(
                ann_folder / f"{article_id}_<annotator>.ann", "PolNeAR annotation file"
            )
        annotations = {annotator: _read_brat(path, text) for annotator, path in sorted(files.items())}
        first = next(iter(annotations))
        row = metadata.get(article_id, {})
        publisher = row.get("publisher") or article_id.split("_", 1)[0]
        articles.append(
            AttributedArticle(
                id=article_id,
                text=text,
                outlet=POLNEAR_OUTLETS.get(publisher, publisher),
                annotator=first,
                attributions=annotations[first],
                annotations=annotations,
                metadata={key: value for key, value in row.items() if value not in (None, "None", "")},
            )
        )
    return AttributionCorpus(articles, "polnear", subset)


# --------------------------------------------------------------------------------------------------
# Hedging / uncertainty
# --------------------------------------------------------------------------------------------------


def _cue_type(raw: str) -> str:
    """``"speculation_hypo_doxastic _"`` -> ``"doxastic"`` (the four Szeged types)."""
    return raw.replace(" ", "").rstrip("_").rsplit("_", 1)[-1]


def _sentence_with_cues(element: ET.Element) -> tuple[str, list[LabelledSpan]]:
    """Plain text of a ``<Sentence>`` and the offsets of its ``<ccue>`` children within it."""
    parts = [element.text or ""]
    cues = []
    length = len(parts[0])
    for child in element:
        inner = "".join(child.itertext())
        if child.tag == "ccue":
            cues.append(LabelledSpan(length, length + len(inner), _cue_type(child.get("type", ""))))
        parts.append(inner)
        parts.append(child.tail or "")
        length += len(inner) + len(child.tail or "")
    return "".join(parts), cues


def load_szeged(data_home: PathLike | None = None) -> Corpus:
    """Load the Wikipedia part of the Szeged Uncertainty Corpus.

    Each Wikipedia document becomes an :class:`Article` whose lines are its sentences (title first);
    cues are spans whose ``technique`` is the cue type (``probable``, ``doxastic``, ``condition``,
    ``investigation``); a sentence is labelled 1 (uncertain) if it has a cue.  ``sentences()`` then
    gives each sentence with its cues at offsets within the sentence text, and ``groups()`` the
    document, so that sentences of one Wikipedia article stay on one side of a split.
    """
    root = _require_dir(get_data_home(data_home) / "szeged-uncertainty-wiki", "Szeged Uncertainty corpus")
    paths = sorted(root.glob("*.xml"))
    if not paths:
        raise DatasetNotFoundError(root / "*.xml", "Szeged Uncertainty XML file")
    articles: list[Article] = []
    for path in paths:
        try:
            tree = ET.parse(path)
        except ET.ParseError as error:
            line = error.position[0] if error.position else 0
            raise DatasetFormatError(path, line, f"invalid XML: {error}") from None
        for document in tree.getroot().iter("Document"):
            doc_id = document.findtext("DocID") or f"{path.stem}-{len(articles)}"
            lines: list[str] = []
            spans: list[LabelledSpan] = []
            labels: list[int] = []
            offset = 0
            for sentence in document.iter("Sentence"):
                text, cues = _sentence_with_cues(sentence)
                # Sentences are joined by "\n"; a stray line break inside one would break alignment.
                text = text.replace("\r", " ").replace("\n", " ")
                spans.extend(LabelledSpan(c.start + offset, c.end + offset, c.technique) for c in cues)
                labels.append(int(bool(cues)))
                lines.append(text)
                offset += len(text) + 1
            text = "\n".join(lines)
            articles.append(
                Article(doc_id, text, tuple(spans), tuple(labels), "Wikipedia", {"file": path.name})
            )
    return Corpus(articles, "szeged-uncertainty-wiki", None)


def load_conll2010(data_home: PathLike | None = None) -> Corpus:
    """Load the third-party CSV of CoNLL-2010 Task 1 Wikipedia sentences (1 = uncertain).

    One article per row (id = CSV line number), so every sentence is its own group.  The trailing
    newline of each text is dropped, and the 20 rows whose text is empty are skipped.
    """
    root = _require_dir(get_data_home(data_home) / "conll2010-wikipedia-derived", "CoNLL-2010 CSV folder")
    path = _require_file(root / "train.csv", "CoNLL-2010 CSV")
    return _rows_to_corpus(
        _csv_rows(path, "text", "label", None, ","), path, "conll2010-wikipedia", skip_empty=True
    )


# --------------------------------------------------------------------------------------------------
# State media: RT articles, Chinese state-media and BBC headlines
# --------------------------------------------------------------------------------------------------


def load_rt_sample(data_home: PathLike | None = None) -> Corpus:
    """Load the RT English sample (unlabelled; the source itself is the label).

    ``text`` is the article body; ``metadata`` has ``title``, ``date``, ``url`` and ``file``.  The id
    is the URL, and the article that appears in both CSVs is kept once.  Three rows (``/shows/``
    URLs) are programme pages whose ``content`` is the same site-navigation boilerplate
    (``"Archive:#ICYMI with Polly Boiko..."``), not article text; they are kept as scraped.
    """
    root = _require_dir(get_data_home(data_home) / "rt-english-sample", "RT English sample")
    seen: set[str] = set()
    articles = []
    for name in ("RT_eng.csv", "einstein.csv"):
        path = _require_file(root / name, "RT CSV")
        for line, row in _dict_rows(path, ("date", "title", "content", "URL"), ","):
            url = row["URL"].strip()
            if url in seen:
                continue
            seen.add(url)
            metadata = {"title": row["title"], "date": row["date"], "url": url, "file": f"{name}:{line}"}
            articles.append(Article(url, row["content"], outlet="RT", metadata=metadata))
    return Corpus(articles, "rt-english-sample", None, labelled=False)


HEADLINE_OUTLETS = {
    "bbc": "BBC",
    "cgtn": "CGTN",
    "chinadaily": "China Daily",
    "globaltimes": "Global Times",
    "xinhuanet": "Xinhua",
}

STATE_MEDIA_OUTLETS = frozenset({"CGTN", "China Daily", "Global Times", "Xinhua"})


def load_state_media_headlines(data_home: PathLike | None = None) -> Corpus:
    """Load the 2022 headlines of CGTN, China Daily, Global Times, Xinhua and BBC, deduplicated.

    Each file is one scrape, so a headline recurs across files; it is kept once per outlet (first
    file in name order), after collapsing whitespace.  Files are UTF-8 with a byte-order mark.  Rows
    broken by the original scraper are skipped: empty headlines, and rows whose quoting failed so that
    several records or timestamp pieces ran into one row (a field count other than 2, or a ``\\r``
    inside the headline).  Line breaks inside a headline (Global Times) become spaces.
    ``metadata`` has ``timestamp`` (as scraped, format differs per outlet), ``section`` and ``file``.
    """
    root = _require_dir(get_data_home(data_home) / "state-media-headlines-cn-vs-bbc", "headline corpus")
    articles = []
    for folder, outlet in HEADLINE_OUTLETS.items():
        directory = _require_dir(root / folder, f"{outlet} headlines")
        seen: set[str] = set()
        for path in sorted(directory.glob("*.csv")):
            section = path.stem.rsplit("-", 1)[-1]
            with open(path, encoding="utf-8-sig", newline="") as handle:
                reader = csv.reader(handle)
                for row in reader:
                    if len(row) != 2 or "\r" in row[1]:
                        continue
                    headline = " ".join(row[1].split())
                    if not headline or headline in seen:
                        continue
                    seen.add(headline)
                    metadata = {"timestamp": row[0].strip(), "section": section, "file": path.name}
                    articles.append(
                        Article(f"{folder}-{len(seen)}", headline, outlet=outlet, metadata=metadata)
                    )
    return Corpus(articles, "state-media-headlines-cn-vs-bbc", None, labelled=False)


# --------------------------------------------------------------------------------------------------
# Users' own labelled data
# --------------------------------------------------------------------------------------------------

_LABEL_WORDS = {
    "1": 1, "true": 1, "yes": 1, "propaganda": 1,
    "0": 0, "false": 0, "no": 0, "non-propaganda": 0,
}  # fmt: skip


def parse_label(value: object) -> int:
    """Map a label to 0/1: accepts 0/1, true/false, yes/no, propaganda/non-propaganda (any case).

    Raises ``ValueError`` for anything else: guessing (e.g. treating ``2`` as positive) would hide
    a wrong column or a multi-class file.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value in (0, 1):
        return value
    if isinstance(value, str) and value.strip().lower() in _LABEL_WORDS:
        return _LABEL_WORDS[value.strip().lower()]
    raise ValueError(f"label {value!r} is not one of 0/1, true/false, yes/no, propaganda/non-propaganda")


# A row: (line number, text, raw label or None, group or None)
_Row = tuple[int, Any, Any, Any]


def _dict_rows(path: Path, required: Sequence[str], delimiter: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(first line of record, row)`` for a CSV with a header; checks the header and row lengths."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            header = next(reader)
        except StopIteration:
            raise DatasetFormatError(path, 1, "file is empty (expected a header row)") from None
        except csv.Error as error:
            raise DatasetFormatError(path, 1, f"CSV error: {error}") from None
        header = [name.strip() for name in header]
        missing = [name for name in required if name not in header]
        if missing:
            raise DatasetFormatError(
                path, 1, f"missing column(s) {', '.join(map(repr, missing))}; the header has {header}"
            )
        line = reader.line_num + 1
        try:
            for row in reader:
                if row:  # csv yields [] for a blank line
                    if len(row) != len(header):
                        raise DatasetFormatError(
                            path, line, f"{len(row)} fields, but the header has {len(header)}"
                        )
                    yield line, dict(zip(header, row))
                line = reader.line_num + 1
        except csv.Error as error:
            raise DatasetFormatError(path, line, f"CSV error: {error}") from None


def _csv_rows(
    path: Path, text_column: str, label_column: str | None, group_column: str | None, delimiter: str
) -> Iterator[_Row]:
    required = [name for name in (text_column, label_column, group_column) if name is not None]
    for line, row in _dict_rows(path, required, delimiter):
        yield (
            line,
            row[text_column],
            row[label_column] if label_column else None,
            row[group_column] if group_column else None,
        )


def _jsonl_rows(
    path: Path, text_field: str, label_field: str | None, group_field: str | None
) -> Iterator[_Row]:
    with open(path, encoding="utf-8-sig") as handle:
        for line, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw)
            except json.JSONDecodeError as error:
                raise DatasetFormatError(path, line, f"invalid JSON: {error.msg}") from None
            if not isinstance(record, dict):
                raise DatasetFormatError(path, line, f"expected a JSON object, got {type(record).__name__}")
            for name in (text_field, label_field, group_field):
                if name is not None and name not in record:
                    raise DatasetFormatError(
                        path, line, f"missing field {name!r}; the record has {sorted(record)}"
                    )
            yield (
                line,
                record[text_field],
                record[label_field] if label_field else None,
                record[group_field] if group_field else None,
            )


def _one_line(text: str) -> str:
    """Turn any line break inside a row's text into a space: lines are the sentence unit."""
    return " ".join(text.splitlines())


def _rows_to_corpus(
    rows: Iterable[_Row], path: Path, name: str, *, labelled: bool = True, skip_empty: bool = False
) -> Corpus:
    """Build a corpus: one article per row, or one per group with its rows as lines."""
    grouped: dict[str, list[tuple[str, int]]] = {}
    articles: list[Article] = []
    for line, text, raw_label, group in rows:
        if not isinstance(text, str):
            raise DatasetFormatError(path, line, f"text must be a string, got {type(text).__name__}")
        text = _one_line(text)
        if not text.strip():
            if skip_empty:
                continue
            raise DatasetFormatError(path, line, "empty text")
        label = 0  # placeholder when unlabelled; the corpus then reports labels as None
        if labelled:
            try:
                label = parse_label(raw_label)
            except ValueError as error:
                raise DatasetFormatError(path, line, str(error)) from None
        if group is None:
            metadata = {"file": path.name, "line": str(line)}
            articles.append(Article(str(line), text, (), (label,) if labelled else None, None, metadata))
        else:
            grouped.setdefault(str(group), []).append((text, label))
    if not articles and not grouped:
        raise DatasetFormatError(path, 1, "file has no data rows")
    for group_id, members in grouped.items():
        labels = tuple(label for _, label in members) if labelled else None
        joined = "\n".join(member_text for member_text, _ in members)
        articles.append(Article(group_id, joined, (), labels, None, {"file": path.name}))
    return Corpus(articles, name, None, labelled=labelled)


def load_csv(
    path: PathLike,
    text_column: str = "text",
    label_column: str | None = "label",
    group_column: str | None = None,
    *,
    delimiter: str = ",",
) -> Corpus:
    """Load your own labelled sentences from a CSV file with a header row.

    Labels may be 0/1, true/false, yes/no or propaganda/non-propaganda; anything else raises
    :class:`DatasetFormatError` naming the file and line.  ``label_column=None`` loads unlabelled
    text.  Without ``group_column`` every row is its own article (id = line number); with it, rows
    sharing a group value (e.g. an article id) become the lines of one article, so that a grouped
    cross-validation keeps them together.  Line breaks inside a text become spaces.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rows = _csv_rows(path, text_column, label_column, group_column, delimiter)
    return _rows_to_corpus(rows, path, path.stem, labelled=label_column is not None)


def load_jsonl(
    path: PathLike,
    text_field: str = "text",
    label_field: str | None = "label",
    group_field: str | None = None,
) -> Corpus:
    """Load your own labelled sentences from a JSON-lines file (one object per line).

    Same label rules and grouping as :func:`load_csv`; JSON booleans and the numbers 0/1 work too.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    rows = _jsonl_rows(path, text_field, label_field, group_field)
    return _rows_to_corpus(rows, path, path.stem, labelled=label_field is not None)
