"""``Sentence.is_propaganda``: the call at the model's stored threshold, named in the report and shown in views."""

from __future__ import annotations

import io

import rhetoric
from rhetoric.cli.table import write_table
from rhetoric.learn.modelfile import load_bundle
from rhetoric.report.html import render_page


def test_is_propaganda_is_the_call_at_the_stored_threshold(seed_000):
    threshold = load_bundle()["propaganda"].threshold
    r = rhetoric.score(seed_000)
    assert r.meta["thresholds"]["propaganda"] == round(threshold, 4)
    calls = [(s.propaganda, s.is_propaganda) for s in r.sentences if not s.boilerplate]
    assert calls and all(c == (p >= threshold) for p, c in calls)
    assert {c for _, c in calls} == {True, False}


def test_lexicon_only_scorer_makes_no_call(scorer, seed_000):
    r = scorer.score(seed_000)
    assert all(s.is_propaganda is None for s in r.sentences)
    assert "propaganda" not in r.meta.get("thresholds", {})


def test_table_and_html_show_the_call_and_threshold(seed_000):
    r = rhetoric.score(seed_000)
    out = io.StringIO()
    write_table("seed", r, out)
    text = out.getvalue()
    assert f"propaganda p>={r.meta['thresholds']['propaganda']:.3f}" in text
    assert "PROPAGANDA" in text
    html = render_page(r)
    assert "rh-badge rh-yes" in html and "no propaganda" in html
