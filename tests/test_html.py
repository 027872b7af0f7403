"""HTML views: escaping, exact text, layered evidence, a legend, a sources panel and per-sentence calls.

Most tests render hand-built reports (rhetoric.report.types), so they do not depend on what the
dimensions find today; a few render real reports of hostile text and of a seed.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from rhetoric.report import Attribution, Report, Sentence, Span
from rhetoric.report.html import render_pages
from rhetoric.report.html_style import BARS
from rhetoric.report.legend import CATEGORY_DEFINITIONS, LABEL_DEFINITIONS

HOSTILE = ('<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes" \'single\' '
           "The sacred mission, one source said. <b>neo-Nazi</b>")


class _Collector(HTMLParser):
    """Tags, the text inside marks, the text of the sentence view, and the visible (non-title) text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.marks: list[str] = []
        self.mark_attrs: list[dict[str, str]] = []
        self.text_view: list[str] = []
        self.visible: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # tag, in text view, in mark
        self._style = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        classes = (a.get("class") or "").split()
        in_text = bool(self._stack and self._stack[-1][1]) or "rh-st" in classes or "rh-gap" in classes
        in_mark = bool(self._stack and self._stack[-1][2]) or tag == "mark"
        if tag == "mark":
            self.marks.append("")
            self.mark_attrs.append(a)
        if tag == "style":
            self._style += 1
        self._stack.append((tag, in_text, in_mark))

    def handle_endtag(self, tag):
        while self._stack:
            t, _, _ = self._stack.pop()
            if t == "style":
                self._style -= 1
            if t == tag:
                break

    def handle_data(self, data):
        top = self._stack[-1] if self._stack else ("", False, False)
        if top[1]:
            self.text_view.append(data)
        if top[2]:
            self.marks[-1] += data
        if not self._style:
            self.visible.append(data)


def parse(html: str) -> _Collector:
    c = _Collector()
    c.feed(html)
    c.close()
    return c


def seen(c: _Collector) -> str:
    """The visible text, whitespace collapsed."""
    return " ".join("".join(c.visible).split())


def _span(text, start, end, category, label, rule="t.tsv:1", sentence=0, **kw):
    return Span(start, end, text[start:end], category, label, 1.0, rule, sentence=sentence, **kw)


TEXT = ("The statement declared a sacred mission. Officials may be wrong, one source said. "
        "Subscribe to our newsletter.")


@pytest.fixture(scope="module")
def built() -> Report:
    """A hand-built report with every field the view renders."""
    t = TEXT
    i = t.index
    s0, s1, s2 = (0, i(".") + 1), (i("Officials"), i("said.") + 5), (i("Subscribe"), len(t))
    statement, declared = (i("The statement"), i("The statement") + 13), (i("declared"), i("declared") + 8)
    spans = [
        _span(t, statement[0], declared[1], "technique", "Loaded_Language", "model:span-tagger"),
        _span(t, *statement, "attribution", "state_media", "attribution:source-before"),
        _span(t, *declared, "attribution", "cue", "attribution.tsv:7"),
        _span(t, i("sacred mission"), i("sacred mission") + 14, "state_media", "glorification", "state_media.tsv:35"),
        _span(t, i("may"), i("may") + 3, "hedge", "epistemic", "hedges.tsv:41", sentence=1, voice="quoted",
              attribution=1, scope=(i("Officials"), i(" one source") - 1)),
        _span(t, i("one source"), i("one source") + 10, "attribution", "anonymous", "attribution:source-before",
              sentence=1),
        _span(t, i("said."), i("said.") + 4, "attribution", "cue", "attribution.tsv:9", sentence=1),
        _span(t, s2[0], s2[1], "boilerplate", "newsletter", "boilerplate:newsletter", sentence=2),
    ]
    content = _span(t, i("Officials"), i(" one source") - 1, "attribution", "content", "attribution:content",
                    sentence=1)
    attributions = (
        Attribution(spans[2], spans[1], "state_media", "document->attribution.tsv:158", 0, source_id=0),
        Attribution(spans[6], spans[5], "anonymous", "head:source", 1, content=content, source_id=1),
    )
    sentences = (
        Sentence(0, *s0, t[s0[0]:s0[1]], 6, {}, propaganda=0.91, is_propaganda=True, state_media=0.77),
        Sentence(1, *s1, t[s1[0]:s1[1]], 7, {}, propaganda=0.12, is_propaganda=False, is_hedged=True),
        Sentence(2, *s2, t[s2[0]:s2[1]], 4, {}, boilerplate=True),
    )
    sourcing = {"n_attributions": 2.0, "n_named": 0.0, "n_anonymous": 1.0, "n_vague": 0.0, "n_state_media": 1.0,
                "anonymous_share": 0.5, "n_distinct_sources": 2.0, "n_distinct_anonymous": 1.0,
                "n_distinct_state_media": 1.0}
    return Report(text=t, n_words=17, scores={"state_media": 0.4, "propaganda": 0.7},
                  densities={"state_media": 12.0}, sourcing=sourcing, spans=tuple(spans), sentences=sentences,
                  attributions=attributions, lexicon_sha256="0" * 64, model="test-model",
                  meta={"input": {"format": "html", "extractor": "trafilatura 9.9", "title": "A <page>",
                                  "n_chars_page": 5000, "n_chars_text": len(t)}})


# -- escaping and exact text ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_report(scorer):
    return scorer.score(HOSTILE)


