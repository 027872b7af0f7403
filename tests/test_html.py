"""HTML views: everything from the text is escaped, and evidence spans are highlighted as <mark>."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest

HOSTILE = ('<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes" \'single\' '
           "The sacred mission, one source said. <b>neo-Nazi</b>")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.marks: list[str] = []
        self._depth = 0
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "mark":
            self._depth += 1
            self._buf = []

    def handle_endtag(self, tag):
        if tag == "mark":
            self._depth -= 1
            self.marks.append("".join(self._buf))

    def handle_data(self, data):
        if self._depth:
            self._buf.append(data)


def parse(html):
    c = _Collector()
    c.feed(html)
    return c


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


def test_text_round_trips_through_the_fragment(hostile_report):
    html = hostile_report._repr_html_()
    body = re.search(r'<div class="rh-text">(.*)</div></div>$', html, re.DOTALL).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", body)) == HOSTILE


def test_highlighted_spans_are_marks(hostile_report):
    marks = parse(hostile_report._repr_html_()).marks
    legend = {"state_media", "technique", "attribution", "hedge", "booster"}
    evidence = [m for m in marks if m not in legend]
    assert "sacred mission" in evidence
    assert "neo-Nazi" in evidence
    assert "said" in evidence


def test_mark_carries_category_class_and_rule_tooltip(scorer):
    html = scorer.score("It was a sacred mission.")._repr_html_()
    m = re.search(r'<mark class="rh-state_media" title="([^"]*)">sacred mission</mark>', html)
    assert m and "state_media: glorification (state_media.tsv:" in m.group(1)


def test_overlapping_spans_do_not_nest_or_break_markup(scorer, seed_000):
    report = scorer.score(seed_000)
    html = report._repr_html_()
    assert html.count("<mark") == html.count("</mark>")
    assert "<mark" not in "".join(re.findall(r"<mark[^>]*>(.*?)</mark>", html, re.DOTALL))
    body = re.search(r'<div class="rh-text">(.*)</div></div>$', html, re.DOTALL).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", body)) == seed_000


def test_page_title_is_escaped(scorer):
    html = scorer.score("x").to_html(title="<script>t</script>")
    assert "<title>&lt;script&gt;t&lt;/script&gt;</title>" in html
    assert html.startswith("<!DOCTYPE html>")


def test_empty_report_renders(scorer):
    html = scorer.score("")._repr_html_()
    assert 'class="rhetoric-report"' in html
    assert parse(html).marks == ["state_media", "technique", "attribution", "hedge", "booster"]  # the legend only
