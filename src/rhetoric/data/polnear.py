"""PolNeAR: news articles with attribution relations (source, cue, content) in brat standoff files."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from rhetoric.data.base import (
    DatasetFormatError, DatasetNotFoundError, PathLike, _check_subset, _require_dir, get_data_home,
)
from rhetoric.data.readers import _read_article_text

__all__ = ["POLNEAR_OUTLETS", "AttributedArticle", "AttributionCorpus", "AttributionRelation", "load_polnear"]


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


_BRAT_TEXT_LINE = re.compile(r"^T\d+\t")


def _check_span_text(path: Path, number: int, line: str, pieces: list[tuple[int, int]], text: str) -> None:
    """The span text brat wrote must be what the offsets point at (its first line: see ``_read_brat``)."""
    written = line.split("\t", 2)[2] if line.count("\t") >= 2 else ""
    if not written:
        return
    actual = " ".join(text[s:e] for s, e in pieces)
    if not actual.startswith(written) and actual.split("\n", 1)[0] != written:
        start, end = pieces[0][0], pieces[-1][1]
        raise DatasetFormatError(path, number, f"offsets [{start}, {end}) point at {actual[:40]!r} in the article, "
                                               f"not at the annotated {written[:40]!r}")


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
                _check_span_text(path, number, line, pieces, text)
                fragments_of[match.group(1)] = tuple(pieces)
                continue
            if _BRAT_TEXT_LINE.match(line):
                raise DatasetFormatError(path, number, f"malformed text-bound annotation: {line[:80]!r}")
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
