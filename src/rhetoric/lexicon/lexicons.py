"""Lexicon files: parsing, template expansion, validation and content hashing.

The file format is documented in ``lexicons/README.md``; in short, each line of a ``*.tsv`` file is
``pattern<TAB>category<TAB>label<TAB>weight<TAB>note`` and a pattern may use ``[a|b]`` alternatives,
``{SLOT}`` slots from ``slots.tsv``, ``word~`` inflections (:mod:`rhetoric.lexicon.inflect`) and a
leading ``=`` for case-sensitivity.

Parsing never raises on a bad line or a bad file: it collects :class:`LexiconProblem` records with
``file:line`` (an undecodable byte cites its line; a file that cannot be read at all, such as a
directory named ``x.tsv``, cites line 1) so ``rhetoric lexicons check`` can list them all;
:func:`load_lexicons` raises :class:`LexiconError` listing them when asked to load a broken set.
A UTF-8 byte-order mark at the start of a file is dropped (it would otherwise glue itself to the
first pattern, which then never matched).
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from rhetoric.lexicon.inflect import inflect

__all__ = [
    "CATEGORIES",
    "LABELS",
    "TECHNIQUES",
    "Entry",
    "LexiconError",
    "LexiconProblem",
    "Lexicons",
    "check_lexicons",
    "default_lexicon_dir",
    "expand_pattern",
    "load_lexicons",
]

TECHNIQUES = (
    "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy", "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation",
    "Flag-Waving", "Loaded_Language", "Name_Calling,Labeling", "Repetition", "Slogans",
    "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring",
)
LABELS: dict[str, tuple[str, ...]] = {
    "state_media": ("glorification", "solidarity", "enemy_label", "euphemism", "leader_cult",
                    "sovereignty", "conspiracy", "triumphalism"),
    "technique": TECHNIQUES,
    "attribution": ("cue", "anonymous", "vague", "state_media", "anonymity_marker"),
    "hedge": ("epistemic", "reporting", "conditional", "doxastic", "unverified", "approximator"),
    "booster": ("certainty", "emphatic"),
    "ignore": ("state_media", "technique", "attribution", "hedge", "booster"),
}
CATEGORIES = tuple(LABELS)
MAX_EXPANSIONS = 5000
_SLOT_RE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")
_GROUP_RE = re.compile(r"\[([^\[\]]*)\]")
_BAD_CHARS = re.compile(r"[{}\[\]|]")
_ESCAPED = re.compile("[\udc80-\udcff]")


class LexiconError(ValueError):
    """A lexicon set could not be loaded; the message lists every ``file:line`` problem."""


@dataclass(frozen=True, slots=True)
class LexiconProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon line. ``rule`` (``"state_media.tsv:42"``) is what a span cites as its source."""

    pattern: str
    category: str
    label: str
    weight: float
    note: str
    rule: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class Lexicons:
    """A loaded, validated lexicon set: entries, their literal expansions and a content hash."""

    entries: tuple[Entry, ...]
    phrases: tuple[tuple[str, int], ...]   # (literal phrase, index into entries)
    abbreviations: frozenset[str]
    sha256: str
    directory: str
    problems: tuple[LexiconProblem, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.entries)


def default_lexicon_dir() -> Path:
    """The shipped lexicons: inside the installed package, or ``lexicons/`` of a source checkout."""
    packaged = resources.files("rhetoric") / "lexicons"
    if packaged.is_dir():
        return Path(str(packaged))
    source_tree = Path(__file__).resolve().parents[3] / "lexicons"
    if source_tree.is_dir():
        return source_tree
    raise LexiconError(
        "the default lexicons were not found: the package is incomplete (expected rhetoric/lexicons "
        f"in the installation or {source_tree}); reinstall rhetoric-lens"
    )


def _expand_words(text: str, limit: int) -> list[str]:
    """Expand ``~`` inflections (see :mod:`rhetoric.lexicon.inflect`) in a space-separated run of words.

    The number of combinations is checked against ``limit`` before any is built: thirteen ``word~``
    on one line are millions of phrases.
    """
    options: list[tuple[str, ...]] = []
    total = 1
    for w in text.split():
        if w.endswith("~"):
            if w == "~" or w.endswith("~~"):
                raise ValueError("'~' must end a word ('word~'), once")
            options.append(inflect(w[:-1]))
        else:
            options.append((w,))
        total *= len(options[-1])
        if total > limit:
            raise ValueError(f"pattern expands to more than {MAX_EXPANSIONS} phrases")
    return [" ".join(p) for p in itertools.product(*options)]


