"""Article-grouped 5-fold CV of the sentence model on NLP4IF train, with and without the engine's
lexicon/evidence columns (and the dense-column scale). Usage:

    RHETORIC_DATA=/work/shared/data python scripts/compare_features.py [--seed 0]

CAUTION: lexicons/techniques.tsv was mined on PTC train, which overlaps NLP4IF train, so the gain
from lexicon features measured here is optimistic.
"""
import argparse
import json
import time

from rhetoric.data.datasets import load_nlp4if
from rhetoric.propaganda.training import cross_validate

ap = argparse.ArgumentParser()
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--variants", default="none,lex1,lex0.5")
args = ap.parse_args()
corpus = load_nlp4if("train")
variants = {"none": {"lexicon_features": False}, "lex1": {"lexicon_features": True, "lexicon_scale": 1.0},
            "lex0.5": {"lexicon_features": True, "lexicon_scale": 0.5}, "lex2": {"lexicon_features": True, "lexicon_scale": 2.0}}
for name in args.variants.split(","):
    t = time.time()
    r = cross_validate(corpus, 5, args.seed, spans=False, **variants[name])["by_article"]
    s = r["sentence"]
    print(json.dumps({"variant": name, "P": round(s["precision"], 4), "R": round(s["recall"], 4), "F1": round(s["f1"], 4),
                          "brier": round(r["brier"], 4), "seconds": round(time.time() - t)}), flush=True)