@pytest.mark.parametrize("render", ["_repr_html_", "to_html"])
def test_text_markup_is_escaped(hostile_report, render):
    html = getattr(hostile_report, render)()
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(" in html
    tags = set(parse(html).tags)
    assert "script" not in tags and "img" not in tags and "b" not in tags


@pytest.mark.parametrize("which", ["hostile", "seed", "built"])
def test_text_view_holds_the_exact_text(which, hostile_report, scorer, seed_000, built):
    report = {"hostile": hostile_report, "seed": scorer.score(seed_000) if which == "seed" else None,
              "built": built}[which]
    c = parse(report._repr_html_())
    assert "".join(c.text_view) == report.text
    assert c.tags.count("mark") == len(c.marks)


def test_marks_never_nest(scorer, seed_000):
    html = scorer.score(seed_000)._repr_html_()
    assert html.count("<mark") == html.count("</mark>")
    assert "<mark" not in "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.DOTALL))


def test_evidence_in_real_text_is_marked(hostile_report):
    marks = " ".join(parse(hostile_report._repr_html_()).marks)
    assert "sacred mission" in marks and "neo-Nazi" in marks and "said" in marks


# -- the view explains itself -----------------------------------------------------------------------
def test_overlapping_evidence_stacks_instead_of_hiding(built):
    c = parse(built._repr_html_())
    statement = [a for a, m in zip(c.mark_attrs, c.marks) if m == "The statement"]
    assert len(statement) == 1
    cats = statement[0]["data-categories"].split()
    assert cats == ["technique", "attribution"]  # both labels on the same words
    style = statement[0]["style"]
    assert BARS["technique"] in style and BARS["attribution"] in style  # one bar each
    assert "rh-technique" in statement[0]["class"]


def test_legend_defines_every_category_and_each_label_present(built):
    visible = seen(parse(built._repr_html_()))
    for definition in CATEGORY_DEFINITIONS.values():
        assert definition.replace('"', "") in visible.replace('"', "")
    for label in ("Loaded_Language", "glorification", "epistemic", "anonymous"):
        assert LABEL_DEFINITIONS[label] in visible
    assert "quoted voice" in visible and "hedge scope" in visible


def test_explanations_are_printed_not_only_in_tooltips(built):
    c = parse(built._repr_html_())
    visible = seen(c)
    for s in built.spans:
        if s.category != "attribution":
            assert s.rule in visible and s.label.replace("_", " ") in visible, s
    assert "line N of the lexicon file lexicons/hedges.tsv" in visible  # the rule codes are explained
    assert "source-before" in visible and "head noun" in visible


def test_sources_panel_counts_and_lists_who_is_cited(built):
    html = built._repr_html_()
    sources = html[html.index("<h3>Sources</h3>"):html.index("<h3>Legend</h3>")]
    visible = seen(parse(sources))
    assert "distinct sources" in visible and "who is cited" in visible
    rows = re.findall(r"<tr>(.*?)</tr>", sources)
    anonymous = next(r for r in rows if ">anonymous</td>" in r.replace(" ", "") or "anonymous</td><td" in r)
    assert re.findall(r'rh-num">(\d+)<', anonymous) == ["1", "1"]  # one attribution, one distinct source
    assert "The statement" in visible and "one source" in visible and "“declared”" in visible


def test_each_sentence_has_its_call_probability_and_flags(built):
    html = built._repr_html_()
    rows = re.findall(r'<div class="(rh-s[^"]*)"><div class="rh-call">(.*?)<p class="rh-st">', html, re.DOTALL)
    assert len(rows) == 3
    (c0, call0), (_, call1), (c2, call2) = rows
    assert "rh-flag" in c0 and "rh-yes" in call0 and "p(propaganda) 0.91" in call0 and "p(state media) 0.77" in call0
    assert "rh-no" in call1 and "p(propaganda) 0.12" in call1 and "hedged" in call1
    assert "rh-boilerplate" in c2 and "boilerplate: not scored" in call2


def test_quoted_voice_and_hedge_scope_are_shown(built):
    html = built._repr_html_()
    c = parse(html)
    visible = seen(c)
    assert "quoted voice of “one source”" in visible
    assert "governs “Officials may be wrong”" in visible
    q = re.search(r'<span class="rh-q rh-scope">Officials </span>', html)
    assert q, "the quoted content (italic) and the hedge's scope (dotted) are both drawn"


def test_html_input_is_reported(built):
    visible = seen(parse(built._repr_html_()))
    assert "extracted from the HTML page “A <page>” by trafilatura 9.9" in visible
    assert "5,000 in the page" in visible


def test_pages_with_several_reports_keep_anchors_apart(built):
    html = render_pages([("a.txt", built), ("b <x>.txt", built)], title="two")
    assert html.count("<!DOCTYPE html>") == 1 and html.count('class="rhetoric-report"') == 2
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert "b &lt;x&gt;.txt" in html


def test_page_title_is_escaped(scorer):
    html = scorer.score("x").to_html(title="<script>t</script>")
    assert "<title>&lt;script&gt;t&lt;/script&gt;</title>" in html
    assert html.startswith("<!DOCTYPE html>")


def test_empty_report_renders(scorer):
    c = parse(scorer.score("")._repr_html_())
    assert c.marks == [] and "".join(c.text_view) == ""
    assert "No one is cited." in seen(c)
