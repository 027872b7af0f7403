"""Train the attribution tagger (cue / source / content) on PolNeAR train, evaluate on dev, save the head.

    python scripts/train_attribution.py [--data $RHETORIC_DATA] [--model src/rhetoric/models/default.rhetoric-model]
                                        [--c1 0.05] [--c2 0.01] [--iterations 100] [--no-save]

Prints span-level precision / recall / F1 per role, by overlap and by exact offsets, with a
bootstrap 95% interval over dev documents, beside the published PolNeAR cue figures, and writes
the trained head into the model file as ``"attribution"`` (``replace_head``).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

PUBLISHED = {"BERT-based": 0.753, "BiLSTM-CRF": 0.667, "feature CRF": 0.534}  # cue F1, exact match


def main(argv: list[str] | None = None) -> int:
    from rhetoric.analysis import Analyzer
    from rhetoric.data.datasets import load_polnear
    from rhetoric.sourcing.training import gold_spans, predicted_spans, prepare, span_scores, train_tagger
    from rhetoric.sourcing.words import WordFacts

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("RHETORIC_DATA"))
    p.add_argument("--model", default=None, help="model file to write the head into (default: the shipped one)")
    p.add_argument("--c1", type=float, default=0.05)
    p.add_argument("--c2", type=float, default=0.01)
    p.add_argument("--iterations", type=int, default=100)
    p.add_argument("--no-save", action="store_true")
    args = p.parse_args(argv)

    analyzer = Analyzer()
    t0 = time.time()
    words = WordFacts()  # per-word facts found once per distinct word over the run
    train = [prepare(analyzer, a.text, a.attributions, words) for a in load_polnear("train", args.data)]
    dev_corpus = load_polnear("dev", args.data)
    dev = [prepare(analyzer, a.text, a.attributions, words) for a in dev_corpus]
    print(f"prepared {len(train)} train / {len(dev)} dev articles in {time.time() - t0:.0f}s", file=sys.stderr)
    t0 = time.time()
    tagger = train_tagger(train, c1=args.c1, c2=args.c2, max_iterations=args.iterations)
    print(f"trained in {time.time() - t0:.0f}s; {len(tagger.keys_)} features kept", file=sys.stderr)
    t0 = time.time()
    per_doc = [(predicted_spans(d, tagger.tag(d.X, d.lengths)), gold_spans(a.attributions, a.text), a.text)
               for d, a in zip(dev, dev_corpus)]
    print(f"tagged dev in {time.time() - t0:.2f}s", file=sys.stderr)
    print(format_table(span_scores(per_doc)))
    if not args.no_save:
        from rhetoric.learn.modelfile import replace_head
        path = args.model or default_model_path()
        replace_head(path, "attribution", tagger)
        print(f"wrote head 'attribution' into {path}", file=sys.stderr)
    return 0


def default_model_path() -> str:
    from rhetoric.learn.modelfile import default_model_path as shipped
    return str(shipped())


def format_table(scores: dict) -> str:
    rows = ["| role | overlap P | overlap R | overlap F1 (95% CI) | exact P | exact R | exact F1 (95% CI) |",
            "|---|---|---|---|---|---|---|"]
    for role, m in scores.items():
        lo, hi = m["overlap_f1_ci"]
        elo, ehi = m["exact_f1_ci"]
        rows.append(f"| {role} | {m['overlap_p']:.3f} | {m['overlap_r']:.3f} | {m['overlap_f1']:.3f} "
                    f"({lo:.3f}–{hi:.3f}) | {m['exact_p']:.3f} | {m['exact_r']:.3f} | {m['exact_f1']:.3f} "
                    f"({elo:.3f}–{ehi:.3f}) |")
    rows.append("")
    rows.append("published cue F1, exact match (PolNeAR test): "
                + ", ".join(f"{k} {v:.3f}" for k, v in PUBLISHED.items()))
    return "\n".join(rows)


if __name__ == "__main__":
    raise SystemExit(main())
