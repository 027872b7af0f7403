"""Print the development accuracy of the lexicon engine (hedges and attributions).

    python benchmarks/dev_accuracy.py [--data DIR] [--json]

Reads the development copy of the corpora (``--data``, else ``RHETORIC_DATA``, else
``../shared/data`` beside the repository). These are development numbers: the lexicons were
curated looking at the same corpora, and the held-out portions are evaluated elsewhere.

* CoNLL-2010 (Wikipedia, third-party CSV): a sentence is predicted uncertain when it has a hedge
  span; precision/recall/F1 of the uncertain class.
* Szeged Uncertainty Corpus (Wikipedia): the same per sentence, and per cue (a predicted hedge span
  overlapping a gold cue).
* PolNeAR dev: attribution cues (our cue vs an annotated Cue, overlap), sources of the same relation,
  and sources overlapping any annotated Source.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import rhetoric
from rhetoric.data.datasets import load_conll2010, load_polnear, load_szeged
from rhetoric.data.metrics import attribution_scores, hedge_scores

REPO_ROOT = Path(__file__).resolve().parents[1]


def data_home(arg: str | None) -> Path:
    for candidate in (arg, os.environ.get("RHETORIC_DATA"), str(REPO_ROOT.parent / "shared" / "data")):
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    sys.exit("dev_accuracy: development corpora not found (use --data DIR or set RHETORIC_DATA)")


def row(name: str, scores: dict) -> str:
    extra = ""
    if "n_predicted" in scores:
        extra = f"   (predicted {int(scores['n_predicted'])}, gold {int(scores['n_gold'])})"
    return f"  {name:<28} P {scores['precision']:.3f}  R {scores['recall']:.3f}  F1 {scores['f1']:.3f}{extra}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", help="folder of the development corpora")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    home = data_home(args.data)
    scorer = rhetoric.Scorer(model=None)
    results: dict[str, dict] = {}
    timings: dict[str, float] = {}
    for name, run in [
        ("conll2010", lambda: hedge_scores(scorer, load_conll2010(home))),
        ("szeged", lambda: hedge_scores(scorer, load_szeged(home))),
        ("polnear_dev", lambda: attribution_scores(scorer, load_polnear("dev", home))),
    ]:
        t = time.perf_counter()
        results[name] = run()
        timings[name] = time.perf_counter() - t
    if args.json:
        print(json.dumps({"lexicon_sha256": scorer.lexicons_.sha256, "results": results}, indent=2))
        return 0
    print(f"rhetoric {rhetoric.__version__}, lexicons {scorer.lexicons_.sha256[:16]}, data {home}")
    print("(development numbers, not held-out results)\n")
    c = results["conll2010"]
    print(f"CoNLL-2010 Wikipedia, {c['n_sentences']} sentences ({c['n_uncertain']} uncertain), "
          f"{timings['conll2010']:.1f} s")
    print(row("sentence has a hedge", c["sentence"]))
    s = results["szeged"]
    print(f"Szeged Uncertainty Wikipedia, {s['n_sentences']} sentences ({s['n_uncertain']} uncertain), "
          f"{timings['szeged']:.1f} s")
    print(row("sentence has a hedge", s["sentence"]))
    print(row("hedge span ~ gold cue", s["cue"]))
    p = results["polnear_dev"]
    print(f"PolNeAR dev, {p['n_articles']} articles, {timings['polnear_dev']:.1f} s")
    print(row("cue", p["cue"]))
    print(row("source (same relation)", p["source"]))
    print(row("source (any Source span)", p["source_any"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
