"""The pipeline from text to :class:`~rhetoric.report.types.Report`, top to bottom.

``Scorer.score`` runs, in order: input checks → normalisation → tokens and sentences → one
lexicon pass → hedging context rules → attribution → model (optional) → numbers. Everything a
Scorer needs is built once in ``__init__``; a Scorer holds no per-call state, so one instance can
score any number of texts, and ``score_many`` ships it to worker processes.
"""

from __future__ import annotations

import gc
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import lru_cache, wraps
from typing import Any

from rhetoric import __version__
from rhetoric.analysis import Analysis, Analyzer
from rhetoric.blocks import BLOCK_CHARS, score_in_blocks
from rhetoric.hedging.dimension import HedgingDimension
from rhetoric.learn.features import DocumentFeatures
from rhetoric.learn.modelfile import ModelBundle, ModelFormatError, load_bundle
from rhetoric.lexicon import Lexicons
from rhetoric.propaganda.dimension import PropagandaDimension
from rhetoric.report.build import build_report
from rhetoric.report.types import Report, compact_state, from_compact_state
from rhetoric.sourcing.dimension import SourcingDimension
from rhetoric.sourcing.voice import with_voice
from rhetoric.statemedia.dimension import StateMediaDimension
from rhetoric.text.normalize import coerce_text

__all__ = ["Scorer", "score", "score_many", "default_scorer"]

_DEFAULT = "default"
_PROBE = ('Officials said on Monday that the "sacred mission" may have succeeded. '
          "Critics argue it was, reportedly, about 30 days late.\nShare this story!")


