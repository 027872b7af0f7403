"""HTML views of a report: a fragment (notebooks, the web app) and standalone pages.

The view explains itself on paper: a legend defines every category and label, each sentence is a
row with the model's call and probability beside it and its evidence written out beneath it, and
a sources panel lists who is cited. Overlapping evidence stacks one coloured bar per category
under the words (``html_style.bar_style``), so no colour hides another; quoted voice is italic on
grey, a hedge's scope is dotted-underlined, boilerplate is greyed. Tooltips repeat, never replace,
what is printed. All text from the report is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise
from typing import Any

from rhetoric.report.html_style import CATEGORY_ORDER, CSS, TINTS, bar_style
from rhetoric.report.legend import CATEGORY_DEFINITIONS, define_dimension, define_label, explain_rule

# The result types, by name only: ``Report.to_html`` and ``_repr_html_`` call this module, so it
# does not import ``rhetoric.report.types`` back (no import circle); it reads their fields.
Report = Attribution = Sentence = Span = Any

__all__ = ["CSS", "page_shell", "render_fragment", "render_page", "render_pages"]

_KINDS = ("named", "anonymous", "vague", "state_media")
_RANK = {c: i for i, c in enumerate(CATEGORY_ORDER)}
_NOTE_LIMIT = 80  # characters of quoted content / scope shown in a note


def _label(label: str) -> str:
    return label.replace("_", " ").replace(",", " / ")


def _short(text: str, limit: int = _NOTE_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _swatch(category: str) -> str:
    return (f'<span class="rh-sw" style="{bar_style([category])}" '
            f'title="{escape(category)}"></span>')


# -- the text, sentence by sentence ------------------------------------------------------------
def _blocks(report: Report) -> list[tuple[int, int, Sentence | None]]:
    """Sentences and the text between them, in order, covering the whole text."""
    out: list[tuple[int, int, Sentence | None]] = []
    pos = 0
    for s in report.sentences:
        if s.start > pos:
            out.append((pos, s.start, None))
        out.append((s.start, s.end, s))
        pos = max(pos, s.end)
    if pos < len(report.text):
        out.append((pos, len(report.text), None))
    return out


def _highlight(text: str, lo: int, hi: int, spans: list[Span], quoted: list[tuple[int, int]],
               scopes: list[tuple[int, int]]) -> str:
    """``text[lo:hi]`` cut at every boundary; each piece wrapped once (marks never nest)."""
    cuts = {lo, hi}
    for a, b in [*((s.start, s.end) for s in spans), *quoted, *scopes]:
        cuts.update(x for x in (a, b) if lo < x < hi)
    edges = sorted(cuts)
    out: list[str] = []
    for a, b in pairwise(edges):
        piece = escape(text[a:b])
        covering = [s for s in spans if s.start <= a and s.end >= b]
        classes = []
        if any(x <= a and y >= b for x, y in quoted):
            classes.append("rh-q")
        if any(x <= a and y >= b for x, y in scopes):
            classes.append("rh-scope")
        if not covering:
            out.append(f'<span class="{" ".join(classes)}">{piece}</span>' if classes else piece)
            continue
        cats = sorted({s.category for s in covering}, key=lambda c: _RANK.get(c, 99))
        cats = [c for c in cats if c in TINTS] or ["technique"]
        tip = "; ".join(sorted({f"{s.category}: {s.label} ({s.rule})" for s in covering}))
        cls = " ".join([f"rh-{cats[0]}", *classes])
        out.append(f'<mark class="{cls}" data-categories="{" ".join(cats)}" style="{bar_style(cats)}" '
                   f'title="{escape(tip)}">{piece}</mark>')
    return "".join(out)


def _attribution_note(report: Report, a: Attribution) -> str:
    source = f"“{escape(_short(a.source.text))}”" if a.source else "<i>no source named</i>"
    said = f" · says: <span class=\"rh-q\">“{escape(_short(a.content.text))}”</span>" if a.content else ""
    sid = f" · source {a.source_id + 1}" if a.source_id >= 0 else ""
    return (f"<li>{_swatch('attribution')} <strong>attribution</strong> · {escape(_label(a.kind))}: {source} "
            f"← “{escape(_short(a.cue.text))}”{said}{sid} <code>{escape(a.reason)}</code></li>")


def _span_note(report: Report, s: Span) -> str:
    bits = [(f"{_swatch(s.category) if s.category in TINTS else ''} <strong>{escape(s.category)}</strong> · "
             f"{escape(_label(s.label))} — “{escape(_short(s.text))}”")]
    if s.voice == "quoted":
        who = ""
        if 0 <= s.attribution < len(report.attributions):
            src = report.attributions[s.attribution].source
            who = f" of “{escape(_short(src.text, 40))}”" if src else ""
        bits.append(f'<span class="rh-voice">quoted voice{who}</span>')
    if s.scope is not None:
        a, b = s.scope
        bits.append(f'governs <span class="rh-scope">“{escape(_short(report.text[a:b]))}”</span>')
    bits.append(f"<code>{escape(s.rule)}</code>")
    return "<li>" + " ".join(bits) + "</li>"


def _call(s: Sentence, uid: str) -> str:
    out = [f'<strong><a href="#{uid}-s{s.index}" id="{uid}-s{s.index}">S{s.index + 1}</a></strong>']
    if s.is_propaganda is not None:
        out.append('<span class="rh-badge rh-yes">propaganda</span>' if s.is_propaganda
                   else '<span class="rh-badge rh-no">no propaganda</span>')
    if s.propaganda is not None:
        out.append(f"<div>p(propaganda) {s.propaganda:.2f}</div>")
    if s.is_hedged:
        out.append('<span class="rh-badge rh-hedged">hedged</span>')
    if s.state_media is not None:
        sm = "rh-badge rh-sm" if s.state_media >= 0.5 else ""
        out.append(f'<div class="{sm}">p(state media) {s.state_media:.2f}</div>')
    if s.boilerplate:
        out.append("<div>boilerplate: not scored</div>")
    return f'<div class="rh-call">{"".join(out)}</div>'


class _Sweep:
    """Intervals overlapping each of a series of increasing blocks, in one pass (no block × interval loop)."""

    def __init__(self, items: list[Any], bounds: Any) -> None:
        self.items = sorted(items, key=bounds)
        self.bounds = bounds
        self.active: list[Any] = []
        self.next = 0

    def at(self, lo: int, hi: int) -> list[Any]:
        items, bounds = self.items, self.bounds
        while self.next < len(items) and bounds(items[self.next])[0] < hi:
            self.active.append(items[self.next])
            self.next += 1
        self.active = [x for x in self.active if bounds(x)[1] > lo or bounds(x)[0] == lo]
        return [x for x in self.active if bounds(x)[0] < hi or bounds(x)[0] == lo]


def _text_view(report: Report, uid: str) -> str:
    text = report.text
    spans = _Sweep(list(report.spans), lambda s: (s.start, s.end))
    quoted = _Sweep([(a.content.start, a.content.end) for a in report.attributions if a.content is not None],
                    lambda q: q)
    scopes = _Sweep(list({s.scope for s in report.spans if s.scope is not None}), lambda q: q)
    by_sentence: dict[int, list[Attribution]] = {}
    for a in report.attributions:
        by_sentence.setdefault(a.sentence, []).append(a)
    rows: list[str] = []
    para = True
    for lo, hi, sent in _blocks(report):
        here = spans.at(lo, hi)
        if sent is None and not text[lo:hi].strip():
            rows.append(f'<span class="rh-gap">{escape(text[lo:hi])}</span>')
            para = para or "\n" in text[lo:hi]
            continue
        body = _highlight(text, lo, hi, here, quoted.at(lo, hi), scopes.at(lo, hi))
        notes = []
        attrs = by_sentence.get(sent.index, []) if sent is not None else []
        parts = {(x.start, x.end) for a in attrs for x in (a.cue, a.source) if x is not None}
        notes += [_attribution_note(report, a) for a in attrs]
        seen = set()
        for s in here:
            key = (s.start, s.end, s.category, s.label)
            owner = s.sentence if s.sentence >= 0 else (sent.index if sent is not None else -1)
            if key in seen or (sent is not None and owner != sent.index) or (
                    s.category == "attribution" and (s.start, s.end) in parts):
                continue
            seen.add(key)
            notes.append(_span_note(report, s))
        classes = ["rh-s"] + (["rh-para"] if para and rows else []) + (
            ["rh-boilerplate"] if sent is not None and sent.boilerplate else []) + (
            ["rh-flag"] if sent is not None and sent.is_propaganda else [])
        call = _call(sent, uid) if sent is not None else '<div class="rh-call"></div>'
        notes_html = f'<ul class="rh-notes">{"".join(notes)}</ul>' if notes else ""
        rows.append(f'<div class="{" ".join(classes)}">{call}<div><p class="rh-st">{body}</p>'
                    f"{notes_html}</div></div>")
        para = False
    return f'<div class="rh-text">{"".join(rows)}</div>'


# -- panels ------------------------------------------------------------------------------------
def _scores(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{escape(k.replace('_', ' '))}</td><td class=\"rh-num\">{v:.2f}</td>"
        f"<td class=\"rh-num\">{'–' if k not in report.densities else f'{report.densities[k]:.1f}'}</td>"
        f"<td>{escape(define_dimension(k))}</td></tr>"
        for k, v in report.scores.items())
    model = f"model {escape(report.model)}" if report.model else "no model (lexicons only)"
    flagged = [s for s in report.sentences if s.is_propaganda]
    calls = (f"<p>{len(flagged)} of {len(report.sentences)} sentences called propaganda by the model.</p>"
             if any(s.is_propaganda is not None for s in report.sentences) else "")
    return ("<section><h3>Scores</h3><table><tr><th>dimension</th><th>score 0–1</th><th>per 1,000 words</th>"
            f"<th>what it measures</th></tr>{rows}</table><p class=\"rh-muted\">{report.n_words} words, "
            f"{len(report.sentences)} sentences; {model}.</p>{calls}</section>")


def _sources(report: Report, uid: str) -> str:
    src = report.sourcing
    distinct = {k[len("n_distinct_"):]: v for k, v in src.items() if k.startswith("n_distinct_")}
    dhead = "<th>distinct sources</th>" if distinct else ""
    rows = [f"<tr><td>all</td><td class=\"rh-num\">{int(src.get('n_attributions', len(report.attributions)))}</td>"
            + (f"<td class=\"rh-num\">{_num(distinct.get('sources', distinct.get('all')))}</td>" if distinct else "")
            + "</tr>"]
    for kind in _KINDS:
        rows.append(f"<tr><td>{_swatch_kind(kind)}{escape(_label(kind))}</td>"
                    f"<td class=\"rh-num\">{int(src.get(f'n_{kind}', 0))}</td>"
                    + (f"<td class=\"rh-num\">{_num(distinct.get(kind))}</td>" if distinct else "") + "</tr>")
    extra = [k for k in distinct if k not in (*_KINDS, "sources", "all")]
    rows += [f"<tr><td>{escape(_label(k))}</td><td></td><td class=\"rh-num\">{_num(distinct[k])}</td></tr>"
             for k in extra]
    shares = " · ".join(f"{escape(k.replace('_', ' '))} {v:.0%}" for k, v in src.items() if k.endswith("_share"))
    groups: dict[object, list[Attribution]] = {}
    for i, a in enumerate(report.attributions):
        key: object = (("id", a.source_id) if a.source_id >= 0 else
                       ("text", a.kind, " ".join(a.source.text.lower().split())) if a.source else ("none", i))
        groups.setdefault(key, []).append(a)
    cited = []
    for items in groups.values():
        a = items[0]
        name = escape(_short(a.source.text, 50)) if a.source else "<i>no source named</i>"
        cues = ", ".join(sorted({f"“{escape(_short(x.cue.text, 30))}”" for x in items}))
        sents = ", ".join(f'<a href="#{uid}-s{n}">S{n + 1}</a>' for n in sorted({x.sentence for x in items}))
        cited.append(f"<tr><td>{name}</td><td>{escape(_label(a.kind))}</td><td class=\"rh-num\">{len(items)}</td>"
                     f"<td>{cues}</td><td>{sents}</td></tr>")
    who = ("<table><tr><th>who is cited</th><th>kind</th><th>times</th><th>cues</th><th>where</th></tr>"
           f"{''.join(cited)}</table>" if cited else "<p>No one is cited.</p>")
    return (f"<section><h3>Sources</h3><table><tr><th>attributions</th><th>count</th>{dhead}</tr>"
            f"{''.join(rows)}</table>{f'<p class=rh-muted>{shares}</p>' if shares else ''}{who}</section>")


def _num(v: object) -> str:
    return "–" if v is None else f"{int(v)}" if float(v) == int(v) else f"{v:.2f}"  # type: ignore[arg-type]


def _swatch_kind(kind: str) -> str:
    return _swatch("state_media" if kind == "state_media" else "attribution") + " "


def _legend(report: Report) -> str:
    cats = "".join(f"<dt>{_swatch(c)} {escape(c.replace('_', ' '))}</dt><dd>{escape(CATEGORY_DEFINITIONS[c])}</dd>"
                   for c in CATEGORY_ORDER if c in CATEGORY_DEFINITIONS)
    stacked = bar_style(["technique", "attribution"])
    marks = (f'<dt><span style="{stacked}">two labels</span></dt><dd>one bar per label under the same words: '
             f"overlapping evidence stacks, no colour hides another</dd>"
             '<dt><span class="rh-q">quoted voice</span></dt><dd>what a cited source says, not the author</dd>'
             '<dt><span class="rh-scope">hedge scope</span></dt><dd>the clause a hedge weakens</dd>'
             '<dt><span class="rh-badge rh-yes">propaganda</span></dt><dd>the model\'s call for a sentence, '
             "with its probability p</dd>"
             '<dt><span style="color:#8a8a8a">grey text</span></dt><dd>boilerplate, left out of the scores</dd>')
    present = sorted({(s.category, s.label) for s in report.spans} | {("attribution", a.kind)
                                                                       for a in report.attributions},
                     key=lambda x: (_RANK.get(x[0], 99), x[1]))
    labels = "".join(f"<dt>{_swatch(c) if c in TINTS else ''} {escape(_label(lab))}</dt>"
                     f"<dd>{escape(define_label(c, lab))}</dd>" for c, lab in present)
    labels_html = f"<h3>Labels in this text</h3><dl class=\"rh-legend\">{labels}</dl>" if labels else ""
    return f'<section><h3>Legend</h3><dl class="rh-legend">{cats}{marks}</dl>{labels_html}</section>'


def _rules(report: Report) -> str:
    codes = {s.rule for s in report.spans} | {a.reason for a in report.attributions}
    files = sorted({c.split(":")[0] for c in codes if c.split(":")[0].endswith((".tsv", ".txt"))})
    other = sorted(c for c in codes if not c.split(":")[0].endswith((".tsv", ".txt")))
    items = [f"<li><code>{escape(f)}:N</code> {escape(explain_rule(f + ':1').replace('line 1', 'line N'))}</li>"
             for f in files]
    items += [f"<li><code>{escape(c)}</code> {escape(explain_rule(c))}</li>" for c in other]
    return f'<section class="rh-rules"><h3>Rule codes</h3><ul>{"".join(items)}</ul></section>' if items else ""


def _input_note(report: Report) -> str:
    info = report.meta.get("input") if isinstance(report.meta, dict) else None
    if not isinstance(info, dict) or info.get("format") != "html":
        return ""
    title = f" “{escape(str(info['title']))}”" if info.get("title") else ""
    return (f'<p class="rh-input">Article text extracted from the HTML page{title} by '
            f"{escape(str(info.get('extractor', 'an extractor')))}: {int(info.get('n_chars_text', 0)):,} characters "
            f"kept of {int(info.get('n_chars_page', 0)):,} in the page (menus, footers and scripts left out). "
            "The scores are for the extracted text below.</p>")


# -- entry points ------------------------------------------------------------------------------
def render_fragment(report: Report, title: str | None = None, uid: str = "rh") -> str:
    """An HTML fragment with its own scoped style (Jupyter's rich display, the web app).

    ``uid`` prefixes the sentence anchors; give each fragment on one page its own.
    """
    head = f"<h2>{escape(title)}</h2>" if title else ""
    return (f'<div class="rhetoric-report"><style>{CSS}</style>{head}{_input_note(report)}'
            f'<div class="rh-panels">{_scores(report)}{_sources(report, uid)}</div>{_legend(report)}'
            f"<h3>The text, sentence by sentence</h3>{_text_view(report, uid)}{_rules(report)}</div>")


def page_shell(title: str, body: str, head: str = "") -> str:
    """A complete HTML page around ``body`` (already HTML)."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{escape(title)}</title>'
            f"{head}</head><body>{body}</body></html>\n")


def render_page(report: Report, title: str = "rhetoric report") -> str:
    """A standalone HTML page (``rhetoric score --format html > page.html``)."""
    return page_shell(title, f"<h1>{escape(title)}</h1>{render_fragment(report)}")


def render_pages(reports: Sequence[tuple[str, Report]], title: str = "rhetoric report") -> str:
    """One page with a section per report (``rhetoric score --format html a.txt b.txt``)."""
    toc = "".join(f'<li><a href="#rh{i}">{escape(name)}</a></li>' for i, (name, _) in enumerate(reports))
    sections = "".join(f'<section id="rh{i}">{render_fragment(r, title=name, uid=f"rh{i}")}</section>'
                       for i, (name, r) in enumerate(reports))
    return page_shell(title, f"<h1>{escape(title)}</h1><ol>{toc}</ol>{sections}")
