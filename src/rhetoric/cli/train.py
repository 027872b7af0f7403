"""``rhetoric train`` and ``rhetoric evaluate`` (added to the ``rhetoric`` command by :mod:`rhetoric.cli.main`).

    rhetoric train CORPUS --format ptc|nlp4if|csv|jsonl -o MODEL [--force] [--subset train] [--seed N] [--no-spans]
    rhetoric evaluate CORPUS --format ... [--subset dev] --model MODEL|default [--cv K]

For ``--format ptc``/``nlp4if`` CORPUS is the data home (the folder holding ``ptc-semeval2020/``,
``nlp4if2019/``; default: ``$RHETORIC_DATA``); for ``csv``/``jsonl`` it is a file. Errors are one
line ``rhetoric: ...``; exit 1 for unreadable data, 2 for usage. ``-o MODEL`` is checked before
training: a directory, a missing or read-only folder, or an existing file without ``--force`` is
refused at once (exit 2), and with ``--force`` the existing file must be a model file.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

__all__ = ["add_commands"]

_FORMATS = ("ptc", "nlp4if", "csv", "jsonl", "polnear", "brat")


class _Usage(Exception):
    pass


def add_commands(sub: Any) -> None:
    tr = sub.add_parser("train", help="train a head (propaganda, attribution, hedging, state_media) on a corpus",
                        description="Train one head of a model file on a corpus: --task propaganda (sentence, "
                                    "technique and span heads; the default), attribution, hedging or state_media.")
    _corpus_args(tr, default_subset="train")
    tr.add_argument("-o", "--output", required=True, metavar="MODEL",
                    help="model file to write; an existing one is refused unless --force (checked before training)")
    tr.add_argument("--force", action="store_true",
                    help="write into an existing model file MODEL: the trained head replaces the head of that "
                         "name, the file's other heads are kept")
    tr.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    tr.add_argument("--no-spans", action="store_true", help="do not train technique heads or the span tagger")
    tr.add_argument("--task", choices=("propaganda", "attribution", "state_media", "hedging"), default="propaganda",
                    help="propaganda (default): write a propaganda model; attribution: train the cue/source/"
                         "content tagger on a PolNeAR/brat corpus (--format polnear|brat) and write it as the "
                         "'attribution' head into MODEL; state_media: train the state-media register head "
                         "on the development corpora in CORPUS (a data home: RT, the state-media headlines, "
                         "PolNeAR; --format polnear) and write it as the 'state_media' head into MODEL; "
                         "hedging: train the hedge-cue tagger (Szeged) and sentence head (CoNLL-2010) on the "
                         "data home CORPUS (--format is not read) and write it as the 'hedging' head into MODEL")
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
    if fmt in ("polnear", "brat"):
        raise _Usage(f"--format {fmt} is for 'rhetoric train --task attribution'")
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
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", datasets.UngroupedRowsWarning)
        load = datasets.load_csv if fmt == "csv" else datasets.load_jsonl
        corpus = load(args.corpus, args.text_column, args.label_column, args.group_column)
    for w in caught:
        if issubclass(w.category, datasets.UngroupedRowsWarning):  # say it in the command's own terms
            sys.stderr.write(f"rhetoric: note: no --group-column, so each of the {len(corpus)} rows is its own "
                             "article; if several rows come from one article, pass --group-column COLUMN "
                             "(the article id) so cross-validation keeps them in one fold\n")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return corpus


def _guard(fn: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        from rhetoric.data.datasets import DatasetFormatError
        from rhetoric.learn.modelfile import ModelFormatError
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


def _check_output(args: argparse.Namespace) -> None:
    """Refuse, before any training, an output the save would fail on or a file it would overwrite."""
    import os
    from pathlib import Path
    out = Path(args.output)
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise _Usage(f"-o {out} is a directory; give a model file path (e.g. {out / 'model.rhetoric-model'})")
    if not parent.is_dir():
        raise _Usage(f"-o {out}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _Usage(f"-o {out}: the folder {parent} is not writable")
    if out.exists() or out.is_symlink():
        if not getattr(args, "force", False):
            raise _Usage(f"-o {out} exists; pass --force to write the trained head into it (its other heads "
                         "are kept), or choose another path")
        from rhetoric.learn.modelfile import ModelFormatError, load_bundle
        try:
            load_bundle(out)
        except (ModelFormatError, OSError) as exc:
            raise _Usage(f"-o {out} exists and is not a readable rhetoric model file, so it is not replaced "
                         f"({(str(exc).splitlines() or [type(exc).__name__])[0]}); choose another path") from None


@_guard
def _cmd_train(args: argparse.Namespace) -> int:
    _check_output(args)
    if getattr(args, "task", "propaganda") == "attribution":
        return _train_attribution(args)
    if getattr(args, "task", "propaganda") == "state_media":
        return _train_state_media(args)
    if getattr(args, "task", "propaganda") == "hedging":
        return _train_hedging(args)
    from rhetoric.learn.modelfile import replace_head
    from rhetoric.propaganda.training import train_corpus
    corpus = _load(args, for_eval=False)
    t = time.time()
    model = train_corpus(corpus, spans=not args.no_spans, seed=args.seed)
    model.card_ = {"training_data": f"{corpus.name} ({corpus.subset or 'file'}), {len(corpus)} articles",
                   "seed": args.seed, "train_seconds": round(time.time() - t, 1)}
    path = replace_head(args.output, "propaganda", model)  # other heads in MODEL are kept
    print(f"wrote head 'propaganda' into {path} ({len(model.heads_)} sentence heads, "
          f"tagger {'yes' if model.tagger_fitted_ else 'no'}, threshold {model.threshold:.3f}, {time.time() - t:.0f} s)")
    return 0


def _train_hedging(args: argparse.Namespace) -> int:
    """``--task hedging``: train the hedging head on a data home (Szeged, CoNLL-2010) and write it into MODEL."""
    from rhetoric.hedging.training import train_hedging
    from rhetoric.learn.modelfile import replace_head
    t = time.time()
    head, fig = train_hedging(args.corpus, log=lambda line: sys.stderr.write(line + "\n"))
    replace_head(args.output, "hedging", head)
    cue, sent = fig["szeged_dev_cue"], fig["conll_dev_sentence"]
    print(f"wrote head 'hedging' into {args.output} (Szeged dev cue F1 {cue['f1']:.3f}, CoNLL dev sentence F1 "
          f"{sent['f1']:.3f}, threshold {head.threshold_:.3f}, {time.time() - t:.0f} s)")
    return 0


def _train_state_media(args: argparse.Namespace) -> int:
    """``--task state_media``: train the state-media head on a data home and write it into MODEL."""
    from rhetoric.learn.modelfile import replace_head
    from rhetoric.statemedia.training import fit_head, load_documents
    if args.format != "polnear":
        raise _Usage("--task state_media reads a data home (RT, headlines, PolNeAR): use --format polnear")
    t = time.time()
    docs = [d for d in load_documents(args.corpus) if d.split == "train"]
    head = fit_head(docs)
    replace_head(args.output, "state_media", head)
    print(f"wrote head 'state_media' into {args.output} ({len(docs)} documents, {len(head.support_)} weights, "
          f"threshold {head.threshold_:.3f}, {time.time() - t:.0f} s)")
    return 0


def _train_attribution(args: argparse.Namespace) -> int:
    """``--task attribution``: train the attribution tagger and write it into MODEL as its ``attribution`` head."""
    from rhetoric.sourcing.training import evaluate_attribution, load_brat, train_attribution
    if args.format == "polnear":
        from rhetoric.data.datasets import load_polnear
        if args.subset not in (None, "train", "dev"):
            raise _Usage("--subset for --format polnear must be train or dev")
        articles = [(a.text, a.attributions) for a in load_polnear(args.subset or "train", args.corpus)]
    elif args.format == "brat":
        if args.corpus is None:
            raise _Usage("--format brat needs a CORPUS folder (text/*.txt and attributions/*.ann)")
        articles = load_brat(args.corpus)
    else:
        raise _Usage("--task attribution needs --format polnear or --format brat")
    t = time.time()
    tagger = train_attribution(articles)
    from rhetoric.learn.modelfile import replace_head
    replace_head(args.output, "attribution", tagger)
    cue = evaluate_attribution(tagger, articles, n_boot=0)["cue"]
    print(f"wrote head 'attribution' into {args.output} ({len(articles)} articles, {len(tagger.keys_)} weights, "
          f"training cue F1 {cue['overlap_f1']:.3f} overlap / {cue['exact_f1']:.3f} exact, {time.time() - t:.0f} s)")
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
        from rhetoric.propaganda.training import cross_validate
        res = cross_validate(corpus, args.cv, args.seed, spans=spans)
        if args.json:
            print(json.dumps(res, indent=1, default=float))
        else:
            for key, r in res.items():
                _print(f"{args.cv}-fold CV grouped {key.replace('_', ' ')}", r)
        return 0
    from rhetoric.propaganda.model import load_model
    from rhetoric.propaganda.training import evaluate
    model = load_model(None if args.model == "default" else args.model)
    r = evaluate(model, corpus, spans=spans)
    if args.json:
        print(json.dumps(r, indent=1, default=float))
    else:
        _print(f"{corpus.name} {corpus.subset or ''}".strip() + f" with model {args.model}", r)
    return 0
