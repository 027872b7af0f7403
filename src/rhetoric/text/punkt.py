"""NLTK's Punkt, imported without NLTK's package initialisation and run without its timeout wrapper.

``import nltk.tokenize.punkt`` first runs ``nltk/__init__.py``, which imports nearly all of NLTK and,
through it, scikit-learn, scipy and pandas: about 1.2 s on a quiet machine, and scoring promises not
to import scikit-learn. Punkt itself needs only a few small NLTK modules (``probability``,
``internals``, ``redos``, ``tokenize.api`` ...), about 0.1-0.3 s. So, when NLTK is not imported yet,
:func:`punkt_module` loads ``nltk.tokenize.punkt`` under stand-in parent packages that do not run
their ``__init__``, keeps that module for rhetoric, and then takes every ``nltk`` module it loaded
back out of ``sys.modules``: a later ``import nltk`` by the caller starts afresh and gets the whole
package as usual. When NLTK is already imported, or the light import fails (a future NLTK whose
Punkt needs its package initialisation), the ordinary import is used.

NLTK (3.10) also runs every expression through ``nltk.redos``, a per-call timeout meant for
patterns a caller supplies; Punkt's own patterns are fixed and linear, and the wrapper halves the
splitter's throughput. :func:`tokenizer` therefore builds Punkt with subclasses of its language
variables and token (the extension points Punkt documents, ``lang_vars`` and ``token_cls``) that
compile the same expressions with the ``regex`` engine directly; the decisions are NLTK's.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from functools import lru_cache
from typing import Any

__all__ = ["REGEX_SPACE", "line_contexts", "punkt_module", "tokenizer"]

_LOCK = threading.Lock()


def _light_import() -> types.ModuleType:
    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("nltk is not installed")
    root = list(spec.submodule_search_locations)[0]
    before = set(sys.modules)
    try:
        for name, path in (("nltk", root), ("nltk.tokenize", f"{root}/tokenize")):
            stand_in = types.ModuleType(name)
            stand_in.__path__ = [path]
            sys.modules[name] = stand_in
        return importlib.import_module("nltk.tokenize.punkt")
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]


@lru_cache(maxsize=1)
def punkt_module() -> types.ModuleType:
    """``nltk.tokenize.punkt``, imported as cheaply as possible (see the module docstring)."""
    with _LOCK:
        if "nltk" not in sys.modules:
            try:
                return _light_import()
            except Exception:  # noqa: BLE001 - any failure: fall back to the ordinary import
                pass
        return importlib.import_module("nltk.tokenize.punkt")


@lru_cache(maxsize=1)
def _classes() -> tuple[type, type]:
    import regex

    punkt = punkt_module()
    base_vars, base_token = punkt.PunktLanguageVars, punkt.PunktToken

    class LanguageVars(base_vars):  # type: ignore[misc, valid-type]
        __slots__ = ()
        re_boundary_realignment = regex.compile(base_vars.re_boundary_realignment.pattern, regex.MULTILINE)

        def _word_tokenizer_re(self) -> Any:
            try:
                return self._re_word_tokenizer
            except AttributeError:
                self._re_word_tokenizer = regex.compile(self._word_tokenize_fmt % {
                    "NonWord": self._re_non_word_chars, "MultiChar": self._re_multi_char_punct,
                    "WordStart": self._re_word_start}, regex.UNICODE | regex.VERBOSE)
                return self._re_word_tokenizer

        def period_context_re(self) -> Any:
            try:
                return self._re_period_context
            except AttributeError:
                self._re_period_context = regex.compile(self._period_context_fmt % {
                    "NonWord": self._re_non_word_chars, "SentEndChars": self._re_sent_end_chars},
                    regex.UNICODE | regex.VERBOSE)
                return self._re_period_context

    class Token(base_token):  # type: ignore[misc, valid-type]
        __slots__ = ()
        _RE_ELLIPSIS = regex.compile(base_token._RE_ELLIPSIS.pattern)
        _RE_NUMERIC = regex.compile(base_token._RE_NUMERIC.pattern)
        _RE_INITIAL = regex.compile(base_token._RE_INITIAL.pattern, regex.UNICODE)
        _RE_ALPHA = regex.compile(base_token._RE_ALPHA.pattern, regex.UNICODE)

    return LanguageVars, Token


def tokenizer(params: Any) -> Any:
    """A ``PunktSentenceTokenizer`` deciding with ``params`` (``PunktParameters``), built as above."""
    language_vars, token = _classes()
    return punkt_module().PunktSentenceTokenizer(params, lang_vars=language_vars(), token_cls=token)


# ``\s`` of the ``regex`` engine, which Punkt's expressions use (Unicode White_Space: ``str.isspace``
# without U+001C..U+001F), and the line breaks of :mod:`rhetoric.text.sentences`.
REGEX_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_SPACE_IN_LINE = "\t \xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_LINE_BREAKS = "\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029"


@lru_cache(maxsize=1)
def line_contexts() -> Any:
    """Punkt's candidate sentence-break contexts (``period_context_re``: an end character followed
    by punctuation, or by whitespace and a token) kept within a line, as one ``re`` expression: run
    over a whole text, it finds exactly the candidates Punkt's own expression finds line by line.
    A line holding none is one sentence to Punkt."""
    import re

    language_vars, _ = _classes()
    lv = language_vars()
    return re.compile(f"{lv._re_sent_end_chars}(?={lv._re_non_word_chars}"
                      f"|[{_SPACE_IN_LINE}]+[^{REGEX_SPACE}{_LINE_BREAKS}])")
