"""Train the state-media head, evaluate it by held-out outlet and state, and save it.

    python scripts/train_state_media.py [--data $RHETORIC_DATA] [--model src/rhetoric/models/default.rhetoric-model]
                                        [--C 1.0] [--bits 18] [--no-save] [--no-ablation] [--cache docs.pkl]

Trains on the train split (RT, the Chinese state-media headlines against BBC headlines and the
articles and titles of PolNeAR's US outlets), prints development ROC AUCs with bootstrap 95%
intervals: RT dev vs US dev articles; each Chinese outlet's dev headlines vs BBC dev and vs US dev
titles; then leave-one-state-out (no Russia -> RT; no China -> Chinese headlines) and
leave-one-outlet-out (no Xinhua -> Xinhua, ...), with names and places masked and, as the
ablation, unmasked. Writes the masked head trained on the train split as ``"state_media"``.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

CN = ("CGTN", "China Daily", "Global Times", "Xinhua")


def _row(name: str, head, pos, neg, auc, auc_ci) -> str:  # type: ignore[no-untyped-def]
    value, y, s = auc(head, pos, neg)
    lo, hi = auc_ci(y, s)
    return f"{name:<48} {value:.3f} [{lo:.3f}, {hi:.3f}]  (n={len(pos)}+{len(neg)})"


def main(argv: list[str] | None = None) -> int:
    from rhetoric.statemedia.training import auc, auc_ci, fit_head, load_documents

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("RHETORIC_DATA"))
    p.add_argument("--model", default=None, help="model file to write the head into (default: the shipped one)")
    p.add_argument("--C", type=float, default=1.0)
    p.add_argument("--bits", type=int, default=18)
    p.add_argument("--no-save", action="store_true")
    p.add_argument("--no-ablation", action="store_true")
    p.add_argument("--folds", type=int, default=3, help="inner folds for the calibration (default: 3)")
    p.add_argument("--quick", action="store_true", help="held-out runs: only no-Russia and no-Xinhua")
    p.add_argument("--cache", default=None, help="pickle of the prepared documents (read if present, else written)")
    args = p.parse_args(argv)

    t0 = time.time()
    log = lambda m: print(f"[{time.time() - t0:5.0f}s] {m}", file=sys.stderr)
    if args.cache and Path(args.cache).is_file():
        docs = pickle.loads(Path(args.cache).read_bytes())
    else:
        docs = load_documents(args.data, progress=log)
        if args.cache:
            Path(args.cache).write_bytes(pickle.dumps(docs))
    train = [d for d in docs if d.split == "train"]
    dev = [d for d in docs if d.split == "dev"]
    us_dev = [d for d in dev if d.state == "US" and d.kind == "article"]
    us_titles = [d for d in dev if d.state == "US" and d.kind == "headline"]
    bbc_dev = [d for d in dev if d.outlet == "BBC"]
    # held-out heads need only their ranking: two inner folds are enough for the document weights
    fit = lambda ds, masked=True, n_splits=args.folds: fit_head(ds, masked=masked, C=args.C, bits=args.bits,
                                                       n_splits=n_splits)

    for masked in (True, False) if not args.no_ablation else (True,):
        tag = "names/places masked" if masked else "ABLATION: names/places kept"
        print(f"\n== {tag} ==")
        head = fit(train, masked)
        log(f"fitted ({tag}); threshold {head.threshold_:.3f}")
        print(_row("dev: RT vs US articles", head, [d for d in dev if d.outlet == "RT"], us_dev, auc, auc_ci))
        for o in CN:
            x = [d for d in dev if d.outlet == o]
            print(_row(f"dev: {o} vs BBC headlines", head, x, bbc_dev, auc, auc_ci))
            print(_row(f"dev: {o} vs US titles", head, x, us_titles, auc, auc_ci))
        if masked:
            shipped = head
            if not args.no_save:
                from rhetoric.learn.modelfile import default_model_path, replace_head
                path = args.model or default_model_path()
                replace_head(path, "state_media", shipped)
                print(f"wrote head 'state_media' into {path}")
        held = fit([d for d in train if d.state != "Russia"], masked)
        print(_row("no Russia in training: all RT vs US dev articles", held,
                   [d for d in docs if d.outlet == "RT"], us_dev, auc, auc_ci))
        if not args.quick:
            held = fit([d for d in train if d.state != "China"], masked)
            cn = [d for d in dev if d.state == "China"]
            print(_row("no China in training: CN dev vs BBC dev", held, cn, bbc_dev, auc, auc_ci))
            print(_row("no China in training: CN dev vs US titles", held, cn, us_titles, auc, auc_ci))
        for o in ("Xinhua",) if args.quick or not masked else ("Xinhua", "CGTN"):
            held = fit([d for d in train if d.outlet != o], masked)
            x = [d for d in docs if d.outlet == o]
            print(_row(f"no {o} in training: all {o} vs BBC dev", held, x, bbc_dev, auc, auc_ci))
            print(_row(f"no {o} in training: all {o} vs US titles", held, x, us_titles, auc, auc_ci))
        log(f"done ({tag})")

    print("\ntop weights of the shipped head (masked):")
    _print_top(shipped, train)
    return 0


def _print_top(head, docs) -> None:  # type: ignore[no-untyped-def]
    """The strongest features of the head, over the feature names found in at least 50 training
    documents (a name's weight is its hashed column's weight; names sharing a column share it)."""
    from collections import Counter

    from rhetoric.statemedia.features import feature_index
    df: Counter[str] = Counter(n for d in docs for n in {n for r in d.rows for n in r})
    names = [n for n, c in df.items() if c >= 50]  # rare names only echo the weight of a column they share
    weight = {n: float(head.coef_[feature_index(n, head.bits)]) for n in names}
    for sign, label in ((1, "state media"), (-1, "not state media")):
        top = sorted(weight.items(), key=lambda kv: -sign * kv[1])[:30]
        print(f"  {label}: " + ", ".join(f"{n!r} {v:+.2f}" for n, v in top))


if __name__ == "__main__":
    sys.exit(main())
