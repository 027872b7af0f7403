"""Plain-language definitions of every category, label, score and rule code a report can show.

The HTML view prints them as its legend and the text table as its footer, so a printout or a
screenshot explains itself without hover tooltips.
"""

from __future__ import annotations

import re

__all__ = [
    "CATEGORY_DEFINITIONS",
    "DIMENSION_DEFINITIONS",
    "LABEL_DEFINITIONS",
    "define_dimension",
    "define_label",
    "explain_rule",
]

CATEGORY_DEFINITIONS: dict[str, str] = {
    "state_media": "wording typical of state-controlled media: glorifying leaders, branding enemies, euphemism",
    "technique": "a propaganda technique from the SemEval-2020 Task 11 list (e.g. loaded language)",
    "attribution": "who is cited: a reporting cue (\"said\", \"according to\") and its source",
    "hedge": "a word that weakens a claim (\"may\", \"reportedly\", \"it is believed\")",
    "booster": "a word that strengthens a claim (\"clearly\", \"undoubtedly\")",
    "approximation": "a vague quantity or degree (\"about\", \"dozens of\", \"some\")",
    "boilerplate": "site furniture (bylines, captions, sign-up notes): left out of every score",
}

LABEL_DEFINITIONS: dict[str, str] = {
    # propaganda techniques (SemEval-2020 Task 11)
    "Loaded_Language": "words with strong emotional charge used to sway the reader",
    "Name_Calling,Labeling": "labelling a person or group as something the reader fears, hates or loves",
    "Repetition": "repeating a message so that the reader accepts it",
    "Exaggeration,Minimisation": "making something look bigger or smaller than it is",
    "Doubt": "questioning the credibility of someone or something",
    "Appeal_to_fear-prejudice": "seeking support by stirring fear or prejudice",
    "Flag-Waving": "appealing to patriotism or group identity to justify an idea",
    "Causal_Oversimplification": "one cause given for an issue that has many",
    "Slogans": "a short, striking phrase that stands in for an argument",
    "Appeal_to_Authority": "a claim held true only because an authority says so",
    "Black-and-White_Fallacy": "two choices presented as the only ones",
    "Thought-terminating_Cliches": "a stock phrase that discourages further thought",
    "Whataboutism,Straw_Men,Red_Herring": "deflecting: pointing elsewhere, distorting or changing the subject",
    "Bandwagon,Reductio_ad_hitlerum": "join-the-crowd appeals, or discrediting by association with hated groups",
    # state-media wording
    "glorification": "praise of the state, its leaders or its achievements",
    "leader_cult": "reverent titles and praise for a leader",
    "enemy_label": "stock hostile names for opponents or other states",
    "euphemism": "softened words for force, repression or failure",
    "solidarity": "ritual phrases of friendship between allied states",
    "sovereignty": "appeals to sovereignty and non-interference",
    "triumphalism": "victory language for ordinary events",
    "conspiracy": "hints of hidden plots by foreign forces",
    # sourcing
    "named": "a source identified by name or by a specific role",
    "anonymous": "an unnamed source (\"an official who asked not to be named\")",
    "vague": "a vague source (\"experts say\", \"critics\")",
    "state_media": "a state-controlled outlet cited as the source (\"KCNA reported\")",
    "cue": "a reporting verb or phrase that introduces a source",
    "anonymity_marker": "a phrase that marks a source as anonymous (\"on condition of anonymity\")",
    # hedges and boosters
    "epistemic": "a modal of possibility (\"may\", \"might\", \"possibly\")",
    "doxastic": "a verb of belief (\"believe\", \"suspect\", \"seem\")",
    "reporting": "a distancing report (\"reportedly\", \"allegedly\")",
    "unverified": "a claim flagged as unconfirmed (\"could not be verified\")",
    "conditional": "a condition that limits a claim (\"if confirmed\")",
    "approximator": "an approximating word (\"about\", \"roughly\")",
    "weasel": "an unsourced, vague attribution (\"it is believed\", \"some critics argue\")",
    "investigation": "a question left open (\"whether\", \"to examine\")",
    "certainty": "a word of certainty (\"certainly\", \"undeniably\")",
    "emphatic": "an emphatic intensifier (\"very\", \"really\", \"absolutely\")",
}

DIMENSION_DEFINITIONS: dict[str, str] = {
    "state_media": "state-media wording per 1,000 words",
    "propaganda_techniques": "propaganda-technique evidence per 1,000 words",
    "anonymous_sourcing": "sources that are anonymous, per 1,000 words",
    "vague_sourcing": "sources that are vague, per 1,000 words",
    "hedging": "hedges per 1,000 words (weasels included, approximations not)",
    "approximation": "approximate quantities (\"about 30\", \"roughly half\") per 1,000 words",
    "boosting": "boosters per 1,000 words",
    "propaganda": "the model's probability that the text uses propaganda techniques",
}

_LEXICON_LINE = re.compile(r"^([\w.-]+\.(?:tsv|txt)):(\d+)$")
_REASONS: dict[str, str] = {
    "proper-name": "the source is a proper name (a person or an organisation)",
    "propaganda:repetition": "Repetition: a phrase of four or more content words said earlier in the text",
    "pronoun->name": "the source is a pronoun that refers back to a named person",
    "pronoun->previous-singular": "the source is a pronoun that refers back to the previous singular source",
    "pronoun->previous-plural": "the source is a pronoun that refers back to the previous plural source",
    "pronoun-unresolved": "the source is a pronoun whose person could not be found",
    "pronoun": "the source is a pronoun",
    "unidentified": "the source is a common noun that names no one (\"a transcript\", \"reports\")",
    "implicit-source": "a distancing cue with no source at all (\"reportedly\")",
    "document": "the source is a document or publication",
    "previous": "the source named just before",
}


def define_label(category: str, label: str) -> str:
    """A one-line definition of ``label`` (the category's when the label has none of its own)."""
    return LABEL_DEFINITIONS.get(label) or CATEGORY_DEFINITIONS.get(category, "")


def define_dimension(name: str) -> str:
    """What a score measures (``*_author``: the same over the author's own words only)."""
    if name in DIMENSION_DEFINITIONS:
        return DIMENSION_DEFINITIONS[name]
    if name.endswith("_author") and name[:-len("_author")] in DIMENSION_DEFINITIONS:
        return "the same, in the author's own words only (quotes left out)"
    return ""


def explain_rule(code: str) -> str:
    """What a rule code or an attribution's reason means: a lexicon line, a context rule, or a model."""
    if code in _REASONS:
        return _REASONS[code]
    prefix, _, rest = code.partition("->")
    if rest and prefix in _REASONS:
        return f"{_REASONS[prefix]}, matched by {explain_rule(rest)}"
    m = _LEXICON_LINE.match(code)
    if m:
        return f"line {m.group(2)} of the lexicon file lexicons/{m.group(1)}"
    kind, _, name = code.partition(":")
    if kind == "model":
        return f"found by the learned model {name!r}, not by a lexicon entry"
    if kind == "head":
        return f"the kind of source was decided by its head noun ({name!r})"
    if kind == "acronym":
        return f"the source is an acronym of an outlet or body listed in {explain_rule(name)}"
    if kind == "attribution":
        return f"sourcing context rule {name!r}: the source was read from the words around the cue"
    if kind in ("hedge", "hedging"):
        return f"hedging context rule {name!r}"
    if kind in ("state_media", "statemedia"):
        return f"state-media context rule {name!r}"
    if kind in ("boilerplate", "approximation", "propaganda", "sourcing"):
        return f"{kind} rule {name!r}"
    return "a rule of the scorer"
