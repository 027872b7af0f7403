"""Train the "hedging" head (cue tagger on Szeged, sentence head on CoNLL-2010) and write it into a model file.

    RHETORIC_DATA=/path/to/data python scripts/train_hedging.py [--model MODEL] [--no-write] [--final]

Splits, thresholds and figures: see :mod:`rhetoric.hedging.training`. Prints the development table
(P, R, F1 with a 95% bootstrap interval over documents), then writes the head as ``hedging`` into
MODEL (default: the shipped ``src/rhetoric/models/default.rhetoric-model``) with ``replace_head``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rhetoric.hedging.training import train_hedging

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "src" / "rhetoric" / "models" / "default.rhetoric-model"
ROWS = (("szeged_dev_sentence", "Szeged dev, sentence has a cue"), ("szeged_dev_cue", "Szeged dev, cue (overlap)"),
        ("conll_train_cv_sentence", "CoNLL train, grouped CV, is_hedged"),
        ("conll_dev_sentence", "CoNLL dev, is_hedged"), ("conll_dev_tagger_only", "CoNLL dev, tagger cue only"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=None, help="data home (default: $RHETORIC_DATA)")
    ap.add_argument("--model", default=str(DEFAULT_MODEL), help="model file to write the head into")
    ap.add_argument("--no-write", action="store_true", help="evaluate only")
    ap.add_argument("--final", action="store_true", help="after measuring, refit on training + development")
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--C", type=float, default=0.5, help="tagger inverse L2 strength")
    ap.add_argument("--sentence-C", type=float, default=3.0, help="sentence head inverse L2 strength")
    ap.add_argument("--cache", help="folder to keep fitted taggers between runs (development aid)")
    args = ap.parse_args(argv)
    head, fig = train_hedging(args.data, folds=args.folds, C=args.C, sentence_C=args.sentence_C,
                              final=args.final, cache=args.cache)
    print(f"\n{'':40} {'P':>6} {'R':>6} {'F1':>6}  95% CI")
    for key, name in ROWS:
        r = fig[key]
        print(f"{name:40} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}  [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]")
    print(f"tagger threshold {fig['tagger_threshold']:.2f}; sentence threshold {head.threshold_:.3f}; "
          f"Szeged docs train/dev {fig['n_szeged']}; CoNLL sentences train/dev {fig['n_conll']}")
    if not args.no_write:
        from rhetoric.learn.modelfile import replace_head
        replace_head(args.model, "hedging", head)
        print(f"wrote head 'hedging' into {args.model}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
