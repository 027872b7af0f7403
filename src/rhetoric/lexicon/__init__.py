"""The lexicon stage: file format, loading and validation, inflection, the phrase matcher, word senses.

Import from here (``from rhetoric.lexicon import load_lexicons, Lexicons``); the modules behind it may move.
"""

from rhetoric.lexicon.lexicons import (
    CATEGORIES, LABELS, TECHNIQUES, Entry, LexiconError, LexiconProblem, Lexicons, check_lexicons,
    default_lexicon_dir, expand_pattern, load_lexicons,
)

__all__ = [
    "CATEGORIES", "TECHNIQUES", "LABELS", "Entry", "Lexicons", "LexiconError", "LexiconProblem",
    "load_lexicons", "check_lexicons", "default_lexicon_dir", "expand_pattern",
]
