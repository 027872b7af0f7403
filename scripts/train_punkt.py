"""Train the shipped Punkt sentence parameters (src/rhetoric/text/punkt_news.json).

    RHETORIC_DATA=/work/shared/data python scripts/train_punkt.py [--data DIR] [--out PATH]

NLTK's ``PunktTrainer`` learns, unsupervised, from news text of the development corpora: the PTC
SemEval-2020 train articles and the PolNeAR train texts (the dev portions stay unseen and are
used to check the result: PTC dev has one sentence per line). The shipped abbreviation list
(``lexicons/abbreviations.txt``) seeds the trainer, so that what follows "Mr." or "U.S." is read as
sentence-internal while contexts are counted, and is merged into the learnt abbreviation types.

Three corrections to what the trainer returns, all for news text:

* Frequent sentence starters that are names ("Trump", "Sanders", "Cruz" in 2016 election news)
  would make Punkt end a sentence at every "Mr. Trump" or "Sen. Sanders": a starter is kept only
  when most of its sentence-internal occurrences in the training text are lower case (or it is the
  pronoun "I", capitalised everywhere).
* Every single letter is an abbreviation type: in news a capital letter and a period is an initial
  ("D. Van Zandt", "J. R. R. Tolkien"), and the trainer, finding only some letters often enough
  (here 11), would otherwise end a sentence after "R." when the next word is also seen in lower case.
* Learnt abbreviation types that cannot be abbreviations (no letter first, or characters such as
  "<", "/", "_" or "…" from markup and ellipses) are dropped.

The JSON holds only Punkt's parameters (abbreviation types, collocations, sentence starters and
orthographic contexts), never corpus text. Orthographic contexts of word types never seen in lower
case are left out: Punkt's decisions for them are the same as for an unseen type.
"""

from __future__ import annotations

import argparse
import re
import string
import sys
import time
from pathlib import Path

import nltk
from nltk.tokenize.punkt import PunktTrainer

from rhetoric.data.datasets import get_data_home, load_polnear, load_ptc
from rhetoric.lexicon import load_lexicons
from rhetoric.text.sentences import PARAMETERS_FILE, PunktData, SentenceSplitter, write_parameters

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "rhetoric" / "text" / PARAMETERS_FILE
_ORTHO_LC = (1 << 4) | (1 << 5) | (1 << 6)   # nltk.tokenize.punkt._ORTHO_LC: seen with a lower-case first letter
# a word after a letter or a comma/semicolon and one space: inside a sentence, whatever the abbreviations
_INTERNAL_WORD_RE = re.compile(r"(?<=[^\W_]|[,;]) ([^\W\d_]+)")
# an abbreviation type: an optional opening quote or dash (Punkt keeps them on the word), a letter, then
# letters, digits, periods, hyphens, ampersands or apostrophes
_ABBREVIATION_RE = re.compile(r"['\u2018\u201c\u2013\u2014]?[^\W\d_][\w.&'\-]*")


def training_texts(data_home: Path) -> dict[str, list[str]]:
    return {
        "ptc-semeval2020 train": [a.text for a in load_ptc("train", data_home).articles],
        "polnear train": [a.text for a in load_polnear("train", data_home).articles],
    }


def train(texts: list[str], abbreviations: frozenset[str]) -> tuple[PunktTrainer, object]:
    trainer = PunktTrainer()
    trainer._params.abbrev_types |= set(abbreviations)   # no public way to seed a trainer
    trainer.train("\n\n".join(texts), finalize=True)
    return trainer, trainer.get_params()


def lower_case_starters(starters: set[str], texts: list[str]) -> set[str]:
    """The sentence starters written in lower case in most of their sentence-internal occurrences."""
    lower = dict.fromkeys(starters, 0)
    upper = dict.fromkeys(starters, 0)
    for text in texts:
        for match in _INTERNAL_WORD_RE.finditer(text):
            word = match.group(1)
            key = word.lower()
            if key in lower:
                if word[0].islower():
                    lower[key] += 1
                else:
                    upper[key] += 1
    return {s for s in starters if lower[s] > upper[s] or s == "i"}