def _cyclic_gc_paused(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``method`` with Python's cyclic garbage collector paused, and restore it afterwards.

    Scoring a text allocates millions of small objects (tokens, matches, spans, sentences) that
    form no reference cycles and are freed by reference counting alone. While they are alive the
    collector keeps re-walking them, and on a long text those passes grow faster than the text: a
    64 MB document scored about 22 % slower per MB than a 1 MB one, against 5 % with the collector
    paused (and every text ~15 % faster). It is paused only for the call (nothing changes if it was
    already disabled), so cycles made elsewhere are collected as usual between calls.
    """
    @wraps(method)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return method(*args, **kwargs)
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            gc.enable()
    return paused


class Scorer:
    """A configured, reusable scorer.

    Parameters
    ----------
    lexicons:
        A lexicon directory, a loaded :class:`~rhetoric.lexicon.lexicons.Lexicons`, or ``None`` for the
        shipped lexicons.
    model:
        ``"default"`` for the shipped model file, a path to a model file, a loaded
        :class:`~rhetoric.learn.modelfile.ModelBundle`, a propaganda head
        (:class:`~rhetoric.propaganda.model.PropagandaModel`, used as the bundle
        ``{"propaganda": model}``), or ``None`` for lexicon-only scoring.
    """

    def __init__(self, lexicons: str | os.PathLike[str] | Lexicons | None = None,
                 model: Any = _DEFAULT) -> None:
        self.lexicons = lexicons
        self.model = model
        self.analyzer_ = Analyzer(lexicons)
        self.lexicons_ = self.analyzer_.lexicons
        self.model_ = _resolve_model(model)
        # each dimension gets its trained head from the model file, or None (rules and lexicons only)
        head = self.model_.get if self.model_ is not None else (lambda name: None)
        self.sourcing_ = SourcingDimension(head("attribution"))
        self.hedging_ = HedgingDimension(head("hedging"))
        self.statemedia_ = StateMediaDimension(head("state_media"))
        self.propaganda_ = PropagandaDimension(head("propaganda"))
        if isinstance(model, (str, os.PathLike)) and model != _DEFAULT:
            self._probe(model)

    def _probe(self, path: str | os.PathLike[str]) -> None:
        """Score a probe text once, so a model file whose heads pass the format checks but hold
        settings of the wrong type or meaning is refused here, with its name, not at the first score."""
        try:
            report = self.score(_PROBE)
        except Exception as exc:  # any failure of a head on a plain sentence means a broken file
            raise ModelFormatError(f"{os.fspath(path)}: a head of this model fails on a probe text "
                                   f"({type(exc).__name__}: {exc})") from None
        if not all(math.isfinite(v) for v in report.scores.values()):
            raise ModelFormatError(f"{os.fspath(path)}: a head of this model gives non-finite scores")

    # Workers rebuild the automaton instead of unpickling it. A model read from a file travels as
    # its path (and is read again there): the loaded heads fill caches as they score, so the bundle
    # would pickle to twice its size after the first text, and to other bytes than before it.
    def __reduce__(self) -> tuple[Any, ...]:
        if isinstance(self.model, (str, os.PathLike)):
            path = self.model if isinstance(self.model, str) and self.model == _DEFAULT \
                else os.path.abspath(os.fspath(self.model))
            return (_scorer_from_file, (self.lexicons_, path, getattr(self.model_, "name", None)))
        return (Scorer, (self.lexicons_, self.model_ if self.model_ is not None else None))

    def __repr__(self) -> str:
        model = getattr(self.model_, "name", None)
        return f"Scorer(lexicons={self.lexicons_.directory!r}, {len(self.lexicons_)} entries, model={model!r})"

    # -- the pipeline ----------------------------------------------------------------------
    def analyze(self, text: object, *, encoding: str | None = None) -> Analysis:
        """The shared first half of scoring: text → :class:`~rhetoric.analysis.Analysis`."""
        return self.analyzer_.analyze(coerce_text(text, encoding))

    @_cyclic_gc_paused
    def score(self, text: object, *, encoding: str | None = None) -> Report:
        """Score one text. ``bytes`` need an explicit ``encoding``; empty text gives an empty report.

        A text longer than :data:`rhetoric.blocks.BLOCK_CHARS` characters is scored block by block
        and the block reports merged (:mod:`rhetoric.blocks`), so memory stays bounded by a block.
        """
        text = coerce_text(text, encoding)
        if len(text) > BLOCK_CHARS:
            return score_in_blocks(text, self._score_one, self.analyzer_.segmenter.split_sentences, BLOCK_CHARS)
        return self._score_one(text)

    def _score_one(self, text: str) -> Report:
        """The one-pass pipeline on one text (a whole short text, or one block of a long one)."""
        analysis = self.analyzer_.analyze(text)
        # one feature pass per document, shared by every trained head
        features = DocumentFeatures(analysis) if self.model_ is not None else None
        sourcing = self.sourcing_.apply(analysis, features)
        hedging = self.hedging_.apply(analysis, features, sourcing)
        statemedia = self.statemedia_.apply(analysis, features, sourcing)
        propaganda = self.propaganda_.apply(analysis, features, sourcing, hedging, statemedia)
        evidence = [sourcing, hedging, statemedia, propaganda]
        if sourcing.quoted:  # every span says whose voice it is in
            evidence = [replace(e, spans=tuple(with_voice(e.spans, sourcing.quoted))) for e in evidence]
        return build_report(analysis.text, analysis.seg, evidence, lexicon_sha256=self.lexicons_.sha256,
                            model=getattr(self.model_, "name", None), version=__version__)

    def score_many(self, texts: Iterable[object], *, n_jobs: int = 1, progress: bool = False,
                   batch_size: int = 64) -> list[Report]:
        """Score many texts, in input order; ``n_jobs`` processes (``-1``: all cores)."""
        return list(self.iter_score(texts, n_jobs=n_jobs, progress=progress, batch_size=batch_size))

    def iter_score(self, texts: Iterable[object], *, n_jobs: int = 1, progress: bool = False,
                   batch_size: int = 64) -> Iterator[Report]:
        """Like :meth:`score_many`, yielding reports as they are ready (still in input order)."""
        if isinstance(texts, (str, bytes)):
            raise TypeError("score_many expects an iterable of texts, not one text; use score(text)")
        items = texts if isinstance(texts, Sequence) else list(texts)
        bar = _progress_bar(len(items), progress)
        try:
            if n_jobs == 1 or len(items) <= batch_size:  # one batch: starting processes only adds latency
                for t in items:
                    yield self.score(t)
                    bar.update(1)
                return
            for r in _parallel(self, items, n_jobs, batch_size):
                yield r
                bar.update(1)
        finally:
            bar.close()


def _scorer_from_file(lexicons: Lexicons, model: str, name: str | None) -> Scorer:
    """The unpickled Scorer of a model file; refused if the file now holds another model."""
    scorer = Scorer(lexicons, model)
    if getattr(scorer.model_, "name", None) != name:
        raise ModelFormatError(f"{model}: the model file changed since this Scorer was pickled "
                               f"({name!r} then, {getattr(scorer.model_, 'name', None)!r} now)")
    return scorer


def _parallel(scorer: Scorer, items: Sequence[object], n_jobs: int, batch_size: int) -> Iterator[Report]:
    """Reports of ``items`` from worker processes, in input order.

    The Scorer is pickled once here and handed to each worker process when it starts (the loky
    executor's initializer), so a batch carries only its texts; workers stay alive between calls
    with the same Scorer. Batches hold whole documents, cut by characters so that every worker gets
    about four batches of similar cost (at most ``batch_size`` documents each). A worker sends a
    report back without its text, the caller's copy of which it is rebuilt with
    (:func:`rhetoric.report.types.compact_state`): the text is not sent back and forth.
    """
    import pickle

    from joblib import effective_n_jobs
    from joblib.externals.loky import get_reusable_executor
    texts = [coerce_text(t) for t in items]
    workers = effective_n_jobs(n_jobs)
    target = max(1, sum(map(len, texts)) // (4 * workers))
    batches: list[list[str]] = [[]]
    chars = 0
    for t in texts:
        if batches[-1] and (len(batches[-1]) >= batch_size or chars >= target):
            batches.append([])
            chars = 0
        batches[-1].append(t)
        chars += len(t)
    payload = pickle.dumps(scorer, protocol=pickle.HIGHEST_PROTOCOL)
    executor = get_reusable_executor(max_workers=workers, timeout=300, initializer=_install_worker_scorer,
                                    initargs=(payload,))  # idle workers live 300 s, as joblib's
    for batch, states in zip(batches, executor.map(_score_compact_batch, batches)):
        yield from _rebuilt(batch, states)


@_cyclic_gc_paused
def _rebuilt(batch: Sequence[str], states: Sequence[tuple[Any, str | None]]) -> list[Report]:
    """One batch's reports, rebuilt with the caller's texts (the collector paused: see _cyclic_gc_paused)."""
    return [from_compact_state(state, t if text is None else text) for t, (state, text) in zip(batch, states)]


# The Scorer of a worker process, set once by the executor's initializer when the process starts;
# the calling process never sets it (a Scorer shared by threads there holds no per-call state).
_WORKER: list[Scorer] = []


def _install_worker_scorer(payload: bytes) -> None:
    import pickle
    _WORKER[:] = [pickle.loads(payload)]


@_cyclic_gc_paused
def _score_compact_batch(texts: Sequence[str]) -> list[tuple[Any, str | None]]:
    """Score in a worker; each report goes back without its text when it is the text received."""
    scorer = _WORKER[0]
    out = []
    for t in texts:
        r = scorer.score(t)
        out.append((compact_state(r), None if r.text is t else r.text))
    return out


class _NoBar:
    def update(self, n: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress_bar(total: int, progress: bool) -> Any:
    if not progress:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("progress=True needs tqdm: pip install 'rhetoric-lens[progress]'") from exc
    return tqdm(total=total, unit="doc")


def _resolve_model(model: Any) -> ModelBundle | None:
    if model is None:
        return None
    if isinstance(model, str) and model == _DEFAULT:
        return load_bundle()
    if isinstance(model, (str, os.PathLike)):
        return load_bundle(model)
    if isinstance(model, ModelBundle):
        return model
    if not hasattr(model, "score_document"):
        raise TypeError("model must be 'default', a path, a ModelBundle, a PropagandaModel or None; "
                        f"got {type(model).__name__}")
    return ModelBundle({"propaganda": model}, getattr(model, "card_", None), getattr(model, "content_sha256_", ""))


@lru_cache(maxsize=1)
def default_scorer() -> Scorer:
    """The shared default Scorer, built on first use; a Scorer holds no per-call state, so sharing is safe."""
    return Scorer()


def score(text: object, *, encoding: str | None = None) -> Report:
    """Score one text with the default lexicons and model. See :class:`Scorer` to configure."""
    return default_scorer().score(text, encoding=encoding)


def score_many(texts: Iterable[object], *, n_jobs: int = 1, progress: bool = False,
               batch_size: int = 64) -> list[Report]:
    """Score many texts with the default scorer, in input order."""
    return default_scorer().score_many(texts, n_jobs=n_jobs, progress=progress, batch_size=batch_size)
