"""Sentence boundaries: every line is a block, and NLTK's Punkt splits each line.

News text puts headlines, bylines and list items on lines of their own, so a sentence never
crosses a line break. Inside a line, ``nltk.tokenize.punkt.PunktSentenceTokenizer`` (Kiss & Strunk
2006) decides, with parameters that NLTK's ``PunktTrainer`` learnt on news text
(``scripts/train_punkt.py``) and that ship as JSON beside this module (``punkt_news.json``, never a
pickle): abbreviation types (merged with ``lexicons/abbreviations.txt``), collocations, frequent
sentence starters and orthographic contexts. The file holds only those parameters, no text (the
script says how it corrects the trainer's output for news: names are not sentence starters, single
letters are initials). Punkt keeps an opening quote on a word ("“Mr."), so each abbreviation is
also known with one in front.

Punkt is imported (see :mod:`rhetoric.text.punkt`, which avoids NLTK's package initialisation) and
the tokenizer built on the first line that has a candidate context (a sentence end, ``.``, ``?`` or
``!``, followed by punctuation or by a space and a token); a line without one is a single
sentence, which is what Punkt answers for it too, so only the other lines are given to Punkt.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rhetoric.text.punkt import line_contexts, punkt_module, tokenizer

__all__ = ["PunktData", "SentenceSplitter", "read_parameters", "write_parameters", "shipped_parameters",
           "punkt_parameters", "PARAMETERS_FILE", "FORMAT"]

FORMAT = "rhetoric-punkt/1"
PARAMETERS_FILE = "punkt_news.json"
# A line is a run of characters between line breaks: the breaks ``str.splitlines`` knows.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Punkt's candidate sentence ends (``PunktLanguageVars.sent_end_chars``): without one, a line is one sentence.
_SENT_END_RE = re.compile(r"[.?!]")
# Punkt's word tokenizer keeps an opening quote or dash on a word, so the type of "“Mr." is "“mr":
# each abbreviation is also known with these in front.
_OPENERS = ("'", "\u2018", "\u201c", "\u00ab", "\u2013", "\u2014")


@dataclass(frozen=True)
class PunktData:
    """Punkt's learnt parameters as plain data (what ``nltk.tokenize.punkt.PunktParameters`` holds)."""

    abbrev_types: frozenset[str]
    collocations: frozenset[tuple[str, str]]
    sent_starters: frozenset[str]
    ortho_context: Mapping[str, int]
    about: Mapping[str, Any] = field(default_factory=dict, compare=False)


def write_parameters(data: PunktData, path: str | Path) -> None:
    """Write ``data`` as JSON; orthographic contexts are grouped by flag value to keep the file small."""
    by_flag: dict[int, list[str]] = {}
    for typ, flag in data.ortho_context.items():
        by_flag.setdefault(flag, []).append(typ)
    document = {
        "format": FORMAT,
        "about": dict(data.about),
        "abbrev_types": sorted(data.abbrev_types),
        "collocations": sorted([a, b] for a, b in data.collocations),
        "sent_starters": sorted(data.sent_starters),
        "ortho_context": {str(flag): sorted(types) for flag, types in sorted(by_flag.items())},
    }
    Path(path).write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def read_parameters(path: str | Path) -> PunktData:
    """Read a parameters file written by :func:`write_parameters`; raise ``ValueError`` on a bad one."""
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path}: not a {FORMAT} Punkt parameters file")
    try:
        ortho = {typ: int(flag) for flag, types in document["ortho_context"].items() for typ in types}
        return PunktData(
            frozenset(document["abbrev_types"]),
            frozenset((a, b) for a, b in document["collocations"]),
            frozenset(document["sent_starters"]),
            ortho,
            document.get("about", {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{path}: malformed Punkt parameters ({exc})") from None


@lru_cache(maxsize=1)
def shipped_parameters() -> PunktData:
    """The parameters shipped with the package (read once per process)."""
    return read_parameters(Path(str(resources.files("rhetoric.text") / PARAMETERS_FILE)))


def punkt_parameters(data: PunktData, abbreviations: frozenset[str] = frozenset()) -> Any:
    """``nltk.tokenize.punkt.PunktParameters`` holding ``data`` plus ``abbreviations`` (imports Punkt)."""
    params = punkt_module().PunktParameters()
    known = data.abbrev_types | abbreviations
    params.abbrev_types = set(known) | {o + a for o in _OPENERS for a in known if a[:1] not in _OPENERS}
    params.collocations = set(data.collocations)
    params.sent_starters = set(data.sent_starters)
    params.ortho_context.update(data.ortho_context)
    return params


class SentenceSplitter:
    """Sentence spans of a text: one block per line, Punkt inside each line.

    Parameters
    ----------
    abbreviations:
        Extra lower-case abbreviations (without their final period) to add to the trained ones.
    parameters:
        Punkt parameters; default: the shipped news parameters.
    """

    def __init__(self, abbreviations: Iterable[str] = (), parameters: PunktData | None = None) -> None:
        self.parameters = parameters if parameters is not None else shipped_parameters()
        self.extra_abbreviations = frozenset(a.strip().lower().rstrip(".") for a in abbreviations if a.strip())
        self.abbreviations = self.parameters.abbrev_types | self.extra_abbreviations
        self._punkt: Any = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:  # the NLTK tokenizer is rebuilt on demand, not pickled
        shipped = self.parameters is shipped_parameters()
        return (SentenceSplitter, (self.extra_abbreviations, None if shipped else self.parameters))

    def _tokenizer(self) -> Any:
        if self._punkt is None:
            with self._lock:
                if self._punkt is None:
                    self._punkt = tokenizer(punkt_parameters(self.parameters, self.extra_abbreviations))
        return self._punkt

    def split(self, text: str) -> list[tuple[int, int]]:
        """Sentence spans of ``text``, stripped of surrounding whitespace, never empty.

        Punkt decides only at its candidate contexts (an end character followed by punctuation or
        by a space and a token); a line without one is one sentence, which is what Punkt answers
        for it too. So the stripped lines are found in one pass, the candidate contexts in another
        (:func:`rhetoric.text.punkt.line_contexts`: Punkt's expression, kept within a line), and
        only the lines that hold one (about one in six in news text) are given to Punkt, whole.
        """
        lines, whole = _stripped_lines(text)
        if not lines or not _SENT_END_RE.search(text):
            return lines
        ends = [m.start() for m in line_contexts().finditer(text)]
        if not ends:
            return lines
        starts = [a for a, _ in lines]
        span_tokenize = self._tokenizer().span_tokenize
        spans: list[tuple[int, int]] = []
        done = 0
        for k in sorted({bisect_right(starts, p) - 1 for p in ends}):
            spans.extend(lines[done:k])
            done = k + 1
            lo, hi = whole[k]  # the whole line around the stripped one: Punkt reads it exactly as before
            line_text = text[lo:hi]
            for s, e in span_tokenize(line_text):
                seg = line_text[s:e]
                stripped = seg.strip()
                if not stripped:
                    continue
                lead = len(seg) - len(seg.lstrip())
                spans.append((lo + s + lead, lo + s + lead + len(stripped)))
        spans.extend(lines[done:])
        return spans


def _stripped_lines(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The non-blank lines of ``text`` as ``(start, end)``: stripped of surrounding whitespace, and
    whole (without their line break)."""
    stripped_lines, whole_lines = [], []
    pos = 0
    for line in text.splitlines(True):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            stripped_lines.append((start, start + len(stripped)))
            whole_lines.append((pos, pos + len(line.rstrip(_LINE_BREAKS))))
        pos += len(line)
    return stripped_lines, whole_lines
