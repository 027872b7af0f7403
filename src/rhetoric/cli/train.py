"""``rhetoric train`` and ``rhetoric evaluate`` (added to the ``rhetoric`` command by :mod:`rhetoric.cli.main`).

    rhetoric train CORPUS --format ptc|nlp4if|csv|jsonl -o MODEL [--subset train] [--seed N] [--no-spans]
    rhetoric evaluate CORPUS --format ... [--subset dev] --model MODEL|default [--cv K]

For ``--format ptc``/``nlp4if`` CORPUS is the data home (the folder holding ``ptc-semeval2020/``,
``nlp4if2019/``; default: ``$RHETORIC_DATA``); for ``csv``/``jsonl`` it is a file. Errors are one
line ``rhetoric: ...``; exit 1 for unreadable data, 2 for usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

__all__ = ["add_commands"]

_FORMATS = ("ptc", "nlp4if", "csv", "jsonl")


class _Usage(Exception):
    pass


def add_commands(sub: Any) -> None:
    tr = sub.add_parser("train", help="train a propaganda model on a corpus",
                        description="Train a propaganda model (sentence, technique and span heads) on a corpus.")
    _corpus_args(tr, default_subset="train")
    tr.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--no-spans", action="store_true", help="do not train technique heads or the span tagger")
    tr.set_defaults(func=_cmd_train)

    ev = sub.add_parser("evaluate", help="evaluate a model (or cross-validate) on a corpus",
                        description="Sentence-level P/R/F1, Brier score and span-level SI P/R/F1 "
                                    "(SemEval-2020 Task 11) of a model on a corpus.")
    _corpus_args(ev, default_subset=None)
    ev.add_argument("--model", default="default", metavar="MODEL",
                    help="model file or 'default' (the shipped model); ignored with --cv")
    ev.add_argument("--cv", type=int, metavar="K",
                    help="instead: K-fold cross-validation grouped by article (and by outlet if named)")
    ev.add_argument("--seed", type=int, default=0, help="random seed for --cv (default: 0)")
    ev.add_argument("--no-spans", action="store_true", help="skip the span-level evaluation")
    ev.add_argument("--json", action="store_true", help="print the full metrics as JSON")
    ev.set_defaults(func=_cmd_evaluate)


def _corpus_args(p: argparse.ArgumentParser, default_subset: str | None) -> None:
    p.add_argument("corpus", nargs="?", metavar="CORPUS",
                   help="data home for ptc/nlp4if (default: $RHETORIC_DATA), a file for csv/jsonl")
    p.add_argument("--format", required=True, choices=_FORMATS, help="corpus format")
    p.add_argument("--subset", default=default_subset,
                   help="ptc: train, dev or all; nlp4if: train (default: train, or dev for ptc evaluate)")
    p.add_argument("--text-column", default="text", help="csv/jsonl: text column (default: text)")
    p.add_argument("--label-column", default="label", help="csv/jsonl: label column (default: label)")
    p.add_argument("--group-column", default=None, help="csv/jsonl: article/group column (optional)")


def _load(args: argparse.Namespace, for_eval: bool) -> Any:
    from rhetoric.data import datasets
    fmt = args.format
    if fmt in ("ptc", "nlp4if"):
        subset = args.subset or ("dev" if for_eval and fmt == "ptc" else "train")
        loader = datasets.load_ptc if fmt == "ptc" else datasets.load_nlp4if
        allowed = ("train", "dev", "all") if fmt == "ptc" else ("train",)
        if subset not in allowed:
            raise _Usage(f"--subset for --format {fmt} must be one of {', '.join(allowed)}")
        return loader(subset, args.corpus)
    if args.corpus is None:
        raise _Usage(f"--format {fmt} needs a CORPUS file")
    if args.subset not in (None, "train"):
        raise _Usage(f"--subset does not apply to --format {fmt}")
    if fmt == "csv":
        return datasets.load_csv(args.corpus, args.text_column, args.label_column, args.group_column)
    return datasets.load_jsonl(args.corpus, args.text_column, args.label_column, args.group_column)


def _guard(fn: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from rhetoric.data.datasets import DatasetFormatError
        from rhetoric.learn.model import ModelFormatError
        try:
            return int(fn(args))
        except _Usage as exc:
            sys.stderr.write(f"rhetoric: error: {exc}\n")
            return 2
        except (OSError, DatasetFormatError, ModelFormatError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"rhetoric: {(str(exc).splitlines() or [type(exc).__name__])[0]}\n")
            return 1
        except ValueError as exc:  # e.g. one-class labels, an unlabelled corpus
            sys.stderr.write(f"rhetoric: {(str(exc).splitlines() or [type(exc).__name__])[0]}\n")
            return 1
    return run


@_guard
def _cmd_train(args: argparse.Namespace) -> int:
    from rhetoric.learn.training import train_corpus
    corpus = _load(args, for_eval=False)
    t = time.time()
    model = train_corpus(corpus, spans=not args.no_spans, seed=args.seed)
    model.card_ = {"training_data": f"{corpus.name} ({corpus.subset or 'file'}), {len(corpus)} articles",
                   "seed": args.seed, "train_seconds": round(time.time() - t, 1)}
    path = model.save(args.output)
    print(f"wrote {path} ({len(model.heads_)} heads, tagger {'yes' if model.tagger_fitted_ else 'no'}, "
          f"threshold {model.threshold:.3f}, {time.time() - t:.0f} s)")
    return 0


def _print(name: str, r: dict[str, Any]) -> None:
    s = r["sentence"]
    print(f"{name}: {r['n_articles']} articles, {r['n_sentences']} sentences "
          f"(positive rate {r['positive_rate']:.3f})")
    print(f"  sentence  P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}  "
          f"Brier {r['brier']:.4f} (base rate {r['brier_base_rate']:.4f})")
    if "spans" in r:
        sp = r["spans"]
        print(f"  spans SI  P {sp['precision']:.3f}  R {sp['recall']:.3f}  F1 {sp['f1']:.3f}")
    for t, m in r.get("techniques", {}).items():
        print(f"  technique {t:<24} P {m['precision']:.3f}  R {m['recall']:.3f}  F1 {m['f1']:.3f}  "
              f"({m['n_positive']} positive sentences)")


@_guard
def _cmd_evaluate(args: argparse.Namespace) -> int:
    import json
    corpus = _load(args, for_eval=True)
    spans = not args.no_spans
    if args.cv is not None:
        if args.cv < 2:
            raise _Usage("--cv needs K >= 2")
        from rhetoric.learn.training import cross_validate
        res = cross_validate(corpus, args.cv, args.seed, spans=spans)
        if args.json:
            print(json.dumps(res, indent=1, default=float))
        else:
            for key, r in res.items():
                _print(f"{args.cv}-fold CV grouped {key.replace('_', ' ')}", r)
        return 0
    from rhetoric.learn.model import load_model
    from rhetoric.learn.training import evaluate
    model = load_model(None if args.model == "default" else args.model)
    r = evaluate(model, corpus, spans=spans)
    if args.json:
        print(json.dumps(r, indent=1, default=float))
    else:
        _print(f"{corpus.name} {corpus.subset or ''}".strip() + f" with model {args.model}", r)
    return 0
