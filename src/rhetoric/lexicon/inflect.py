"""English inflections for ``word~`` in lexicon patterns, from lemminflect's dictionary.

Suffix rules get English wrong ("stoped", "admited", "denyed") and miss irregular forms ("said",
"struck"); the lemminflect package lists the forms of each word in its dictionary. A ``word~`` stands
for the word, its verb forms (-s, past, past participle, -ing) when it is a verb, and its plurals
when it is a noun. A word lemminflect does not know ("libtard", "fear-monger") gets its rule-based
out-of-vocabulary forms for both parts of speech, since its part of speech is unknown: a few of
them are not English ("libtarded"), but they never match, and the English ones are there
("libtards", "fear-mongering").
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["inflect"]

_POS = ("VERB", "NOUN")


def _forms(table: dict[str, tuple[str, ...]]) -> set[str]:
    return {form for forms in table.values() for form in forms}


def _known(word: str) -> set[str]:
    from lemminflect import getAllInflections

    return set().union(*(_forms(getAllInflections(word, upos=pos)) for pos in _POS))


def _guessed(word: str) -> set[str]:
    from lemminflect import getAllInflectionsOOV

    return set().union(*(_forms(getAllInflectionsOOV(word, upos=pos)) for pos in _POS))


def _same_case(form: str, model: str) -> str:
    if model.isupper() and len(model) > 1:
        return form.upper()
    if model[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


@lru_cache(maxsize=4096)
def inflect(word: str) -> tuple[str, ...]:
    """``word`` and its inflected forms, sorted; the case of ``word`` carries over ("Tyrant" -> "Tyrants")."""
    if not word or not any(ch.isalpha() for ch in word):
        return (word,)
    lower = word.lower()
    forms = _known(lower) or _guessed(lower)
    forms.add(lower)
    return tuple(sorted({_same_case(form, word) for form in forms}))