def boundary_scores(splitter: SentenceSplitter, data_home: Path) -> tuple[float, float]:
    """Boundary precision and recall on PTC dev, each article's sentence lines joined by spaces."""
    tp = n_pred = n_gold = 0
    for article in load_ptc("dev", data_home).articles:
        lines = [line.strip() for line in article.text.splitlines() if line.strip()]
        gold, pos = set(), 0
        for line in lines:
            pos += len(line)
            gold.add(pos)
            pos += 1
        pred = {e for _, e in splitter.split(" ".join(lines))}
        tp += len(pred & gold)
        n_pred += len(pred)
        n_gold += len(gold)
    return tp / n_pred, tp / n_gold


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder of the development corpora (default: RHETORIC_DATA)")
    parser.add_argument("--out", default=str(OUT), help=f"where to write the parameters (default: {OUT})")
    args = parser.parse_args()
    home = get_data_home(args.data)
    shipped = load_lexicons().abbreviations
    corpora = training_texts(home)
    texts = [t for group in corpora.values() for t in group]
    started = time.perf_counter()
    _, params = train(texts, shipped)
    learnt = {a for a in set(params.abbrev_types) - shipped if _ABBREVIATION_RE.fullmatch(a) and "_" not in a}
    dropped_abbreviations = set(params.abbrev_types) - shipped - learnt
    starters = lower_case_starters(set(params.sent_starters), texts)
    dropped_starters = set(params.sent_starters) - starters
    ortho = {typ: flag for typ, flag in params.ortho_context.items() if flag & _ORTHO_LC}
    initials = set(string.ascii_lowercase)
    data = PunktData(
        frozenset(learnt | shipped | initials),
        frozenset(params.collocations),
        frozenset(starters),
        ortho,
        {
            "what": "Punkt sentence-boundary parameters learnt by NLTK's PunktTrainer; no corpus text",
            "made_by": "scripts/train_punkt.py",
            "nltk": nltk.__version__,
            "trained_on": {name: f"{len(group)} articles" for name, group in corpora.items()},
            "characters": sum(map(len, texts)),
            "abbreviations": {"shipped": len(shipped), "learnt_besides": len(learnt),
                              "single_letters_added": len(initials - learnt - shipped),
                              "learnt_but_dropped": len(dropped_abbreviations)},
            "sentence_starters": {"kept": len(starters), "dropped_as_names": len(dropped_starters)},
            "ortho_context": "types seen with a lower-case first letter only (the others decide as unseen)",
        },
    )
    write_parameters(data, args.out)
    elapsed = time.perf_counter() - started
    print(f"trained on {len(texts)} articles ({data.about['characters']:,} characters) in {elapsed:.0f} s")
    print(f"  abbreviation types {len(data.abbrev_types)} ({len(shipped)} shipped, {len(learnt)} learnt besides)")
    print(f"  learnt: {' '.join(sorted(learnt))}")
    print(f"  dropped (not abbreviations): {' '.join(sorted(dropped_abbreviations))}")
    print(f"  sentence starters dropped (mostly capitalised inside sentences): {' '.join(sorted(dropped_starters))}")
    print(f"  collocations {len(data.collocations)}, sentence starters {len(data.sent_starters)}, "
          f"orthographic contexts {len(ortho)} of {len(params.ortho_context)}")
    print(f"  wrote {args.out} ({Path(args.out).stat().st_size / 1024:.0f} KiB)")
    for name, splitter in [("abbreviations only", SentenceSplitter(shipped, PunktData(shipped, frozenset(),
                                                                                      frozenset(), {}))),
                           ("trained", SentenceSplitter(shipped, data))]:
        p, r = boundary_scores(splitter, home)
        print(f"  PTC dev sentence boundaries, {name}: P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
