"""HTML views of a report: an inline fragment for notebooks and a standalone page.

Spans of different categories may overlap, so the text is cut at every span boundary and each
piece is wrapped once, coloured by the most specific category that covers it, with a tooltip that
lists every span covering it. All text is HTML-escaped.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rhetoric.report.types import Report, Span

__all__ = ["render_fragment", "render_page"]

_COLOURS = {
    "state_media": "#f4a3a3",
    "technique": "#f7d08a",
    "attribution": "#a9cdf5",
    "hedge": "#c7e9b0",
    "booster": "#d9c2f0",
}
_PRIORITY = ("state_media", "technique", "hedge", "booster", "attribution")
_CSS = """
.rhetoric-report{font-family:system-ui,sans-serif;line-height:1.55;max-width:60em}
.rhetoric-report table{border-collapse:collapse;margin:.5em 0}
.rhetoric-report td,.rhetoric-report th{border:1px solid #ccc;padding:2px 8px;text-align:left}
.rhetoric-report .rh-text{white-space:pre-wrap;border:1px solid #ddd;padding:.8em;background:#fff;color:#111}
.rhetoric-report mark{border-radius:3px;padding:0 1px;color:#111}
""" + "".join(f".rhetoric-report mark.rh-{c}{{background:{col}}}\n" for c, col in _COLOURS.items())


def _highlight(text: str, spans: tuple[Span, ...]) -> str:
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starts: dict[int, list[Span]] = {}
    for s in spans:
        starts.setdefault(s.start, []).append(s)
    active: list[Span] = []
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        active = [s for s in active if s.end > a] + starts.get(a, [])
        piece = escape(text[a:b])
        covering = [s for s in active if s.start <= a and s.end >= b]
        if not covering:
            out.append(piece)
            continue
        cats = {s.category for s in covering}
        top = next(c for c in _PRIORITY if c in cats)
        tip = "; ".join(sorted({f"{s.category}: {s.label} ({s.rule})" for s in covering}))
        out.append(f'<mark class="rh-{top}" title="{escape(tip)}">{piece}</mark>')
    return "".join(out)


def _score_table(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{escape(k)}</td><td>{v:.2f}</td>"
        f"<td>{'–' if k not in report.densities else f'{report.densities[k]:.1f}'}</td></tr>"
        for k, v in report.scores.items())
    src = report.sourcing
    sourcing = (f"{int(src.get('n_attributions', 0))} attributions: {int(src.get('n_named', 0))} named, "
                f"{int(src.get('n_anonymous', 0))} anonymous, {int(src.get('n_vague', 0))} vague, "
                f"{int(src.get('n_state_media', 0))} state media")
    legend = " ".join(f'<mark class="rh-{c}">{c}</mark>' for c in _COLOURS)
    return (f"<table><tr><th>dimension</th><th>score 0–1</th><th>per 1,000 words</th></tr>{rows}</table>"
            f"<p>{escape(sourcing)} · {report.n_words} words</p><p>{legend}</p>")


def render_fragment(report: Report) -> str:
    """An HTML fragment (with its own scoped style) for Jupyter's rich display."""
    return (f'<div class="rhetoric-report"><style>{_CSS}</style>{_score_table(report)}'
            f'<div class="rh-text">{_highlight(report.text, report.spans)}</div></div>')


def render_page(report: Report, title: str = "rhetoric report") -> str:
    """A standalone HTML page (``rhetoric score --format html > page.html``)."""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"</head><body><h1>{escape(title)}</h1>{render_fragment(report)}</body></html>\n")
