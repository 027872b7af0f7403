"""Shared fixtures: one lexicon-only Scorer for the session, the seed articles, the development data.

Most tests use ``Scorer(model=None)``: lexicon-only scoring is fast and does not depend on the
trained model. Tests that need the development corpora take the ``shared_data`` fixture, which
finds them via ``RHETORIC_DATA`` or ``<repo>/../shared/data`` (as tests/test_datasets.py does) and
skips with the reason when they are absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import rhetoric

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"
SEED_000 = SEEDS / "000_812b28cb18a5bb42.txt"
SEED_004 = SEEDS / "004_a06be824e871c9d5.txt"


def line_document(doc_id: str, lines: list[str], labels: list[int], spans: list | None = None) -> dict:
    """A training document of one sentence per line, in the layout ``fit_documents`` reads (the
    synthetic corpora of the model tests): its text, each line's ``(start, end)``, labels, spans."""
    ranges, p = [], 0
    for line in lines:
        ranges.append((p, p + len(line)))
        p += len(line) + 1
    return {"id": doc_id, "group": doc_id, "text": "\n".join(lines), "ranges": ranges, "labels": labels,
            "spans": spans}


def _data_home(require: str | None = None) -> Path | None:
    """``RHETORIC_DATA``, else ``../shared/data`` beside the repository: the first that exists and is
    not empty (and, with ``require``, holds that corpus folder)."""
    env = os.environ.get("RHETORIC_DATA")
    for candidate in ([Path(env)] if env else []) + [REPO_ROOT.parent / "shared" / "data"]:
        if require is not None:
            if (candidate / require).is_dir():
                return candidate
        elif candidate.is_dir() and any(candidate.iterdir()):
            return candidate
    return None


@pytest.fixture(scope="session")
def scorer() -> rhetoric.Scorer:
    """The shipped lexicons without the model."""
    return rhetoric.Scorer(model=None)


@pytest.fixture(scope="session")
def seed_000() -> str:
    return SEED_000.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_004() -> str:
    return SEED_004.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The development corpora folder; skips the test when it is not there."""
    home = _data_home()
    if home is None:
        pytest.skip("development corpora not found: set RHETORIC_DATA or put them in "
                    f"{REPO_ROOT.parent / 'shared' / 'data'}")
    return home


def require_corpus(home: Path, folder: str) -> Path:
    """``home/folder``, or skip the test naming the missing folder."""
    path = home / folder
    if not path.is_dir():
        pytest.skip(f"corpus folder {path} not found (development data incomplete)")
    return path


def assert_offsets_exact(report: rhetoric.Report) -> None:
    """Every span, every attribution cue and source, and every sentence quotes the text exactly."""
    text = report.text
    for span in report.spans:
        assert 0 <= span.start < span.end <= len(text), span
        assert text[span.start:span.end] == span.text, span
    for a in report.attributions:
        for span in (a.cue, a.source):
            if span is not None:
                assert 0 <= span.start < span.end <= len(text), span
                assert text[span.start:span.end] == span.text, span
    for sentence in report.sentences:
        assert text[sentence.start:sentence.end] == sentence.text, sentence
