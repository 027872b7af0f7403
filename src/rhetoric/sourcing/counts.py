"""Distinct sources: the same anonymous source cited three times is one source.

Each attribution gets a ``source_id``; attributions of the same source share it. Two sources are
the same when their *key* is: for a named source its last name word ("Gerasimov" for "General
Valery Gerasimov", so a later "Gerasimov said" joins it); for other kinds the head noun with its
modifiers, without determiners ("senior official"). A definite mention ("the source", "the same
source", "the official") joins the most recent source of the same kind and head noun; an
indefinite one ("one source", "another official") starts a new source. A pronoun ("he", "they")
joins the most recent source of the same kind, and one source phrase serving several cues is one
source. ``distinct_counts`` then counts ids per kind.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from rhetoric.report.types import ATTRIBUTION_KINDS, Attribution
from rhetoric.sourcing.kinds import head_index

__all__ = ["assign_source_ids", "distinct_counts", "source_ids"]

_DETERMINERS = frozenset("the a an one another this that these those same some two three".split())
_DEFINITE = frozenset("the this that these those same".split())
_INDEFINITE = frozenset("a an one another two three four several".split())
_PRONOUNS = frozenset("he she they him her them it i we".split())


def _tokens(text: str) -> list[str]:
    return [w.strip(".,'\"").lower() for w in text.replace("’", "'").split() if w.strip(".,'\"")]


def _key(a: Attribution, words: list[str] | None = None) -> tuple[str, str] | None:
    """The source's key; ``words``: its :func:`_tokens`, when the caller has them already."""
    if a.source is None:
        return None
    if words is None:
        words = _tokens(a.source.text)
    if not words:
        return None
    if a.kind == "named" or a.kind == "state_media":
        caps = [w for w, raw in zip(words, a.source.text.split()) if raw[:1].isupper()]
        name = (caps or words)[-1]
        if name.endswith("'s"):
            name = name[:-2]
        return a.kind, name
    h = head_index(words, 0, len(words))
    core = [w for w in words[: h + 1] if w not in _DETERMINERS]
    return a.kind, " ".join(core[-2:]) if core else words[h]


def assign_source_ids(attributions: Sequence[Attribution]) -> list[Attribution]:
    """The attributions with ``source_id`` set (in order of first mention, from 0)."""
    return [a if a.source_id == sid else
            Attribution(cue=a.cue, source=a.source, kind=a.kind, reason=a.reason, sentence=a.sentence,
                        content=a.content, source_id=sid)
            for a, sid in zip(attributions, source_ids(attributions))]


def source_ids(attributions: Iterable[Attribution]) -> Iterator[int]:
    """The ``source_id`` of each attribution, in one pass (a long report's attributions need not
    be held as objects all at once)."""
    ids: dict[tuple[str, str], int] = {}
    last_of_kind: dict[str, int] = {}
    by_span: dict[tuple[int, int], int] = {}
    # the entries of ``ids`` grouped by kind and last key word, for the definite mentions below
    # (a scan of every id per mention made long documents quadratic)
    by_head: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    next_id = 0
    for a in attributions:
        words = _tokens(a.source.text) if a.source is not None else []
        key = _key(a, words)
        sid = -1
        span = None if a.source is None else (a.source.start, a.source.end)
        if span is not None and span in by_span:
            sid = by_span[span]            # one phrase serving several cues ("said ... and warned")
        elif key is None:
            sid = next_id
        elif len(words) == 1 and words[0] in _PRONOUNS and a.kind in last_of_kind:
            sid = last_of_kind[a.kind]
        elif a.kind in ("named", "state_media"):
            sid = ids.get(key, next_id)
        elif words[0] in _DEFINITE:
            head = key[1].split()[-1]
            same = by_head.get((a.kind, head))
            sid = max(same.values()) if same else ids.get(key, next_id)
        elif words[0] in _INDEFINITE:
            sid = next_id
        else:
            sid = ids.get(key, next_id)
        if sid == next_id:
            next_id += 1
        if key is not None:
            ids[key] = sid
            by_head.setdefault((key[0], key[1].split()[-1]), {})[key] = sid
        if span is not None:
            by_span[span] = sid
        last_of_kind[a.kind] = sid
        yield sid


def distinct_counts(attributions: Sequence[Attribution]) -> dict[str, int]:
    """``n_distinct_sources`` and ``n_distinct_<kind>`` (integers)."""
    seen: dict[str, set[int]] = {k: set() for k in ATTRIBUTION_KINDS}
    for a in attributions:
        seen.setdefault(a.kind, set()).add(a.source_id)
    out = {"n_distinct_sources": len({a.source_id for a in attributions})}
    out.update({f"n_distinct_{k}": len(v) for k, v in seen.items()})
    return out
