"""The data model of every corpus loader, where the corpora live, and the errors loaders raise.

The corpora are research data under unclear licences, so they are never shipped with the package:
every ``load_*`` function reads a local copy under :func:`get_data_home`.  Loaders validate as they
read, so a malformed file fails with :class:`DatasetFormatError` (``path:line:`` first) instead of
shifting offsets that every span-level score depends on.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "DATA_HOME_ENV",
    "Article",
    "Corpus",
    "DatasetFormatError",
    "DatasetNotFoundError",
    "LabelledSpan",
    "PathLike",
    "SentenceRecord",
    "get_data_home",
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

