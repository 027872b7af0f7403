"""Hedging and uncertainty: the Wikipedia part of the Szeged Uncertainty Corpus and CoNLL-2010 Task 1."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from rhetoric.data.base import (
    Article, Corpus, DatasetFormatError, DatasetNotFoundError, LabelledSpan, PathLike, _require_dir,
    _require_file, get_data_home,
)
from rhetoric.data.tabular import _csv_rows, _rows_to_corpus

__all__ = ["load_conll2010", "load_szeged"]


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
