"""``rhetoric score``'s text table: scores, sourcing, then the evidence grouped by sentence.

Each sentence with evidence (or with a model call) gets a header line with its number, offsets,
the model's call and probability, and the start of its text; its spans and attributions follow,
indented. A footer explains every rule code that appears, so the table reads without the docs.
"""

from __future__ import annotations

from typing import TextIO

from rhetoric.report.legend import explain_rule
from rhetoric.report.types import Report, Sentence, Span

__all__ = ["write_table"]

_SNIPPET = 70


def _one_line(text: str, limit: int = _SNIPPET) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _sentence_header(s: Sentence) -> str:
    bits = [f"S{s.index + 1} {s.start}-{s.end}"]
    if s.propaganda is not None:
        bits.append(f"p(propaganda)={s.propaganda:.2f}")
    if s.is_propaganda is not None:
        bits.append("PROPAGANDA" if s.is_propaganda else "not propaganda")
    if s.is_hedged:
        bits.append("hedged")
    if s.state_media is not None:
        bits.append(f"p(state media)={s.state_media:.2f}")
    if s.boilerplate:
        bits.append("boilerplate (not scored)")
    return "  ".join(bits) + f"  {_one_line(s.text)!r}"


def _span_line(report: Report, s: Span) -> str:
    extra = ""
    if s.voice == "quoted":
        owner = report.attributions[s.attribution] if 0 <= s.attribution < len(report.attributions) else None
        extra += f"  (quoted: {_one_line(owner.source.text, 30)!r})" if owner and owner.source else "  (quoted)"
    if s.scope is not None:
        extra += f"  governs {_one_line(report.text[s.scope[0]:s.scope[1]], 50)!r}"
    return (f"    {s.start:>6}-{s.end:<6} {s.category:<12} {s.label:<28} {_one_line(s.text, 60)!r}"
            f"  [{s.rule}]{extra}")


def _input_line(report: Report) -> str | None:
    info = report.meta.get("input") if isinstance(report.meta, dict) else None
    if not isinstance(info, dict) or info.get("format") != "html":
        return None
    title = f" {info['title']!r}" if info.get("title") else ""
    return (f"input: HTML page{title}; article text extracted by {info.get('extractor')}: "
            f"{info.get('n_chars_text')} of {info.get('n_chars_page')} characters kept")


def write_table(name: str, report: Report, out: TextIO) -> None:
    """Write one report as the human-readable table."""
    out.write(f"== {name}: {report.n_words} words, {len(report.sentences)} sentences\n")
    note = _input_line(report)
    if note:
        out.write(note + "\n")
    w = max([24, *(len(k) + 2 for k in report.scores)])
    out.write(f"{'dimension':<{w}}{'score':>7}{'per 1k words':>14}\n")
    for k, v in report.scores.items():
        dens = report.densities.get(k)
        out.write(f"{k:<{w}}{v:>7.2f}{'' if dens is None else f'{dens:>14.1f}'}\n")
    thresholds = report.meta.get("thresholds") if isinstance(report.meta, dict) else None
    if thresholds:  # the cut behind each sentence's call, so p=0.35 can be read as a call
        out.write("operating thresholds: " + ", ".join(f"{k} p>={v:.3f}" for k, v in thresholds.items()) + "\n")
    src = report.sourcing
    out.write(f"sourcing: {int(src.get('n_attributions', 0))} attributions ({int(src.get('n_named', 0))} named, "
              f"{int(src.get('n_anonymous', 0))} anonymous, {int(src.get('n_vague', 0))} vague, "
              f"{int(src.get('n_state_media', 0))} state media); anonymous share "
              f"{src.get('anonymous_share', 0.0):.2f}\n")
    distinct = {k: v for k, v in src.items() if k.startswith("n_distinct_")}
    if distinct:
        out.write("distinct sources: " + ", ".join(f"{int(v)} {k[len('n_distinct_'):]}" for k, v in distinct.items())
                  + "\n")

    spans: dict[int, list[Span]] = {}
    for s in report.spans:
        if not s.rule.startswith("attribution:"):  # sources are listed with their attribution
            spans.setdefault(s.sentence, []).append(s)
    attributions: dict[int, list] = {}
    for a in report.attributions:
        attributions.setdefault(a.sentence, []).append(a)
    out.write("evidence by sentence:\n")
    for sent in report.sentences:
        here, cited = spans.pop(sent.index, []), attributions.pop(sent.index, [])
        if not here and not cited and not sent.is_propaganda:
            continue
        out.write(f"  {_sentence_header(sent)}\n")
        for s in here:
            out.write(_span_line(report, s) + "\n")
        for a in cited:
            source = _one_line(a.source.text, 60) if a.source else "(implicit)"
            sid = f" #{a.source_id}" if a.source_id >= 0 else ""
            out.write(f"    source{sid:<8}{a.kind:<12} {source!r} <- {a.cue.text!r}  [{a.reason}]\n")
    for s in (s for rest in spans.values() for s in rest):  # spans outside any sentence
        out.write(_span_line(report, s) + "\n")
    codes = sorted({s.rule for s in report.spans} | {a.reason for a in report.attributions})
    lexicon_files = sorted({c.split(":")[0] for c in codes if c.split(":")[0].endswith((".tsv", ".txt"))})
    if codes:
        out.write("rule codes:\n")
        out.writelines(f"  {f + ':N':<32} line N of the lexicon file lexicons/{f}\n" for f in lexicon_files)
        for c in codes:
            if c.split(":")[0] not in lexicon_files:
                out.write(f"  {c:<32} {explain_rule(c)}\n")
    out.write(f"lexicons sha256 {report.lexicon_sha256[:16]}  model {report.model}\n\n")
