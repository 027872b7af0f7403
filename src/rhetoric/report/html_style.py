"""Colours and the style sheet of the HTML report view (kept apart from the markup code).

Every category has a light tint (the background of the first category on a word) and a strong
colour (its own bar under the word). Overlapping evidence stacks one bar per category, so no
colour hides another; ``print-color-adjust: exact`` keeps tints and bars in a printout.
"""

from __future__ import annotations

__all__ = ["BARS", "CATEGORY_ORDER", "CSS", "TINTS", "bar_style"]

# the order bars are stacked in, top (nearest the text) first
CATEGORY_ORDER = ("state_media", "technique", "hedge", "booster", "approximation", "attribution", "boilerplate")
TINTS = {
    "state_media": "#f4a3a3",
    "technique": "#f7d08a",
    "attribution": "#a9cdf5",
    "hedge": "#c7e9b0",
    "booster": "#d9c2f0",
    "approximation": "#b8e6e1",
    "boilerplate": "#e2e2e2",
}
BARS = {
    "state_media": "#c62828",
    "technique": "#d98200",
    "attribution": "#1f6fc5",
    "hedge": "#3f9a2a",
    "booster": "#7e46b8",
    "approximation": "#138a80",
    "boilerplate": "#8a8a8a",
}
_BAR_PX = 3


def bar_style(categories: list[str]) -> str:
    """Inline style for a piece of text: the first category's tint, then one bar per category."""
    shadows = ", ".join(f"inset 0 -{_BAR_PX * (i + 1)}px 0 {BARS[c]}" for i, c in enumerate(categories))
    pad = _BAR_PX * len(categories)
    return f"background-color:{TINTS[categories[0]]};box-shadow:{shadows};padding-bottom:{pad}px"


CSS = """
.rhetoric-report{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;max-width:70em;
 color:#111;background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.rhetoric-report h2{font-size:1.25em;margin:.2em 0 .4em}
.rhetoric-report h3{font-size:1.05em;margin:1.1em 0 .4em;border-bottom:1px solid #ddd}
.rhetoric-report table{border-collapse:collapse;margin:.3em 0}
.rhetoric-report td,.rhetoric-report th{border:1px solid #ccc;padding:2px 8px;text-align:left;vertical-align:top}
.rhetoric-report th{background:#f3f3f3}
.rhetoric-report td.rh-num{text-align:right;font-variant-numeric:tabular-nums}
.rhetoric-report .rh-input{background:#fff8e1;border:1px solid #f0d890;padding:.4em .7em;margin:.4em 0}
.rhetoric-report .rh-panels{display:flex;flex-wrap:wrap;gap:1.2em}
.rhetoric-report .rh-panels>section{flex:1 1 26em;min-width:0}
.rhetoric-report .rh-panels>section:first-child{flex:1.5 1 30em}
.rhetoric-report .rh-sw{display:inline-block;width:1.6em;height:1em;vertical-align:-2px;border-radius:2px}
.rhetoric-report dl.rh-legend{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 10px;margin:.3em 0;
 font-size:.92em}
.rhetoric-report dl.rh-legend dt{font-weight:600;white-space:nowrap}
.rhetoric-report dl.rh-legend dd{margin:0}
.rhetoric-report mark{color:#111;border-radius:0}
.rhetoric-report .rh-q{font-style:italic;background-color:#eef1f6}
.rhetoric-report .rh-scope{text-decoration:underline dotted #3f9a2a;text-decoration-thickness:2px;
 text-underline-offset:3px;text-decoration-skip-ink:none}
.rhetoric-report .rh-s{display:grid;grid-template-columns:9em 1fr;gap:10px;padding:5px 0;border-top:1px solid #eee}
.rhetoric-report .rh-s.rh-para{margin-top:.7em;border-top:1px solid #ccc}
.rhetoric-report .rh-call{font-size:.8em;color:#444}
.rhetoric-report .rh-call strong{display:block;font-size:1.1em;color:#111}
.rhetoric-report .rh-badge{display:inline-block;border-radius:3px;padding:0 4px;margin:1px 0;font-size:.95em}
.rhetoric-report .rh-yes{background:#c62828;color:#fff}
.rhetoric-report .rh-no{background:#e8f0e4;color:#234}
.rhetoric-report .rh-hedged{background:#c7e9b0}
.rhetoric-report .rh-sm{background:#f4a3a3}
.rhetoric-report .rh-st{white-space:pre-wrap;margin:0;line-height:1.9}
.rhetoric-report .rh-s.rh-flag .rh-st{border-left:3px solid #c62828;padding-left:6px}
.rhetoric-report .rh-notes{margin:.2em 0 0;padding-left:1.2em;font-size:.85em;color:#333}
.rhetoric-report .rh-notes li{margin:1px 0}
.rhetoric-report .rh-notes code,.rhetoric-report .rh-rules code{font-size:.92em;color:#555}
.rhetoric-report .rh-voice{font-size:.85em;border:1px solid #9aa7b8;border-radius:3px;padding:0 3px;color:#345}
.rhetoric-report .rh-boilerplate .rh-st,.rhetoric-report .rh-boilerplate .rh-notes{color:#8a8a8a}
.rhetoric-report .rh-boilerplate .rh-st mark{color:#8a8a8a}
.rhetoric-report .rh-gap{display:none}
.rhetoric-report .rh-muted{color:#666;font-size:.9em}
@media print{.rhetoric-report{max-width:none}.rhetoric-report .rh-s{break-inside:avoid}}
"""
