"""Length-preserving text normalisation.

Every stage of the pipeline matches against a *normalised* copy of the input, and reports offsets
into the *original*. That only works if normalisation never changes the length of the string, so
this module maps each character to exactly one character:

* lower case (``"İ"``, whose ``lower()`` is two characters, becomes ``"i"``);
* curly quotes and apostrophes become straight ones, so ``don’t`` matches ``don't``;
* every whitespace character (NBSP, tabs, line breaks, ...) becomes a space;
* lone surrogates (possible in a Python ``str``) become U+FFFD, so the matcher can encode the text.
"""

from __future__ import annotations

import numpy as np

__all__ = ["normalize", "coerce_text", "is_word_char"]

_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "\u0060": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
}
_WHITESPACE = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006" \
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_TABLE = {ord(k): v for k, v in _QUOTES.items()}
_TABLE.update({ord(c): " " for c in _WHITESPACE})
# The same mapping as a lookup table over code points below U+E000, applied to the text's UTF-32
# code units in one vectorised pass (``str.translate`` goes character by character as soon as the
# text is not ASCII); lone surrogates (U+D800..U+DFFF) map to U+FFFD.
_LUT = np.arange(0xE000, dtype=np.uint32)
_LUT[list(_TABLE)] = [ord(v) for v in _TABLE.values()]
_LUT[0xD800:0xE000] = 0xFFFD
_CHUNK = 1 << 18   # characters per vectorised pass, which bounds the temporary UTF-32 copies


def _map_chars(text: str) -> str:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    mapped = np.where(codes < 0xE000, _LUT[np.minimum(codes, 0xDFFF)], codes)
    return mapped.tobytes().decode("utf-32-le")


def normalize(text: str) -> str:
    """Return a copy of ``text`` of the same length, for case-, quote- and space-insensitive matching."""
    lowered = text.lower()
    if len(lowered) != len(text):  # only "İ" (U+0130) lower-cases to two characters
        lowered = text.replace("\u0130", "i").lower()
    if len(lowered) <= _CHUNK:
        return _map_chars(lowered)
    return "".join(_map_chars(lowered[i:i + _CHUNK]) for i in range(0, len(lowered), _CHUNK))


def coerce_text(text: object, encoding: str | None = None) -> str:
    """Validate the input of :func:`rhetoric.score` and friends.

    ``str`` passes through; ``bytes`` are decoded only when the caller names an ``encoding``
    (guessing would silently shift offsets); anything else is a :class:`TypeError`.
    """
    if isinstance(text, str):
        return text
    if isinstance(text, (bytes, bytearray, memoryview)):
        if encoding is None:
            raise TypeError(
                "rhetoric scores str; got bytes. Decode them first or pass encoding='utf-8' "
                "(offsets are reported in characters of the decoded text)."
            )
        return bytes(text).decode(encoding)
    if text is None:
        raise TypeError("rhetoric scores str; got None")
    raise TypeError(f"rhetoric scores str; got {type(text).__name__}")


def is_word_char(ch: str) -> bool:
    """Letters, digits, underscore and combining marks count as word characters for boundaries."""
    return ch.isalnum() or ch == "_" or (0x0300 <= ord(ch) <= 0x036F) or ch == "\u200d"
