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

The loaders live in one module per corpus family (:mod:`rhetoric.data.base` for the data model and
errors, :mod:`~rhetoric.data.ptc`, :mod:`~rhetoric.data.polnear`, :mod:`~rhetoric.data.hedging`,
:mod:`~rhetoric.data.statemedia`, :mod:`~rhetoric.data.tabular`); this module gathers their public
names, so ``rhetoric.datasets.load_ptc`` and ``from rhetoric.data.datasets import ...`` keep working.
"""

from __future__ import annotations

from rhetoric.data.base import (
    DATA_HOME_ENV, Article, Corpus, DatasetFormatError, DatasetNotFoundError, LabelledSpan,
    SentenceRecord, get_data_home,
)
from rhetoric.data.hedging import load_conll2010, load_szeged
from rhetoric.data.polnear import (
    POLNEAR_OUTLETS, AttributedArticle, AttributionCorpus, AttributionRelation, load_polnear,
)
from rhetoric.data.ptc import load_nlp4if, load_ptc
from rhetoric.data.statemedia import (
    HEADLINE_OUTLETS, STATE_MEDIA_OUTLETS, load_rt_sample, load_state_media_headlines,
)
from rhetoric.data.tabular import UngroupedRowsWarning, load_csv, load_jsonl, parse_label

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
    "UngroupedRowsWarning",
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