def expand_pattern(pattern: str, slots: dict[str, str] | None = None) -> list[str]:
    """All literal phrases a pattern stands for, normalised to single spaces.

    >>> expand_pattern("[fighting|combat] brotherhood")
    ['combat brotherhood', 'fighting brotherhood']
    """
    slots = slots or {}

    def replace_slot(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in slots:
            raise ValueError(f"unknown slot {{{name}}} (define it in slots.tsv)")
        return "[" + slots[name] + "]"

    text = _SLOT_RE.sub(replace_slot, pattern)
    parts: list[list[str]] = []
    pos = 0
    for m in _GROUP_RE.finditer(text):
        parts.append([text[pos:m.start()]])
        parts.append(m.group(1).split("|"))
        pos = m.end()
    parts.append([text[pos:]])
    total = 1
    for p in parts:
        total *= len(p)
        if total > MAX_EXPANSIONS:
            raise ValueError(f"pattern expands to more than {MAX_EXPANSIONS} phrases")
    out: set[str] = set()
    for combo in itertools.product(*parts):
        joined = " ".join("".join(combo).split())
        if _BAD_CHARS.search(joined):
            raise ValueError("unbalanced or nested [ ] / { } in pattern")
        if not joined:
            continue
        for phrase in _expand_words(joined, MAX_EXPANSIONS - len(out)):
            out.add(phrase)
            if len(out) > MAX_EXPANSIONS:
                raise ValueError(f"pattern expands to more than {MAX_EXPANSIONS} phrases")
    if not out:
        raise ValueError("pattern expands to nothing")
    return sorted(out)


def _data_lines(path: Path, problems: list[LexiconProblem]) -> list[tuple[int, str]]:
    """The non-blank, non-comment lines of a file with their numbers; what cannot be read (the file,
    or a line that is not UTF-8) becomes a problem with ``file:line`` instead of an exception."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "a directory, not a file" if path.is_dir() else (exc.strerror or type(exc).__name__)
        problems.append(LexiconProblem(path.name, 1, f"cannot read the file: {reason}"))
        return []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    # undecodable bytes become U+DC80..U+DCFF (which valid UTF-8 never decodes to), found per line
    text = data.decode("utf-8", "surrogateescape")
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        bad = _ESCAPED.search(raw)
        if bad:
            problems.append(LexiconProblem(path.name, number, f"not UTF-8: byte 0x{ord(bad.group()) - 0xDC00:02x} "
                                                              f"at column {bad.start() + 1}"))
            continue
        line = raw.rstrip("\r")
        if line.strip() and not line.lstrip().startswith("#"):
            if "\ufeff" in line:
                problems.append(LexiconProblem(path.name, number, "stray byte-order mark (U+FEFF) in the line"))
                continue
            lines.append((number, line))
    return lines


def _read_slots(path: Path, problems: list[LexiconProblem]) -> dict[str, str]:
    slots: dict[str, str] = {}
    if not path.exists():
        return slots
    for number, line in _data_lines(path, problems):
        cols = line.split("\t")
        if len(cols) < 2 or not re.fullmatch(r"[A-Z][A-Z0-9_]*", cols[0].strip()):
            problems.append(LexiconProblem(path.name, number, "expected SLOT<TAB>alt|alt|...<TAB>note"))
            continue
        name, body = cols[0].strip(), cols[1].strip().lower()
        if _SLOT_RE.search(body) or "[" in body:
            problems.append(LexiconProblem(path.name, number, "slots may not contain slots or groups"))
            continue
        if name in slots:
            problems.append(LexiconProblem(path.name, number, f"slot {name} defined twice"))
        slots[name] = body
    return slots


def _parse_entry(cols: list[str], rule: str) -> Entry:
    if len(cols) != 5:
        raise ValueError(f"expected 5 tab-separated columns (pattern, category, label, weight, note), got {len(cols)}")
    pattern, category, label, weight_text, note = (c.strip() for c in cols)
    case_sensitive = pattern.startswith("=")
    if case_sensitive:
        pattern = pattern[1:].strip()
    if not pattern:
        raise ValueError("empty pattern")
    if category not in LABELS:
        raise ValueError(f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
    if label not in LABELS[category]:
        raise ValueError(f"unknown label {label!r} for category {category}; expected one of {', '.join(LABELS[category])}")
    try:
        weight = float(weight_text)
    except ValueError:
        raise ValueError(f"weight {weight_text!r} is not a number") from None
    if not 0 < weight <= 5:
        raise ValueError(f"weight {weight} outside (0, 5]")
    return Entry(pattern, category, label, weight, note, rule, case_sensitive)


def _fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            data = path.read_bytes()
        except OSError:   # reported as a problem by _data_lines
            data = b"\0unreadable"
        digest.update(data.replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def _load(directory: Path) -> Lexicons:
    problems: list[LexiconProblem] = []
    if not directory.is_dir():
        raise LexiconError(f"lexicon directory {directory} does not exist")
    slots = _read_slots(directory / "slots.tsv", problems)
    files = sorted(p for p in directory.glob("*.tsv") if p.name != "slots.tsv")
    if not files:
        raise LexiconError(f"no *.tsv lexicon files in {directory}")
    entries: list[Entry] = []
    phrases: list[tuple[str, int]] = []
    seen: dict[tuple[str, str, str, bool], str] = {}
    for path in files:
        for number, line in _data_lines(path, problems):
            rule = f"{path.name}:{number}"
            try:
                entry = _parse_entry(line.split("\t"), rule)
                expansions = expand_pattern(entry.pattern, slots)
                if not entry.case_sensitive:
                    expansions = sorted({e.lower() for e in expansions})
            except ValueError as exc:
                problems.append(LexiconProblem(path.name, number, str(exc)))
                continue
            index = len(entries)
            entries.append(entry)
            for phrase in expansions:
                key = (phrase.lower(), entry.category, entry.label, entry.case_sensitive)
                if key in seen:
                    problems.append(LexiconProblem(
                        path.name, number, f"duplicate: {phrase!r} ({entry.category}/{entry.label}) is also "
                        f"produced by {seen[key]}"))
                    continue
                seen[key] = rule
                phrases.append((phrase, index))
    abbreviations: frozenset[str] = frozenset()
    abbr_path = directory / "abbreviations.txt"
    if abbr_path.exists():
        abbreviations = frozenset(line.strip().lower().rstrip(".") for _, line in _data_lines(abbr_path, problems))
    all_files = files + [p for p in (directory / "slots.tsv", abbr_path) if p.exists()]
    return Lexicons(tuple(entries), tuple(phrases), abbreviations, _fingerprint(sorted(all_files)),
                    str(directory), tuple(problems))


@lru_cache(maxsize=8)
def _load_cached(path: str, stamp: tuple[tuple[str, int, int], ...]) -> Lexicons:
    return _load(Path(path))


def _stamp(path: Path) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every entry: a file added, changed or deleted is a new key."""
    out = []
    for p in path.iterdir():
        try:
            st = p.stat()
        except OSError:   # a dangling link or a file deleted while we look
            out.append((p.name, -1, -1))
            continue
        out.append((p.name, st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def load_lexicons(directory: str | os.PathLike[str] | None = None, *, strict: bool = True) -> Lexicons:
    """Load and validate a lexicon directory (default: the shipped one).

    With ``strict=True`` any bad entry raises :class:`LexiconError` listing every ``file:line``;
    duplicates are reported but are not fatal. Results are cached per directory and the name,
    modification time and size of its files (a deleted file is noticed), so building many
    :class:`~rhetoric.Scorer` objects stays cheap.
    """
    path = Path(directory) if directory is not None else default_lexicon_dir()
    if not path.is_dir():
        raise LexiconError(f"lexicon directory {path} does not exist")
    lex = _load_cached(str(path.resolve()), _stamp(path))
    fatal = [p for p in lex.problems if not p.message.startswith("duplicate:")]
    if strict and fatal:
        listing = "\n".join(str(p) for p in fatal[:50])
        raise LexiconError(f"{len(fatal)} bad lexicon entries in {path}:\n{listing}")
    return lex


def check_lexicons(directory: str | os.PathLike[str] | None = None) -> list[LexiconProblem]:
    """Every problem in a lexicon directory (bad entries and duplicates), for ``rhetoric lexicons check``."""
    return list(load_lexicons(directory, strict=False).problems)
