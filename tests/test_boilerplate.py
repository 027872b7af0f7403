"""Site furniture is recognised in the text stage, kept as spans, and left out of every score."""

from __future__ import annotations

import pytest

from rhetoric.analysis import Analyzer
from rhetoric.text.boilerplate import boilerplate_sentences, find_boilerplate, in_boilerplate

RT_FOOTER = ("Like this story? Share it with a friend! RT News App © Autonomous Nonprofit Organization "
             "“TV-Novosti”, 2005–2021. All rights reserved. This website uses cookies. Read RTPrivacy "
             "policyto find out more. ")


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def _reasons(text: str, ranges: list[tuple[int, int, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for a, b, r in ranges:
        out.setdefault(r, []).append(text[a:b])
    return out


def test_seed_000_footer_and_duplicate_headline(seed_000: str, analyzer: Analyzer) -> None:
    ranges = find_boilerplate(seed_000, analyzer.analyze(seed_000).seg)
    found = _reasons(seed_000, ranges)
    assert found["comment-form"] == ["Your email address will not be published. Required fields are marked *"]
    assert any("WordPress theme" in t for t in found["theme-blurb"])
    assert found["subscribe"] == ["Zeen Subscribe"]
    assert found["shortcode"] == ['[mc4wp_form id="314"]']
    assert found["related"] == ["Kevin Franke: 'I Can't Even Put Into Words How Hurt I Am'"]
    headline = "North Korea and Russia Highlight Military Collaboration in Post-Kursk Narrative"
    (dup,) = [(a, b) for a, b, r in ranges if r == "duplicate-headline"]
    assert seed_000[dup[0]:dup[1]] == headline and dup[0] > seed_000.index(headline)  # the second copy
    footer = seed_000.index("Your email address")
    assert all(a >= footer for a, b, r in ranges if r != "duplicate-headline")  # the article itself is untouched
    assert ranges == sorted(ranges) and all(b <= c for (_, b, _), (c, _, _) in zip(ranges, ranges[1:]))


def test_inline_rt_footer_read_more_and_disclaimer(analyzer: Analyzer) -> None:
    text = ("Moscow has rejected the claims. READ MORE: Twitter dismisses Russian interference in Brexit referendum "
            "After the release of the report, officials said nothing. The statements, views and opinions expressed "
            "in this column are solely those of the author and do not necessarily represent those of RT. " + RT_FOOTER)
    found = _reasons(text, find_boilerplate(text, analyzer.analyze(text).seg))
    assert found["related"] == ["READ MORE: Twitter dismisses Russian interference in Brexit referendum"]
    assert found["share"] == ["Like this story? Share it with a friend!"]
    assert found["copyright"][0].startswith("RT News App ©") and found["copyright"][0].endswith("All rights reserved.")
    assert found["cookies"] == ["This website uses cookies. Read RTPrivacy policyto find out more."]
    assert found["disclaimer"][0].startswith("The statements, views and opinions")
    assert "Moscow has rejected" not in " ".join(t for v in found.values() for t in v)


def test_prose_about_subscribers_or_cookies_is_not_furniture() -> None:
    text = ("The newspaper lost subscribers after the share price fell.\n"
            "Officials said the website uses cookies to track visitors, and critics said the theme was old.\n"
            "Home is where the heart is, he said.")
    assert find_boilerplate(text) == []


def test_matches_inside_boilerplate_are_dropped(analyzer: Analyzer) -> None:
    body = "The leader called the deployment a sacred mission of the people."
    text = f"{body}\n\nShare this story!\nZeen is a next generation WordPress theme for every sacred mission.\n"
    a = analyzer.analyze(text)
    assert a.boilerplate and {r for *_, r in a.boilerplate} == {"share", "theme-blurb"}
    sacred = [m for m in a.matches if text[m.start:m.end].lower().startswith("sacred mission")]
    assert [m.start for m in sacred] == [body.index("sacred mission")]  # the footer copy is gone
    assert not any(in_boilerplate(a, m.start, m.end) for m in a.matches)
    assert boilerplate_sentences(a) == {i for i, (s, e) in enumerate(a.sentences) if s >= len(body)}


def test_in_boilerplate_overlap() -> None:
    ranges = ((10, 20, "share"), (30, 40, "copyright"))
    assert in_boilerplate(ranges, 12, 14) and in_boilerplate(ranges, 5, 11) and in_boilerplate(ranges, 39, 50)
    assert not in_boilerplate(ranges, 20, 30) and not in_boilerplate(ranges, 0, 10) and not in_boilerplate((), 0, 5)


def test_report_keeps_boilerplate_as_spans_and_marks_sentences(scorer, seed_000: str) -> None:  # type: ignore[no-untyped-def]
    report = scorer.score(seed_000)
    bp = [s for s in report.spans if s.category == "boilerplate"]
    assert {s.label for s in bp} >= {"comment-form", "theme-blurb", "subscribe", "shortcode", "duplicate-headline"}
    assert all(s.rule == f"boilerplate:{s.label}" and seed_000[s.start:s.end] == s.text for s in bp)
    footer = seed_000.index("Your email address")
    marked = [s for s in report.sentences if s.boilerplate]
    assert marked and all(s.start >= footer or s.text.strip().startswith("North Korea and Russia") for s in marked)
    assert not any(s.boilerplate for s in report.sentences if "sacred mission" in s.text)
    # issue 11: no span of any category but boilerplate falls in seed 000's site footer
    assert [s for s in report.spans if s.category != "boilerplate" and s.end > footer] == []


def test_duplicate_headline_counts_once(scorer) -> None:  # type: ignore[no-untyped-def]
    head = "Kim hails the heroic feat of the sacred mission"
    once = scorer.score(f"{head}\n\nThe parade was held on Sunday in the capital.")
    twice = scorer.score(f"{head}\n\n{head}\n\nThe parade was held on Sunday in the capital.")
    weight = lambda r: sum(s.weight for s in r.spans if s.category == "state_media")
    assert weight(once) > 0 and weight(twice) == weight(once)


def test_units_given_in_any_order_and_texts_with_lone_surrogates(analyzer: Analyzer) -> None:
    """Units are tested when they hold a trigger word, found by one automaton pass: sorted units
    (a segmentation's sentences) are looked up per trigger, other unit lists unit by unit, and a text
    the automaton cannot take (a lone surrogate) falls back to plain search; all find the same."""
    text = "Officials met.\nShare this story!\nHome\nIt rained. Share on Facebook now\n\n© 2020 All rights reserved."
    seg = analyzer.analyze(text).seg
    expected = find_boilerplate(text, seg)
    found = _reasons(text, expected)
    assert found["share"][0] == "Share this story!" and found["navigation"] == ["Home"]
    assert found["copyright"] == ["© 2020 All rights reserved."]
    assert find_boilerplate(text, list(reversed(seg.sentences))) == expected
    odd = "\ud800" + text[1:]
    assert find_boilerplate(odd, seg) == expected
