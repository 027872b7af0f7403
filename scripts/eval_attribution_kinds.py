"""Source-type coverage and accuracy on hand-labelled PolNeAR dev sources, and anonymous-source F1.

    python scripts/eval_attribution_kinds.py [--data $RHETORIC_DATA] [--rules-only]

Reads the two label files beside this script (article id, start, end, type; no corpus text):
``attribution_kind_sample.tsv`` (a random sample of gold sources) and
``attribution_kind_sample_unnamed.tsv`` (gold sources with a collective or unnamed-source noun).
A gold source is *covered* when an attribution of the report has a source overlapping it; accuracy
is over covered sources; anonymous P/R/F1 counts uncovered gold anonymous sources as misses.
Bootstrap 95% intervals over articles.
"""

from __future__ import annotations

import argparse
import os
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def _labels(name: str) -> list[tuple[str, int, int, str]]:
    out = []
    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            aid, s, e, kind = line.split("\t")
            out.append((aid, int(s), int(e), kind))
    return out


def _score_articles(ids: set[str], data: str | None, rules_only: bool) -> dict[str, list]:
    from rhetoric.analysis import Analyzer
    from rhetoric.data.datasets import load_polnear
    from rhetoric.learn.modelfile import load_bundle
    from rhetoric.sourcing.dimension import SourcingDimension
    head = None if rules_only else load_bundle().get("attribution")
    dim, analyzer = SourcingDimension(head), Analyzer()
    return {a.id: list(dim.apply(analyzer.analyze(a.text)).attributions)
            for a in load_polnear("dev", data) if a.id in ids}


def evaluate(labels: list[tuple[str, int, int, str]], attributions: dict[str, list]) -> dict[str, object]:
    per_article: dict[str, list[int]] = defaultdict(lambda: [0] * 6)  # n, covered, correct, tp, pred, gold anon
    for aid, s, e, kind in labels:
        c = per_article[aid]
        hits = [a for a in attributions[aid] if a.source is not None and a.source.start < e and s < a.source.end]
        c[0] += 1
        c[5] += kind == "anonymous"
        if hits:
            pred = hits[0].kind
            c[1] += 1
            c[2] += pred == kind
            c[4] += pred == "anonymous"
            c[3] += pred == "anonymous" and kind == "anonymous"
    counts = np.array(list(per_article.values()), dtype=float)

    def stats(x: np.ndarray) -> tuple[float, float, float]:
        n, cov, ok, tp, pred, gold = x.sum(axis=0)
        p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
        return cov / n, (ok / cov if cov else 0.0), (2 * p * r / (p + r) if p + r else 0.0)

    point = stats(counts)
    rng = np.random.default_rng(0)
    boots = np.array([stats(counts[rng.integers(0, len(counts), len(counts))]) for _ in range(1000)])
    lo, hi = np.percentile(boots, 2.5, axis=0), np.percentile(boots, 97.5, axis=0)
    names = ("coverage", "accuracy", "anonymous_f1")
    return {"n": int(counts[:, 0].sum()), "n_anonymous": int(counts[:, 5].sum()),
            **{k: (point[i], lo[i], hi[i]) for i, k in enumerate(names)}}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default=os.environ.get("RHETORIC_DATA"))
    p.add_argument("--rules-only", action="store_true", help="without the trained attribution head")
    args = p.parse_args(argv)
    samples = {"random": _labels("attribution_kind_sample.tsv"),
               "unnamed-noun": _labels("attribution_kind_sample_unnamed.tsv")}
    ids = {aid for rows in samples.values() for aid, *_ in rows}
    attributions = _score_articles(ids, args.data, args.rules_only)
    print("| sample | gold sources (anonymous) | coverage | type accuracy | anonymous F1 |")
    print("|---|---|---|---|---|")
    for name, rows in samples.items():
        r = evaluate(rows, attributions)
        cells = " | ".join(f"{v[0]:.2f} ({v[1]:.2f}–{v[2]:.2f})" for v in (r["coverage"], r["accuracy"],
                                                                        r["anonymous_f1"]))
        print(f"| {name} | {r['n']} ({r['n_anonymous']}) | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
