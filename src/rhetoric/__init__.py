"""rhetoric: evidence-first scoring of news text.

>>> import rhetoric
>>> report = rhetoric.score("Privileged sources, speaking on condition of anonymity, said ...")
>>> report.scores, report.spans, report.attributions

Every number in a report traces back to character-exact spans (``text[span.start:span.end] ==
span.text``), sentences and model features.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

from rhetoric.lexicon.lexicons import LexiconError, Lexicons, check_lexicons, load_lexicons  # noqa: E402
from rhetoric.report.types import SCHEMA_VERSION, Attribution, Report, Sentence, Span  # noqa: E402
from rhetoric.pipeline import Scorer, score, score_many  # noqa: E402

__all__ = [
    "__version__", "score", "score_many", "Scorer", "Report", "Span", "Sentence", "Attribution",
    "SCHEMA_VERSION", "Lexicons", "LexiconError", "load_lexicons", "check_lexicons",
]

__all__ += ["score_frame", "spans_frame", "train", "load_model", "datasets"]

if TYPE_CHECKING:  # for type checkers and IDEs; at run time __getattr__ imports on first use
    from rhetoric.data import datasets
    from rhetoric.frame import score_frame, spans_frame
    from rhetoric.propaganda.model import load_model
    from rhetoric.propaganda.training import train

# Optional or heavier parts load on first use, so ``import rhetoric`` stays fast.
_LAZY = {"score_frame": "rhetoric.frame", "spans_frame": "rhetoric.frame", "load_model": "rhetoric.propaganda.model",
         "train": "rhetoric.propaganda.training", "datasets": "rhetoric.data.datasets"}


def __getattr__(name: str) -> object:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    module = _LAZY[name]
    imported = import_module(module)
    value = imported if module.endswith("." + name) else getattr(imported, name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
