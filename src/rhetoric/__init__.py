"""rhetoric: evidence-first scoring of news text.

>>> import rhetoric
>>> report = rhetoric.score("Privileged sources, speaking on condition of anonymity, said ...")
>>> report.scores, report.spans, report.attributions

Every number in a report traces back to character-exact spans (``text[span.start:span.end] ==
span.text``), sentences and model features.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .lexicon import LexiconError, Lexicons, check_lexicons, load_lexicons  # noqa: E402
from .report import SCHEMA_VERSION, Attribution, Report, Sentence, Span  # noqa: E402
from .scorer import Scorer, score, score_many  # noqa: E402

__all__ = [
    "__version__", "score", "score_many", "Scorer", "Report", "Span", "Sentence", "Attribution",
    "SCHEMA_VERSION", "Lexicons", "LexiconError", "load_lexicons", "check_lexicons",
]
